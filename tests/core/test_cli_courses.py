"""The course commands of the command line (import-courses, match, candidates, refer, referral-status), run as
a user would: one process per command on a plain database file, output and exit status checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The rows of shared/samples/kurse.csv.
COURSES = """Träger;Kursnummer;Kursart;Einstiegsniveau;Zielniveau;Beginn;Ende;Anmeldeschluss;UE;Tage;Uhrzeit;Form;\
Ort;Adresse;Kinderbetreuung;Plätze;Freie Plätze;Zielgruppe;Kosten;Ansprechperson;Telefon;E-Mail
Kreisvolkshochschule Trier-Saarburg;IK-2026-014;Allgemeiner Integrationskurs;keine;B1;12.01.2026;30.10.2026;\
05.01.2026;700;Mo-Fr;08:30-12:45;Präsenz;Konz;Am Markt 1, 54329 Konz;ja;20;4;;2,29 € je UE, Befreiung möglich;\
Frau Beispiel;06501 000000;kurse@example.org
Bildungswerk Beispiel gGmbH;ALPHA-2026-02;Alphabetisierungskurs;keine;A2;02.02.2026;15.12.2026;26.01.2026;1000;\
Mo-Fr;09:00-13:00;Präsenz;Hermeskeil;Trierer Str. 10, 54411 Hermeskeil;nein;15;0;;2,29 € je UE, Befreiung möglich;\
Herr Muster;06503 000000;alpha@example.org
Sprachschule Mosel;BSK-B2-2026-1;Berufssprachkurs B2;B1;B2;09.03.2026;31.07.2026;02.03.2026;400;Mo-Do;\
17:30-20:45;hybrid;Schweich;Brückenstr. 3, 54338 Schweich;nein;18;6;abgeschlossener Integrationskurs oder B1;\
kostenfrei;Frau Test;06502 000000;bsk@example.org
Caritasverband Beispiel e.V.;EOK-2026-03;Erstorientierungskurs;keine;A1;16.02.2026;29.05.2026;;300;Di, Do;\
09:00-12:00;Präsenz;Saarburg;Graf-Siegfried-Str. 5, 54439 Saarburg;ja;12;5;Asylsuchende;kostenfrei;Herr Probe;\
06581 000000;eok@example.org
"""

PERSONS = """Nr;Familienname;Vorname;Name in Originalschrift;Geburtsdatum;Geschlecht;Staatsangehörigkeit;\
Aufenthaltsstatus;Einreise;Wohnort;Telefon;Deutschniveau;Alphabetisierung;Sprachen;Kinderbetreuung;Verfügbarkeit;\
Briefsprache;Einwilligung;Status seit
TS-2025-0001;Al-Hassan;Rania;رانيا الحسن;14.03.1994;w;Syrien;§ 25 Abs. 2 AufenthG;11.09.2023;Konz;0170 1234567;A1;\
lateinisch;ar, en;ja;vormittags;ar;02.10.2025;15.09.2025
"""

ON = "2026-01-02"  # before every sample course starts and before the first registration deadline


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BILDUNGSKOORDINATION_PASSPHRASE"}
    return subprocess.run([sys.executable, "-m", "bildungskoordination", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    return result.stderr.strip()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A plain database with the sample courses and one person (TS-2025-0001, A1, literate, § 25 Abs. 2)."""
    path = tmp_path / "db.sqlite3"
    ok(run("--unencrypted", "init", db=path))
    persons = tmp_path / "personen.csv"
    persons.write_text(PERSONS, encoding="utf-8")
    assert "1 Personen eingelesen" in ok(run("import-persons", str(persons), db=path))
    courses = tmp_path / "kurse.csv"
    courses.write_text(COURSES, encoding="utf-8")
    assert "4 Kurse neu angelegt, 0 aktualisiert" in ok(run("import-courses", str(courses), db=path))
    return path


def course_numbers(db: Path) -> list[str]:
    return sorted(m["course_number"] for m in json.loads(ok(run("match", "TS-2025-0001", "--json", "--date", ON,
                                                                   db=db))))


