"""New-contact entry, fast by keyboard alone.

Today is preset; topics are check boxes with mnemonics; Alt+1 / Alt+2 / Alt+4 set the follow-up to
1, 2 or 4 weeks; Ctrl+Return saves. A failed validation keeps everything typed and shows every error at
once (under its field, the field's label marked, and listed above the save button); a saved contact says
"Gespeichert." there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.dates import DateParseError
from bildungskoordination.domain.errors import FieldError as DataError
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.gui.widgets import (
    DateField,
    FieldError,
    VocabCombo,
    error_list,
    in_form_order,
    mark_labels,
    merge_errors,
    show_field_errors,
)
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.people.records import ContactData

# Errors about a field that shares its row with another: shown in that row.
_ROW_OF = {"channel": "contact_date", "duration_minutes": "contact_date", "interpreter_kind": "interpreter_language"}


class ContactEntry(QWidget):
    submitted = Signal(object)  # ContactData

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._errors: dict[str, FieldError] = {}
        self._labels: dict[str, QLabel] = {}
        # The service's check of a contact before saving (set by the person file), so that every problem shows
        # at once, together with the fields that could not even be read.
        self.checker: Callable[[ContactData], list[DataError]] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>" + _("Neuer Beratungskontakt") + "</b>")
        outer.addWidget(title)
        form = QFormLayout()
        outer.addLayout(form)

        self.contact_date = QDateEdit()
        self.contact_date.setCalendarPopup(True)
        self.contact_date.setDisplayFormat("dd.MM.yyyy")
        self.channel = VocabCombo(vocabulary("channels"), allow_empty=False)
        self.duration = QSpinBox()
        self.duration.setRange(0, 600)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(_(" Min."))
        self.duration.setSpecialValueText("–")
        first = QHBoxLayout()
        first.addWidget(self.contact_date)
        first.addWidget(self.channel)
        first.addWidget(self.duration)
        self._row(form, "contact_date", _("&Datum, Weg, Dauer"), first, self.contact_date)

        self.place = QLineEdit()
        self._row(form, "place", _("&Ort"), self.place)

        self.interpreter_language = VocabCombo(vocabulary("languages"))
        self.interpreter_kind = VocabCombo(vocabulary("interpreter_kind"))
        interp = QHBoxLayout()
        interp.addWidget(self.interpreter_language, 2)
        interp.addWidget(self.interpreter_kind, 1)
        self._row(form, "interpreter_language", _("Dolmetsch&ung"), interp, self.interpreter_language)

        topics_box = QWidget()
        grid = QGridLayout(topics_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.topics: dict[str, QCheckBox] = {}
        # Alt-keys already taken by this form's labels, in the current UI language.
        used = {_mnemonic_key(text) for text in (
            _("&Datum, Weg, Dauer"), _("&Ort"), _("Dolmetsch&ung"), _("Nächster Sc&hritt"), _("No&tiz"),
            _("&Wiedervorlage"), _("Kontakt &speichern"),
            # elsewhere in the same window (person file buttons and tabs):
            _("Meh&r"), _("&Speichern"), _("&Verwerfen"), _("&Stammdaten"), _("&Beratung"), _("&Neue Person"))}
        for i, term in enumerate(vocabulary("topics")):
            cb = QCheckBox(_mnemonic(term.display(), used))
            cb.setAccessibleName(term.display())
            self.topics[term.code] = cb
            grid.addWidget(cb, i // 2, i % 2)  # two columns: the person list beside keeps room at 1366×768
        self._row(form, "topics", _("Themen"), topics_box, None)

        self.outcome = VocabCombo(vocabulary("outcomes"))
        self._row(form, "outcome", _("Ergebnis"), self.outcome)
        self.next_step = QLineEdit()
        self._row(form, "next_step", _("Nächster Sc&hritt"), self.next_step)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self._row(form, "note", _("No&tiz"), self.note)

        self.followup = DateField()
        follow = QHBoxLayout()
        follow.addWidget(self.followup, 1)
        for weeks in (1, 2, 4):
            button = QPushButton(_("+{n} Wo.").format(n=weeks))
            when = ngettext("Wiedervorlage in {n} Woche", "Wiedervorlage in {n} Wochen", weeks).format(n=weeks)
            button.setToolTip(f"{when} (Alt+{weeks})")
            button.setAccessibleName(when)
            button.clicked.connect(lambda _checked=False, w=weeks: self.set_followup_weeks(w))
            QShortcut(QKeySequence(f"Alt+{weeks}"), self, lambda w=weeks: self.set_followup_weeks(w))
            follow.addWidget(button)
        self._row(form, "followup_date", _("&Wiedervorlage"), follow, self.followup)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName(_("Meldung zum Kontakt"))
        self.save_button = QPushButton(_("Kontakt &speichern"))
        self.save_button.setToolTip(_("Strg+Eingabe"))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._on_save_button_clicked)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self._on_save_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.reset()

    def _row(self, form: QFormLayout, key: str, label: str, field, buddy: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        error = FieldError()
        self._errors[key] = error
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(field, QWidget):
            column.addWidget(field)
            buddy = buddy or field
            field.setAccessibleName(label.replace("&", ""))
        else:
            column.addLayout(field)
        column.addWidget(error)
        label_widget = QLabel(label)
        self._labels[key] = label_widget
        if buddy is not None:
            label_widget.setBuddy(buddy)
            buddy.setAccessibleName(label.replace("&", ""))
        form.addRow(label_widget, holder)

    def set_followup_weeks(self, weeks: int) -> None:
        base = self.contact_date.date().toPython()
        self.followup.set_value(base + timedelta(weeks=weeks))

    def reset(self) -> None:
        self.contact_date.setDate(QDate.currentDate())
        self.channel.set_code("persoenlich")
        self.duration.setValue(0)
        self.place.clear()
        self.interpreter_language.set_code("")
        self.interpreter_kind.set_code("")
        for cb in self.topics.values():
            cb.setChecked(False)
        self.outcome.set_code("")
        self.next_step.clear()
        self.note.clear()
        self.followup.clear()
        self.show_errors([])

    def collect(self) -> tuple[ContactData, list[DataError]]:
        errors: list[DataError] = []
        try:
            followup = self.followup.value()
        except DateParseError as exc:
            followup = None
            errors.append(DataError("followup_date", str(exc)))
        data = ContactData(
            contact_date=self.contact_date.date().toPython(),
            duration_minutes=self.duration.value() or None,
            channel=self.channel.code() or "persoenlich",
            place=self.place.text(),
            interpreter_language=self.interpreter_language.code(),
            interpreter_kind=self.interpreter_kind.code(),
            topics=[c for c, cb in self.topics.items() if cb.isChecked()],
            note=self.note.toPlainText(),
            outcome=self.outcome.code(),
            next_step=self.next_step.text(),
            followup_date=followup,
        )
        return data, errors

    def show_errors(self, errors: list[DataError]) -> None:
        """Every error at once: under its field (or its row), the row's label marked, all listed by the button."""
        shown = in_form_order([DataError(_ROW_OF.get(e.field, e.field), e.message) for e in errors], self._errors)
        show_field_errors(self._errors, shown)
        mark_labels(self._labels, shown)
        self.status.setStyleSheet("color: #b3261e;" if shown else "")
        self.status.setText(ngettext("Nicht gespeichert – {n} Angabe prüfen:", "Nicht gespeichert – {n} Angaben "
                                     "prüfen:", len(shown)).format(n=len(shown)) + "\n"
                            + error_list(shown, self.field_label) if shown else "")

    def show_saved(self) -> None:
        self.status.setStyleSheet("")
        self.status.setText(_("Gespeichert."))

    def field_label(self, key: str) -> str:
        label = self._labels.get(key)
        return label.text().replace("&", "") if label is not None else key

    def _on_save_button_clicked(self) -> None:
        data, unreadable = self.collect()
        errors = merge_errors(unreadable, self.checker(data) if self.checker is not None else [])
        if errors:
            self.show_errors(errors)
            return
        self.submitted.emit(data)

    def today(self) -> date:
        return self.contact_date.date().toPython()


def _mnemonic_key(label: str) -> str:
    index = label.find("&")
    return label[index + 1].lower() if 0 <= index < len(label) - 1 else ""


def _mnemonic(text: str, used: set[str]) -> str:
    """Give a check box the first free letter as its Alt-key, so topics can be ticked by keyboard."""
    for i, ch in enumerate(text):
        key = ch.lower()
        if ch.isalpha() and key not in used:
            used.add(key)
            return text[:i] + "&" + text[i:]
    return text
