"""The SQLite store: one engine, durable settings on every connection, units of work.

Durability: WAL journal with ``synchronous=FULL`` (a commit that returned survives a power cut),
foreign keys on every connection, explicit ``BEGIN`` so the driver never opens transactions by itself.
Encrypted databases go through SQLCipher with a raw key (store.crypto); plain ones through sqlite3.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from bildungskoordination.store.errors import DatabaseDamaged, StoreError, WriteFailed, describe_os_error
from bildungskoordination.store.files import sqlite_uri

__all__ = ["Store", "StoreError", "make_engine"]

SQLITE_HEADER = b"SQLite format 3\x00"


def _configure(read_only: bool):  # type: ignore[no-untyped-def]
    def configure(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Transactions are ours (BEGIN in _on_begin), not the driver's implicit ones.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        if not read_only:
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if mode not in ("wal", "memory"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            # Erased data is overwritten on disk, not merely unlinked from the b-tree.
            cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    return configure


def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("BEGIN")


def raw_connect(path: Path, key: bytes | None, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """A DB-API connection (sqlite3 or sqlcipher3). Read-only falls back to ``immutable=1`` where SQLite
    cannot even create its -shm file (a read-only folder, a write-protected stick)."""
    from bildungskoordination.store.crypto import connect_encrypted

    def connect(extra: str = ""):  # type: ignore[no-untyped-def]
        if key is not None:
            return connect_encrypted(path, key, read_only=read_only, uri_extra=extra)
        return sqlite3.connect(sqlite_uri(path, "ro" if read_only else "rwc") + extra, uri=True,
                               check_same_thread=False)

    if not read_only:
        return connect()
    try:
        conn = connect()
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except DBAPI_ERRORS as exc:
        if "readonly" not in str(exc) and "unable to open" not in str(exc):
            raise
    return connect("&immutable=1")


def _dbapi_errors() -> tuple[type[BaseException], ...]:
    """sqlite3 and sqlcipher3 errors share no base class; both are needed to catch driver errors."""
    try:
        import sqlcipher3.dbapi2

        return (sqlite3.DatabaseError, sqlcipher3.dbapi2.DatabaseError)
    except ImportError:  # pragma: no cover
        return (sqlite3.DatabaseError,)


DBAPI_ERRORS = _dbapi_errors()


def make_engine(path: Path | None, *, key: bytes | None = None, read_only: bool = False) -> Engine:
    if path is None:
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif key is not None:
        import sqlcipher3.dbapi2

        # module= makes SQLAlchemy recognise (and wrap) sqlcipher3's exceptions like sqlite3's.
        engine = create_engine("sqlite://", module=sqlcipher3.dbapi2,
                               creator=lambda: raw_connect(path, key, read_only=read_only))
    else:
        engine = create_engine("sqlite://", creator=lambda: raw_connect(path, None, read_only=read_only))
    event.listen(engine, "connect", _configure(read_only))
    event.listen(engine, "begin", _on_begin)
    return engine


class Store:
    """An open database. ``Store.open(path)`` checks it and migrates it to the current schema first."""

    def __init__(self, engine: Engine, path: Path | None, *, key: bytes | None = None,
                 read_only: bool = False) -> None:
        self.engine = engine
        self.path = path
        self.key = key
        self.read_only = read_only
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @classmethod
    def open(cls, path: Path | None, *, key: bytes | None = None, read_only: bool = False,
             backup_dir: Path | None = None, wal_expected: bool = False, verify: bool = True) -> Store:
        from bildungskoordination.store.migrate import ensure_schema

        if path is not None:
            path = Path(path)
            if verify:
                check_files(path, encrypted=key is not None, wal_expected=wal_expected)
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
        if verify and path is not None and path.exists() and path.stat().st_size > 0:
            # On a separate read-only connection, BEFORE any read-write one: closing the last read-write
            # connection of a damaged file would checkpoint its WAL into it (and delete the WAL), and
            # switching a rollback-journal file to WAL writes its header.
            precheck(path, key)
        engine = make_engine(path, key=key, read_only=read_only)
        try:
            if read_only:
                from bildungskoordination.store.migrate import HEAD_REVISION, current_revision

                with engine.connect() as conn:
                    if current_revision(conn) != HEAD_REVISION:
                        raise DatabaseDamaged(path, "Schema-Stand passt nicht; schreibgeschützt nicht zu öffnen")
            else:
                ensure_schema(engine, path, backup_dir=backup_dir, key=key)
        except (DatabaseError, OperationalError, *DBAPI_ERRORS) as exc:
            engine.dispose()
            message = describe_os_error(exc)
            if message:
                raise WriteFailed(message) from None
            raise DatabaseDamaged(path, _first_line(exc)) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, path, key=key, read_only=read_only)

    @classmethod
    def in_memory(cls) -> Store:
        return cls.open(None)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One user action = one transaction: committed when the block ends, rolled back on error."""
        if self.read_only:
            raise WriteFailed("Die Datenbank ist nur zum Lesen geöffnet; Änderungen sind nicht möglich.")
        try:
            with self._sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            message = describe_os_error(exc)
            if message:
                raise WriteFailed(message) from None
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def checkpoint(self) -> None:
        """Move the WAL into the main file and truncate it (after erasure, before backups, at exit)."""
        if self.path is None or self.read_only:
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def optimize(self) -> None:
        """Refresh the query planner's statistics where they went stale (SQLite's advice: at close)."""
        if self.path is None or self.read_only:
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA optimize")

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page with ``new_key`` in one transaction (SQLCipher ``PRAGMA rekey``)."""
        from bildungskoordination.store.crypto import rekey_pragma

        if self.key is None or self.path is None:
            raise StoreError("Nur eine verschlüsselte Datenbank kann eine neue Passphrase bekommen.")
        with self.engine.connect() as conn:
            conn.connection.driver_connection.execute(rekey_pragma(new_key))
        # Pooled connections still hold the old key: start over with the new one.
        self.engine.dispose()
        self.engine = make_engine(self.path, key=new_key, read_only=self.read_only)
        self.key = new_key
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        with self.engine.connect() as conn:  # reopen at once, so the WAL file exists again (see store/lock.py)
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
            conn.rollback()

    def close(self) -> None:
        self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else exc.__class__.__name__


def check_files(path: Path, *, encrypted: bool, wal_expected: bool = False) -> None:
    """Cheap checks before SQLite touches anything: header, size, WAL present when it must be."""
    if not path.exists():
        if wal_expected:
            raise DatabaseDamaged(path, "Datenbankdatei fehlt")
        return
    if path.is_dir():
        raise DatabaseDamaged(path, "ist ein Ordner")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(100)
    if not encrypted and header[:16] != SQLITE_HEADER:
        raise DatabaseDamaged(path, "keine SQLite-Datenbank oder Kopf beschädigt")
    if not encrypted and len(header) >= 32:
        _check_plain_header(path, header, size)
    if encrypted and header[:16] == SQLITE_HEADER:
        raise DatabaseDamaged(path, "Datei ist unverschlüsselt, erwartet war eine verschlüsselte Datenbank")
    if size < 512 or size % 512:
        raise DatabaseDamaged(path, f"Dateigröße {size} Bytes passt nicht zu einer Datenbank (abgeschnitten?)")
    if wal_expected and not path.with_name(path.name + "-wal").exists():
        raise DatabaseDamaged(path, "die Journaldatei (-wal) fehlt nach einem nicht sauber beendeten Lauf")


def _check_plain_header(path: Path, header: bytes, size: int) -> None:
    """What SQLite itself forgives: a bad file-format byte (it silently opens read-only) and pages
    appended to the file (it trusts the page count) are signs of damage, not to be written into."""
    if header[18] not in (1, 2) or header[19] not in (1, 2):
        raise DatabaseDamaged(path, "Kopf beschädigt (Dateiformat-Version)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DatabaseDamaged(path, "Kopf beschädigt (Seitengröße)")
    change_counter = int.from_bytes(header[24:28], "big")
    page_count = int.from_bytes(header[28:32], "big")
    version_valid_for = int.from_bytes(header[92:96], "big") if len(header) >= 96 else -1
    wal = path.with_name(path.name + "-wal")
    wal_has_content = wal.exists() and wal.stat().st_size > 0
    # The in-header size is only valid when "version-valid-for" equals the change counter (file format doc).
    if page_count and version_valid_for == change_counter and not wal_has_content and size != page_count * page_size:
        raise DatabaseDamaged(path, f"Dateigröße {size} Bytes passt nicht zu {page_count} Seiten à {page_size} Bytes")


def precheck(path: Path, key: bytes | None) -> None:
    """``quick_check`` on a read-only connection; raises DatabaseDamaged (or WrongPassphrase)."""
    try:
        conn = raw_connect(path, key, read_only=True)
        try:
            result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except DBAPI_ERRORS as exc:
        message = describe_os_error(exc)
        if message and "readonly" not in str(exc):
            raise WriteFailed(message) from None
        raise DatabaseDamaged(path, _first_line(exc)) from None
    if result != ["ok"]:
        raise DatabaseDamaged(path, "; ".join(result[:3]))
