"""The services the GUI and the CLI use, opened together on one store.

This is the only door from the outside (GUI, CLI) to the core: widgets hold a ``Services`` and never a
Session or SQL.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bildungskoordination.domain.machine_config import MachineConfig
from bildungskoordination.events import ChangeBus
from bildungskoordination.people.contacts import ContactService
from bildungskoordination.people.service import PersonService
from bildungskoordination.privacy.audit import AuditService
from bildungskoordination.privacy.backup_restore import BackupError, BackupPassphraseRequired  # noqa: F401
from bildungskoordination.privacy.backups import (
    BackupInfo,  # noqa: F401 – re-exported for the GUI
    BackupManager,
)
from bildungskoordination.privacy.erasure import ErasureService
from bildungskoordination.privacy.ledger import resign_sidecar
from bildungskoordination.privacy.recovery import list_backups, recover_from_backup  # noqa: F401
from bildungskoordination.privacy.retention import RetentionService
from bildungskoordination.privacy.settings import SettingsService
from bildungskoordination.store import crypto
from bildungskoordination.store.change_feed import ChangeFeed
from bildungskoordination.store.crypto import (  # noqa: F401 – re-exported for the GUI
    MIN_PASSPHRASE_LENGTH,
    WrongPassphrase,
    env_passphrase,
    passphrase_strength,
)
from bildungskoordination.store.engine import Store
from bildungskoordination.store.errors import (  # noqa: F401 – re-exported for the GUI
    AlreadyOpen,
    DatabaseDamaged,
    PassphraseRequired,
    StoreError,
    WriteFailed,
)
from bildungskoordination.store.integrity import BackgroundCheck, DamageWatch
from bildungskoordination.store.locations import DB_FILENAME, default_data_dir, default_db_path  # noqa: F401
from bildungskoordination.store.lock import InstanceLock
from bildungskoordination.store.outputs import OutputGuard
from bildungskoordination.store.reach import probe_server  # noqa: F401 – re-exported for the GUI
from bildungskoordination.store.server import (  # noqa: F401 – re-exported for the GUI
    LoginRefused,
    NotPermitted,
    ServerUnreachable,
    is_server_url,
    server_url,
    shown_url,
)
from bildungskoordination.store.server import env_password as server_env_password

if TYPE_CHECKING:  # built on first use (``Services`` below): a CLI search never imports them
    from bildungskoordination.courses.referrals import ReferralService
    from bildungskoordination.courses.service import CourseService
    from bildungskoordination.letters.service import LetterService
    from bildungskoordination.matching.service import MatchingService
    from bildungskoordination.monitoring.service import MonitoringService
    from bildungskoordination.privacy.access_export import AccessExportService


@dataclass
class Services:
    store: Store
    bus: ChangeBus
    people: PersonService
    contacts: ContactService
    audit: AuditService
    settings: SettingsService
    retention: RetentionService
    erasure: ErasureService
    lock: InstanceLock | None = None
    backups: BackupManager | None = None  # None for an in-memory database
    # Things the user must be told at start-up (refused erasure-ledger lines, …): GUI dialog, CLI stderr.
    warnings: list[str] = field(default_factory=list)
    outputs: OutputGuard = field(default_factory=lambda: OutputGuard(None))  # checks every file an export writes
    # A team database's role of the user (store/roles.py): which areas the app shows. A file: always "admin".
    role: str = "admin"
    # Damage found after the start (background check, backups) is reported here; the GUI offers recovery.
    damage: DamageWatch = field(default_factory=DamageWatch)
    # The start skipped the full quick_check (clean end): ``check_in_background`` runs it.
    full_check_pending: bool = False
    background_check: BackgroundCheck | None = None
    # The commit counter once the start's own bookkeeping was written: a session that saved nothing after it
    # (a CLI search) skips PRAGMA optimize at close.
    opened_commits: int | None = None

    @classmethod
    def open(cls, path: Path | str | None, *, passphrase: str | None = None, unencrypted: bool = False,
             read_only: bool = False, fast_kdf: bool = False, verify: bool = True) -> Services:
        """Open (and if needed create and migrate) the database at ``path``; None = in memory.

        An existing database is encrypted when its key file (``<db>.key.json``) is there; a new one is
        created encrypted with ``passphrase``, or unencrypted only when ``unencrypted=True`` is asked for.
        Raises PassphraseRequired, WrongPassphrase, AlreadyOpen, DatabaseDamaged or WriteFailed.
        ``verify=False`` (only with ``read_only``) skips the start-up checks, to look into a damaged file.
        """
        if not verify and not read_only:
            raise ValueError("skipping the checks is only allowed read-only")
        if is_server_url(path):
            return cls.open_server(str(path), read_only=read_only)
        if path is None:
            return cls.on_store(Store.open(None))
        path = Path(path)
        lock = None if read_only else InstanceLock(path).acquire()
        try:
            try:
                key, verified = _key_for(path, passphrase, unencrypted=unencrypted, fast_kdf=fast_kdf,
                                         read_only=read_only)
            except crypto.KeyFileDamaged as exc:
                from bildungskoordination.privacy.keyfile_hint import replacement_hint

                raise crypto.KeyFileDamaged(path, exc.key_file, exc.reason,
                                            replacement_hint(path, passphrase)) from None
            checks = _start_checks(path, lock, encrypted=key is not None)
            if verified is False:
                store = _finish_interrupted_rekey(path, passphrase, read_only, checks)
            else:
                try:
                    store = Store.open(path, key=key, read_only=read_only, verify=verify, **checks)
                except WrongPassphrase:
                    if crypto.load_params(path, pending=True) is not None:
                        store = _finish_interrupted_rekey(path, passphrase, read_only, checks)
                    elif verified:
                        # The key is right (key check), yet SQLCipher refuses: the file itself is damaged.
                        raise DatabaseDamaged(path, "Datenbankkopf beschädigt (die Passphrase stimmt)") from None
                    else:
                        raise
                else:
                    if not read_only:
                        crypto.pending_key_file_for(path).unlink(missing_ok=True)
        except BaseException as exc:
            if lock is not None:
                lock.release(clean=False)  # nothing was opened: the marker stays as the last session left it
            if isinstance(exc, WrongPassphrase) and not read_only:
                _note_failed_unlock(path)
            raise
        if not read_only and key is not None:
            crypto.add_checksum_to_old_key_file(path)
        if lock is not None:
            lock.mark_open(store.commits)
            store.on_commit = lock.record_commit
        services = cls.on_store(store)
        services.lock = lock
        services.full_check_pending = not checks.get("full_check", True)
        if not read_only:
            try:  # temporary files of an export killed at the rename hold personal data: remove them
                services.outputs.clean_parts()
            except OSError:
                pass  # the next export tries again
            try:  # a backup copied back by hand brings erased people back: erase them again at once
                services.erasure.replay_ledger()
            except BaseException:
                services.close()
                raise
            services.warnings.extend(services.erasure.warnings)
            try:
                services._audit_unlock(path)
            except WriteFailed:
                # A full disk must not lock the user out of what is already saved; the failed-unlock
                # file and the restore marker stay and are logged at the next open with space.
                pass
        services.opened_commits = store.commits
        return services

    @classmethod
    def open_server(cls, url: str, *, password: str | None = None, read_only: bool = False,
                    env_password: bool = True) -> Services:
        """Open a team database on a PostgreSQL server (store/server.py): create or migrate its schema, then
        erase again whoever the erasure ledger lists and a restored server backup brought back. The password:
        ``password``, else BILDUNGSKOORDINATION_DB_PASSWORD, else none (a .pgpass file or trust/peer login)."""
        from bildungskoordination.store.roles import team_role

        if password is None and env_password:
            password = server_env_password()
        store = Store.open_server(server_url(url), password=password, read_only=read_only)
        services = cls.on_store(store)
        try:
            services.role = team_role(store)
            if not read_only and services.role != "monitoring":
                services.erasure.replay_ledger()
        except BaseException:
            services.close()
            raise
        return services

    @property
    def on_server(self) -> bool:
        return self.store.on_server

    @property
    def location(self) -> str:
        """Where the data is, for the window: the file, or the team database's address without a password."""
        if self.store.url is not None:
            return shown_url(self.store.url)
        return str(self.store.path) if self.store.path is not None else ""

    def _audit_unlock(self, path: Path) -> None:
        """Failed unlocks could not be logged while the database was locked: log them now, then this one."""
        from bildungskoordination.privacy.backup_restore import restored_marker_for

        marker = restored_marker_for(path)
        if marker.exists():
            try:
                backup = json.loads(marker.read_text(encoding="utf-8")).get("backup", "")
            except ValueError:
                backup = ""
            self.audit.record("restore", "database", detail=str(backup))
            marker.unlink()
        failures = _failed_unlocks_file(path)
        if failures.exists():
            for line in failures.read_text(encoding="utf-8").split():
                self.audit.record("unlock_failed", "database", detail=line)
            failures.unlink()
        if self.encrypted:
            self.audit.record("unlock", "database")

    @classmethod
    def on_store(cls, store: Store) -> Services:
        bus = ChangeBus()
        settings = SettingsService(store, bus)
        audit = AuditService(store, bus, settings)
        retention = RetentionService(store, settings)
        services = cls(store=store, bus=bus, people=PersonService(store, bus), contacts=ContactService(store, bus),
                       audit=audit, settings=settings, retention=retention, erasure=ErasureService(store, bus),
                       backups=BackupManager.for_store(store) if store.path is not None else None)
        services.outputs = OutputGuard(store.path, lambda: services.backups.folder if services.backups else None)
        if services.backups is not None:
            services.backups.damage = services.damage
        return services

    # --- built on first use: what a command does not need, it does not import (issue 13) -------------
    @cached_property
    def courses(self) -> CourseService:
        from bildungskoordination.courses.service import CourseService

        return CourseService(self.store, self.bus)

    @cached_property
    def referrals(self) -> ReferralService:
        from bildungskoordination.courses.referrals import ReferralService

        return ReferralService(self.store, self.bus)

    @cached_property
    def matching(self) -> MatchingService:
        from bildungskoordination.matching.service import MatchingService

        return MatchingService(self.people, self.courses, referrals=self.referrals)

    @cached_property
    def monitoring(self) -> MonitoringService:
        from bildungskoordination.monitoring.service import MonitoringService

        service = MonitoringService(self.store, self.bus, self.settings)
        service.outputs = self.outputs  # one guard for every export, which knows where the backups go
        return service

    @cached_property
    def letters(self) -> LetterService:
        from bildungskoordination.letters.service import LetterService

        service = LetterService(self.store, self.bus, self.settings)
        service.outputs = self.outputs
        return service

    @cached_property
    def access_export(self) -> AccessExportService:
        from bildungskoordination.privacy.access_export import AccessExportService

        service = AccessExportService(self.store, self.audit, self.retention, self.bus)
        service.outputs = self.outputs
        return service

    @property
    def encrypted(self) -> bool:
        return self.store.encrypted

    def check_in_background(self, on_finished: Callable[[bool], None] | None = None) -> BackgroundCheck | None:
        """Start the full ``quick_check`` the start skipped (after a clean end), on a thread with its own
        read-only connection; damage goes to ``self.damage``. The GUI calls this after the first paint.
        None when the start already checked the whole file."""
        if not self.full_check_pending or self.store.path is None:
            return None
        self.full_check_pending = False
        self.background_check = BackgroundCheck(self.store.path, self.store.key, self.damage, on_finished).start()
        return self.background_check

    @property
    def shared(self) -> bool:
        """Others may change this database meanwhile (a file, a server): worth polling the change feed."""
        return self.store.path is not None or self.store.engine.dialect.name != "sqlite"

    def change_feed(self) -> ChangeFeed:
        """What other users commit from now on (store/change_feed.py), for the GUI's poller."""
        return ChangeFeed(self.store)

    def verify_passphrase(self, passphrase: str) -> bool:
        """For the screen lock: is this the passphrase of the open (encrypted) database?"""
        import hmac

        path = self.store.path
        params = crypto.load_params(path) if path else None
        if params is None or self.store.key is None:
            return False
        return hmac.compare_digest(crypto.derive_key(passphrase, params), self.store.key)

    def change_passphrase(self, old: str, new: str) -> None:
        """Rekey the database. Crash-safe: the new KDF parameters are written to ``<key file>.neu``
        first, the rekey commits atomically, then ``.neu`` replaces the key file; ``open`` finishes
        or discards a change that a crash interrupted. Existing backups keep their old passphrase."""
        import hmac

        path = self.store.path
        params = crypto.load_params(path) if path else None
        if path is None or params is None or self.store.key is None:
            raise StoreError("Diese Datenbank ist nicht verschlüsselt.")
        if not hmac.compare_digest(crypto.derive_key(old, params), self.store.key):
            raise WrongPassphrase()
        crypto.check_new_passphrase(new)
        new_params = crypto.KdfParams.new(fast=params.memory_kib < crypto.KdfParams.memory_kib)
        new_key = crypto.derive_key(new, new_params)
        new_params = new_params.with_check(new_key)
        crypto.save_params(path, new_params, pending=True)
        old_key = self.store.key
        self.store.rekey(new_key)
        crypto.pending_key_file_for(path).replace(crypto.key_file_for(path))
        # The side file's MACs hang on the key; a crash before this is healed at the next open from the
        # database ledger (privacy/ledger.py).
        resign_sidecar(self.erasure.sidecar, old_key, new_key)
        self.audit.record("rekey", "database")

    def apply_first_start(self, *, district: str, letterhead: dict[str, str], config: MachineConfig) -> None:
        """The first start's choices (wizard, prefilled from IT's machine-wide file) stored with the new data:
        district and letterhead as entered, log keeping and retention periods from the machine configuration."""
        from bildungskoordination.letters.content import Letterhead
        from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS, retention_key

        if district.strip():
            self.settings.set("district.name", district.strip())
        head = {k: v.strip() for k, v in letterhead.items() if v.strip()}
        if head:
            self.letters.set_letterhead(Letterhead(**head))
        if config.audit_keep_days is not None:
            self.settings.set(AUDIT_KEEP_DAYS, config.audit_keep_days)
        for rule, units in config.retention.items():
            for unit, number in units.items():
                self.settings.set(retention_key(rule, unit), number)

    def close(self) -> None:
        """Checkpoint, close the connections, and only then – when the WAL is really settled – mark the end
        as clean. Nothing here raises: a failure (even a MemoryError in ``optimize``) leaves either a clean
        mark over a settled WAL or the "open" mark with the commit counter, which the next start checks
        against the database instead of calling an intact file damaged. After damage was found (``damage``)
        the end is left unclean, so the next start checks the whole file before opening it."""
        if self.background_check is not None:
            self.background_check.stop()
        try:
            if self.damage.found is None:  # never move the WAL into a file known to be damaged
                if self.opened_commits is None or self.store.commits != self.opened_commits:
                    self.store.optimize()  # statistics only go stale where something was saved
                self.store.checkpoint()
        except Exception:  # noqa: BLE001 – closing must not fail; the WAL is replayed at next start
            pass
        commits = self.store.commits
        sentinel = self._hold_wal() if self.damage.found is not None else None
        try:
            self.store.close()
        except Exception:  # noqa: BLE001
            pass
        finally:
            if sentinel is not None:
                sentinel.close()
        if self.lock is not None:
            path = self.store.path
            wal = path.with_name(path.name + "-wal") if path is not None else None
            try:
                if self.damage.found is not None:
                    self.lock.record_commit(commits)  # stays "open": the next start runs the full check first
                elif wal is None or not wal.exists() or wal.stat().st_size == 0:
                    self.lock.mark_clean(commits)
            except OSError:
                pass  # stays "open" with its counter: the next start checks, finds everything, opens
            self.lock.release(clean=False)
            self.lock = None


    def _hold_wal(self):  # type: ignore[no-untyped-def]
        """A read-only connection kept open while the store closes: SQLite checkpoints the WAL into the main
        file when its LAST connection closes, and a read-only one never does – so a file found damaged
        keeps its WAL, untouched, for the recovery at the next start."""
        from bildungskoordination.store.engine import DBAPI_ERRORS, raw_connect

        if self.store.path is None:
            return None
        try:
            return raw_connect(self.store.path, self.store.key, read_only=True)
        except DBAPI_ERRORS:
            return None


