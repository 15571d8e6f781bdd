"""Neuer Kurs / Kurs bearbeiten: the course's main data in a form; the service's checks shown at the fields.
Fields the form does not show (address, contact, costs …) are kept unchanged when editing."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.courses.records import LEVELS, MODES, NO_LEVEL, WEEKDAYS, CourseData
from bildungskoordination.domain.conflicts import ConflictError
from bildungskoordination.domain.course_status import course_status_vocabulary
from bildungskoordination.domain.dates import DateParseError
from bildungskoordination.domain.errors import FieldError as DataError
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.gui.conflict_dialog import Choice, ConflictDialog
from bildungskoordination.gui.courses.models import type_label
from bildungskoordination.gui.widgets import DateField, FieldError, show_field_errors, with_error
from bildungskoordination.i18n import N_, _
from bildungskoordination.services import Services

WEEKDAY_LABELS = {"mo": N_("&Mo"), "di": N_("D&i"), "mi": N_("Mi"), "do": N_("Do"), "fr": N_("Fr"), "sa": N_("Sa")}


def _combo(items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    for code, label in items:
        combo.addItem(label, code)
    return combo


def _set_code(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    if index < 0 and code:
        combo.addItem(code, code)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))


class CourseDialog(QDialog):
    def __init__(self, services: Services, course_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.course_id = course_id
        self.saved_id: int | None = None
        loaded = services.courses.get(course_id) if course_id is not None else None
        self._base = loaded.data() if loaded is not None else CourseData()
        self._version = loaded.version if loaded is not None else None  # saves pass it (optimistic locking)
        self.setWindowTitle(_("Kurs bearbeiten") if course_id is not None else _("Neuer Kurs"))
        rules = services.matching.rules
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._errors: dict[str, FieldError] = {}

        self.provider = QLineEdit()
        self.course_number = QLineEdit()
        self.course_type = _combo([("", "")] + [(code, type_label(rules, code)) for code in rules.types])
        self.entry_level = _combo([(NO_LEVEL, _("keine Vorkenntnisse"))] + [(lv, lv) for lv in LEVELS])
        self.target_level = _combo([("", "")] + [(lv, lv) for lv in LEVELS])
        self.start = DateField()
        self.end = DateField()
        days_box = QWidget()
        days_layout = QHBoxLayout(days_box)
        days_layout.setContentsMargins(0, 0, 0, 0)
        self.days: dict[str, QCheckBox] = {}
        for code in WEEKDAYS:
            box = QCheckBox(_(WEEKDAY_LABELS[code]))
            self.days[code] = box
            days_layout.addWidget(box)
        days_layout.addStretch(1)
        self.time_from = QLineEdit()
        self.time_from.setPlaceholderText(_("HH:MM"))
        self.time_to = QLineEdit()
        self.time_to.setPlaceholderText(_("HH:MM"))
        self.time_from.setAccessibleName(_("Uhrzeit von"))
        self.time_to.setAccessibleName(_("Uhrzeit bis"))
        times = QWidget()
        times_layout = QHBoxLayout(times)
        times_layout.setContentsMargins(0, 0, 0, 0)
        times_layout.addWidget(self.time_from)
        times_layout.addWidget(QLabel("–"))
        times_layout.addWidget(self.time_to)
        self.mode = _combo([(code, _(label)) for code, label in MODES.items()])
        self.municipality = QLineEdit()
        self.childcare = QCheckBox(_("Kinderbetreuung vorhanden"))
        self.places = QSpinBox()
        self.places.setRange(0, 999)
        self.status = _combo([(t.code, t.display()) for t in course_status_vocabulary()])

        rows = [
            ("provider", _("&Träger: *"), self.provider),
            ("course_number", _("&Kursnummer: *"), self.course_number),
            ("course_type", _("K&ursart: *"), self.course_type),
            ("entry_level", _("&Einstiegsniveau:"), self.entry_level),
            ("target_level", _("&Zielniveau:"), self.target_level),
            ("start", _("&Beginn:"), self.start),
            ("end", _("E&nde:"), self.end),
            ("days", _("Unterrichtstage:"), days_box),
            ("time_from", _("U&hrzeit:"), times),
            ("mode", _("&Form:"), self.mode),
            ("municipality", _("&Ort:"), self.municipality),
            ("childcare", "", self.childcare),
            ("places", _("&Plätze:"), self.places),
            ("status", _("St&atus:"), self.status),
        ]
        self._labels = {key: text.replace("&", "").replace("*", "").strip().rstrip(":") for key, text, _w in rows}
        self._labels["childcare"] = self.childcare.text()
        for key, text, widget in rows:
            error = FieldError()
            self._errors[key] = error
            label = QLabel(text)
            if widget is not days_box and widget is not times:
                label.setBuddy(widget)
                widget.setAccessibleName(text.replace("&", "").replace("*", "").strip().rstrip(":"))
            elif widget is times:
                label.setBuddy(self.time_from)
            form.addRow(label, with_error(widget, error))
        self._errors["time_to"] = self._errors["time_from"]
        self._errors["course"] = self._errors["course_number"]
        layout.addLayout(form)
        self.message = QLabel()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Speichern"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        self._load(self._base)

    def _load(self, d: CourseData) -> None:
        self.provider.setText(d.provider)
        self.course_number.setText(d.course_number)
        _set_code(self.course_type, d.course_type)
        _set_code(self.entry_level, d.entry_level or NO_LEVEL)
        _set_code(self.target_level, d.target_level)
        self.start.set_value(d.start)
        self.end.set_value(d.end)
        for code, box in self.days.items():
            box.setChecked(code in d.days)
        self.time_from.setText(d.time_from)
        self.time_to.setText(d.time_to)
        _set_code(self.mode, d.mode)
        self.municipality.setText(d.municipality)
        self.childcare.setChecked(d.childcare)
        self.places.setValue(d.places)
        _set_code(self.status, d.status)

    def collect(self) -> tuple[CourseData, list[DataError]]:
        errors: list[DataError] = []

        def read(key: str, field: DateField):  # type: ignore[no-untyped-def]
            try:
                return field.value()
            except DateParseError as exc:
                errors.append(DataError(key, str(exc)))
                return None

        data = replace(
            self._base, provider=self.provider.text().strip(), course_number=self.course_number.text().strip(),
            course_type=str(self.course_type.currentData() or ""), entry_level=str(self.entry_level.currentData()),
            target_level=str(self.target_level.currentData() or ""), start=read("start", self.start),
            end=read("end", self.end), days=[c for c, box in self.days.items() if box.isChecked()],
            time_from=self.time_from.text().strip(), time_to=self.time_to.text().strip(),
            mode=str(self.mode.currentData()), municipality=self.municipality.text().strip(),
            childcare=self.childcare.isChecked(), places=self.places.value(), status=str(self.status.currentData()))
        return data, errors

    def show_errors(self, errors: list[DataError]) -> None:
        known = [e for e in errors if e.field in self._errors]
        show_field_errors({k: v for k, v in self._errors.items() if k not in ("time_to", "course")}, [
            DataError({"time_to": "time_from", "course": "course_number"}.get(e.field, e.field), e.message)
            for e in known])
        other = [e.message for e in errors if e.field not in self._errors]
        self.message.setText("; ".join(other) if other else
                             (_("Nicht gespeichert: bitte die markierten Felder prüfen.") if errors else ""))

    def _save_over(self, data: CourseData) -> bool:
        """Save against the version loaded; someone else's save in between: both values per field, the user
        chooses (gui/conflict_dialog.py)."""
        assert self.course_id is not None
        while True:
            try:
                self._services.courses.update(self.course_id, data, expected_version=self._version)
                return True
            except ConflictError as conflict:
                dialog = ConflictDialog(conflict, data, self._base, label=lambda name: self._labels.get(name, name), parent=self)
                dialog.exec()
                if dialog.choice is Choice.RELOAD:
                    loaded = self._services.courses.get(self.course_id)
                    self._base, self._version = loaded.data(), loaded.version
                    self._load(self._base)
                    return False
                if dialog.choice is Choice.CANCEL:
                    return False
                data, self._version = dialog.result_data, conflict.current_version

    def save(self) -> None:
        data, errors = self.collect()
        errors = errors or self._services.courses.check(data)
        if errors:
            self.show_errors(errors)
            return
        try:
            if self.course_id is None:
                self.saved_id = self._services.courses.create(data)
            else:
                if not self._save_over(data):
                    return
                self.saved_id = self.course_id
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except NotFound as exc:
            QMessageBox.warning(self, _("Nicht gespeichert"), str(exc))
            return
        self.accept()
