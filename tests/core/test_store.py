import sqlite3
from pathlib import Path

from sqlalchemy import text

from bildungskoordination.store import migrate
from bildungskoordination.store.engine import Store


def test_every_connection_is_durable_and_checks_foreign_keys(tmp_path: Path):
    store = Store.open(tmp_path / "db.sqlite3")
    with store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA temp_store")).scalar() == 2  # MEMORY: SQLCipher leaves temp files plain
    store.close()


def test_an_encrypted_database_sorts_in_memory_never_in_a_plain_temporary_file(tmp_path: Path):
    from bildungskoordination.services import Services

    services = Services.open(tmp_path / "akte.sqlite3", passphrase="eine lange Passphrase", fast_kdf=True)
    with services.store.read() as s:
        assert s.execute(text("PRAGMA temp_store")).scalar() == 2
    services.close()


def test_head_revision_constant_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == migrate.HEAD_REVISION


def test_migrations_produce_the_models_schema(tmp_path: Path):
    """Autogenerate against a migrated database finds nothing to do: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bildungskoordination.store.models import Base, is_person_fts_table

    # The search's FTS5 table and its shadow tables (migration 0004) are virtual/internal tables that SQLAlchemy
    # metadata cannot describe; everything else must agree.
    def include_name(name, type_, _parent) -> bool:  # type: ignore[no-untyped-def]
        return not (type_ == "table" and name and is_person_fts_table(name))

    store = Store.open(tmp_path / "db.sqlite3")
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    store.close()
    assert diff == []


def test_migrating_an_old_database_takes_a_verified_backup_first(tmp_path: Path):
    db = tmp_path / "db.sqlite3"
    old = sqlite3.connect(db)
    old.execute("CREATE TABLE legacy (x INTEGER)")
    old.execute("INSERT INTO legacy VALUES (42)")
    old.commit()
    old.close()
    Store.open(db, backup_dir=tmp_path / "backups").close()
    backups = list((tmp_path / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT x FROM legacy").fetchone()[0] == 42
    copy.close()


def test_a_current_database_is_opened_without_backup_or_migration(tmp_path: Path):
    db = tmp_path / "db.sqlite3"
    Store.open(db, backup_dir=tmp_path / "backups").close()
    Store.open(db, backup_dir=tmp_path / "backups").close()
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_a_database_is_refused_without_writing(tmp_path: Path):
    import pytest

    from bildungskoordination.store.engine import StoreError

    db = tmp_path / "db.sqlite3"
    db.write_bytes(b"this is a text file, not a database" * 10)
    before = db.read_bytes()
    with pytest.raises(StoreError):
        Store.open(db)
    assert db.read_bytes() == before


def test_change_passphrase_rekeys_and_old_one_stops_working(tmp_path: Path):
    import pytest

    from bildungskoordination.people.records import PersonData
    from bildungskoordination.services import Services, WrongPassphrase

    db = tmp_path / "db.sqlite3"
    services = Services.open(db, passphrase="erste lange passphrase", fast_kdf=True)
    services.people.create(PersonData(family_name="Tesfay", given_name="Yonas"))
    with pytest.raises(WrongPassphrase):
        services.change_passphrase("nicht die richtige", "zweite lange passphrase")
    services.change_passphrase("erste lange passphrase", "zweite lange passphrase")
    assert services.people.count() == 1  # still usable after the rekey
    services.close()
    with pytest.raises(WrongPassphrase):
        Services.open(db, passphrase="erste lange passphrase")
    reopened = Services.open(db, passphrase="zweite lange passphrase")
    assert reopened.people.count() == 1
    reopened.close()


def test_an_interrupted_passphrase_change_is_finished_at_open(tmp_path: Path):
    """Crash after the rekey committed, before the key file was replaced."""
    from bildungskoordination.services import Services
    from bildungskoordination.store import crypto

    db = tmp_path / "db.sqlite3"
    services = Services.open(db, passphrase="erste lange passphrase", fast_kdf=True)
    new_params = crypto.KdfParams.new(fast=True)
    crypto.save_params(db, new_params, pending=True)
    services.store.rekey(crypto.derive_key("zweite lange passphrase", new_params))
    services.close()  # the key file still has the old parameters
    reopened = Services.open(db, passphrase="zweite lange passphrase")
    reopened.close()
    assert not crypto.pending_key_file_for(db).exists()
    assert crypto.same_params(crypto.load_params(db), new_params)


def test_paths_with_uri_characters_work(tmp_path: Path):
    from bildungskoordination.people.records import PersonData
    from bildungskoordination.services import Services

    folder = tmp_path / "Ordner mit ? # % Zeichen"
    folder.mkdir()
    services = Services.open(folder / "db.sqlite3", passphrase="lange genug passphrase", fast_kdf=True)
    services.people.create(PersonData(family_name="Ahmadi", given_name="Farid"))
    services.backups.take("manuell")
    services.close()
    assert Services.open(folder / "db.sqlite3", passphrase="lange genug passphrase").people.count() == 1
    assert not any(p.name.startswith("db.sqlite3") for p in tmp_path.iterdir())


def test_optimize_keeps_the_statistics_it_gathers(tmp_path: Path):
    """PRAGMA optimize at close analyses what went stale; the statistics must be committed, not rolled back with
    the transaction every connection begins – else every close analysed again (a stall of the GUI thread)."""
    from bildungskoordination.people.records import PersonData
    from bildungskoordination.services import Services

    path = tmp_path / "stats.sqlite3"
    services = Services.open(path, unencrypted=True)
    for n in range(30):
        services.people.create(PersonData(family_name=f"Muster{n}", given_name="Anna"))
    services.store.optimize()
    services.close()
    con = sqlite3.connect(path)
    try:
        analysed = {row[0] for row in con.execute("SELECT tbl FROM sqlite_stat1")}
    finally:
        con.close()
    assert analysed - {"alembic_version"}  # the migration's own ANALYZE found only that table filled