def _failed_unlocks_file(path: Path) -> Path:
    return path.with_name(path.name + ".fehlversuche")


def _note_failed_unlock(path: Path) -> None:
    """Time of a failed unlock, kept beside the database until the next successful unlock logs it."""
    from datetime import datetime

    try:
        fd = os.open(_failed_unlocks_file(path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(datetime.now().replace(microsecond=0).isoformat() + "\n")
    except OSError:
        pass  # the refusal itself matters more than its record


def _start_checks(path: Path, lock: InstanceLock | None, *, encrypted: bool) -> dict[str, Any]:
    """What the start must check, from the lock file's record of the last session (store/lock.py)."""
    if lock is None:
        return {}
    has_data = path.exists() and path.stat().st_size > 0
    counter = lock.previous_commits
    return {
        # Without a counter (lock files of older versions) a missing WAL after a crash is the only sign.
        "wal_expected": bool(lock.previous_session_unclean and counter is None and has_data),
        "expected_commits": counter,  # also when the file is gone: a missing file is no new, empty database
        # After a crash, or when the record is unreadable: read the WAL frames as SQLite's recovery would.
        "check_wal": bool(has_data and (lock.previous_session_unclean or counter is None)),
        "clean_end": lock.previous_state == "closed",
        # Only after a recorded clean end may the whole-file check wait until after the start (store/integrity.py).
        # SQLite without encryption has no page checksums: a plain file is always checked in full first.
        "full_check": lock.previous_state != "closed" or not encrypted,
    }


def _finish_interrupted_rekey(path: Path, passphrase: str | None, read_only: bool,
                              checks: dict[str, Any]) -> Store:
    """A crash after the rekey committed but before the key file was replaced: use the pending params."""
    pending = crypto.load_params(path, pending=True)
    if pending is None or passphrase is None:
        raise WrongPassphrase()
    key = crypto.derive_key(passphrase, pending)
    if pending.accepts(key) is False:
        raise WrongPassphrase()
    store = Store.open(path, key=key, read_only=read_only, **checks)
    if not read_only:
        crypto.pending_key_file_for(path).replace(crypto.key_file_for(path))
    return store


def _key_for(path: Path, passphrase: str | None, *, unencrypted: bool, fast_kdf: bool,
             read_only: bool) -> tuple[bytes | None, bool | None]:
    """The key, and whether the key file confirms it (None: cannot tell; no key: unencrypted)."""
    params = crypto.load_params(path)
    exists = path.exists() and path.stat().st_size > 0
    if params is None and exists:
        return None, None  # created unencrypted by an explicit choice; the UI shows it
    if passphrase is None:
        if params is None and unencrypted:
            return None, None
        raise PassphraseRequired()
    if params is None:
        if read_only:
            raise PassphraseRequired()
        crypto.check_new_passphrase(passphrase)
        params = crypto.KdfParams.new(fast=fast_kdf)
        key = crypto.derive_key(passphrase, params)
        crypto.save_params(path, params.with_check(key))
        return key, True
    key = crypto.derive_key(passphrase, params)
    return key, params.accepts(key)
