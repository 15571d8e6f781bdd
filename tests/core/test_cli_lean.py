"""Issue 13: a whole-process CLI ``search`` imports only what a search needs – no Qt, no PDF or spreadsheet
libraries, no migrations, not the course, matching, letter or monitoring services – and reads no whole file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services

PASSPHRASE = "eine lange Passphrase für den Test"
NEVER_IN_A_SEARCH = ("PySide6", "reportlab", "openpyxl", "pikepdf", "pypdfium2", "uharfbuzz", "alembic", "babel",
                     "bildungskoordination.gui", "bildungskoordination.matching", "bildungskoordination.letters.service",
                     "bildungskoordination.monitoring.service", "bildungskoordination.courses",
                     # a file database needs neither the PostgreSQL dialect nor psycopg (≈ 50 ms at every start)
                     "sqlalchemy.dialects.postgresql", "psycopg")

PROBE = """
import json, sys
from bildungskoordination.store import checks
calls = []
real = checks.precheck
def spy(path, key, *, full=True):
    calls.append(full)
    return real(path, key, full=full)
import bildungskoordination.store.engine as engine
engine.precheck = spy
from bildungskoordination.cli import main
code = main(["--db", sys.argv[1], "search", "Kovalenko", "--json"])
print(json.dumps({"code": code, "modules": sorted(sys.modules), "prechecks": calls}))
"""


def _database(tmp_path: Path) -> Path:
    db = tmp_path / "db.sqlite3"
    services = Services.open(db, passphrase=PASSPHRASE, fast_kdf=True)
    try:
        services.people.create(PersonData(family_name="Kovalenko", given_name="Olena", file_number="T-1"))
    finally:
        services.close()
    return db


def test_a_cli_search_imports_only_what_it_needs(tmp_path: Path) -> None:
    db = _database(tmp_path)
    env = dict(os.environ, BILDUNGSKOORDINATION_PASSPHRASE=PASSPHRASE)
    result = subprocess.run([sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, timeout=120,
                            env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    assert report["code"] == 0
    assert json.loads("\n".join(lines[:-1]))[0]["family_name"] == "Kovalenko"
    heavy = sorted(m for m in report["modules"] if m.startswith(NEVER_IN_A_SEARCH))
    assert not heavy, f"a CLI search imported {heavy}"
    assert report["prechecks"] == [False], "a search after a clean end read the whole file before answering"


def test_python_importtime_of_a_search_names_none_of_the_heavy_modules(tmp_path: Path) -> None:
    """The same seen from outside, as a developer would check it: ``python -X importtime``."""
    db = _database(tmp_path)
    env = dict(os.environ, BILDUNGSKOORDINATION_PASSPHRASE=PASSPHRASE)
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bildungskoordination", "--db", str(db),
                             "search", "Olena"], capture_output=True, text=True, timeout=120, env=env,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "Kovalenko" in result.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "bildungskoordination.services" in imported  # the probe works
    assert not sorted(m for m in imported if m.startswith(NEVER_IN_A_SEARCH))
