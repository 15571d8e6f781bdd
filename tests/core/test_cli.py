"""The command line, run as a user would: one process per command, output and exit status checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLE = """Nr;Familienname;Vorname;Name in Originalschrift;Geburtsdatum;Geschlecht;Staatsangehörigkeit;\
Aufenthaltsstatus;Einreise;Wohnort;Telefon;Deutschniveau;Alphabetisierung;Sprachen;Kinderbetreuung;Verfügbarkeit;\
Briefsprache;Einwilligung
TS-2025-0001;Al-Hassan;Rania;رانيا الحسن;14.03.1994;w;Syrien;§ 25 Abs. 2 AufenthG;11.09.2023;Konz;0170 1234567;A1;\
lateinisch;ar, en;ja;vormittags;ar;02.10.2025
TS-2025-0003;Kovalenko;Olena;Олена Коваленко;22.07.1979;w;Ukraine;§ 24 AufenthG;15.04.2022;Saarburg;0151 7654321;A2;\
lateinisch;uk, ru;nein;abends;uk;20.05.2022
"""


def run(*args: str, db: Path, passphrase: str | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "BILDUNGSKOORDINATION_PASSPHRASE"}
    if passphrase is not None:
        env["BILDUNGSKOORDINATION_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "bildungskoordination", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)


def test_help_answers_without_loading_qt_or_the_database():
    code = ("import sys\nfrom bildungskoordination.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy', 'alembic'))]\n"
            "assert not heavy, heavy\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "import-persons" in result.stdout and "search" in result.stdout


def test_init_demo_search_show(tmp_path):
    db = tmp_path / "db.sqlite3"
    demo = run("demo", "--persons", "30", "--seed", "3", db=db)
    assert demo.returncode == 0, demo.stderr
    assert "30 Beispielpersonen" in demo.stdout
    result = run("search", "", "--json", "--limit", "5", db=db)
    rows = json.loads(result.stdout)
    assert len(rows) == 5
    assert {"id", "file_number", "family_name", "given_name", "birth_date"} <= set(rows[0])
    first = rows[0]
    by_number = run("show", first["file_number"], db=db)
    by_id = run("show", str(first["id"]), db=db)
    assert by_number.returncode == 0 and by_number.stdout == by_id.stdout
    assert first["family_name"] in by_number.stdout


def test_import_then_search_by_variant(tmp_path):
    db = tmp_path / "db.sqlite3"
    assert run("--unencrypted", "init", db=db).returncode == 0
    source = tmp_path / "personen.csv"
    source.write_text(SAMPLE, encoding="utf-8")
    result = run("import-persons", str(source), db=db)
    assert result.returncode == 0, result.stderr
    assert "2 Personen eingelesen" in result.stdout
    found = json.loads(run("search", "Kowalenko", "--json", db=db).stdout)
    assert [(r["file_number"], r["birth_date"]) for r in found] == [("TS-2025-0003", "22.07.1979")]


def test_broken_import_reports_file_row_column_and_writes_nothing(tmp_path):
    db = tmp_path / "db.sqlite3"
    assert run("--unencrypted", "init", db=db).returncode == 0
    source = tmp_path / "kaputt.csv"
    source.write_text(SAMPLE.replace("22.07.1979", "31.02.1979"), encoding="utf-8")
    result = run("import-persons", str(source), db=db)
    assert result.returncode != 0
    assert f"{source}:3: Geburtsdatum: „31.02.1979“: diesen Tag gibt es nicht" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(run("search", "", "--json", db=db).stdout) == []


def test_errors_are_one_line_without_traceback(tmp_path):
    db = tmp_path / "db.sqlite3"
    assert run("--unencrypted", "init", db=db).returncode == 0
    result = run("show", "TS-0000-9999", db=db)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "keine Person mit Id oder Aktenzeichen „TS-0000-9999“" in result.stderr
    missing = run("import-persons", str(tmp_path / "gibt-es-nicht.csv"), db=db)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    not_a_db = tmp_path / "text.sqlite3"
    not_a_db.write_text("kein SQLite" * 20)
    broken = run("search", "x", db=not_a_db)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert "keine SQLite-Datenbank" in broken.stderr


def test_encrypted_database_through_the_cli(tmp_path):
    db = tmp_path / "db.sqlite3"
    secret = "vier zufällige Wörter reichen"
    created = run("init", db=db, passphrase=secret)
    assert created.returncode == 0 and "verschlüsselt" in created.stdout
    assert db.with_name(db.name + ".key.json").exists()
    assert run("demo", "--persons", "5", db=db, passphrase=secret).returncode == 0
    assert len(json.loads(run("search", "", "--json", db=db, passphrase=secret).stdout)) == 5
    wrong = run("search", "", "--json", db=db, passphrase="falsch falsch falsch")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "bildungskoordination: Fehler: Passphrase falsch"
    missing = run("search", "", db=db)
    assert missing.returncode == 1 and "Passphrase nötig" in missing.stderr


def test_a_new_database_is_never_silently_unencrypted(tmp_path):
    db = tmp_path / "neu.sqlite3"
    result = run("init", db=db)
    assert result.returncode == 1 and "Passphrase nötig" in result.stderr
    assert not db.exists()
    plain = run("--unencrypted", "init", db=db)
    assert plain.returncode == 0 and "UNVERSCHLÜSSELT" in plain.stdout
