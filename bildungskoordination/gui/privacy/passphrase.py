"""Passphrase dialogs: unlock an existing database, change its passphrase (a new one: gui/first_start.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
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
from bildungskoordination.services import (
    MIN_PASSPHRASE_LENGTH,
    Services,
    StoreError,
    WrongPassphrase,
    passphrase_strength,
)


def _secret_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


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


class ChangePassphraseDialog(QDialog):
    """Datei → Passphrase ändern …: the old one, the new one twice; the same rules as everywhere (10 characters).
    The change itself is Services.change_passphrase (crash-safe rekey, erasure ledger re-signed)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Passphrase ändern"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Die Datenbank wird mit der neuen Passphrase neu verschlüsselt. Sicherungen von vorher "
                         "öffnen sich weiter mit der bisherigen Passphrase."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.old = _secret_field(_("Bisherige Passphrase"))
        self.first = _secret_field(_("Neue Passphrase"))
        self.second = _secret_field(_("Neue Passphrase wiederholen"))
        self.strength = QLabel(_("noch leer"))
        for text, field in ((_("&Bisherige Passphrase"), self.old), (_("&Neue Passphrase"), self.first),
                            (_("Neue &wiederholen"), self.second)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow(_("Stärke"), self.strength)
        layout.addLayout(form)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Passphrase ä&ndern"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.first.textChanged.connect(self._on_first_text_changed)

    def _on_first_text_changed(self, text: str) -> None:
        _score, hint = passphrase_strength(text)
        self.strength.setText(_(hint) if text else _("noch leer"))

    def _on_buttons_accepted(self) -> None:
        new = self.first.text()
        if len(new.strip()) < MIN_PASSPHRASE_LENGTH:
            self._refuse(_("Die neue Passphrase braucht mindestens {n} Zeichen.").format(n=MIN_PASSPHRASE_LENGTH),
                         self.first)
            return
        if new != self.second.text():
            self._refuse(_("Die beiden Eingaben der neuen Passphrase stimmen nicht überein."), self.second)
            return
        if new == self.old.text():
            self._refuse(_("Die neue Passphrase ist die bisherige."), self.first)
            return
        try:
            self._services.change_passphrase(self.old.text(), new)
        except WrongPassphrase:
            self._refuse(_("Die bisherige Passphrase ist falsch."), self.old)
            return
        except StoreError as exc:
            self._refuse(str(exc), self.old)
            return
        self.accept()

    def _refuse(self, message: str, field: QLineEdit) -> None:
        self.error.show_message(message)
        field.selectAll()
        field.setFocus()
