"""Import of a provider's course list: the sample rows, re-import without duplicates, exact error messages."""

from datetime import date
from pathlib import Path

import pytest

from bildungskoordination.courses.importer import import_courses, parse_days
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services

HEADER = ("Träger;Kursnummer;Kursart;Einstiegsniveau;Zielniveau;Beginn;Ende;Anmeldeschluss;UE;Tage;Uhrzeit;Form;"
          "Ort;Adresse;Kinderbetreuung;Plätze;Freie Plätze;Zielgruppe;Kosten;Ansprechperson;Telefon;E-Mail")
ROWS = [
    "Kreisvolkshochschule Trier-Saarburg;IK-2026-014;Allgemeiner Integrationskurs;keine;B1;12.01.2026;30.10.2026;"
    "05.01.2026;700;Mo-Fr;08:30-12:45;Präsenz;Konz;Am Markt 1, 54329 Konz;ja;20;4;;2,29 € je UE, Befreiung möglich;"
    "Frau Beispiel;06501 000000;kurse@example.org",
    "Bildungswerk Beispiel gGmbH;ALPHA-2026-02;Alphabetisierungskurs;keine;A2;02.02.2026;15.12.2026;26.01.2026;1000;"
    "Mo-Fr;09:00-13:00;Präsenz;Hermeskeil;Trierer Str. 10, 54411 Hermeskeil;nein;15;0;;2,29 € je UE, Befreiung möglich;"
    "Herr Muster;06503 000000;alpha@example.org",
    "Sprachschule Mosel;BSK-B2-2026-1;Berufssprachkurs B2;B1;B2;09.03.2026;31.07.2026;02.03.2026;400;Mo-Do;"
    "17:30-20:45;hybrid;Schweich;Brückenstr. 3, 54338 Schweich;nein;18;6;abgeschlossener Integrationskurs oder B1;"
    "kostenfrei;Frau Test;06502 000000;bsk@example.org",
    "Caritasverband Beispiel e.V.;EOK-2026-03;Erstorientierungskurs;keine;A1;16.02.2026;29.05.2026;;300;Di, Do;"
    "09:00-12:00;Präsenz;Saarburg;Graf-Siegfried-Str. 5, 54439 Saarburg;ja;12;5;Asylsuchende;kostenfrei;Herr Probe;"
    "06581 000000;eok@example.org",
]


def write(path: Path, rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path


@pytest.fixture
def services(memory_target):
    sv = Services.open(memory_target, unencrypted=True)
    yield sv
    sv.close()


def test_the_sample_rows_import(services, tmp_path):
    report = import_courses(services, write(tmp_path / "kurse.csv", ROWS))
    assert report.ok, [str(p) for p in report.problems]
    assert len(report.created_ids) == 4 and report.updated_ids == []
    ik = services.courses.get(services.courses.resolve("IK-2026-014"))
    assert ik.provider == "Kreisvolkshochschule Trier-Saarburg"
    assert ik.course_type == "ik_allgemein"
    assert (ik.entry_level, ik.target_level) == ("keine", "B1")
    assert (ik.start, ik.end, ik.registration_deadline) == (date(2026, 1, 12), date(2026, 10, 30), date(2026, 1, 5))
    assert ik.teaching_units == 700
    assert ik.days == ("mo", "di", "mi", "do", "fr")
    assert (ik.time_from, ik.time_to) == ("08:30", "12:45")
    assert ik.mode == "praesenz" and ik.childcare is True
    assert (ik.places, ik.free_places) == (20, 4)
    assert ik.costs_note == "2,29 € je UE, Befreiung möglich"
    alpha = services.courses.get(services.courses.resolve("ALPHA-2026-02"))
    assert alpha.course_type == "ik_alpha" and alpha.free_places == 0 and alpha.stored_status == "voll"
    bsk = services.courses.get(services.courses.resolve("BSK-B2-2026-1"))
    assert bsk.course_type == "bsk_b2" and bsk.mode == "hybrid" and bsk.days == ("mo", "di", "mi", "do")
    assert bsk.target_group == "abgeschlossener Integrationskurs oder B1"
    eok = services.courses.get(services.courses.resolve("EOK-2026-03"))
    assert eok.course_type == "eok" and eok.days == ("di", "do") and eok.registration_deadline is None
    assert len(services.courses.list()) == 4
    assert sum(1 for e in services.audit.list() if e.entity == "course" and e.action == "import") == 4


def test_windows_1252_with_commas_and_xlsx(services, tmp_path):
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=",").writerows([HEADER.split(";"), ROWS[2].split(";")])
    (tmp_path / "k.csv").write_bytes(out.getvalue().encode("cp1252"))
    report = import_courses(services, tmp_path / "k.csv")
    assert report.ok, [str(p) for p in report.problems]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    cells = ROWS[3].split(";")
    cells[5] = date(2026, 2, 16)
    ws.append(cells)
    wb.save(tmp_path / "k.xlsx")
    report = import_courses(services, tmp_path / "k.xlsx")
    assert report.ok, [str(p) for p in report.problems]
    assert services.courses.get(services.courses.resolve("EOK-2026-03")).start == date(2026, 2, 16)


