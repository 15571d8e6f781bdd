"""The SQLite store: one engine, durable settings on every connection, units of work.

Durability: WAL journal with ``synchronous=FULL`` (a commit that returned survives a power cut),
foreign keys on every connection, explicit ``BEGIN`` so the driver never opens transactions by itself.
Encrypted databases go through SQLCipher with a raw key (store.crypto); plain ones through sqlite3.
A team database on a PostgreSQL server opens with ``Store.open_server`` (store/server.py): same migrations, same
units of work, none of the file machinery (``path`` is None, ``url`` is set).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from bildungskoordination.i18n import _
from bildungskoordination.store.change_feed import install as install_change_log
from bildungskoordination.store.change_feed import new_origin
from bildungskoordination.store.checks import (  # noqa: F401 – check_files and precheck re-exported
    SQLITE_HEADER,
    _first_line,
    check_files,
    check_wal_frames,
    lost_saves_detail,
    precheck,
)
from bildungskoordination.store.errors import DatabaseDamaged, StoreError, WriteFailed, describe_os_error
from bildungskoordination.store.files import sqlite_uri
from bildungskoordination.store.private import make_private_dir, make_private_file, restrict_existing

__all__ = ["Store", "StoreError", "make_engine"]



def _configure(read_only: bool):  # type: ignore[no-untyped-def]
    def configure(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Transactions are ours (BEGIN in _on_begin), not the driver's implicit ones.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        # Sorts, DISTINCT and materialised subqueries over many rows (counts, the list order, likely duplicates)
        # may spill into temporary files, which SQLCipher does not encrypt: keep them in memory, whatever the
        # driver was compiled with (the bundled sqlcipher3 defaults to memory; a system build may not).
        cur.execute("PRAGMA temp_store=MEMORY")
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
    # A unit of work takes the write lock at once (BEGIN IMMEDIATE, waiting up to busy_timeout): a deferred
    # transaction that read first could not upgrade after another connection wrote (SQLITE_BUSY_SNAPSHOT).
    immediate = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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
ANALYSIS_LIMIT = 400  # rows sampled per index by PRAGMA optimize (SQLite suggests 100–1000)


def make_engine(path: Path | None, *, key: bytes | None = None, read_only: bool = False) -> Engine:
    """Connections are made with ``check_same_thread=False`` and pooled in a QueuePool: a unit of work on a
    worker thread (gui/operation.py) checks one out for itself and returns it. (The default for a ``sqlite://``
    URL, SingletonThreadPool, closes some thread's connection – possibly one in use – once a sixth thread
    connects.)"""
    if path is None:
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif key is not None:
        import sqlcipher3.dbapi2

        # module= makes SQLAlchemy recognise (and wrap) sqlcipher3's exceptions like sqlite3's.
        engine = create_engine("sqlite://", module=sqlcipher3.dbapi2, poolclass=QueuePool,
                               creator=lambda: raw_connect(path, key, read_only=read_only))
    else:
        engine = create_engine("sqlite://", poolclass=QueuePool,
                               creator=lambda: raw_connect(path, None, read_only=read_only))
    event.listen(engine, "connect", _configure(read_only))
    event.listen(engine, "begin", _on_begin)
    return engine


def _check_may_migrate(engine: Engine) -> None:
    """A team database behind this version's schema can be migrated only by its owner: say so to a team member."""
    from bildungskoordination.store.migrate import HEAD_REVISION, current_revision
    from bildungskoordination.store.roles import owns_tables

    with engine.connect() as conn:
        revision = current_revision(conn)
        if revision is not None and revision != HEAD_REVISION and not owns_tables(conn):
            raise StoreError(_("Die Teamdatenbank hat noch einen älteren Schema-Stand ({found}, diese Version braucht "
                               "{head}). Der Eigentümer der Datenbank (IT) muss einmal „bildungskoordination --db … "
                               "init“ ausführen.").format(found=revision, head=HEAD_REVISION))
        conn.rollback()


