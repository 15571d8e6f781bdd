"""Schema migrations with Alembic, run programmatically at start-up.

Before any migration of an existing file, a copy is taken with SQLite's online backup API and checked
with ``integrity_check``; only then is the file touched. Foreign keys are switched off outside the
transaction during the migration (batch migrations recreate tables, which with ``foreign_keys=ON``
would silently cascade-delete child rows) and checked with ``foreign_key_check`` afterwards.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

# Kept in code so a start-up on a current database does not need to import Alembic at all;
# tests/core/test_migrations.py checks it against the migration scripts.
HEAD_REVISION = "0012"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine, path: Path | None, *, backup_dir: Path | None = None,
                  key: bytes | None = None) -> None:
    with engine.connect() as conn:
        revision = current_revision(conn)
        has_tables = bool(inspect(conn).get_table_names())
        conn.rollback()
    if revision == HEAD_REVISION:
        return
    if path is not None and has_tables:
        backup_before_migration(path, revision or "none", backup_dir or path.parent / "Sicherungen", key=key)
    upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine.dialect.name != "sqlite":  # PostgreSQL: transactional DDL, foreign keys always checked
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            from bildungskoordination.store.roles import apply_grants

            apply_grants(conn)  # new tables get the team's privileges (nothing before a team is set up)
            if conn.in_transaction():
                conn.commit()
        return
    with engine.connect() as conn:
        # PRAGMA foreign_keys is a no-op inside a transaction: talk to the driver connection directly,
        # before SQLAlchemy begins one.
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        if conn.in_transaction():
            conn.commit()
        problems = raw.execute("PRAGMA foreign_key_check").fetchall()
        raw.execute("PRAGMA foreign_keys=ON")
    if problems:
        raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")


def backup_before_migration(path: Path, from_revision: str, backup_dir: Path, *, key: bytes | None = None) -> Path:
    """Named like the regular backups (privacy/backups.py), so it shows in the list and can be restored;
    an encrypted one gets its key file beside it. ``from_revision`` is kept in the log, not the name."""
    import shutil

    from bildungskoordination.store.crypto import key_file_for
    from bildungskoordination.store.private import make_private_dir

    make_private_dir(backup_dir)
    stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    target = backup_dir / f"{path.stem}-{stamp}-vor-migration.sqlite3"
    if key is not None and key_file_for(path).exists():
        shutil.copy2(key_file_for(path), key_file_for(target))
    copy_database(path, target, key=key)
    return target


def _connect(path: Path, key: bytes | None, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    if key is not None:
        from bildungskoordination.store.crypto import connect_encrypted

        return connect_encrypted(path, key, read_only=read_only)
    from bildungskoordination.store.files import sqlite_uri

    return sqlite3.connect(sqlite_uri(path, "ro" if read_only else "rwc"), uri=True)


def copy_database(source: Path, target: Path, *, key: bytes | None = None) -> None:
    """Consistent copy through the online backup API (encrypted with the same key), verified with
    integrity_check on the copy, then fsynced and renamed into place."""
    from bildungskoordination.store.files import fsync_dir
    from bildungskoordination.store.private import make_private_file

    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    make_private_file(tmp)  # 0600 before SQLite writes a byte: backups are case files too
    src = _connect(source, key, read_only=True)
    dst = _connect(tmp, key)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"backup copy of {source} failed integrity_check: {ok}")
    with tmp.open("rb") as fh:
        import os

        os.fsync(fh.fileno())
    tmp.replace(target)
    fsync_dir(target.parent)