def test_reimport_updates_without_duplicates_and_keeps_referrals(services, tmp_path):
    import_courses(services, write(tmp_path / "kurse.csv", ROWS))
    cid = services.courses.resolve("BSK-B2-2026-1")
    pid = services.people.create(PersonData(family_name="Haddad", given_name="Lina"))
    rid = services.referrals.refer(pid, cid, on=date(2026, 3, 1))  # before the course ended
    changed = [r.replace(";18;6;", ";18;3;").replace("17:30-20:45", "18:00-21:00") if "BSK" in r else r for r in ROWS]
    report = import_courses(services, write(tmp_path / "kurse2.csv", changed))
    assert report.ok
    assert report.created_ids == [] and len(report.updated_ids) == 4
    courses = services.courses.list()
    assert len(courses) == 4 and len(services.courses.providers()) == 4
    bsk = services.courses.get(cid)
    assert (bsk.time_from, bsk.free_places) == ("18:00", 3)
    assert [r.id for r in services.referrals.for_course(cid)] == [rid]
    assert services.referrals.get(rid).status == "vorgeschlagen"


def test_dry_run_previews_and_writes_nothing(services, tmp_path):
    import_courses(services, write(tmp_path / "a.csv", ROWS[:1]))
    report = import_courses(services, write(tmp_path / "b.csv", ROWS), dry_run=True)
    assert report.ok and len(report.courses) == 4
    assert report.existing == [True, False, False, False]
    assert report.created_ids == [] and len(services.courses.list()) == 1


def test_broken_file_reports_exact_messages_and_writes_nothing(services, tmp_path):
    bad = [
        ROWS[0].replace("Allgemeiner Integrationskurs", "Tanzkurs"),
        ROWS[1].replace("02.02.2026", "31.02.2026").replace(";Mo-Fr;", ";Mo-Xy;"),
        ROWS[2].replace("17:30-20:45", "abends").replace(";hybrid;", ";per Brief;").replace(";18;6;", ";18;zwanzig;"),
        ROWS[3].replace(";ja;12;5;", ";vielleicht;12;5;"),
        ROWS[3],
    ]
    path = write(tmp_path / "kurse.csv", bad)
    report = import_courses(services, path)
    f = str(path)
    assert [str(p) for p in report.problems] == [
        f"{f}:2: Kursart: unbekannte Kursart „Tanzkurs“ (bekannt: Allgemeiner Integrationskurs, Alphabetisierungskurs, "
        "Zweitschriftlernerkurs, Integrationskurs mit besonderem sprachpädagogischem Förderbedarf, Intensivkurs, "
        "Jugendintegrationskurs, Elternintegrationskurs, Frauenintegrationskurs, Förderkurs, Berufssprachkurs B2 "
        "(Basismodul), Berufssprachkurs C1 (Basismodul), Berufssprachkurs C2 (Basismodul), Berufssprachkurs A2 "
        "(Spezialmodul), Berufssprachkurs B1 (Spezialmodul), Berufssprachkurs – Spezialmodul (berufsfachlich), "
        "Erstorientierungskurs, VHS-Deutschkurs, Sprachcafé (ehrenamtlich))",
        f"{f}:3: Beginn: „31.02.2026“: dieses Datum gibt es nicht",
        f"{f}:3: Tage: „Mo-Xy“ ist kein Wochentag oder Bereich (z. B. Mo-Fr, Di, Do)",
        f"{f}:4: Uhrzeit: „abends“ ist keine Uhrzeit von–bis (z. B. 08:30-12:45)",
        f"{f}:4: Form: unbekannte Kursform „per Brief“ (erlaubt: Präsenz, online, hybrid)",
        f"{f}:4: Freie Plätze: „zwanzig“ ist keine ganze Zahl",
        f"{f}:5: Kinderbetreuung: unbekannter Wert „vielleicht“ (erlaubt: ja, nein)",
        f"{f}:6: Kursnummer: Kursnummer „EOK-2026-03“ dieses Trägers steht auch in Zeile 5",
    ]
    assert services.courses.list() == []


