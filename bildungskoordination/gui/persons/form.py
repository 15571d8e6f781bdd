"""The master-data form of a person (Stammdaten): fields, loading, collecting, errors next to fields."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.dates import DateParseError
from bildungskoordination.domain.errors import FieldError as DataError
from bildungskoordination.domain.vocab import Vocabulary, district, letter_languages, vocabulary
from bildungskoordination.gui.widgets import (
    CheckList,
    DateField,
    FieldError,
    PartialDateField,
    VocabCombo,
    in_form_order,
    mark_labels,
    show_field_errors,
)
from bildungskoordination.i18n import _
from bildungskoordination.people.records import LanguageSkill, PersonData


def _checkboxes(vocab: Vocabulary, *, vertical: bool = False) -> tuple[QWidget, dict[str, QCheckBox]]:
    """One check box per term, side by side (in rows of three when one row would be too wide for the form
    at 1366×768, e.g. English weekdays) or one under the other."""
    box = QWidget()
    boxes = {term.code: QCheckBox(term.display()) for term in vocab}
    wide = sum(cb.sizeHint().width() + 6 for cb in boxes.values()) > CHECK_ROW_MAX_WIDTH  # 6: spacing
    columns = 1 if vertical else (3 if wide else len(boxes))
    layout = QGridLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, cb in enumerate(boxes.values()):
        layout.addWidget(cb, i // columns, i % columns)
    layout.setColumnStretch(columns, 1)
    return box, boxes


CHECK_ROW_MAX_WIDTH = 280  # px
LABEL_MAX_WIDTH = 185  # px; longer labels (most of them English) wrap


class PersonForm(QScrollArea):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._errors: dict[str, FieldError] = {}
        self._labels: dict[str, str] = {}
        self._label_widgets: dict[str, QLabel] = {}
        self._languages_levels: dict[str, str] = {}
        self._read_only = False
        inner = QWidget()
        grid = QGridLayout(inner)
        self.setWidget(inner)

        self.consent_warning = QLabel(_("⚠ Keine Einwilligung zur Datenverarbeitung erfasst. Bitte einholen "
                                        "und unten unter „Einwilligung“ eintragen."))
        self.consent_warning.setWordWrap(True)
        self.consent_warning.setObjectName("consentWarning")
        self.consent_warning.setStyleSheet(
            "#consentWarning { background: #fff4ce; color: #5c4400; padding: 6px; border: 1px solid #e0c36a; }")
        grid.addWidget(self.consent_warning, 0, 0)

        # Person
        self.file_number = QLineEdit()
        self.file_number.setPlaceholderText(_("wird beim Anlegen vergeben"))
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        self.name_original = QLineEdit()
        self.name_original.setPlaceholderText(_("z. B. رانيا الحسن, Олена Коваленко"))
        self.birth = PartialDateField()
        self.gender = VocabCombo(vocabulary("gender"), allow_empty=False)
        self.nationality_1 = VocabCombo(vocabulary("countries"))
        self.nationality_2 = VocabCombo(vocabulary("countries"))
        self.arrival_date = DateField()
        person = self._section(_("Person"), [
            ("family_name", _("&Familienname *"), self.family_name),
            ("given_name", _("&Vorname *"), self.given_name),
            ("name_original", _("Name in &Originalschrift"), self.name_original),
            ("birth", _("&Geburtsdatum"), self.birth),
            ("gender", _("Geschl&echt"), self.gender),
            ("nationalities", _("Staats&angehörigkeit"), self.nationality_1),
            ("nationality_2", _("weitere Staatsangehörigkeit"), self.nationality_2),
            ("arrival_date", _("Einreise nach Deutschland"), self.arrival_date),
            ("file_number", _("Akten&zeichen"), self.file_number),
        ])
        # Residence
        self.residence_status = VocabCombo(vocabulary("residence_status"))
        self.residence_issued = DateField()
        self.residence_expires = DateField()
        # What the integration-course law asks (§§ 44, 44a AufenthG, § 5b AsylbLG, DeuFöV)
        self.obligation = VocabCombo(vocabulary("obligation"))
        self.obliged_on = DateField()
        self.bamf_admission_on = DateField()
        self.ik_completed_on = DateField()
        self.ik_final_level = VocabCombo(vocabulary("ik_final_level"))
        residence = self._section(_("Aufenthalt"), [
            ("residence_status", _("Aufenthalts&status"), self.residence_status),
            ("residence_issued", _("Status seit (erstmals erteilt)"), self.residence_issued),
            ("residence_expires", _("gültig bis"), self.residence_expires),
            ("obligation", _("Verpflichtung zum Integrationskurs"), self.obligation),
            ("obliged_on", _("verpflichtet am"), self.obliged_on),
            ("bamf_admission_on", _("Zulassung BAMF am"), self.bamf_admission_on),
            ("ik_completed_on", _("Integrationskurs abgeschlossen am"), self.ik_completed_on),
            ("ik_final_level", _("Abschlussniveau"), self.ik_final_level),
        ])
        # Languages and education
        self.german_level = VocabCombo(vocabulary("german_level"))
        self.german_level_date = DateField()
        self.german_level_source = VocabCombo(vocabulary("level_source"))
        self.literacy = VocabCombo(vocabulary("literacy"))
        self.languages = CheckList(vocabulary("languages"), max_visible=5)
        self.school_years = QSpinBox()
        self.school_years.setRange(-1, 25)
        self.school_years.setSpecialValueText(_("unbekannt"))
        self.qualification = VocabCombo(vocabulary("qualification"))
        self.recognition = VocabCombo(vocabulary("recognition"))
        education = self._section(_("Sprachen und Bildung"), [
            ("german_level", _("&Deutschniveau"), self.german_level),
            ("german_level_date", _("Niveau festgestellt am"), self.german_level_date),
            ("german_level_source", _("Niveau laut"), self.german_level_source),
            ("literacy", _("A&lphabetisierung"), self.literacy),
            ("languages", _("gesprochene Sprachen"), self.languages),
            ("school_years", _("Schulbesuch (Jahre)"), self.school_years),
            ("qualification", _("höchster Abschluss"), self.qualification),
            ("recognition", _("Anerkennung"), self.recognition),
        ])
        # Contact and residence place
        self.municipality = QComboBox()
        self.municipality.setEditable(True)
        self.municipality.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.municipality.addItems([""] + list(district().get("municipalities", [])))
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        contact = self._section(_("Wohnort und Erreichbarkeit"), [
            ("municipality", _("&Wohnort"), self.municipality),
            ("address", _("Anschrift"), self.address),
            ("phone", _("&Telefon"), self.phone),
            ("email", _("E-&Mail"), self.email),
        ])
        # Availability
        self.needs_childcare = QCheckBox(_("braucht Kinderbetreuung"))
        self.childcare_children = QSpinBox()
        self.childcare_children.setRange(0, 20)
        self.childcare_children.setSuffix(_(" Kinder"))
        avail_box, self.availability = _checkboxes(vocabulary("availability"))
        days_box, self.weekdays = _checkboxes(vocabulary("weekday"))
        self.letter_language = VocabCombo(_letter_vocab(), allow_empty=False)
        availability = self._section(_("Verfügbarkeit und Briefe"), [
            ("needs_childcare", _("Kinderbetreuung"), self.needs_childcare),
            ("childcare_children", _("Kinder in Betreuung"), self.childcare_children),
            ("availability", _("verfügbar"), avail_box),
            ("weekdays", _("an Tagen"), days_box),
            ("letter_language", _("&Briefsprache"), self.letter_language),
        ])
        # Consent and note
        self.consent_date = DateField()
        scope_box, self.consent_scope = _checkboxes(vocabulary("consent_scope"), vertical=True)
        self.consent_how = VocabCombo(vocabulary("consent_how"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        consent = self._section(_("Einwilligung und Notiz"), [
            ("consent_date", _("Einwilligung am"), self.consent_date),
            ("consent_scope", _("Umfang"), scope_box),
            ("consent_how", _("erteilt"), self.consent_how),
            ("note", _("&Notiz"), self.note),
        ])
        # One column: reads top to bottom and fits beside the person list on a 1366 px laptop screen.
        for row, box in enumerate((person, residence, education, contact, availability, consent), start=1):
            grid.addWidget(box, row, 0)
        grid.setRowStretch(7, 1)
        self._align_labels()
        self._connect_edits()
        self.clear()

    def _section(self, title: str, rows: list[tuple[str, str, QWidget]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label, widget in rows:
            error = FieldError()
            self._errors[key] = error
            plain = label.replace("&", "").rstrip(" *")
            self._labels[key] = plain
            widget.setAccessibleName(plain)
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            column.addWidget(error)
            label_widget = QLabel(label)
            label_widget.setBuddy(widget)
            self._label_widgets[key] = label_widget
            form.addRow(label_widget, holder)
        return box

    def _align_labels(self) -> None:
        """Same label width in every section, so the fields line up down the whole form; a label longer than
        LABEL_MAX_WIDTH wraps, so that the form fits beside the person list at 1366×768 in every language."""
        labels = [w for w in self.widget().findChildren(QLabel) if w.buddy() is not None]
        width = min(max((label.sizeHint().width() for label in labels), default=0), LABEL_MAX_WIDTH)
        for label in labels:
            label.setWordWrap(True)
            label.setFixedWidth(width)

    def _connect_edits(self) -> None:
        for w in self.findChildren(QLineEdit):
            w.textEdited.connect(self.edited)
        for w in self.findChildren(QComboBox):
            w.activated.connect(self.edited)
        for w in self.findChildren(QCheckBox):
            w.clicked.connect(self.edited)
        for w in self.findChildren(QSpinBox):
            w.valueChanged.connect(self.edited)
        self.note.textChanged.connect(self.edited)
        self.languages.changed.connect(self.edited)

    # --- data in and out ---------------------------------------------------------------------
    def clear(self) -> None:
        self.load(PersonData())

    def load(self, data: PersonData) -> None:
        self.blockSignals(True)
        self.file_number.setText(data.file_number)
        self.family_name.setText(data.family_name)
        self.given_name.setText(data.given_name)
        self.name_original.setText(data.name_original)
        self.birth.set_value(data.birth)
        self.gender.set_code(data.gender)
        nats = data.nationalities + ["", ""]
        self.nationality_1.set_code(nats[0])
        self.nationality_2.set_code(nats[1])
        self.arrival_date.set_value(data.arrival_date)
        self.residence_status.set_code(data.residence_status)
        self.residence_issued.set_value(data.residence_issued)
        self.residence_expires.set_value(data.residence_expires)
        self.obligation.set_code(data.obligation)
        self.obliged_on.set_value(data.obliged_on)
        self.bamf_admission_on.set_value(data.bamf_admission_on)
        self.ik_completed_on.set_value(data.ik_completed_on)
        self.ik_final_level.set_code(data.ik_final_level)
        self.german_level.set_code(data.german_level)
        self.german_level_date.set_value(data.german_level_date)
        self.german_level_source.set_code(data.german_level_source)
        self.literacy.set_code(data.literacy)
        self._languages_levels = {s.code: s.level for s in data.languages}
        self.languages.set_codes([s.code for s in data.languages])
        self.school_years.setValue(-1 if data.school_years is None else data.school_years)
        self.qualification.set_code(data.qualification)
        self.recognition.set_code(data.recognition)
        self.municipality.setCurrentText(data.municipality)
        self.address.setText(data.address)
        self.phone.setText(data.phone)
        self.email.setText(data.email)
        self.needs_childcare.setChecked(data.needs_childcare)
        self.childcare_children.setValue(data.childcare_children)
        for code, cb in self.availability.items():
            cb.setChecked(code in data.availability)
        for code, cb in self.weekdays.items():
            cb.setChecked(code in data.weekdays)
        self.letter_language.set_code(data.letter_language or "de")
        self.consent_date.set_value(data.consent_date)
        for code, cb in self.consent_scope.items():
            cb.setChecked(code in data.consent_scope)
        self.consent_how.set_code(data.consent_how)
        self.note.setPlainText(data.note)
        self.blockSignals(False)
        self.consent_warning.setVisible(data.consent_date is None)
        self.show_errors([])

    def collect(self) -> tuple[PersonData, list[DataError]]:
        """What the form holds, plus the fields that could not even be read (e.g. a date typo)."""
        errors: list[DataError] = []
        data = PersonData()

        def read(key: str, field: DateField | PartialDateField):  # type: ignore[no-untyped-def]
            try:
                return field.value()
            except DateParseError as exc:
                errors.append(DataError(key, str(exc)))
                return None

        data.file_number = self.file_number.text()
        data.family_name = self.family_name.text()
        data.given_name = self.given_name.text()
        data.name_original = self.name_original.text()
        data.birth = read("birth", self.birth)
        data.gender = self.gender.code() or "x"
        data.nationalities = [c for c in dict.fromkeys([self.nationality_1.code(), self.nationality_2.code()]) if c]
        data.arrival_date = read("arrival_date", self.arrival_date)
        data.residence_status = self.residence_status.code()
        data.residence_issued = read("residence_issued", self.residence_issued)
        data.residence_expires = read("residence_expires", self.residence_expires)
        data.obligation = self.obligation.code()
        data.obliged_on = read("obliged_on", self.obliged_on)
        data.bamf_admission_on = read("bamf_admission_on", self.bamf_admission_on)
        data.ik_completed_on = read("ik_completed_on", self.ik_completed_on)
        data.ik_final_level = self.ik_final_level.code()
        data.german_level = self.german_level.code()
        data.german_level_date = read("german_level_date", self.german_level_date)
        data.german_level_source = self.german_level_source.code()
        data.literacy = self.literacy.code()
        data.languages = [LanguageSkill(c, self._languages_levels.get(c, "")) for c in self.languages.codes()]
        data.school_years = None if self.school_years.value() < 0 else self.school_years.value()
        data.qualification = self.qualification.code()
        data.recognition = self.recognition.code()
        data.municipality = self.municipality.currentText()
        data.address = self.address.text()
        data.phone = self.phone.text()
        data.email = self.email.text()
        data.needs_childcare = self.needs_childcare.isChecked()
        data.childcare_children = self.childcare_children.value()
        data.availability = [c for c, cb in self.availability.items() if cb.isChecked()]
        data.weekdays = [c for c, cb in self.weekdays.items() if cb.isChecked()]
        data.letter_language = self.letter_language.code() or "de"
        data.consent_date = read("consent_date", self.consent_date)
        data.consent_scope = [c for c, cb in self.consent_scope.items() if cb.isChecked()]
        data.consent_how = self.consent_how.code()
        data.note = self.note.toPlainText()
        return data, errors

    def ordered(self, errors: list[DataError]) -> list[DataError]:
        """``errors`` top to bottom, as their fields stand in the form."""
        return in_form_order(errors, self._errors)

    def show_errors(self, errors: list[DataError]) -> None:
        """Every error at once: its message under its field, the field's label marked."""
        show_field_errors(self._errors, errors)
        mark_labels(self._label_widgets, errors)
        first = next((e.field for e in errors if e.field in self._errors), None)
        if first is not None:
            self.ensureWidgetVisible(self._errors[first])

    def set_read_only(self, read_only: bool) -> None:
        """Show the record without letting it be changed (processing restricted); texts stay readable and
        selectable, choices are disabled."""
        self._read_only = read_only
        inner = self.widget()
        if inner is None:
            return
        # Read-only text fields take the window colour, so they do not look editable (empty palette = inherit).
        palette = QPalette()
        if read_only:
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        for line in inner.findChildren(QLineEdit):
            line.setReadOnly(read_only)
            line.setPalette(palette)
        for date_field in inner.findChildren(DateField):
            date_field.setClearButtonEnabled(not read_only)
        for spin in inner.findChildren(QSpinBox):
            spin.setReadOnly(read_only)
            spin.setPalette(palette)
        self.note.setReadOnly(read_only)
        self.note.setPalette(palette)
        choices: list[QWidget] = [*inner.findChildren(QComboBox), *inner.findChildren(QCheckBox)]
        for choice in choices:
            choice.setEnabled(not read_only)
        self.languages.setEnabled(not read_only)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def field_label(self, key: str) -> str:
        return self._labels.get(key, key)


def _letter_vocab() -> Vocabulary:
    langs = vocabulary("languages")
    return Vocabulary("letter_languages", [t for code in letter_languages() if (t := langs.term(code))])
