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


def make_engine(path: Path | None, *, key: bytes | None = None, read_only: bool = False) -> Engine:
    if path is None:
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif key is not None:
        from bildungskoordination.store.crypto import connect_encrypted

        engine = create_engine("sqlite://", creator=lambda: connect_encrypted(path, key, read_only=read_only))
    else:
        mode = "ro" if read_only else "rwc"
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(sqlite_uri(path, mode), uri=True,
                                                         check_same_thread=False))
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
        engine = make_engine(path, key=key, read_only=read_only)
        try:
            if verify and path is not None and path.exists() and path.stat().st_size > 0:
                quick_check(engine, path)
            if read_only:
                from bildungskoordination.store.migrate import HEAD_REVISION, current_revision

                with engine.connect() as conn:
                    if current_revision(conn) != HEAD_REVISION:
                        raise DatabaseDamaged(path, "Schema-Stand passt nicht; schreibgeschützt nicht zu öffnen")
            else:
                ensure_schema(engine, path, backup_dir=backup_dir, key=key)
        except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
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
    if encrypted and header[:16] == SQLITE_HEADER:
        raise DatabaseDamaged(path, "Datei ist unverschlüsselt, erwartet war eine verschlüsselte Datenbank")
    if size < 512 or size % 512:
        raise DatabaseDamaged(path, f"Dateigröße {size} Bytes passt nicht zu einer Datenbank (abgeschnitten?)")
    if wal_expected and not path.with_name(path.name + "-wal").exists():
        raise DatabaseDamaged(path, "die Journaldatei (-wal) fehlt nach einem nicht sauber beendeten Lauf")


def quick_check(engine: Engine, path: Path | None) -> None:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
        conn.rollback()
    result = [r[0] for r in rows]
    if result != ["ok"]:
        raise DatabaseDamaged(path, "; ".join(result[:3]))