def test_service_checks_are_reported_per_cell(services, tmp_path):
    row = ROWS[2].replace(";B1;B2;", ";B2;B1;").replace(";18;6;", ";18;19;")
    path = write(tmp_path / "kurse.csv", [row])
    report = import_courses(services, path)
    assert [str(p) for p in report.problems] == [
        f"{path}:2: Zielniveau: Das Zielniveau muss über dem Einstiegsniveau liegen",
        f"{path}:2: Freie Plätze: Mehr freie Plätze (19) als Plätze (18)",
    ]


def test_missing_column_and_empty_file(services, tmp_path):
    path = write(tmp_path / "k.csv", ["x;y"], header="Träger;Kursnummer")
    assert [str(p) for p in import_courses(services, path).problems] == [f"{path}:1: Pflichtspalte „Kursart“ fehlt"]
    empty = tmp_path / "leer.csv"
    empty.write_text(HEADER + "\n", encoding="utf-8")
    assert [str(p) for p in import_courses(services, empty).problems] == [f"{empty}: die Datei enthält keine Kurse"]


@pytest.mark.parametrize("text, days", [("Mo-Fr", ["mo", "di", "mi", "do", "fr"]), ("Di, Do", ["di", "do"]),
                                        ("Mo–Mi, Sa", ["mo", "di", "mi", "sa"]), ("Samstag", ["sa"])])
def test_parse_days(text, days):
    assert parse_days(text) == days


def test_every_course_type_imports_by_its_label_and_each_alias(services, tmp_path):
    """One registry decides (domain/course_types.py): a provider may write any label or alias, in any case."""
    from bildungskoordination.domain.course_types import course_types

    spellings = [(t.code, name) for t in course_types() for name in {t.label, t.label_en, *t.aliases} if name]
    assert len(spellings) > 60
    rows = [f"Träger Beispiel;K-{i};{name.upper() if i % 3 == 0 else name};;;;;;;;;;;;;;;;;;;"
            for i, (_code, name) in enumerate(spellings)]
    report = import_courses(services, write(tmp_path / "alle.csv", rows), dry_run=True)
    assert report.problems == []
    assert [c.course_type for c in report.courses] == [code for code, _name in spellings]


def test_a_provider_list_with_dropped_course_types_imports_and_explains_them(services, tmp_path):
    """Jugend-, Eltern-, Frauenintegrationskurs and Förderkurs are still on real lists; they import, and the
    matching explains why they are not proposed (§ 13 IntV as amended from 07.12.2024)."""
    rows = [
        "VHS Beispiel;JIK-2026;Jugendintegrationskurs;keine;B1;02.03.2027;30.11.2027;;900;Mo-Fr;08:30-12:45;"
        "Präsenz;Konz;Am Markt 1, 54329 Konz;nein;20;5;junge Erwachsene;;;;",
        "VHS Beispiel;FIK-2026;Frauenintegrationskurs;keine;B1;02.03.2027;30.11.2027;;900;Mo-Fr;08:30-12:45;"
        "Präsenz;Konz;Am Markt 1, 54329 Konz;ja;20;5;Frauen;;;;",
        "VHS Beispiel;VHS-1;VHS-Kurs;A1;A2;02.02.2027;30.06.2027;;;Di;18:00-19:30;Präsenz;Konz;;nein;12;;;;;;",
        "VHS Beispiel;CAFE-1;Sprachcafé;;;07.01.2027;;;;Do;16:00-18:00;Präsenz;Konz;;nein;30;;;;;;",
    ]
    report = import_courses(services, write(tmp_path / "alt.csv", rows))
    assert report.ok, [str(p) for p in report.problems]
    pid = services.people.create(PersonData(family_name="Haidari", given_name="Mariam", gender="w",
                                            residence_status="25_2", residence_issued=date(2026, 10, 1),
                                            german_level="keine", literacy="lateinisch", municipality="Konz"))
    matches = {m.course.course_number: m for m in services.matching.for_person(pid, on=date(2026, 12, 7))}
    for number in ("JIK-2026", "FIK-2026"):
        assert matches[number].verdict == "not_eligible"
        assert any("nicht mehr" in r.text and "§ 13 Abs. 1 IntV" in r.text for r in matches[number].reasons
                   if r.kind == "no")
