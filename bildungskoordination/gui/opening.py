"""Opening the user's database with the dialogs a person needs: first-start wizard, unlock, recovery."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from bildungskoordination import APP_NAME
from bildungskoordination.domain.machine_config import (
    MachineConfig,
    MachineConfigError,
    expand_folder,
    load_machine_config,
)
from bildungskoordination.gui import settings
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
    is_new = not read_only and (not path.exists() or path.stat().st_size == 0)
    try:
        services = Services.open(path, passphrase=passphrase, read_only=read_only, verify=verify)
    except PassphraseRequired:
        pass
    except WrongPassphrase:
        if passphrase is None:
            raise
    else:
        if is_new:  # created with BILDUNGSKOORDINATION_PASSPHRASE, without the wizard: IT's values all the same
            config = _machine_config()
            services.apply_first_start(district=config.district, letterhead=config.letterhead, config=config)
            apply_machine_settings(config, expand_folder(config.backup_folder),
                                   default_backup=path.parent / "Sicherungen")
        return services
    if not read_only and (not path.exists() or path.stat().st_size == 0):
        return _first_start(path)
    from bildungskoordination.gui.privacy.passphrase import UnlockDialog  # the dialogs only when needed

    unlock = UnlockDialog(str(path), title=title)
    while unlock.exec() == QDialog.DialogCode.Accepted:
        try:
            return Services.open(path, passphrase=unlock.passphrase(), read_only=read_only, verify=verify)
        except WrongPassphrase:
            unlock.show_wrong()
    raise Cancelled()


def _machine_config() -> MachineConfig:
    """IT's machine-wide file; a broken one is named (file, line, key) and nothing of it is used."""
    try:
        return load_machine_config()
    except MachineConfigError as exc:
        QMessageBox.warning(None, APP_NAME, _("{error}\n\nNichts aus dieser Datei wird übernommen; bitte der IT "
                                              "melden.").format(error=exc))
        return MachineConfig()


def _first_start(path: Path) -> Services:
    """A new database: the first-start wizard (prefilled from the machine configuration), then open and store
    its choices (database: district, letterhead, periods; this computer: backup folder, lock time)."""
    config = _machine_config()
    from bildungskoordination.gui.first_start import FirstStartWizard

    wizard = FirstStartWizard(path, config)
    if wizard.exec() != QDialog.DialogCode.Accepted:
        raise Cancelled()
    choices = wizard.choices()
    services = Services.open(path, passphrase=choices.passphrase, unencrypted=choices.passphrase is None)
    try:
        services.apply_first_start(district=choices.district, letterhead=choices.letterhead, config=config)
    except Exception as exc:  # noqa: BLE001 – the database is usable; say what was not kept
        QMessageBox.warning(None, APP_NAME, _("Die Angaben zu Kreis und Briefkopf wurden nicht gespeichert: "
                                              "{error}").format(error=exc))
    apply_machine_settings(config, choices.backup_folder, default_backup=path.parent / "Sicherungen")
    return services


def apply_machine_settings(config: MachineConfig, backup_folder: str, *, default_backup: Path) -> None:
    """What belongs to this computer and account (QSettings): the backup folder if not the default one next to
    the database, the lock time if IT set one."""
    if backup_folder and Path(backup_folder) != default_backup:
        settings.set_backup_folder(backup_folder)
    if config.lock_minutes is not None:
        settings.set_lock_minutes(config.lock_minutes)


def recover(path: Path, problem: DatabaseDamaged) -> Services:
    """The recovery dialog for a damaged database (found at the start, or later by the background check):
    restore a backup or open read-only; ``Cancelled`` when the user quits."""
    folder = settings.backup_folder()
    from bildungskoordination.gui.privacy.recovery import RecoveryDialog

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
