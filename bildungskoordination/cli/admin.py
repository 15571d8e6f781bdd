"""Commands for the installation: change-passphrase, check-config."""

from __future__ import annotations

import argparse
import sys

from bildungskoordination.cli.common import EXIT_OK, _CliError, _db_path


def _cmd_change_passphrase(args: argparse.Namespace) -> int:
    """Rekey the database (Services.change_passphrase: crash-safe, the erasure ledger re-signed)."""
    import getpass
    import os

    from bildungskoordination.i18n import _
    from bildungskoordination.services import Services, WrongPassphrase
    from bildungskoordination.store import crypto

    path = _db_path(args)
    if isinstance(path, str):
        raise _CliError(_("Eine Teamdatenbank verschlüsselt der Server; ihr Passwort ändert die IT."))
    if not path.exists():
        raise _CliError(_("Die Datenbank {path} gibt es nicht (Tippfehler in --db?).").format(path=path))
    interactive = bool(sys.stdin and sys.stdin.isatty())
    old = crypto.env_passphrase()
    if old is None:
        if not interactive:
            raise _CliError(_("Bisherige Passphrase fehlt: BILDUNGSKOORDINATION_PASSPHRASE setzen oder im Terminal "
                              "aufrufen."))
        old = getpass.getpass(_("Bisherige Passphrase: "))
    new = os.environ.get("BILDUNGSKOORDINATION_NEW_PASSPHRASE") or None
    if new is None:
        if not interactive:
            raise _CliError(_("Neue Passphrase fehlt: BILDUNGSKOORDINATION_NEW_PASSPHRASE setzen oder im Terminal "
                              "aufrufen."))
        new = getpass.getpass(_("Neue Passphrase: "))
        crypto.check_new_passphrase(new)
        if getpass.getpass(_("Neue Passphrase wiederholen: ")) != new:
            raise _CliError(_("Die beiden Eingaben stimmen nicht überein."))
    crypto.check_new_passphrase(new)
    try:
        services = Services.open(path, passphrase=old)
    except WrongPassphrase:
        raise _CliError(_("Passphrase falsch")) from None
    try:
        if not services.encrypted:
            raise _CliError(_("Diese Datenbank ist nicht verschlüsselt."))
        services.change_passphrase(old, new)
    finally:
        services.close()
    print(_("Passphrase geändert. Ältere Sicherungen öffnen sich weiter mit der bisherigen Passphrase."))
    return EXIT_OK


def _cmd_check_config(args: argparse.Namespace) -> int:
    """For IT: is the machine-wide file valid, and what will the first start take from it?"""
    from bildungskoordination.domain.machine_config import MachineConfigError, load_machine_config, system_config_path

    path = args.file or system_config_path()
    if not path.exists():
        raise _CliError(f"{path}: keine Datei (ohne sie gelten die Vorgaben der Anwendung)")
    try:
        config = load_machine_config(path)
    except MachineConfigError as exc:
        raise _CliError(str(exc)) from None
    print(f"{path}: in Ordnung")
    for key, value in (("district", config.district), ("backup_folder", config.backup_folder),
                       ("lock_minutes", config.lock_minutes), ("audit_keep_days", config.audit_keep_days),
                       *((f"letterhead.{k}", v) for k, v in config.letterhead.items()),
                       *((f"retention.{rule}.{unit}", n) for rule, units in config.retention.items()
                         for unit, n in units.items())):
        if value not in ("", None):
            print(f"  {key} = {value}")
    return EXIT_OK
