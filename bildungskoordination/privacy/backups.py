"""Verified, rotated backups of the database and a restore that works on closed files. No Qt.

A backup is a copy made with SQLite's online backup API (``store.migrate.copy_database``: consistent even
while the app writes, encrypted with the live key, checked, fsynced, renamed into place), then opened
again read-only and checked a second time. Encrypted backups carry a copy of the key file (salt and KDF
parameters, not secret), so one backup file plus the passphrase of its day is enough to open it.

Names are ``<db stem>-YYYY-MM-DDTHH-MM-SS-<reason>.sqlite3`` in local time: sortable, free of personal
data, and the stem keeps backups of different databases apart when they share a folder (a USB stick).

Restore (the caller wires it): ``BackupManager.restore`` checks the chosen backup, takes a
"vor-wiederherstellung" backup of the live database, lets the caller close it, then ``restore_backup``
replaces the closed file. After that the caller reopens ``Services`` and replays the erasure ledger, so
people erased after the backup was taken stay erased.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path

from bildungskoordination.privacy.backup_restore import (
    BackupError,
    BackupPassphraseRequired,
    check_backup,
    describe_error,
    is_plain,
    refuse_downgrade,
    remove_files,
    restore_backup,
)
from bildungskoordination.resources import load_toml
from bildungskoordination.store import crypto
from bildungskoordination.store.engine import Store
from bildungskoordination.store.errors import DatabaseDamaged, StoreError, describe_os_error
from bildungskoordination.store.files import atomic_write_bytes
from bildungskoordination.store.integrity import DamageWatch, quick_check
from bildungskoordination.store.migrate import copy_database

__all__ = ["REASONS", "BackupError", "BackupInfo", "BackupManager", "BackupPassphraseRequired", "RotationPolicy",
           "check_backup", "restore_backup", "select_to_keep"]

REASONS = ("start", "ende", "täglich", "vor-migration", "manuell", "vor-wiederherstellung")
DEFAULT_FOLDER_NAME = "Sicherungen"
_STAMP = "%Y-%m-%dT%H-%M-%S"
_SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class RotationPolicy:
    """How many backups ``rotate`` keeps; see resources/privacy/backup.toml for the rule."""

    keep_latest: int = 3
    keep_hours: int = 24
    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    @classmethod
    def from_resources(cls) -> RotationPolicy:
        names = {f.name for f in fields(cls)}
        try:
            data = load_toml("privacy", "backup.toml").get("rotation", {})
            return cls(**{k: int(v) for k, v in data.items() if k in names})
        except (OSError, ValueError, TypeError, AttributeError):  # a damaged resource must not stop the app
            return cls()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # local time, from the file name
    reason: str
    size: int
    encrypted: bool

    @property
    def key_file(self) -> Path:
        return crypto.key_file_for(self.path)


def backup_name(stem: str, created: datetime, reason: str) -> str:
    return f"{stem}-{created.strftime(_STAMP)}-{reason}{_SUFFIX}"


def parse_backup_name(name: str, stem: str) -> tuple[datetime, str] | None:
    """(created, reason) of one of our backup names, None for anything else in the folder."""
    # NFC: macOS file systems may hand back "täglich" decomposed.
    name, stem = unicodedata.normalize("NFC", name), unicodedata.normalize("NFC", stem)
    reasons = "|".join(re.escape(r) for r in sorted(REASONS, key=len, reverse=True))
    match = re.fullmatch(rf"{re.escape(stem)}-(\d{{4}}-\d\d-\d\dT\d\d-\d\d-\d\d)-({reasons}){re.escape(_SUFFIX)}", name)
    if match is None:
        return None
    try:
        return datetime.strptime(match[1], _STAMP), match[2]
    except ValueError:
        return None


def select_to_keep(infos: Iterable[BackupInfo], now: datetime, policy: RotationPolicy) -> set[Path]:
    """Grandfather-father-son: the union of the rules in backup.toml. Pure, so it is tested without files.

    Backups dated after ``now`` (a clock that was wrong) count as young and are kept: deleting on the
    word of an untrustworthy clock is the worse mistake.
    """
    ordered = sorted(infos, key=lambda i: (i.created, i.path.name), reverse=True)
    keep = {i.path for i in ordered[:policy.keep_latest]}
    keep |= {i.path for i in ordered if now - i.created < timedelta(hours=policy.keep_hours)}
    today = now.date()
    rules: list[tuple[Callable[[date], object], set[object]]] = [
        (lambda d: d, {today - timedelta(days=n) for n in range(policy.daily)}),
        (_iso_week, {_iso_week(today - timedelta(weeks=n)) for n in range(policy.weekly)}),
        (_month_number, {_month_number(today) - n for n in range(policy.monthly)}),
    ]
    for bucket_of, wanted in rules:
        seen: set[object] = set()
        for info in ordered:  # newest first: the first one met in a bucket is its newest
            bucket = bucket_of(info.created.date())
            if bucket in wanted and bucket not in seen:
                seen.add(bucket)
                keep.add(info.path)
    return keep


def _iso_week(day: date) -> tuple[int, int]:
    return day.isocalendar()[:2]  # (ISO year, week): the first days of January may belong to last year


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1  # consecutive months differ by one, across years too


class BackupManager:
    def __init__(self, store: Store, folder: Path, policy: RotationPolicy) -> None:
        self.store = store
        self.folder = Path(folder)  # settable: the user may choose a USB stick or a network share
        self.policy = policy
        # Every backup reads every page of the live database and checks the copy: damage it finds in the
        # live file is reported here (Services sets it; the GUI offers recovery), not only as a failed backup.
        self.damage: DamageWatch | None = None

    @classmethod
    def for_store(cls, store: Store, folder: Path | None = None,
                  policy: RotationPolicy | None = None) -> BackupManager:
        db = _db_path(store)
        return cls(store, folder or db.parent / DEFAULT_FOLDER_NAME, policy or RotationPolicy.from_resources())

    # --- taking ---------------------------------------------------------------------------------
    def take(self, reason: str, *, now: datetime | None = None) -> BackupInfo:
        """Copy, check, re-open and check again. Raises BackupError; the live database is only read."""
        if reason not in REASONS:
            raise ValueError(f"unknown backup reason {reason!r}")
        db = _db_path(self.store)
        self._ensure_folder()
        created = (now or datetime.now()).replace(microsecond=0)
        target = self.folder / backup_name(db.stem, created, reason)
        while target.exists() or crypto.key_file_for(target).exists():
            # Same second twice: take the next free one, so names stay unique and strictly sortable.
            created += timedelta(seconds=1)
            target = self.folder / backup_name(db.stem, created, reason)
        key_copy = crypto.key_file_for(target)
        try:
            if self.store.key is not None:
                source_key = crypto.key_file_for(db)
                if not source_key.is_file():
                    raise BackupError(f"Die Schlüsseldatei {source_key.name} fehlt; ohne sie wäre die Sicherung "
                                      "nicht mehr zu öffnen. Es wurde keine Sicherung angelegt.")
                # Key file first: no backup ever exists without it (an orphaned key file is harmless).
                atomic_write_bytes(key_copy, source_key.read_bytes())
            copy_database(db, target, key=self.store.key)
        except Exception as exc:
            remove_files(target.with_name(target.name + ".part"), target, key_copy)  # the name was free: all ours
            if isinstance(exc, BackupError):
                raise
            damaged = self._live_damage(db, exc)
            if damaged is not None:
                raise BackupError(f"Keine Sicherung: {damaged}") from exc
            raise BackupError(f"Die Sicherung in den Ordner {self.folder} ist fehlgeschlagen ({describe_error(exc)}). "
                              "Die Datenbank selbst ist unverändert.") from exc
        try:
            check_backup(target, self.store.key)  # independent of the check inside copy_database
        except BackupError as exc:
            remove_files(target, key_copy)
            raise BackupError(f"Die neue Sicherung hat die Prüfung nicht bestanden und wurde gelöscht: {exc}") from exc
        return self._info(target, created, reason)

    def _live_damage(self, db: Path, exc: BaseException) -> DatabaseDamaged | None:
        """After a failed copy that was no disk problem: is the live database itself damaged? (Then the
        copy's failure is the first sign of it; reported to ``damage``.)"""
        if describe_os_error(exc):
            return None
        try:
            quick_check(db, self.store.key)
        except DatabaseDamaged as problem:
            if self.damage is not None:
                self.damage.report(problem)
            return problem
        except Exception:  # noqa: BLE001 – the check itself could not run: the backup error stands
            return None
        return None

    def _ensure_folder(self) -> None:
        folder = self.folder
        try:
            if not folder.is_dir():
                # Only the last level is created: a missing parent usually is an unplugged stick or share,
                # and creating the whole path would quietly put the backups on the internal disk instead.
                folder.mkdir(mode=0o700)
                os.chmod(folder, 0o700) if os.name == "posix" else None
        except OSError as exc:
            raise BackupError(f"Der Sicherungsordner {folder} ist nicht erreichbar ({describe_error(exc)}). Ist der "
                              "USB-Stick eingesteckt bzw. das Netzlaufwerk verbunden? Es wurde nichts gesichert, "
                              "die Datenbank ist unverändert.") from exc

    # --- looking ------------------------------------------------------------------------------
    def list(self) -> builtins.list[BackupInfo]:
        """Our backups in the folder, newest first; other files are ignored. A missing folder is empty."""
        stem = _db_path(self.store).stem
        try:
            names = [p.name for p in self.folder.iterdir()] if self.folder.is_dir() else []
        except OSError as exc:
            raise BackupError(f"Der Sicherungsordner {self.folder} ist nicht lesbar ({describe_error(exc)}).") from exc
        found = []
        for name in names:
            parsed = parse_backup_name(name, stem)
            if parsed is not None:
                try:
                    found.append(self._info(self.folder / name, *parsed))
                except OSError:
                    continue  # vanished or unreadable between listing and stat: not a usable backup
        return sorted(found, key=lambda i: (i.created, i.path.name), reverse=True)

    def _info(self, path: Path, created: datetime, reason: str) -> BackupInfo:
        return BackupInfo(path, created, reason, path.stat().st_size, not is_plain(path))

    def due_daily(self, now: datetime | None = None) -> bool:
        """True when no backup (of any reason) was taken in the 24 hours before ``now``."""
        now = now or datetime.now()
        try:
            infos = self.list()
        except BackupError:
            return True  # the backup attempt will then say clearly what is wrong with the folder
        return not any(now - timedelta(hours=24) < i.created <= now for i in infos)

    # --- rotating -----------------------------------------------------------------------------
    def rotate(self, now: datetime | None = None) -> builtins.list[Path]:
        """Delete the backups ``select_to_keep`` does not keep, with their key files; returns them."""
        now = now or datetime.now()
        infos = self.list()
        keep = select_to_keep(infos, now, self.policy)
        self._remove_leftovers(now)
        removed, failed = [], []
        for info in infos:
            if info.path in keep:
                continue
            try:
                remove_files(info.path, info.key_file, strict=True)
                removed.append(info.path)
            except OSError:
                failed.append(info.path.name)
        if failed:
            raise BackupError(f"Alte Sicherungen ließen sich nicht löschen: {', '.join(failed)}.")
        return removed

    def _remove_leftovers(self, now: datetime) -> None:
        """``.part`` files of interrupted copies (they can be large on a stick) and key files whose backup
        is gone. Only ours and older than an hour, so a copy still being written is never touched."""
        stem = _db_path(self.store).stem
        with contextlib.suppress(OSError):  # best effort: leftovers only cost space
            for path in builtins.list(self.folder.iterdir()):
                if path.name.endswith(".part"):
                    base = path.name.removesuffix(".part")
                elif path.name.endswith(crypto.KEY_FILE_SUFFIX):
                    base = path.name.removesuffix(crypto.KEY_FILE_SUFFIX)
                    if (self.folder / base).exists():
                        continue
                else:
                    continue
                parsed = parse_backup_name(base, stem)
                if parsed is not None and now - parsed[0] > timedelta(hours=1):
                    remove_files(path)

    # --- checking and restoring ---------------------------------------------------------------
    def key_for(self, info: BackupInfo, passphrase: str | None = None) -> bytes | None:
        """The key that opens ``info``: None (plain), the live key (same key file), or one derived from
        ``passphrase`` and the backup's own key file (taken before a passphrase change)."""
        if not info.encrypted:
            return None
        try:
            params = crypto.load_params(info.path)
        except StoreError as exc:
            raise BackupError(f"Die Schlüsseldatei der Sicherung {info.path.name} ist unlesbar.") from exc
        if params is None:
            raise BackupError(f"Zur Sicherung {info.path.name} fehlt die Schlüsseldatei {info.key_file.name}.")
        if passphrase is not None:
            return crypto.derive_key(passphrase, params)
        db = _db_path(self.store)
        if self.store.key is not None and crypto.same_params(crypto.load_params(db), params):
            return self.store.key
        raise BackupPassphraseRequired(info.path.name)

    def check(self, info: BackupInfo, passphrase: str | None = None) -> None:
        check_backup(info.path, self.key_for(info, passphrase))

    def verify(self, info: BackupInfo, passphrase: str | None = None) -> bool:
        try:
            self.check(info, passphrase)
        except BackupError:
            return False
        return True

    def restore(self, info: BackupInfo, close_live: Callable[[], None], *,
                passphrase: str | None = None) -> BackupInfo:
        """Check ``info``, back up the live database, call ``close_live`` (e.g. ``services.close``), replace
        the closed file. Returns the "vor-wiederherstellung" backup. Nothing is touched if a check fails.
        Afterwards the caller reopens its services (with the passphrase of the restored backup); if this
        raises after ``close_live`` the database file is unchanged and is reopened as before."""
        db = _db_path(self.store)
        key = self.key_for(info, passphrase)
        refuse_downgrade(db, key)
        check_backup(info.path, key)  # before anything else: a bad choice costs nothing
        before = self.take("vor-wiederherstellung")  # raises, and so stops here, if it cannot be taken
        live_key = self.store.key
        close_live()
        restore_backup(info.path, db, key, live_key=live_key)
        return before


def _db_path(store: Store) -> Path:
    if store.path is None:
        raise BackupError("Eine Datenbank nur im Arbeitsspeicher kann nicht gesichert werden.")
    return Path(store.path)
