"""One database, one app: a second instance (another process) gets AlreadyOpen and disturbs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bildungskoordination.people.records import PersonData
from bildungskoordination.services import AlreadyOpen, Services

from .crashkit import Worker
from .support import PASSPHRASE, copy_db, run_probe, side, state

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the holder process is driven through select() on pipes")

MESSAGE = "schon in einem anderen Fenster oder Programm geöffnet"
KINDS = [pytest.param(False, id="unverschluesselt"), pytest.param(True, id="verschluesselt")]


def _holder(db: Path, encrypted: bool, tmp_path: Path) -> Worker:
    worker = Worker(db, "s", PASSPHRASE if encrypted else None, tmp_path / "holder-stderr.txt")
    worker.wait_for("READY")
    worker.go(0, "hold")
    worker.wait_for("OPEN")
    return worker


@pytest.mark.parametrize("encrypted", KINDS)
def test_second_instance_is_refused_until_the_first_closes(golden, tmp_path: Path, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    db = copy_db(golden["encrypted" if encrypted else "plain"], tmp_path / "db")
    passphrase = PASSPHRASE if encrypted else None
    worker = _holder(db, encrypted, tmp_path)
    try:
        lock_text = side(db, ".lock").read_bytes()
        assert lock_text.startswith(b"open pid=%d" % worker.proc.pid)
        before = state(db)
        with pytest.raises(AlreadyOpen) as info:
            Services.open(db, passphrase=passphrase)
        assert MESSAGE in str(info.value) and ".lock" in str(info.value)
        # the refused attempt touched nothing: not the data, not the first instance's marker
        assert state(db) == before
        assert side(db, ".lock").read_bytes() == lock_text
        # reading along is allowed (read-only does not take the lock)
        reader = Services.open(db, passphrase=passphrase, read_only=True)
        try:
            assert reader.people.count() == 50
        finally:
            reader.close()
        worker.send("CLOSE")
        worker.wait_for("CLOSED")
    finally:
        worker.kill()
        worker.close()
    assert side(db, ".lock").read_text().startswith("closed")
    services = Services.open(db, passphrase=passphrase)
    try:
        assert services.people.count() == 50
    finally:
        services.close()


@pytest.mark.parametrize("encrypted", KINDS)
def test_other_process_is_refused_while_this_one_holds_it(golden, tmp_path: Path, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    db = copy_db(golden["encrypted" if encrypted else "plain"], tmp_path / "db")
    passphrase = PASSPHRASE if encrypted else None
    services = Services.open(db, passphrase=passphrase)
    try:
        services.people.create(PersonData(family_name="Erste", given_name="Instanz"))
        r = run_probe({"db": str(db), "passphrase": passphrase, "write": True})
        assert r["open"]["type"] == "AlreadyOpen" and MESSAGE in r["open"]["message"], r
        services.people.create(PersonData(family_name="Erste", given_name="Weiter"))  # undisturbed
        assert services.people.count() == 52
    finally:
        services.close()
    r = run_probe({"db": str(db), "passphrase": passphrase})
    assert (r["open"], r["count_before"]) == ("ok", 52)


def test_cli_says_already_open_in_one_line(golden, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = copy_db(golden["plain"], tmp_path / "db")
    services = Services.open(db)
    try:
        env = {k: v for k, v in os.environ.items() if k != "BILDUNGSKOORDINATION_PASSPHRASE"}
        result = subprocess.run([sys.executable, "-m", "bildungskoordination", "--db", str(db), "search", ""],
                                capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    finally:
        services.close()
    assert result.returncode == 1
    assert result.stderr.startswith("bildungskoordination: Fehler: Die Datenbank ist schon in einem anderen")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_killed_first_instance_releases_the_database(golden, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The OS drops the lock with the process: after a crash the next start is not locked out."""
    db = copy_db(golden["plain"], tmp_path / "db")
    worker = _holder(db, False, tmp_path)
    worker.kill()
    worker.close()
    assert side(db, ".lock").read_text().startswith("open")  # the crash is visible to the next start
    services = Services.open(db)
    try:
        assert services.people.count() == 50
    finally:
        services.close()
