"""A wrong passphrase: one clear error, and not a single byte of the database, its WAL or key file changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bildungskoordination.services import DatabaseDamaged, Services, WrongPassphrase

from .support import PASSPHRASE, copy_db, populate, side, snapshot_open, state

WRONG = ("falsche Passphrase, ganz sicher", "", " " + PASSPHRASE, PASSPHRASE.upper(), PASSPHRASE[:-1])
ALL = ("", "-wal", "-shm", ".key.json", ".lock")


@pytest.fixture
def crashed(golden: dict[str, Path], tmp_path: Path) -> Path:
    """An encrypted database as a crash leaves it: saves still in the -wal, lock file says "open"."""
    services = Services.open(copy_db(golden["encrypted"], tmp_path / "live"), passphrase=PASSPHRASE)
    try:
        populate(services, 5, prefix="W")
        copy = snapshot_open(services, tmp_path / "crashed")
    finally:
        services.close()
    assert side(copy, "-wal").stat().st_size > 0
    return copy


@pytest.mark.parametrize("which", ["sauber", "nach-absturz"])
@pytest.mark.parametrize("wrong", WRONG, ids=["anders", "leer", "leerzeichen", "gross", "gekuerzt"])
def test_wrong_passphrase_is_refused_and_changes_nothing(encrypted_db: Path, crashed: Path, which: str,
                                                         wrong: str) -> None:
    db = encrypted_db if which == "sauber" else crashed
    before = state(db)
    lock_before = side(db, ".lock").read_bytes()
    with pytest.raises(WrongPassphrase) as info:
        Services.open(db, passphrase=wrong)
    assert str(info.value) == "Passphrase falsch"
    assert state(db) == before
    assert side(db, ".lock").read_bytes() == lock_before  # a crashed session stays marked as crashed
    services = Services.open(db, passphrase=PASSPHRASE)  # and the right one still opens everything
    try:
        assert services.people.count() == (50 if which == "sauber" else 55)
    finally:
        services.close()


def test_many_wrong_attempts_change_nothing(crashed: Path) -> None:
    before = state(crashed, ALL[:2] + (".key.json",))
    for i in range(5):
        with pytest.raises(WrongPassphrase):
            Services.open(crashed, passphrase=f"Rateversuch {i}")
    assert state(crashed, ALL[:2] + (".key.json",)) == before


def _cli(db: Path, passphrase: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BILDUNGSKOORDINATION_PASSPHRASE"}
    env["BILDUNGSKOORDINATION_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "bildungskoordination", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("which", ["sauber", "nach-absturz"])
def test_cli_wrong_passphrase_message_and_exit_status(encrypted_db: Path, crashed: Path, which: str,
                                                      tmp_path: Path) -> None:
    db = encrypted_db if which == "sauber" else crashed
    source = tmp_path / "import.csv"
    source.write_text("Familienname;Vorname\nTest;Person\n", encoding="utf-8")
    before = state(db)
    for args in (("search", ""), ("show", "R-0001"), ("import-persons", str(source)), ("init",)):
        result = _cli(db, "falsch falsch falsch", *args)
        assert (result.returncode, result.stdout, result.stderr) == (
            1, "", "bildungskoordination: Fehler: Passphrase falsch\n"), args
        assert state(db) == before, args
    assert _cli(db, PASSPHRASE, "search", "").returncode == 0


def test_key_file_of_another_database_is_refused_and_changes_nothing(golden: dict[str, Path],
                                                                     tmp_path: Path) -> None:
    """Two encrypted databases, key files swapped (a copy mix-up): refused, and nothing changes."""
    first = copy_db(golden["encrypted"], tmp_path / "a")
    second = tmp_path / "b" / first.name
    services = Services.open(second, passphrase=PASSPHRASE, fast_kdf=True)
    services.close()
    side(first, ".key.json").write_bytes(side(second, ".key.json").read_bytes())
    before = state(first)
    # Either answer is right: the passphrase fits the key file, the key file does not fit the database.
    with pytest.raises((WrongPassphrase, DatabaseDamaged)):
        Services.open(first, passphrase=PASSPHRASE)
    assert state(first) == before
