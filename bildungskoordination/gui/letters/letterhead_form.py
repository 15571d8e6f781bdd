"""The letterhead of every letter (office, address, contact, logo): a form over the Letterhead settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.save_target import LOGO, remember_folder, start_folder
from bildungskoordination.gui.widgets import FieldError, with_error
from bildungskoordination.i18n import N_, _
from bildungskoordination.letters.content import Letterhead

# Field → label (with its mnemonic); the order is the order on the letter.
FIELD_LABELS: dict[str, str] = {
    "office": N_("&Behörde"),
    "department": N_("&Abteilung"),
    "street": N_("S&traße"),
    "postcode_city": N_("&PLZ und Ort"),
    "phone": N_("T&elefon"),
    "email": N_("E-&Mail"),
    "office_hours": N_("Sprech&zeiten"),
    "coordinator": N_("A&nsprechperson"),
    "logo": N_("L&ogo (PNG oder JPG)"),
}


class LetterheadForm(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._letters = ctx.services.letters
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldError] = {}
        for name in (f.name for f in dataclasses.fields(Letterhead)):
            edit = QLineEdit()
            edit.setAccessibleName(_(FIELD_LABELS[name]).replace("&", ""))
            self.fields[name] = edit
            self.errors[name] = FieldError()
            label = QLabel(_(FIELD_LABELS[name]))
            label.setBuddy(edit)
            field: QWidget = edit
            if name == "logo":
                edit.setPlaceholderText(_("kein Logo"))
                self.logo_button = QPushButton(_("Logo &wählen …"))
                self.logo_button.clicked.connect(self._on_logo_button_clicked)
                field = QWidget()
                row = QHBoxLayout(field)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(edit, 1)
                row.addWidget(self.logo_button)
            form.addRow(label, with_error(field, self.errors[name]))
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.status = QLabel()
        buttons.addWidget(self.status, 1)
        self.save_button = QPushButton(_("Briefkopf &speichern"))
        self.save_button.setEnabled(not ctx.services.store.read_only)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        head = self._letters.letterhead()
        for name, edit in self.fields.items():
            edit.setText(getattr(head, name))
            self.errors[name].show_message("")
        self.status.setText("")

    def letterhead(self) -> Letterhead:
        return Letterhead(**{name: edit.text().strip() for name, edit in self.fields.items()})

    def _on_logo_button_clicked(self) -> None:
        current = self.fields["logo"].text().strip()
        path, _filter = QFileDialog.getOpenFileName(self, _("Logo für den Briefkopf wählen"),
                                                    current or str(start_folder(LOGO)), _("Bilder (*.png *.jpg *.jpeg)"))
        if path:
            remember_folder(LOGO, Path(path).parent)
            self.fields["logo"].setText(path)

    def _on_save_button_clicked(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        try:
            self._letters.set_letterhead(self.letterhead())
        except ValidationError as exc:
            for e in exc.errors:
                self.errors.get(e.field, self.errors["office"]).show_message(e.message)
            self.status.setText(_("Nicht gespeichert."))
            return
        self.status.setText(_("Gespeichert."))
