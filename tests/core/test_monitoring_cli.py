"""``export-counts`` as a user runs it: a small demo database, every format, exit codes, one-line errors."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from bildungskoordination.cli import main
from bildungskoordination.services import Services


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("monitoring") / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--persons", "120", "--seed", "2"]) == 0
    return path


def export(db: Path, *args: str, capsys) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main(["--db", str(db), "export-counts", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_exports_every_format_with_a_one_line_summary_and_logs_it(db, tmp_path, capsys):
    for fmt in ("xlsx", "csv", "pdf"):
        target = tmp_path / f"zahlen.{fmt}"
        code, out, err = export(db, "--year", "2026", "--out", str(target), capsys=capsys)
        assert code == 0, err
        lines = out.strip().splitlines()
        assert len(lines) == 1
        assert str(target) in lines[0] and "2026 (01.01.2026 – 31.12.2026)" in lines[0]
        assert "11 Tabellen" in lines[0] and "geheim gehalten (k = 3)" in lines[0]
    assert (tmp_path / "zahlen.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "zahlen.pdf").read_bytes().startswith(b"%PDF")
    wb = openpyxl.load_workbook(io.BytesIO((tmp_path / "zahlen.xlsx").read_bytes()))
    assert wb.sheetnames[0] == "Erläuterungen" and len(wb.sheetnames) == 12
    services = Services.open(db)
    try:
        history = services.monitoring.export_history()
    finally:
        services.close()
    assert sorted(e.file_format for e in history[-3:]) == ["csv", "pdf", "xlsx"]


def test_range_tables_format_and_k(db, tmp_path, capsys):
    target = tmp_path / "q1.dat"
    code, out, err = export(db, "--from", "2026-01-01", "--to", "2026-03-31", "--format", "CSV", "--k", "5",
                            "--tables", "personen_geschlecht, beratung_themen", "--out", str(target), capsys=capsys)
    assert code == 0, err
    assert "1. Quartal 2026" in out and "2 Tabellen" in out and "(k = 5)" in out
    text = target.read_bytes().decode("utf-8-sig")
    assert "Mindestfallzahl (k);5" in text and "Beratene Personen nach Geschlecht" in text
    assert "Wohnort" not in text


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-13-01", "--to", "2026-12-31"], "--from „2026-13-01“ ist kein gültiges Datum"),
    (["--from", "2026-03-01", "--to", "2026-02-01"], "das Ende (01.02.2026) liegt vor dem Beginn"),
    (["--year", "26"], "--year „26“ ist kein Jahr"),
    (["--from", "2026-01-01"], "Zeitraum fehlt"),
    (["--year", "2026", "--k", "2"], "--k 2 ist zu klein: die Mindestfallzahl ist mindestens 3"),
    (["--year", "2026", "--k", "drei"], "--k „drei“ ist keine ganze Zahl"),
    (["--year", "2026", "--format", "ods"], "Format „ods“ unbekannt"),
    (["--year", "2026", "--tables", "personen_geschlecht,gibtsnicht"], "gibtsnicht"),
])
def test_a_mistake_is_one_line_exit_1_and_writes_nothing(db, tmp_path, capsys, args, message):
    target = tmp_path / "zahlen.xlsx"
    code, out, err = export(db, *args, "--out", str(target), capsys=capsys)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert err.startswith("bildungskoordination: Fehler:") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_help_does_not_load_the_database_layer():
    code = ("import sys\nfrom bildungskoordination.cli import main\n"
            "try:\n    main(['export-counts', '--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy', 'openpyxl', 'reportlab'))]\n"
            "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "--year" in result.stdout and "--tables" in result.stdout


def test_differencing_warning_stops_the_export_unless_ignored(tmp_path, capsys):
    # Q1 first, then January–April: the difference of the two is April alone, with small counts in it.
    db = tmp_path / "own.sqlite3"   # an export log of its own
    assert main(["--db", str(db), "demo", "--persons", "120", "--seed", "2"]) == 0
    code, _out, err = export(db, "--from", "2026-01-01", "--to", "2026-03-31", "--out", str(tmp_path / "q1.csv"),
                             capsys=capsys)
    assert code == 0, err
    target = tmp_path / "jan-apr.csv"
    code, out, err = export(db, "--from", "2026-01-01", "--to", "2026-04-30", "--out", str(target), capsys=capsys)
    assert code == 1 and "Hinweis: Vorsicht" in err and "nicht gespeichert" in err and "--ignore-warnings" in err
    assert not target.exists() and out == ""
    code, out, err = export(db, "--from", "2026-01-01", "--to", "2026-04-30", "--out", str(target),
                            "--ignore-warnings", capsys=capsys)
    assert code == 0 and target.exists() and "Hinweis: Vorsicht" in err
