"""Passphrase dialogs: choose one for a new database, unlock an existing one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.gui.widgets import FieldError
from bildungskoordination.i18n import _
from bildungskoordination.services import MIN_PASSPHRASE_LENGTH, passphrase_strength


def _secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class NewPassphraseDialog(QDialog):
    """First start: a passphrase for the new encrypted database (or, visibly, none)."""

    def __init__(self, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Neue Datenbank schützen"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Die Datenbank {path} wird neu angelegt und verschlüsselt. Wählen Sie eine Passphrase – "
                         "am besten einen Satz oder vier zufällige Wörter. Ohne sie sind die Daten nicht zu "
                         "öffnen; sie kann nicht wiederhergestellt werden.").format(path=path))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.first = _secret_field(_("Passphrase"))
        self.second = _secret_field(_("Passphrase wiederholen"))
        self.strength = QLabel()
        self.error = FieldError()
        label1, label2 = QLabel(_("&Passphrase")), QLabel(_("&Wiederholen"))
        label1.setBuddy(self.first)
        label2.setBuddy(self.second)
        form.addRow(label1, self.first)
        form.addRow(label2, self.second)
        form.addRow(_("Stärke"), self.strength)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.unencrypted = QCheckBox(_("&Ohne Verschlüsselung anlegen (nicht empfohlen: ein verlorener Laptop "
                                       "gibt dann alle Daten preis)"))
        layout.addWidget(self.unencrypted)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.first.textChanged.connect(self._on_first_text_changed)
        self.unencrypted.toggled.connect(self._on_unencrypted_toggled)
        self._on_first_text_changed("")

    def passphrase(self) -> str | None:
        return None if self.unencrypted.isChecked() else self.first.text()

    def _on_first_text_changed(self, text: str) -> None:
        score, hint = passphrase_strength(text)
        self.strength.setText(_(hint) if text else _("noch leer"))

    def _on_unencrypted_toggled(self, checked: bool) -> None:
        self.first.setEnabled(not checked)
        self.second.setEnabled(not checked)

    def _on_buttons_accepted(self) -> None:
        if self.unencrypted.isChecked():
            self.accept()
            return
        text = self.first.text()
        if len(text) < MIN_PASSPHRASE_LENGTH:
            self.error.show_message(_("Mindestens {n} Zeichen.").format(n=MIN_PASSPHRASE_LENGTH))
            return
        if text != self.second.text():
            self.error.show_message(_("Die beiden Eingaben stimmen nicht überein."))
            return
        self.accept()


class UnlockDialog(QDialog):
    """Every start (and after the screen lock): the passphrase; a wrong one says exactly that."""

    def __init__(self, path: str, parent: QWidget | None = None, *, title: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or _("Bildungskoordination entsperren"))
        layout = QVBoxLayout(self)
        info = QLabel(_("Passphrase für {path}").format(path=path))
        info.setWordWrap(True)
        layout.addWidget(info)
        self.field = _secret_field(_("Passphrase"))
        layout.addWidget(self.field)
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def passphrase(self) -> str:
        return self.field.text()

    def show_wrong(self) -> None:
        self.error.show_message(_("Passphrase falsch"))
        self.field.selectAll()
        self.field.setFocus()
