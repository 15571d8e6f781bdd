"""Confirmed saves that a damaged ``-wal`` would drop are never lost silently (issue 16, point 1 and 3).

Every acknowledged save bumps a commit counter inside the database (``PRAGMA user_version``, same
transaction) and is recorded, fsynced, in the lock file. After an unclean end each variant below damages the
WAL of a database whose last ten saves are only in the WAL. SQLite itself would open such a file normally
and answer without those saves (and its next checkpoint would make the loss permanent); the app must refuse
with DatabaseDamaged – the recovery dialog – naming what is missing, and leave every byte as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bildungskoordination.services import DatabaseDamaged, Services
from bildungskoordination.store.lock import RECORD_SIZE, parse_record
from bildungskoordination.store.wal import HEADER_SIZE, inspect_wal

from .support import PASSPHRASE, copy_db, populate, side, snapshot_open, state

PAGE = 4096
FRAME = 24 + PAGE


def _crashed(golden: dict[str, Path], tmp_path: Path, encrypted: bool) -> Path:
    """A database whose last ten saves are only in its WAL, as a crash right now would leave it."""
    db = copy_db(golden["encrypted" if encrypted else "plain"], tmp_path / "live")
    services = Services.open(db, passphrase=PASSPHRASE if encrypted else None)
    try:
        populate(services, 10, prefix="NEU")
        crashed = snapshot_open(services, tmp_path / "crashed")
    finally:
        services.close()
    return crashed


def _flip(frame: int, offset: int) -> Callable[[Path], None]:
    def mutate(wal: Path) -> None:
        data = bytearray(wal.read_bytes())
        data[HEADER_SIZE + frame * FRAME + offset] ^= 0x10
        wal.write_bytes(bytes(data))
    return mutate


def _truncate(keep: Callable[[int], int]) -> Callable[[Path], None]:
    def mutate(wal: Path) -> None:
        with wal.open("r+b") as fh:
            fh.truncate(keep(wal.stat().st_size))
    return mutate


WAL_DAMAGE: list[tuple[str, Callable[[Path], None]]] = [
    ("bit-in-seite-frame-2", _flip(2, 24 + 1000)),
    ("bit-im-framekopf-frame-1", _flip(1, 2)),
    ("bit-in-pruefsumme-frame-0", _flip(0, 17)),
    ("bit-im-salz-frame-3", _flip(3, 9)),
    ("bit-im-wal-kopf", lambda wal: _flip(0, -HEADER_SIZE + 13)(wal)),
    ("halb-abgeschnitten", _truncate(lambda n: n // 2)),
    ("letzter-frame-halb", _truncate(lambda n: n - FRAME // 2)),
    ("nur-kopf", _truncate(lambda n: HEADER_SIZE)),
    ("geleert", _truncate(lambda n: 0)),
    ("geloescht", lambda wal: wal.unlink()),
]


@pytest.mark.parametrize("encrypted", [False, True], ids=["unverschluesselt", "verschluesselt"])
@pytest.mark.parametrize("name,mutate", WAL_DAMAGE, ids=[v[0] for v in WAL_DAMAGE])
def test_damaged_wal_with_confirmed_saves_is_refused_and_named(golden: dict[str, Path], tmp_path: Path,
                                                                 encrypted: bool, name: str,
                                                                 mutate: Callable[[Path], None]) -> None:
    crashed = _crashed(golden, tmp_path, encrypted)
    assert side(crashed, "-wal").stat().st_size > 4 * FRAME
    mutate(side(crashed, "-wal"))
    side(crashed, "-shm").unlink(missing_ok=True)
    before = state(crashed)
    passphrase = PASSPHRASE if encrypted else None
    with pytest.raises(DatabaseDamaged) as info:
        Services.open(crashed, passphrase=passphrase).close()
    message = str(info.value)
    assert "-wal" in message and "beschädigt" in message
    assert "Speicherung" in message, message  # says that confirmed saves are what is missing
    assert state(crashed) == before, "the evidence was written to"
    with pytest.raises(DatabaseDamaged):  # and again at the next start: nothing "repaired" behind the back
        Services.open(crashed, passphrase=passphrase).close()


def test_the_message_counts_the_missing_saves(golden: dict[str, Path], tmp_path: Path) -> None:
    crashed = _crashed(golden, tmp_path, False)
    _truncate(lambda n: 0)(side(crashed, "-wal"))
    with pytest.raises(DatabaseDamaged, match=r"(1[0-9]|[2-9][0-9]) bestätigte Speicherung\(en\) fehlen") as info:
        Services.open(crashed)
    assert "ist leer" in str(info.value)


@pytest.mark.parametrize("encrypted", [False, True], ids=["unverschluesselt", "verschluesselt"])
def test_intact_wal_after_a_crash_opens_with_every_save(golden: dict[str, Path], tmp_path: Path,
                                                        encrypted: bool) -> None:
    crashed = _crashed(golden, tmp_path, encrypted)
    report = inspect_wal(side(crashed, "-wal"))
    assert report is not None and report.valid_commits >= 10 and report.lost_commits == 0
    services = Services.open(crashed, passphrase=PASSPHRASE if encrypted else None)
    try:
        assert services.people.count() == 60
    finally:
        services.close()


def test_damaged_lock_record_falls_back_to_the_wal_frames(golden: dict[str, Path], tmp_path: Path) -> None:
    crashed = _crashed(golden, tmp_path, False)
    lock = side(crashed, ".lock")
    data = bytearray(lock.read_bytes())
    data[20] ^= 0x01  # the record's CRC no longer matches: the counter is unknown
    lock.write_bytes(bytes(data))
    assert parse_record(bytes(data))[0] == "damaged"
    _flip(2, 24 + 77)(side(crashed, "-wal"))
    with pytest.raises(DatabaseDamaged, match="-wal"):
        Services.open(crashed).close()


def test_every_save_is_recorded_outside_the_database(plain_db: Path) -> None:
    services = Services.open(plain_db)
    try:
        before = services.store.commits
        populate(services, 2, prefix="Z")
        record = parse_record(side(plain_db, ".lock").read_bytes())
        assert record == ("open", services.store.commits) and services.store.commits > before
        with services.store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == services.store.commits
    finally:
        services.close()
    assert parse_record(side(plain_db, ".lock").read_bytes())[0] == "closed"
    assert side(plain_db, ".lock").stat().st_size == RECORD_SIZE


# --- closing cannot fake damage (point 3) -------------------------------------------------------------------
@pytest.mark.parametrize("fail_in", ["optimize", "checkpoint", "mark_clean", "store.close"])
def test_a_failure_while_closing_leaves_a_state_the_next_start_opens(plain_db: Path, fail_in: str) -> None:
    services = Services.open(plain_db)
    populate(services, 5, prefix="ZU")

    def boom(*_args: object, **_kwargs: object) -> None:
        raise MemoryError() if fail_in != "mark_clean" else OSError(28, "No space left on device")

    target = {"optimize": services.store, "checkpoint": services.store, "store.close": services.store,
              "mark_clean": services.lock}[fail_in]
    attribute = fail_in.split(".")[-1]
    original = getattr(target, attribute)
    if fail_in == "store.close":
        def close_then_fail() -> None:
            original()
            raise MemoryError()
        setattr(target, attribute, close_then_fail)
    else:
        setattr(target, attribute, boom)
    services.close()  # never raises
    # Whatever state was left (the WAL may be gone while the mark still says "open"): the next start opens
    # the intact database with every save, and not as "damaged".
    again = Services.open(plain_db)
    try:
        assert again.people.count() == 55
    finally:
        again.close()
    assert parse_record(side(plain_db, ".lock").read_bytes())[0] == "closed"


@pytest.mark.parametrize("how", ["geloescht", "geleert"])
def test_a_missing_database_file_with_confirmed_saves_is_not_a_new_database(plain_db: Path, how: str) -> None:
    if how == "geloescht":
        plain_db.unlink()
    else:
        plain_db.write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match="Datenbankdatei fehlt oder ist leer"):
        Services.open(plain_db, unencrypted=True)
    assert not plain_db.exists() or plain_db.stat().st_size == 0
