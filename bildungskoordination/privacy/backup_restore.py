"""Checking a backup file and putting one back in place of the (closed) database. No Qt.

Split from ``privacy.backups`` (which re-exports everything here) to keep each module small: this part
works on files only and needs no open ``Store``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bildungskoordination.privacy.ledger import SIDECAR_SUFFIX, resign_sidecar
from bildungskoordination.store import crypto
from bildungskoordination.store.engine import SQLITE_HEADER
from bildungskoordination.store.errors import AlreadyOpen, StoreError
from bildungskoordination.store.files import atomic_write_bytes, fsync_dir, sqlite_uri
from bildungskoordination.store.lock import InstanceLock
from bildungskoordination.store.migrate import copy_database
from bildungskoordination.store.oserrors import os_reason


class BackupError(StoreError):
    """A backup could not be taken, checked or restored; worded for the user (German)."""


class BackupPassphraseRequired(BackupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Die Sicherung {name} wurde mit einer früheren Passphrase verschlüsselt. "
                         "Bitte die Passphrase eingeben, die damals galt.")


def check_backup(path: Path, key: bytes | None) -> None:
    """Open ``path`` read-only (with ``key`` if it is encrypted) and run ``integrity_check``."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BackupError(f"Die Sicherung {name} ist nicht lesbar ({describe_error(exc)}).") from exc
    if size < 512 or size % 512:
        raise BackupError(f"Die Sicherung {name} ist unvollständig: {size} Bytes passen nicht zu einer Datenbank "
                          "(abgeschnitten?).")
    plain = is_plain(path)
    if not plain and key is None:
        raise BackupError(f"Die Sicherung {name} ist verschlüsselt (oder keine Datenbank); zum Prüfen ist die "
                          "Passphrase nötig.")
    try:
        if plain:
            conn = sqlite3.connect(sqlite_uri(path, "ro"), uri=True)
        else:
            assert key is not None
            conn = crypto.connect_encrypted(path, key, read_only=True)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except crypto.WrongPassphrase as exc:
        raise BackupError(f"Die Sicherung {name} lässt sich mit dieser Passphrase nicht öffnen "
                          "(falsche Passphrase oder beschädigte Datei).") from exc
    except Exception as exc:  # sqlite3 and sqlcipher3 errors share no base class
        raise BackupError(f"Die Sicherung {name} ist beschädigt ({describe_error(exc)}).") from exc
    if result != ["ok"]:
        raise BackupError(f"Die Sicherung {name} ist beschädigt ({'; '.join(result[:2])}).")


def restore_backup(backup_path: Path, db_path: Path, key: bytes | None, *,
                   live_key: bytes | None = None) -> None:
    """Replace the CLOSED database ``db_path`` by the backup; ``key`` opens the backup (None: plain),
    ``live_key`` the database being replaced (default: ``key``).

    Order, and why:
    1. check the backup and take the instance lock (fails if the database is still open anywhere);
    2. copy it with the backup API to ``<db>.restore`` (via ``.restore.part``), integrity-checked, fsynced
       — until here the live files are untouched; the live database's erasure ledger (if it can be read)
       is merged into the copy, so the union of both ledgers and the side file is applied at the next open;
    3. if the backup's key file differs (a passphrase change since), stage it as the pending key file
       ``<db>.key.json.neu``: should we crash after step 5, ``Services.open`` finds the new database does
       not open with the old key file and finishes with the pending one, as after an interrupted rekey;
    4. delete ``-wal``/``-shm``/``-journal`` and fsync the folder BEFORE the rename: they belong to the old
       content, and SQLite would replay a stale WAL's frames into the restored file and corrupt it. A crash
       between 4 and 5 leaves the old file alone, consistent as of its last checkpoint (``close`` has
       checkpointed; the "vor-wiederherstellung" backup holds everything anyway);
    5. atomically rename over the database, fsync the folder; 6. move the pending key file into place.
    """
    backup_key, db_key = crypto.key_file_for(backup_path), crypto.key_file_for(db_path)
    refuse_downgrade(db_path, key)
    if key is not None and not backup_key.is_file() and not db_key.is_file():
        raise BackupError(f"Zur Sicherung {backup_path.name} fehlt die Schlüsseldatei {backup_key.name}.")
    check_backup(backup_path, key)
    try:
        lock = InstanceLock(db_path).acquire()
    except AlreadyOpen as exc:
        raise BackupError("Die Datenbank ist noch geöffnet; sie muss vor dem Zurückspielen geschlossen werden. "
                          "Es wurde nichts verändert.") from exc
    staged = db_path.with_name(db_path.name + ".restore")
    pending = crypto.pending_key_file_for(db_path)
    done = False
    try:
        live = _read_live(db_path, live_key, key)
        try:
            copy_database(backup_path, staged, key=key)
            if live.highest_id:
                _keep_ids_above(staged, key, live.highest_id)
            if live.erasures:
                _merge_ledger(staged, key, live.erasures)
        except Exception as exc:
            remove_files(staged.with_name(staged.name + ".part"), staged)
            raise BackupError(f"Die Sicherung {backup_path.name} ließ sich nicht zurückspielen "
                              f"({describe_error(exc)}). Die Datenbank ist unverändert.") from exc
        new_key_file = backup_key.read_bytes() if key is not None and backup_key.is_file() else None
        if new_key_file is not None and (not db_key.is_file() or db_key.read_bytes() != new_key_file):
            atomic_write_bytes(pending, new_key_file)
        else:
            pending.unlink(missing_ok=True)  # a stale one from the old database must not be applied
        for suffix in ("-wal", "-shm", "-journal"):
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
        fsync_dir(db_path.parent)
        os.replace(staged, db_path)
        fsync_dir(db_path.parent)
        if pending.exists():
            pending.replace(db_key)
            fsync_dir(db_path.parent)
        if live.key_used is not None or key is not None:
            resign_sidecar(db_path.with_name(db_path.name + SIDECAR_SUFFIX), live.key_used, key)
        # Logged at the next open (Services.open): the restore removed the log entries made after the backup.
        atomic_write_bytes(restored_marker_for(db_path), json.dumps(
            {"backup": backup_path.name, "at": datetime.now().replace(microsecond=0).isoformat()}).encode())
        done = True
    finally:
        # A restored file has its own (lower) commit counter: after a restore the record starts afresh.
        lock.commits = None if done else lock.previous_commits
        lock.release(clean=done or not lock.previous_session_unclean)