class Store:
    """An open database. ``Store.open(path)`` checks it and migrates it to the current schema first."""

    def __init__(self, engine: Engine, path: Path | None, *, key: bytes | None = None,
                 read_only: bool = False, url: URL | None = None) -> None:
        self.engine = engine
        self.path = path
        self.url = url  # a team database on a PostgreSQL server (store/server.py); then path is None
        self.key = key
        self.read_only = read_only
        # Who wrote a change_log row (store/change_feed.py): this store's own changes are not fed back to it.
        self.origin = new_origin()
        self._make_sessions()
        # The commit counter (PRAGMA user_version), bumped inside every unit of work; ``on_commit`` records
        # it outside the database (store/lock.py) once the commit returned.
        self.commits = 0
        self.on_commit: Callable[[int], None] | None = None
        self._optimized_at: int | None = None  # the commit counter at the last optimize
        if path is not None:
            with engine.connect() as conn:
                self.commits = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
                conn.rollback()

    def _make_sessions(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self.engine.execution_options(write=True), expire_on_commit=False)
        install_change_log(self._write_sessions, self.origin)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def on_server(self) -> bool:
        """A PostgreSQL team database: no file, no key, no app backups; the server does those."""
        return self.url is not None

    @classmethod
    def open_server(cls, url: URL, *, password: str | None = None, read_only: bool = False) -> Store:
        """Connect, and bring an empty or older database to the current schema (the same migrations as SQLite).
        Raises ServerUnreachable, LoginRefused, NotPermitted or StoreError, never a driver error."""
        from bildungskoordination.store.migrate import HEAD_REVISION, current_revision, ensure_schema
        from bildungskoordination.store.server import describe_server_error, make_server_engine

        engine = make_server_engine(url, password)
        try:
            if read_only:
                with engine.connect() as conn:
                    if current_revision(conn) != HEAD_REVISION:
                        raise StoreError(_("Die Teamdatenbank hat nicht den Schema-Stand dieser Version."))
            else:
                _check_may_migrate(engine)
                ensure_schema(engine, None)
        except DBAPIError as exc:
            engine.dispose()
            problem = describe_server_error(exc, url)
            if problem is None:
                raise
            raise problem from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, None, read_only=read_only, url=url)

    @classmethod
    def open(cls, path: Path | None, *, key: bytes | None = None, read_only: bool = False,
             backup_dir: Path | None = None, wal_expected: bool = False, verify: bool = True,
             expected_commits: int | None = None, check_wal: bool = False, clean_end: bool = False,
             full_check: bool = True) -> Store:
        """``expected_commits``: the last acknowledged commit number recorded outside the database (the lock
        file); a database behind it lost confirmed saves. ``check_wal``: after an unclean end, read the WAL
        frames as SQLite's recovery would and refuse if it would drop committed transactions. ``full_check=False``:
        no ``quick_check`` of the whole file before opening (a clean end; the caller checks in the background)."""
        from bildungskoordination.store.migrate import ensure_schema

        if path is not None:
            path = Path(path)
            if verify and expected_commits and (not path.exists() or path.stat().st_size == 0):
                raise DatabaseDamaged(path, _("die Datenbankdatei fehlt oder ist leer, obwohl {n} Speicherungen "
                                              "bestätigt sind").format(n=expected_commits))
            if verify:
                check_files(path, encrypted=key is not None, wal_expected=wal_expected)
                if check_wal:
                    check_wal_frames(path)
        if verify and path is not None and path.exists() and path.stat().st_size > 0:
            # On a separate read-only connection, BEFORE any read-write one: closing the last read-write
            # connection of a damaged file would checkpoint its WAL into it (and delete the WAL), and
            # switching a rollback-journal file to WAL writes its header.
            found = precheck(path, key, full=full_check)
            if expected_commits is not None and found < expected_commits:
                raise DatabaseDamaged(path, lost_saves_detail(path, found, expected_commits,
                                                                     clean_end=clean_end))
        if path is not None and not read_only:
            make_private_dir(path.parent)
            make_private_file(path)  # SQLite gives -wal and -shm the database file's permissions
            restrict_existing(path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
        engine = make_engine(path, key=key, read_only=read_only)
        open_errors: tuple[type[BaseException], ...] = (DatabaseError, OperationalError, *DBAPI_ERRORS)
        try:
            if read_only:
                from bildungskoordination.store.migrate import HEAD_REVISION, current_revision

                with engine.connect() as conn:
                    if current_revision(conn) != HEAD_REVISION:
                        raise DatabaseDamaged(path, "Schema-Stand passt nicht; schreibgeschützt nicht zu öffnen")
            else:
                ensure_schema(engine, path, backup_dir=backup_dir, key=key)
        except open_errors as exc:
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
            with self._write_sessions() as session, session.begin():
                yield session
                if self.path is not None:  # same transaction: the counter moves exactly with the data
                    session.connection().exec_driver_sql(f"PRAGMA user_version = {self.commits + 1}")
        except DBAPIError as exc:
            self._raise_server_error(exc)
            if not isinstance(exc, OperationalError):
                raise
            message = describe_os_error(exc)
            if message:
                raise WriteFailed(message) from None
            raise
        if self.path is not None:
            self.commits += 1
            if self.on_commit is not None:
                try:
                    self.on_commit(self.commits)
                except OSError:
                    pass  # the save itself is committed; a counter left behind only means "ahead", never a loss

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            self._raise_server_error(exc)
            raise

    def _raise_server_error(self, exc: DBAPIError) -> None:
        """On a server: a refused query (role without the right) or a lost connection in the user's words."""
        if self.url is None:
            return
        from bildungskoordination.store.server import describe_server_error

        problem = describe_server_error(exc, self.url)
        if problem is not None:
            raise problem from None

    def checkpoint(self) -> None:
        """Move the WAL into the main file and truncate it (after erasure, before backups, at exit)."""
        if self.path is None or self.read_only:
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def reclaim_erased(self, tables: tuple[str, ...]) -> None:
        """PostgreSQL, after an erasure: ``VACUUM`` the tables, so the erased rows' space is marked free and gets
        overwritten by later writes (the SQLite counterpart is ``secure_delete`` and the WAL checkpoint). Only
        the tables' owner may vacuum; for everyone else PostgreSQL skips with a warning and autovacuum does
        it soon after. Never fails: the erasure itself is committed."""
        if self.url is None or self.read_only:
            return
        try:
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM " + ", ".join(tables))
        except DBAPIError:
            pass

    def optimize(self) -> None:
        """Refresh the query planner's statistics where they went stale (SQLite's advice: at close), sampling
        each index (``analysis_limit``, as SQLite advises for optimize). Committed: inside the transaction every
        connection begins (``_on_begin``) the statistics were rolled back, so every close analysed anew – about
        80 ms of the GUI thread on 50 000 people."""
        if self.path is None or self.read_only or self._optimized_at == self.commits:
            return  # nothing saved since the last run (the exit backup's, on a worker; another connection
            # would not see the statistics it stored and analyse again)
        with self.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            conn.exec_driver_sql("PRAGMA optimize")
            conn.commit()
        self._optimized_at = self.commits

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page with ``new_key`` in one transaction (SQLCipher ``PRAGMA rekey``)."""
        from bildungskoordination.store.crypto import rekey_pragma

        if self.key is None or self.path is None:
            raise StoreError("Nur eine verschlüsselte Datenbank kann eine neue Passphrase bekommen.")
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None  # an open connection always has its driver connection
            raw.execute(rekey_pragma(new_key))
        # Pooled connections still hold the old key: start over with the new one.
        self.engine.dispose()
        self.engine = make_engine(self.path, key=new_key, read_only=self.read_only)
        self.key = new_key
        self._make_sessions()
        with self.engine.connect() as conn:  # reopen at once, so the WAL file exists again (see store/lock.py)
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
            conn.rollback()

    def close(self) -> None:
        self.engine.dispose()