def test_import_courses_and_reimport_updates_without_duplicates(db, tmp_path):
    assert course_numbers(db) == ["ALPHA-2026-02", "BSK-B2-2026-1", "EOK-2026-03", "IK-2026-014"]
    courses = tmp_path / "kurse.csv"
    courses.write_text(COURSES.replace(";20;4;", ";20;3;"), encoding="utf-8")
    dry = ok(run("import-courses", str(courses), "--dry-run", db=db))
    assert "4 Zeilen geprüft" in dry and "nichts geschrieben" in dry
    assert "0 Kurse neu angelegt, 4 aktualisiert" in ok(run("import-courses", str(courses), db=db))
    assert course_numbers(db) == ["ALPHA-2026-02", "BSK-B2-2026-1", "EOK-2026-03", "IK-2026-014"]


def test_broken_course_import_reports_file_row_column_and_writes_nothing(tmp_path):
    db = tmp_path / "db.sqlite3"
    ok(run("--unencrypted", "init", db=db))
    broken = tmp_path / "kaputt.csv"
    broken.write_text(COURSES.replace("12.01.2026;30.10.2026", "31.02.2026;30.10.2026"), encoding="utf-8")
    result = run("import-courses", str(broken), db=db)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"{broken}:2: Beginn:" in result.stderr
    assert "Nichts eingelesen" in result.stderr
    persons = tmp_path / "p.csv"
    persons.write_text(PERSONS, encoding="utf-8")
    ok(run("import-persons", str(persons), db=db))
    assert json.loads(ok(run("match", "TS-2025-0001", "--json", db=db))) == []


def test_match_json_shape_and_order(db):
    by_number = json.loads(ok(run("match", "TS-2025-0001", "--json", "--date", ON, db=db)))
    assert len(by_number) == 4
    for item in by_number:
        assert {"course_id", "course_number", "provider", "course_type", "verdict", "score", "reasons"} <= set(item)
        assert item["verdict"] in {"eligible", "caveat", "not_eligible"}
        assert isinstance(item["score"], (int, float))
        assert item["reasons"] and all(isinstance(r, str) for r in item["reasons"])
    rank = {"eligible": 0, "caveat": 1, "not_eligible": 2}
    keys = [(rank[m["verdict"]], -m["score"]) for m in by_number]
    assert keys == sorted(keys)
    first = by_number[0]
    assert first["course_number"] == "IK-2026-014" and first["verdict"] == "eligible"
    assert first["provider"] == "Kreisvolkshochschule Trier-Saarburg"
    alpha = next(m for m in by_number if m["course_number"] == "ALPHA-2026-02")
    assert alpha["verdict"] == "not_eligible"  # she writes Latin script: no alphabetisation course
    person_id = str(json.loads(ok(run("search", "Al-Hassan", "--json", db=db)))[0]["id"])
    assert json.loads(ok(run("match", person_id, "--json", "--date", ON, db=db))) == by_number


def test_match_text_output(db):
    out = ok(run("match", "TS-2025-0001", "--date", ON, db=db))
    first_block = out.split("\n")[0]
    assert first_block.startswith("✓ IK-2026-014") and "Kreisvolkshochschule Trier-Saarburg" in first_block
    assert "12.01.2026" in first_block
    assert "\n    " in out  # the reasons, indented
    assert "✗ ALPHA-2026-02" in out


def test_bad_dates_and_unknown_references_are_one_clear_line(db):
    assert "kein gültiges Datum" in one_line_error(run("match", "TS-2025-0001", "--date", "02.01.2026", db=db))
    assert "kein gültiges Datum" in one_line_error(run("candidates", "IK-2026-014", "--date", "2026-02-30", db=db))
    assert "TS-0000-9999" in one_line_error(run("match", "TS-0000-9999", db=db))
    assert "KEIN-KURS" in one_line_error(run("candidates", "KEIN-KURS", db=db))
    assert "KEIN-KURS" in one_line_error(run("refer", "TS-2025-0001", "KEIN-KURS", db=db))


