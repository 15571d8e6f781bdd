"""Issue 13: nothing proportional to the database before the first window. The whole-file ``quick_check``
runs before opening only after an unclean end (or for an unencrypted file, which has no page checksums);
after a clean end it runs on a thread right after the start, and with every backup – and what it finds goes
to ``Services.damage`` (the GUI offers recovery from there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bildungskoordination.privacy.backup_restore import BackupError
from bildungskoordination.services import DatabaseDamaged, Services
from bildungskoordination.store import checks

from .support import PASSPHRASE, populate, side, snapshot_open, state
from .test_corruption import PAGE, _flip_random_byte


@pytest.fixture
def whole_file_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records every start-up precheck: True = the whole-file quick_check, False = header and schema only."""
    calls: list[bool] = []
    real = checks.precheck

    def spy(path: Path, key: bytes | None, *, full: bool = True) -> int:
        calls.append(full)
        return real(path, key, full=full)

    monkeypatch.setattr(checks, "precheck", spy)
    import bildungskoordination.store.engine as engine

    monkeypatch.setattr(engine, "precheck", spy)
    return calls


def test_a_clean_start_of_an_encrypted_database_reads_no_whole_file(encrypted_db: Path,
                                                                   whole_file_checks: list[bool]) -> None:
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    try:
        assert whole_file_checks == [False], "the start ran the whole-file quick_check"
        assert services.full_check_pending
        check = services.check_in_background()
        assert check is not None
        assert check.wait(60) is True
        assert services.damage.found is None
        assert services.check_in_background() is None, "checked twice"
    finally:
        services.close()


def test_after_an_unclean_end_the_whole_file_is_checked_before_opening(encrypted_db: Path, tmp_path: Path,
                                                                        whole_file_checks: list[bool]) -> None:
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    try:
        populate(services, 3, prefix="NEU")
        crashed = snapshot_open(services, tmp_path / "crashed")  # the files as a crash would leave them
    finally:
        services.close()
    whole_file_checks.clear()
    after_crash = Services.open(crashed, passphrase=PASSPHRASE)
    try:
        assert whole_file_checks == [True]
        assert not after_crash.full_check_pending and after_crash.check_in_background() is None
    finally:
        after_crash.close()


def test_an_unencrypted_database_is_always_checked_whole_before_opening(plain_db: Path,
                                                                        whole_file_checks: list[bool]) -> None:
    Services.open(plain_db).close()
    assert whole_file_checks == [True]


def test_damage_the_start_did_not_read_is_reported_by_the_background_check(encrypted_db: Path) -> None:
    _flip_random_byte(4, page=encrypted_db.stat().st_size // PAGE)(encrypted_db)  # the last page
    before = state(encrypted_db)["db"]
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)  # the start reads header and schema only
    reported: list[DatabaseDamaged] = []
    services.damage.subscribe(reported.append)
    try:
        check = services.check_in_background()
        assert check is not None and check.wait(60) is False
        assert len(reported) == 1 and "beschädigt" in str(reported[0])
    finally:
        services.close()
    assert state(encrypted_db)["db"] == before, "the WAL was moved into the damaged file"
    with pytest.raises(DatabaseDamaged):  # the end was left unclean: the next start checks before opening
        Services.open(encrypted_db, passphrase=PASSPHRASE)


def test_a_listener_that_subscribes_late_still_hears_of_the_damage(encrypted_db: Path) -> None:
    _flip_random_byte(2, page=encrypted_db.stat().st_size // PAGE - 1)(encrypted_db)
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    try:
        check = services.check_in_background()
        assert check is not None
        check.wait(60)
        heard: list[DatabaseDamaged] = []
        services.damage.subscribe(heard.append)
        assert len(heard) == 1
    finally:
        services.close()


def test_a_backup_of_a_damaged_database_reports_the_damage(encrypted_db: Path, tmp_path: Path) -> None:
    _flip_random_byte(3, page=encrypted_db.stat().st_size // PAGE)(encrypted_db)
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    reported: list[DatabaseDamaged] = []
    services.damage.subscribe(reported.append)
    try:
        assert services.backups is not None
        services.backups.folder = tmp_path / "Sicherungen"
        with pytest.raises(BackupError, match="beschädigt"):
            services.backups.take("manuell")
        assert len(reported) == 1
        assert not list((tmp_path / "Sicherungen").glob("*.sqlite3")), "a backup of a damaged file was kept"
    finally:
        services.close()


def test_closing_stops_a_running_check(encrypted_db: Path) -> None:
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    check = services.check_in_background()
    assert check is not None
    services.close()
    assert not check.running()
    assert not side(encrypted_db, "-wal").exists() or side(encrypted_db, "-wal").stat().st_size == 0
