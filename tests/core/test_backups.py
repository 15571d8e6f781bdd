"""Backups: verified copies (plain and encrypted), GFS rotation, clear errors, and a safe restore."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.backups import (
    BackupError,
    BackupInfo,
    BackupManager,
    BackupPassphraseRequired,
    RotationPolicy,
    check_backup,
    restore_backup,
    select_to_keep,
)
from bildungskoordination.services import Services
from bildungskoordination.store import crypto

PASSPHRASE = "lange genug passphrase"
CANARY = "Zaunkönigsberger"


def _people(services: Services, *names: str) -> None:
    for name in names:
        services.people.create(PersonData(family_name=name, given_name="Amira"))


def _family_names(services: Services) -> set[str]:
    return {services.people.get(pid).family_name for pid in services.people.search_ids()}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def plain(tmp_path: Path) -> Iterator[Services]:
    services = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    _people(services, "Haddad", "Nowak")
    yield services
    services.close()


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[Services]:
    services = Services.open(tmp_path / "db.sqlite3", passphrase=PASSPHRASE, fast_kdf=True)
    _people(services, CANARY, "Nowak")
    yield services
    services.close()


def _manager(services: Services, folder: Path | None = None) -> BackupManager:
    return BackupManager.for_store(services.store, folder)


# --- taking -------------------------------------------------------------------------------------------
def test_backup_of_a_plain_database_is_checked_and_holds_the_data(plain: Services):
    manager = plain.backups
    assert manager is not None and Services.open(None).backups is None
    info = manager.take("start", now=datetime(2026, 12, 2, 10, 15, 3))
    assert info.path == plain.store.path.parent / "Sicherungen" / "db-2026-12-02T10-15-03-start.sqlite3"
    assert not info.encrypted and info.size == info.path.stat().st_size
    assert not info.key_file.exists()
    assert not list(info.path.parent.glob("*.part"))
    copy = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in copy.execute("SELECT family_name FROM person")} == {"Haddad", "Nowak"}
    copy.close()
    assert manager.verify(info)


def test_encrypted_backup_is_ciphertext_and_opens_alone_with_the_passphrase(encrypted: Services):
    manager = _manager(encrypted)
    info = manager.take("manuell")
    assert info.encrypted
    raw = info.path.read_bytes()
    assert CANARY.encode("utf-8") not in raw and b"Nowak" not in raw
    # The key file travels with the backup: salt and parameters only, the passphrase opens it.
    assert info.key_file.read_bytes() == crypto.key_file_for(encrypted.store.path).read_bytes()
    key = crypto.derive_key(PASSPHRASE, crypto.load_params(info.path))
    copy = crypto.connect_encrypted(info.path, key, read_only=True)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert {r[0] for r in copy.execute("SELECT family_name FROM person")} == {CANARY, "Nowak"}
    copy.close()
    assert manager.verify(info)
    wrong = crypto.derive_key("eine ganz andere passphrase", crypto.load_params(info.path))
    with pytest.raises(BackupError, match="Passphrase nicht öffnen"):
        check_backup(info.path, wrong)


def test_two_backups_in_the_same_second_get_distinct_sortable_names(plain: Services):
    manager = _manager(plain)
    moment = datetime(2026, 3, 1, 9, 0, 0)
    first, second = manager.take("start", now=moment), manager.take("start", now=moment)
    assert first.path != second.path
    assert [i.path for i in manager.list()] == [second.path, first.path]
    with pytest.raises(ValueError):
        manager.take("Frau Haddad")  # reasons are a fixed list: no free text (no personal data) in names


@pytest.mark.parametrize("folder", ["afile/sub", "nicht-eingesteckt/Sicherungen"])
def test_an_unreachable_folder_is_a_clear_error_and_the_database_stays_as_it_was(plain: Services, tmp_path: Path,
                                                                               folder: str):
    (tmp_path / "afile").write_text("a file, not a folder")
    db = plain.store.path
    before = (_sha(db), _family_names(plain))
    manager = _manager(plain, tmp_path / folder)
    with pytest.raises(BackupError) as caught:
        manager.take("manuell")
    assert str(tmp_path / folder) in str(caught.value) and "Traceback" not in str(caught.value)
    assert not (tmp_path / folder).exists()  # a missing parent (unplugged stick) is not created
    assert (_sha(db), _family_names(plain)) == before
    assert manager.list() == [] and manager.due_daily()


def test_list_ignores_foreign_files_and_backups_of_other_databases(plain: Services):
    manager = _manager(plain)
    older = manager.take("täglich", now=datetime(2026, 1, 5, 8, 0, 0))
    newer = manager.take("ende", now=datetime(2026, 1, 6, 18, 30, 0))
    for foreign in ("notizen.txt", "andere-2026-01-07T08-00-00-start.sqlite3", "db-gestern-start.sqlite3",
                    "db-2026-13-45T08-00-00-start.sqlite3", older.path.name + ".part"):
        (manager.folder / foreign).write_bytes(b"x")
    infos = manager.list()
    assert [(i.path, i.created, i.reason) for i in infos] == [
        (newer.path, datetime(2026, 1, 6, 18, 30), "ende"), (older.path, datetime(2026, 1, 5, 8, 0), "täglich")]


def test_a_daily_backup_is_due_only_when_none_was_taken_in_the_last_24_hours(plain: Services):
    manager = _manager(plain)
    assert manager.due_daily(datetime(2026, 5, 1, 12, 0))
    manager.take("start", now=datetime(2026, 5, 1, 9, 0))
    assert not manager.due_daily(datetime(2026, 5, 1, 12, 0))
    assert not manager.due_daily(datetime(2026, 5, 2, 8, 59))
    assert manager.due_daily(datetime(2026, 5, 2, 9, 0))
    assert manager.due_daily(datetime(2026, 4, 30, 12, 0))  # a backup "from the future" does not count


# --- rotation -----------------------------------------------------------------------------------------
def _info(when: datetime) -> BackupInfo:
    return BackupInfo(Path(f"db-{when:%Y-%m-%dT%H-%M-%S}-täglich.sqlite3"), when, "täglich", 4096, False)


def test_rotation_over_400_days_keeps_exactly_the_expected_set():
    now = datetime(2026, 12, 2, 12, 0)  # a Wednesday, ISO week 49
    infos = [_info(datetime(2026, 12, 2, 8, 0))]
    for days_back in range(1, 400):
        day = (now - timedelta(days=days_back)).date()
        infos += [_info(datetime.combine(day, datetime.min.time()).replace(hour=h)) for h in (8, 18)]
    kept = select_to_keep(infos, now, RotationPolicy(keep_latest=3, keep_hours=24, daily=7, weekly=4, monthly=12))
    expected = [
        (12, 2, 8), (12, 1, 18), (12, 1, 8),  # newest three; the last 24 h are among them
        (11, 30, 18), (11, 29, 18), (11, 28, 18), (11, 27, 18), (11, 26, 18),  # newest of each of 7 days
        (11, 22, 18), (11, 15, 18),  # newest of ISO weeks 47 and 46 (49 and 48 already kept above)
        (10, 31, 18), (9, 30, 18), (8, 31, 18), (7, 31, 18), (6, 30, 18), (5, 31, 18), (4, 30, 18),
        (3, 31, 18), (2, 28, 18), (1, 31, 18),  # newest of each month back to January 2026
    ]
    assert kept == {_info(datetime(2026, m, d, h)).path for m, d, h in expected}
    assert len(infos) == 799 and len(kept) == 20


def test_rotation_keeps_young_and_future_dated_backups_and_handles_nothing():
    now = datetime(2026, 1, 3, 12, 0)  # ISO week 1 of 2026 starts on Monday 29 December 2025
    policy = RotationPolicy(keep_latest=1, keep_hours=24, daily=1, weekly=2, monthly=1)
    infos = [_info(datetime(2026, 1, 2, 13, 0)), _info(datetime(2026, 1, 2, 11, 30)), _info(datetime(2027, 1, 1)),
             _info(datetime(2025, 12, 29, 9, 0)), _info(datetime(2025, 12, 28, 9, 0)),
             _info(datetime(2025, 12, 21, 9, 0))]
    kept = select_to_keep(infos, now, policy)
    # 2027: dated in the future (a wrong clock) and the newest: kept. 2 Jan 13:00: younger than 24 h and the
    # newest of ISO week 1/2026 and of January. 28 Dec: newest of ISO week 52/2025 (the week before).
    # Gone: 2 Jan 11:30 (24.5 h old, not the newest of anything), 29 Dec (week 1 has a newer one), 21 Dec.
    assert kept == {infos[0].path, infos[2].path, infos[4].path}
    assert select_to_keep([], now, policy) == set()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 1, 1)), max_size=60,
                unique=True), st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 6, 1)))
def test_rotation_is_idempotent_and_always_keeps_the_newest(moments: list[datetime], now: datetime):
    infos = [_info(m.replace(microsecond=0)) for m in moments]
    infos = list({i.path: i for i in infos}.values())
    policy = RotationPolicy()
    kept = select_to_keep(infos, now, policy)
    assert kept <= {i.path for i in infos}
    if infos:
        assert max(infos, key=lambda i: i.created).path in kept
    assert select_to_keep([i for i in infos if i.path in kept], now, policy) == kept


def test_rotate_deletes_what_is_not_kept_with_its_key_file(encrypted: Services):
    manager = _manager(encrypted)
    manager.policy = RotationPolicy(keep_latest=1, keep_hours=0, daily=1, weekly=0, monthly=0)
    old = manager.take("täglich", now=datetime(2026, 6, 1, 8, 0))
    new = manager.take("täglich", now=datetime(2026, 6, 2, 8, 0))
    assert old.key_file.exists()
    assert manager.rotate(datetime(2026, 6, 2, 9, 0)) == [old.path]
    assert not old.path.exists() and not old.key_file.exists()
    assert [i.path for i in manager.list()] == [new.path] and new.key_file.exists()


# --- verify and restore -------------------------------------------------------------------------------
def test_restore_brings_back_the_old_content_removes_the_stale_wal_and_keeps_a_pre_restore_backup(
        plain: Services, tmp_path: Path):
    manager = _manager(plain)
    chosen = manager.take("manuell", now=datetime(2026, 2, 1, 9, 0))
    _people(plain, "Spätereintrag")
    db = plain.store.path
    wal = db.with_name(db.name + "-wal")
    stale = tmp_path / "stale-wal"

    def close_live() -> None:
        # Keep the WAL of the old content (it holds "Spätereintrag"): an unclean end would leave one behind.
        assert wal.stat().st_size > 0
        shutil.copyfile(wal, stale)
        plain.close()
        shutil.copyfile(stale, wal)

    before = manager.restore(chosen, close_live)
    assert not wal.exists() and not db.with_name(db.name + "-shm").exists()
    assert not db.with_name(db.name + ".restore").exists()
    assert before.reason == "vor-wiederherstellung" and before.path.exists()
    reopened = Services.open(db, unencrypted=True)
    try:
        assert _family_names(reopened) == {"Haddad", "Nowak"}
        with reopened.store.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        reopened.close()
    saved = sqlite3.connect(f"file:{before.path}?mode=ro", uri=True)
    assert "Spätereintrag" in {r[0] for r in saved.execute("SELECT family_name FROM person")}
    saved.close()


@pytest.mark.parametrize("cut", ["half", "page"])
def test_a_truncated_backup_is_rejected_and_the_live_database_is_untouched(plain: Services, cut: str):
    manager = _manager(plain)
    _people(plain, *(f"Person{n}" for n in range(60)))  # a few pages, so a cut at a page boundary is possible
    info = manager.take("manuell")
    data = info.path.read_bytes()
    info.path.write_bytes(data[: len(data) // 2 + 7] if cut == "half" else data[:4096 * 2])
    db = plain.store.path
    plain.store.checkpoint()
    before = (_sha(db), _family_names(plain))
    assert not manager.verify(info)
    with pytest.raises(BackupError, match=r"unvollständig|beschädigt") as caught:
        manager.restore(info, plain.close)
    assert info.path.name in str(caught.value)
    assert (_sha(db), _family_names(plain)) == before
    assert [i.reason for i in manager.list()] == ["manuell"]  # no pre-restore backup for a refused restore
    plain.close()  # closing stores the query planner's statistics (PRAGMA optimize): the file as closed
    closed = _sha(db)
    with pytest.raises(BackupError):
        restore_backup(info.path, db, None)
    assert _sha(db) == closed


def test_restore_refuses_while_the_database_is_open(plain: Services):
    info = _manager(plain).take("manuell")
    db = plain.store.path
    before = _sha(db)
    with pytest.raises(BackupError, match="noch geöffnet"):
        restore_backup(info.path, db, None)
    assert _sha(db) == before


def test_a_backup_from_before_a_passphrase_change_needs_the_old_passphrase(encrypted: Services):
    manager = _manager(encrypted)
    info = manager.take("manuell")
    _people(encrypted, "Spätereintrag")
    encrypted.change_passphrase(PASSPHRASE, "die neue lange passphrase")
    assert not manager.verify(info)
    with pytest.raises(BackupPassphraseRequired):
        manager.restore(info, encrypted.close)
    with pytest.raises(BackupError, match="Passphrase nicht öffnen"):
        manager.restore(info, encrypted.close, passphrase="die neue lange passphrase")
    assert manager.verify(info, PASSPHRASE)
    manager.restore(info, encrypted.close, passphrase=PASSPHRASE)
    db = encrypted.store.path
    assert not crypto.pending_key_file_for(db).exists()
    assert crypto.key_file_for(db).read_bytes() == info.key_file.read_bytes()
    reopened = Services.open(db, passphrase=PASSPHRASE)  # the restored data has the passphrase of its day
    try:
        assert _family_names(reopened) == {CANARY, "Nowak"}
    finally:
        reopened.close()


def test_a_plain_backup_is_not_restored_over_an_encrypted_database(tmp_path: Path, encrypted: Services):
    other = Services.open(tmp_path / "other" / "db.sqlite3", unencrypted=True)
    plain_info = _manager(other).take("manuell")
    other.close()
    with pytest.raises(BackupError, match="unverschlüsselt"):
        _manager(encrypted).restore(plain_info, encrypted.close)
    assert _family_names(encrypted) == {CANARY, "Nowak"}