def test_candidates_lists_the_person(db):
    rows = json.loads(ok(run("candidates", "IK-2026-014", "--date", ON, "--json", db=db)))
    assert [r["file_number"] for r in rows] == ["TS-2025-0001"]
    row = rows[0]
    assert row["verdict"] == "eligible" and "Al-Hassan" in row["name"]
    assert isinstance(row["score"], (int, float)) and all(isinstance(r, str) for r in row["reasons"])
    course_id = str(json.loads(ok(run("match", "TS-2025-0001", "--json", "--date", ON, db=db)))[0]["course_id"])
    assert json.loads(ok(run("candidates", course_id, "--date", ON, "--json", "--limit", "1", db=db))) == rows
    text = ok(run("candidates", "IK-2026-014", "--date", ON, db=db))
    assert text.startswith("✓ TS-2025-0001  Al-Hassan, Rania")


def test_refer_then_follow_the_referral_through_its_statuses(db):
    rid = ok(run("refer", "TS-2025-0001", "IK-2026-014", "--date", ON, db=db)).strip()
    assert rid.isdigit()
    duplicate = one_line_error(run("refer", "TS-2025-0001", "IK-2026-014", "--date", ON, db=db))
    assert "schon vermittelt" in duplicate
    invalid = one_line_error(run("referral-status", rid, "begonnen", db=db))
    assert "Von „vorgeschlagen“ kann nicht zu „begonnen“ gewechselt werden" in invalid
    assert "status:" not in invalid
    out = ok(run("referral-status", rid, "angemeldet", "--reason", "per Telefon", "--date", "2026-01-03", db=db))
    assert "angemeldet" in out
    ok(run("referral-status", rid, "begonnen", "--date", "2026-01-12", db=db))
    ok(run("referral-status", rid, "abgeschlossen", "--date", "2026-10-30", db=db))
    final = one_line_error(run("referral-status", rid, "abgebrochen", db=db))
    assert "Endstatus" in final
    assert "unbekannter Status" in one_line_error(run("referral-status", rid, "fertig", db=db))
    assert "kein gültiges Datum" in one_line_error(run("referral-status", rid, "abgebrochen", "--date", "x", db=db))
    assert "nicht gefunden" in one_line_error(run("referral-status", "9999", "angemeldet", db=db))
    assert "keine Id" in one_line_error(run("referral-status", "eins", "angemeldet", db=db))

    from bildungskoordination.services import Services

    services = Services.open(db, unencrypted=True)
    try:
        referral = services.referrals.get(int(rid))
        assert referral.status == "abgeschlossen"
        assert [(e.status, e.reason) for e in referral.history][:2] == [("vorgeschlagen", ""),
                                                                        ("angemeldet", "per Telefon")]
        assert referral.history[-1].at.isoformat() == "2026-10-30"
    finally:
        services.close()


def test_refer_is_refused_for_a_restricted_person(db):
    from bildungskoordination.services import Services

    services = Services.open(db, unencrypted=True)
    try:
        services.people.withdraw_consent(services.people.resolve("TS-2025-0001"))
    finally:
        services.close()
    message = one_line_error(run("refer", "TS-2025-0001", "IK-2026-014", db=db))
    assert "Verarbeitung eingeschränkt" in message


def test_refer_to_a_course_marked_unsuitable_needs_reason(db):
    # BSK-B2-2026-1 needs B1 on entry; the person speaks A1: the matching marks it ✗.
    refused = one_line_error(run("refer", "TS-2025-0001", "BSK-B2-2026-1", "--date", ON, db=db))
    assert "nur mit Begründung" in refused
    rid = ok(run("refer", "TS-2025-0001", "BSK-B2-2026-1", "--date", ON,
                 "--reason", "Einstufungstest zeigt B1", db=db)).strip()
    from bildungskoordination.services import Services

    services = Services.open(db, unencrypted=True)
    try:
        assert services.referrals.get(int(rid)).unsuitable_reason == "Einstufungstest zeigt B1"
    finally:
        services.close()
