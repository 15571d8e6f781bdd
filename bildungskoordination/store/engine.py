"""The SQLite store: one engine, durable settings on every connection, units of work.

Durability: WAL journal with ``synchronous=FULL`` (a commit that returned survives a power cut),
foreign keys on every connection, explicit ``BEGIN`` so the driver never opens transactions by itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool


class StoreError(Exception):
    """A problem with the database file, worded for the user."""


def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Transactions are ours (BEGIN in _on_begin), not the driver's implicit ones.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
    if mode not in ("wal", "memory"):
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
    conn.exec_driver_sql("BEGIN")


def make_engine(path: Path | None) -> Engine:
    if path is None:
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _configure)
    event.listen(engine, "begin", _on_begin)
    return engine


class Store:
    """An open database. ``Store.open(path)`` migrates it to the current schema first."""

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path | None, *, backup_dir: Path | None = None) -> Store:
        from bildungskoordination.store.migrate import ensure_schema

        if path is not None:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                _check_header(path)
        engine = make_engine(path)
        ensure_schema(engine, path, backup_dir=backup_dir)
        return cls(engine, path)

    @classmethod
    def in_memory(cls) -> Store:
        return cls.open(None)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One user action = one transaction: committed when the block ends, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _check_header(path: Path) -> None:
    with path.open("rb") as fh:
        header = fh.read(16)
    if header and header != b"SQLite format 3\x00":
        raise StoreError(f"{path}: keine SQLite-Datenbank oder beschädigt")
