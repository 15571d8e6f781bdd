"""Einstellungen: UI language (takes effect at the next start, like most desktop programs)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from bildungskoordination.gui import settings
from bildungskoordination.i18n import UI_LANGUAGES, _


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Einstellungen"))
        form = QFormLayout(self)
        self.language = QComboBox()
        for code, name in UI_LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(settings.ui_language()), 0))
        self.language.setAccessibleName(_("Sprache der Oberfläche"))
        label = QLabel(_("&Sprache der Oberfläche"))
        label.setBuddy(self.language)
        form.addRow(label, self.language)
        form.addRow(QLabel(_("Die Sprache wechselt beim nächsten Start.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        settings.set_ui_language(str(self.language.currentData()))
        super().accept()
