"""Opening the user's database with the dialogs a person needs: new passphrase, unlock, recovery."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from bildungskoordination import APP_NAME
from bildungskoordination.gui import settings
from bildungskoordination.gui.privacy.passphrase import NewPassphraseDialog, UnlockDialog
from bildungskoordination.gui.privacy.recovery import RecoveryDialog
from bildungskoordination.i18n import _
from bildungskoordination.services import (
    AlreadyOpen,
    DatabaseDamaged,
    PassphraseRequired,
    Services,
    WrongPassphrase,
    env_passphrase,
)


class Cancelled(Exception):
    """The user closed a dialog instead of opening the database: quit quietly."""


def open_user_database(path: Path, *, title: str | None = None) -> Services:
    """Open ``path``, asking for what is needed, until it opens or the user gives up (``Cancelled``)."""
    try:
        services = _unlock(path, title=title)
    except AlreadyOpen as exc:
        QMessageBox.warning(None, APP_NAME, str(exc))
        raise Cancelled() from None
    except DatabaseDamaged as exc:
        return recover(path, exc)
    _apply_backup_folder(services)
    _show_warnings(services)
    return services


def _show_warnings(services: Services) -> None:
    """What the start found and refused (e.g. a forged erasure-ledger line): never only in a log."""
    for warning in services.warnings:
        QMessageBox.warning(None, APP_NAME, warning)


def _unlock(path: Path, *, title: str | None = None, read_only: bool = False, verify: bool = True) -> Services:
    passphrase = env_passphrase()
    try:
        return Services.open(path, passphrase=passphrase, read_only=read_only, verify=verify)
    except PassphraseRequired:
        pass
    except WrongPassphrase:
        if passphrase is None:
            raise
    if not read_only and (not path.exists() or path.stat().st_size == 0):
        new = NewPassphraseDialog(str(path))
        if new.exec() != QDialog.DialogCode.Accepted:
            raise Cancelled()
        chosen = new.passphrase()
        return Services.open(path, passphrase=chosen, unencrypted=chosen is None)
    unlock = UnlockDialog(str(path), title=title)
    while unlock.exec() == QDialog.DialogCode.Accepted:
        try:
            return Services.open(path, passphrase=unlock.passphrase(), read_only=read_only, verify=verify)
        except WrongPassphrase:
            unlock.show_wrong()
    raise Cancelled()


def recover(path: Path, problem: DatabaseDamaged) -> Services:
    """The recovery dialog for a damaged database (found at the start, or later by the background check):
    restore a backup or open read-only; ``Cancelled`` when the user quits."""
    folder = settings.backup_folder()
    dialog = RecoveryDialog(path, problem.detail, Path(folder) if folder else None)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        raise Cancelled()
    if dialog.choice == "restored":
        services = _unlock(path, title=_("Passphrase der zurückgespielten Sicherung"))
        _apply_backup_folder(services)
        _show_warnings(services)
        return services
    try:
        return _unlock(path, read_only=True, verify=False)
    except DatabaseDamaged as exc:
        QMessageBox.critical(None, APP_NAME, _("Die Datenbank ist auch schreibgeschützt nicht lesbar:\n{error}")
                             .format(error=exc))
        raise Cancelled() from None


def _apply_backup_folder(services: Services) -> None:
    folder = settings.backup_folder()
    if folder and services.backups is not None:
        services.backups.folder = Path(folder)
