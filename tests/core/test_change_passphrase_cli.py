"""``change-passphrase``: the new passphrase from BILDUNGSKOORDINATION_NEW_PASSPHRASE or asked twice."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest

from bildungskoordination.cli import main
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services, WrongPassphrase

OLD, NEW = "die erste lange Passphrase", "eine ganz andere lange Passphrase"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("BILDUNGSKOORDINATION_PASSPHRASE", raising=False)
    monkeypatch.delenv("BILDUNGSKOORDINATION_NEW_PASSPHRASE", raising=False)
    path = tmp_path / "db.sqlite3"
    services = Services.open(path, passphrase=OLD, fast_kdf=True)
    services.people.create(PersonData(family_name="Kovalenko", given_name="Olena"))
    services.close()
    return path


def _opens_with(path: Path, passphrase: str) -> bool:
    try:
        services = Services.open(path, passphrase=passphrase)
    except WrongPassphrase:
        return False
    try:
        assert services.people.count() == 1  # nothing lost
    finally:
        services.close()
    return True


def test_new_passphrase_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("BILDUNGSKOORDINATION_PASSPHRASE", OLD)
    monkeypatch.setenv("BILDUNGSKOORDINATION_NEW_PASSPHRASE", NEW)
    assert main(["--db", str(db), "change-passphrase"]) == 0
    assert "Passphrase geändert" in capsys.readouterr().out
    assert _opens_with(db, NEW) and not _opens_with(db, OLD)


def test_new_passphrase_asked_twice_in_the_terminal(db: Path, monkeypatch: pytest.MonkeyPatch):
    answers = iter([OLD, NEW, NEW])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert main(["--db", str(db), "change-passphrase"]) == 0
    assert _opens_with(db, NEW)


def test_two_different_answers_change_nothing(db: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    answers = iter([OLD, NEW, NEW + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert main(["--db", str(db), "change-passphrase"]) == 1
    assert "stimmen nicht überein" in capsys.readouterr().err
    assert _opens_with(db, OLD)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("nicht die richtige", NEW, "Passphrase falsch"),
    (OLD, "kurz", "zu kurz"),
])
def test_wrong_old_or_short_new_passphrase_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch, capsys,
                                                      old: str, new: str, message: str):
    monkeypatch.setenv("BILDUNGSKOORDINATION_PASSPHRASE", old)
    monkeypatch.setenv("BILDUNGSKOORDINATION_NEW_PASSPHRASE", new)
    assert main(["--db", str(db), "change-passphrase"]) == 1
    assert message in capsys.readouterr().err
    assert _opens_with(db, OLD)


def test_without_a_terminal_the_missing_passphrase_is_named(db: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("BILDUNGSKOORDINATION_PASSPHRASE", OLD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["--db", str(db), "change-passphrase"]) == 1
    assert "BILDUNGSKOORDINATION_NEW_PASSPHRASE" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True
