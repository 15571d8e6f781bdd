"""Kurse: the catalogue with filters (type, level, place, start) and a read-only detail panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QItemSelection, QRegularExpression, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.courses.records import LEVELS, MODES, WEEKDAYS, CourseRecord
from bildungskoordination.domain.vocab import level_short
from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.courses.candidates_dialog import CandidatesDialog
from bildungskoordination.gui.courses.course_dialog import CourseDialog
from bildungskoordination.gui.courses.import_dialog import CourseImportDialog
from bildungskoordination.gui.courses.models import CourseModel, IdRole, SortRole, course_status_text, fmt_date, type_label
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.loader import Loader
from bildungskoordination.gui.save_target import IMPORTS, remember_folder, start_folder
from bildungskoordination.gui.table_model import fit_columns, setup_record_table
from bildungskoordination.i18n import N_, _, ngettext

WEEKDAY_NAMES = {"mo": N_("Mo"), "di": N_("Di"), "mi": N_("Mi"), "do": N_("Do"), "fr": N_("Fr"), "sa": N_("Sa")}
DETAIL_FIELDS = [
    ("course_number", N_("Kursnummer:")), ("course_type", N_("Kursart:")), ("provider", N_("Träger:")),
    ("levels", N_("Sprachniveau:")), ("dates", N_("Zeitraum:")), ("deadline", N_("Anmeldeschluss:")),
    ("schedule", N_("Unterricht:")), ("place", N_("Ort:")), ("places", N_("Plätze:")),
    ("target_group", N_("Zielgruppe:")), ("costs", N_("Kosten:")), ("contact", N_("Ansprechperson:")),
    ("status", N_("Status:")),
]


class CourseDetail(QScrollArea):
    """Everything stored about one course, read-only, selectable for copying."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        inner = QWidget()
        form = QFormLayout(inner)
        self.values: dict[str, QLabel] = {}
        for key, label in DETAIL_FIELDS:
            value = QLabel()
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            value.setAccessibleName(_(label).rstrip(":"))
            form.addRow(_(label), value)
            self.values[key] = value
        self.setWidget(inner)
        self.setAccessibleName(_("Kursdaten"))

    def show_course(self, c: CourseRecord | None, type_text: str = "") -> None:
        if c is None:
            for value in self.values.values():
                value.setText("")
            return
        days = ", ".join(_(WEEKDAY_NAMES[d]) for d in WEEKDAYS if d in c.days)
        times = f"{c.time_from}–{c.time_to}" if c.time_from or c.time_to else ""
        mode = _(MODES.get(c.mode, c.mode))
        texts = {
            "course_number": c.course_number,
            "course_type": type_text,
            "provider": c.provider,
            "levels": (f"{level_short(c.entry_level)} → {level_short(c.target_level)}" if c.target_level
                       else level_short(c.entry_level)),
            "dates": f"{fmt_date(c.start)} – {fmt_date(c.end)}" if c.start or c.end else "",
            "deadline": fmt_date(c.registration_deadline),
            "schedule": "  ".join(p for p in (days, times, mode,
                                              _("{n} UE").format(n=c.teaching_units) if c.teaching_units else "")
                                  if p),
            "place": ", ".join(p for p in (c.municipality, c.address) if p),
            "places": _("{free} von {places} frei, {active} belegt, {waiting} auf der Warteliste").format(
                free=c.free_places, places=c.places, active=c.active_referrals, waiting=c.waiting)
            + (_(" (Träger meldet {n} frei)").format(n=c.reported_free_places)
               if c.reported_free_places is not None else ""),
            "target_group": c.target_group,
            "costs": c.costs_note,
            "contact": ", ".join(p for p in (c.contact_person, c.phone, c.email) if p)
            + (", " + _("Kinderbetreuung") if c.childcare else ""),
            "status": course_status_text(c.status),
        }
        for key, value in self.values.items():
            value.setText(texts.get(key, ""))


class CoursesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rules = ctx.services.matching.rules
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        filters = QHBoxLayout()
        self.type_filter = QComboBox()
        self.type_filter.addItem(_("alle Kursarten"), None)
        for code in self._rules.types:
            self.type_filter.addItem(type_label(self._rules, code), code)
        self.level_filter = QComboBox()
        self.level_filter.addItem(_("jedes Niveau"), None)
        for level in LEVELS:
            self.level_filter.addItem(_("passend für {level}").format(level=level), level)
        self.place_filter = QLineEdit()
        self.place_filter.setPlaceholderText(_("Ort enthält …"))
        self.place_filter.setClearButtonEnabled(True)
        self.start_check = QCheckBox(_("Beginn &ab"))
        self.start_from = QDateEdit(QDate.currentDate())
        self.start_from.setCalendarPopup(True)
        self.start_from.setDisplayFormat("dd.MM.yyyy")
        self.start_from.setEnabled(False)
        self.start_from.setAccessibleName(_("Beginn ab"))
        for text, widget in ((_("K&ursart:"), self.type_filter), (_("Ni&veau:"), self.level_filter),
                             (_("&Ort:"), self.place_filter)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            filters.addWidget(label)
            filters.addWidget(widget, 1 if widget is self.place_filter else 0)
        filters.addWidget(self.start_check)
        filters.addWidget(self.start_from)
        layout.addLayout(filters)

        self.model = CourseModel(self._rules, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(CourseModel.MUNICIPALITY)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        setup_record_table(self.table, _("Kurse"), (105, 190, 150, 58, 42, 80, 80, 85, 85, 72, 75))
        fit_columns(self.table, stretch=(1, 2))  # course type and provider share what is left
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.detail = CourseDetail()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([930, 270])
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        self.summary = QLabel()
        bottom.addWidget(self.summary, 1)
        self.candidates_button = QPushButton(_("Passende &Personen"))
        self.candidates_button.setToolTip(_("Alle Personen für den ausgewählten Kurs bewerten"))
        self.candidates_button.setEnabled(False)
        self.import_button = QPushButton(_("Kursliste &einlesen …"))
        self.import_button.setIcon(icon("import"))
        self.import_button.setToolTip(_("Kursliste eines Trägers (CSV oder Excel) prüfen und einlesen"))
        self.new_button = QPushButton(_("&Neuer Kurs"))
        self.new_button.setIcon(icon("new_course"))
        self.new_button.setToolTip(_("Einen Kurs von Hand erfassen"))
        self.edit_button = QPushButton(_("&Bearbeiten"))
        self.edit_button.setIcon(icon("edit"))
        self.edit_button.setToolTip(_("Den ausgewählten Kurs bearbeiten"))
        self.edit_button.setEnabled(False)
        bottom.addWidget(self.candidates_button)
        bottom.addWidget(self.new_button)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.import_button)
        layout.addLayout(bottom)
        self.import_dialog: CourseImportDialog | None = None
        self.candidates_dialog: CandidatesDialog | None = None
        self.course_dialog: CourseDialog | None = None

        self.type_filter.currentIndexChanged.connect(self._on_type_filter_current_index_changed)
        self.level_filter.currentIndexChanged.connect(self._on_level_filter_current_index_changed)
        self.place_filter.textChanged.connect(self._on_place_filter_text_changed)
        self.start_check.toggled.connect(self._on_start_check_toggled)
        self.start_from.dateChanged.connect(self._on_start_from_date_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.candidates_button.clicked.connect(self._on_candidates_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.new_button.setEnabled(not ctx.services.store.read_only)
        ctx.signal.changed.connect(self._on_signal_changed)
        self._stale = True  # loaded when first shown
        self._select_after: int | None = None  # a course just saved: selected once the list is read again
        self.loader: Loader[list[CourseRecord]] = Loader(self, _("Kurse"))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        """Read the courses on a worker (with their occupancy: tens of milliseconds on a large district, which
        held the window when the area was opened) and show them."""
        self._stale = False
        courses = self._ctx.services.courses
        course_type, level = self.type_filter.currentData(), self.level_filter.currentData()
        start_from = self.start_from.date().toPython() if self.start_check.isChecked() else None
        self.loader.load(lambda: courses.list(course_type=course_type, level=level, start_from=start_from),
                         self._show_rows)

    def _show_rows(self, courses: list[CourseRecord]) -> None:
        selected = self._select_after if self._select_after is not None else self.selected_course_id()
        self._select_after = None
        self.model.set_rows(courses)
        if selected is not None:
            self.select_course(selected)
        self._update_summary()
        self._show_current()

    def _update_summary(self) -> None:
        n = self.proxy.rowCount()
        self.summary.setText(ngettext("{n} Kurs", "{n} Kurse", n).format(n=n))

    def selected_course_id(self) -> int | None:
        index = self.table.currentIndex()
        return int(self.proxy.data(index, IdRole)) if index.isValid() else None

    def select_course(self, course_id: int) -> None:
        row = self.model.row_of(course_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectRow(index.row())

    def course_text(self, course_id: int, column: int) -> str:
        """What the table shows for a course (for tests and screen readers' sake kept in one place)."""
        row = self.model.row_of(course_id)
        return "" if row < 0 else str(self.model.data(self.model.index(row, column)))

    def _show_current(self) -> None:
        index = self.table.currentIndex()
        record = self.model.record(self.proxy.mapToSource(index).row()) if index.isValid() else None
        self.detail.show_course(record, type_label(self._rules, record.course_type) if record else "")
        self.candidates_button.setEnabled(record is not None)
        self.edit_button.setEnabled(record is not None and not self._ctx.services.store.read_only)

    # --- slots ----------------------------------------------------------------------------------
    def _on_type_filter_current_index_changed(self, _index: int) -> None:
        self.reload()

    def _on_level_filter_current_index_changed(self, _index: int) -> None:
        self.reload()

    def _on_place_filter_text_changed(self, text: str) -> None:
        self.proxy.setFilterRegularExpression(QRegularExpression(QRegularExpression.escape(text.strip()),
                                                                 QRegularExpression.PatternOption.CaseInsensitiveOption))
        self._update_summary()
        self._show_current()

    def _on_start_check_toggled(self, checked: bool) -> None:
        self.start_from.setEnabled(checked)
        self.reload()

    def _on_start_from_date_changed(self, _day: QDate) -> None:
        if self.start_check.isChecked():
            self.reload()

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_current()

    def _on_import_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Kursliste einlesen"), str(start_folder(IMPORTS)), _("Kurslisten (*.csv *.xlsx);;Alle Dateien (*)"))
        if not path:
            return
        remember_folder(IMPORTS, Path(path).parent)
        self.import_dialog = CourseImportDialog(self._ctx.services, path, self)
        self.import_dialog.open()

    def _on_candidates_button_clicked(self) -> None:
        course_id = self.selected_course_id()
        if course_id is None:
            return
        row = self.model.record(self.model.row_of(course_id))
        self.candidates_dialog = CandidatesDialog(self._ctx.services, course_id, row.course_number if row else "", self)
        self.candidates_dialog.open()

    def _open_course_dialog(self, course_id: int | None) -> None:
        self.course_dialog = CourseDialog(self._ctx.services, course_id, self)
        self.course_dialog.accepted.connect(self._on_course_dialog_accepted)
        self.course_dialog.open()

    def _on_new_button_clicked(self) -> None:
        self._open_course_dialog(None)

    def _on_edit_button_clicked(self) -> None:
        course_id = self.selected_course_id()
        if course_id is not None:
            self._open_course_dialog(course_id)

    def _on_course_dialog_accepted(self) -> None:
        if self.course_dialog is not None and self.course_dialog.saved_id is not None:
            self._select_after = self.course_dialog.saved_id
            self.reload()

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity == "course":  # a referral's change is published as a course change too
            if self.isVisible():
                self.reload()
            else:
                self._stale = True
