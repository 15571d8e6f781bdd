"""The connection profile of a team database (PostgreSQL): server, database, user, TLS – kept on this computer
(QSettings ``team/url``, never a password); the password comes from the OS keyring (``keyring``), else it is asked.

TLS: with "Server-Zertifikat prüfen" the URL carries ``sslmode=verify-full`` and the CA file IT hands out
(``sslrootcert``); libpq then refuses a server whose certificate does not match its host name.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination import APP_NAME
from bildungskoordination.gui import settings
from bildungskoordination.gui.team_profile import Profile, saved_profile  # noqa: F401 – re-exported
from bildungskoordination.i18n import _
from bildungskoordination.services import LoginRefused, Services

KEYRING_SERVICE = "Bildungskoordination Teamdatenbank"
PASSWORD_ENV = "BILDUNGSKOORDINATION_DB_PASSWORD"


def keyring_password(account: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, account)
    except Exception:  # noqa: BLE001 – no keyring backend on this system: the password is asked
        return None


def store_in_keyring(account: str, password: str) -> bool:
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, account, password)
        return True
    except Exception:  # noqa: BLE001
        return False


def open_team_database(url: str, parent: QWidget | None = None) -> Services:
    """Open the team database at ``url``: the password from the environment or the keyring, else asked (again
    after a refused login). Raises Cancelled when the user gives up."""
    from bildungskoordination.gui.opening import Cancelled

    profile = Profile.from_url(url)
    password = os.environ.get(PASSWORD_ENV) or keyring_password(profile.account())
    while True:
        try:
            services = Services.open_server(url, password=password)
        except LoginRefused as exc:
            if password is not None:
                QMessageBox.warning(parent, APP_NAME, str(exc))
            password, ok = QInputDialog.getText(
                parent, _("Teamdatenbank"), _("Passwort für {account}:").format(account=profile.account()),
                QLineEdit.EchoMode.Password)
            if not ok:
                raise Cancelled() from None
            continue
        if password and keyring_password(profile.account()) != password:
            store_in_keyring(profile.account(), password)
        return services


class ConnectionDialog(QDialog):
    """Datei → Teamdatenbank …: the profile for the next start (or back to the own database file)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Teamdatenbank"))
        url = settings.value("team/url", "")
        profile = Profile.from_url(str(url)) if url else Profile()
        self.use = QCheckBox(_("Beim Start mit der Teamdatenbank verbinden (sonst: eigene Datenbankdatei)"))
        self.use.setChecked(saved_profile() is not None)
        self.host = QLineEdit(profile.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(profile.port)
        self.database = QLineEdit(profile.database)
        self.user = QLineEdit(profile.user)
        self.verify = QCheckBox(_("Server-Zertifikat prüfen (TLS, sslmode=verify-full)"))
        self.verify.setChecked(profile.verify_tls)
        self.ca_file = QLineEdit(profile.ca_file)
        self.ca_file.setPlaceholderText(_("Zertifikat der Zertifizierungsstelle (von der IT), z. B. C:\\IT\\ca.pem"))
        form = QFormLayout()
        form.addRow(_("&Server:"), self.host)
        form.addRow(_("&Port:"), self.port)
        form.addRow(_("&Datenbank:"), self.database)
        form.addRow(_("&Benutzer:"), self.user)
        form.addRow("", self.verify)
        form.addRow(_("&CA-Datei:"), self.ca_file)
        note = QLabel(_("Das Passwort wird beim Verbinden gefragt und im Schlüsselbund des Systems gespeichert. "
                        "Die Änderung gilt ab dem nächsten Start."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.use)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def profile(self) -> Profile:
        return Profile(host=self.host.text().strip(), port=self.port.value(), database=self.database.text().strip(),
                       user=self.user.text().strip(), verify_tls=self.verify.isChecked(),
                       ca_file=self.ca_file.text().strip())

    def _on_accept(self) -> None:
        profile = self.profile()
        if self.use.isChecked() and not (profile.host and profile.database and profile.user):
            QMessageBox.warning(self, _("Teamdatenbank"), _("Server, Datenbank und Benutzer angeben."))
            return
        if profile.host and profile.database and profile.user:
            settings.set_value("team/url", profile.url())
        settings.set_value("team/use", self.use.isChecked())
        self.accept()