def restored_marker_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wiederhergestellt")


@dataclass
class _Live:
    highest_id: int | None = None
    erasures: list[tuple[int, str]] = field(default_factory=list)
    key_used: bytes | None = None


def _read_live(db_path: Path, live_key: bytes | None, key: bytes | None) -> _Live:
    """What the live database knows that a restore must keep: the highest person id it ever issued
    (AUTOINCREMENT's sqlite_sequence – otherwise ids issued after the backup would be issued again, and the
    erasure ledger, keyed by id, could erase a person who was never erased) and its erasure ledger."""
    if not db_path.exists():
        return _Live()
    for candidate in dict.fromkeys([live_key if live_key is not None else key, key]):
        try:
            conn = (sqlite3.connect(sqlite_uri(db_path, "ro"), uri=True) if candidate is None or is_plain(db_path)
                    else crypto.connect_encrypted(db_path, candidate, read_only=True))
            try:
                row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'person'").fetchone()
                erasures = [(int(r[0]), str(r[1])) for r in
                            conn.execute("SELECT person_id, erased_at FROM erasure_ledger").fetchall()]
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 – damaged or another key: the side file still applies
            continue
        return _Live(int(row[0]) if row and row[0] else None, erasures, candidate)
    return _Live()


def _merge_ledger(staged: Path, key: bytes | None, erasures: list[tuple[int, str]]) -> None:
    conn = (sqlite3.connect(str(staged)) if key is None else crypto.connect_encrypted(staged, key))
    try:
        known = {r[0] for r in conn.execute("SELECT person_id FROM erasure_ledger").fetchall()}
        conn.executemany("INSERT INTO erasure_ledger (person_id, erased_at) VALUES (?, ?)",
                         [(pid, at) for pid, at in erasures if pid not in known])
        conn.commit()
    finally:
        conn.close()


def _keep_ids_above(staged: Path, key: bytes | None, highest: int) -> None:
    conn = (sqlite3.connect(str(staged)) if key is None else crypto.connect_encrypted(staged, key))
    try:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'person' AND seq < ?", (highest, highest))
        if conn.execute("SELECT count(*) FROM sqlite_sequence WHERE name = 'person'").fetchone()[0] == 0:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('person', ?)", (highest,))
        conn.commit()
    finally:
        conn.close()


def refuse_downgrade(db_path: Path, key: bytes | None) -> None:
    if key is None and crypto.key_file_for(db_path).exists():
        raise BackupError("Eine unverschlüsselte Sicherung kann nicht über eine verschlüsselte Datenbank "
                          "zurückgespielt werden: die Daten lägen danach unverschlüsselt auf dem Datenträger.")


def is_plain(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def remove_files(*paths: Path, strict: bool = False) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            if strict:
                raise


def describe_error(exc: BaseException) -> str:
    """A short German reason for the error, the technical text when there is no better one."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    text = (str(exc).splitlines() or [type(exc).__name__])[0]
    low = text.lower()
    if isinstance(exc, FileNotFoundError) or "no such file" in low:
        return "Ordner oder Datei nicht gefunden"
    if isinstance(exc, (NotADirectoryError, FileExistsError)) or "not a directory" in low:
        return "der Pfad ist kein Ordner"
    if isinstance(exc, PermissionError) or "permission" in low or "readonly" in low or "read-only" in low:
        return "keine Schreibrechte"
    if "disk is full" in low or "no space" in low:
        return "der Datenträger ist voll"
    if "unable to open" in low:
        return "Datei lässt sich dort nicht anlegen oder öffnen"
    return text
