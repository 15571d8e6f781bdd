"""Recovery when the database cannot be opened: list backups without an open store, put the damaged
file aside (never written to, never deleted), and restore a chosen backup in its place."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from bildungskoordination.privacy.backup_restore import BackupError, check_backup, is_plain, restore_backup
from bildungskoordination.privacy.backups import DEFAULT_FOLDER_NAME, BackupInfo, parse_backup_name
from bildungskoordination.store import crypto
from bildungskoordination.store.files import fsync_dir


def default_backup_folder(db_path: Path) -> Path:
    return db_path.parent / DEFAULT_FOLDER_NAME


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """Backups of ``db_path`` in ``folder`` (default: beside it), newest first; a missing folder is empty."""
    folder = folder or default_backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = parse_backup_name(path.name, db_path.stem)
        if parsed is None:
            continue
        try:
            found.append(BackupInfo(path, parsed[0], parsed[1], path.stat().st_size, not is_plain(path)))
        except OSError:
            continue
    return sorted(found, key=lambda i: (i.created, i.path.name), reverse=True)


def backup_key(info: BackupInfo, passphrase: str | None) -> bytes | None:
    """The key that opens a backup, from its own key file and the passphrase that was valid then."""
    if not info.encrypted:
        return None
    params = crypto.load_params(info.path)
    if params is None:
        raise BackupError(f"Zur Sicherung {info.path.name} fehlt die Schlüsseldatei {info.key_file.name}.")
    if passphrase is None:
        raise BackupError(f"Die Sicherung {info.path.name} ist verschlüsselt: Passphrase nötig.")
    return crypto.derive_key(passphrase, params)


def set_aside(db_path: Path) -> Path | None:
    """Copy the damaged database and its journal files to ``<db>.beschädigt-<time>`` (for later rescue)."""
    if not db_path.exists():
        return None
    stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    aside = db_path.with_name(f"{db_path.name}.beschädigt-{stamp}")
    aside.mkdir(mode=0o700)
    for name in (db_path.name, db_path.name + "-wal", db_path.name + "-shm"):
        source = db_path.with_name(name)
        if source.is_file():
            shutil.copy2(source, aside / name)
    fsync_dir(aside)
    return aside


def recover_from_backup(info: BackupInfo, db_path: Path, passphrase: str | None) -> Path | None:
    """Check the backup, keep a copy of the damaged files, then put the backup in place.

    Returns where the damaged files were kept. Raises BackupError (nothing changed) if the backup is bad.
    """
    key = backup_key(info, passphrase)
    check_backup(info.path, key)
    aside = set_aside(db_path)
    if key is not None and not crypto.key_file_for(db_path).exists():
        # restore_backup takes the backup's key file along when it differs; with none at all, copy it.
        shutil.copy2(crypto.key_file_for(info.path), crypto.key_file_for(db_path))
    restore_backup(info.path, db_path, key)
    return aside
