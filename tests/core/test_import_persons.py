"""The person import: formats (CSV UTF-8/BOM/Windows-1252, XLSX), the mapping, and all-or-nothing errors."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from bildungskoordination.domain.tabular import ImportProblem, TableSpec, detect_separator, read_table
from bildungskoordination.domain.vocab import district
from bildungskoordination.people.importer import import_persons
from bildungskoordination.people.records import LanguageSkill, PersonData
from bildungskoordination.services import Services

HEADER = ("Nr;Familienname;Vorname;Name in Originalschrift;Geburtsdatum;Geschlecht;Staatsangehörigkeit;"
          "Aufenthaltsstatus;Einreise;Wohnort;Telefon;Deutschniveau;Alphabetisierung;Sprachen;"
          "Kinderbetreuung;Verfügbarkeit;Briefsprache;Einwilligung")
SAMPLE_ROWS = [
    ("TS-2025-0001;Al-Hassan;Rania;رانيا الحسن;14.03.1994;w;Syrien;§ 25 Abs. 2 AufenthG;11.09.2023;Konz;"
     "0170 1234567;A1;lateinisch;ar, en;ja;vormittags;ar;02.10.2025"),
    ("TS-2025-0002;Ahmadi;Farid;فرید احمدی;00.00.1988;m;Afghanistan;Aufenthaltsgestattung;03.02.2025;"
     "Hermeskeil;;keine;andere Schrift;fa, ps;nein;vormittags, nachmittags;fa;05.02.2025"),
    ("TS-2025-0003;Kovalenko;Olena;Олена Коваленко;22.07.1979;w;Ukraine;§ 24 AufenthG;15.04.2022;Saarburg;"
     "0151 7654321;A2;lateinisch;uk, ru;nein;abends;uk;20.05.2022"),
    ("TS-2025-0004;Tesfay;Yonas;ዮናስ ተስፋይ;01.01.2001;m;Eritrea;§ 25 Abs. 2 AufenthG;30.06.2024;Schweich;;"
     "keine;nein;ti;nein;vormittags;ti;12.08.2024"),
    ("TS-2025-0005;Yılmaz;Zeynep;;05.1997;w;Türkei;§ 30 AufenthG;01.12.2024;Trier-Land;0160 5555555;A1;"
     "lateinisch;tr, ku;ja;vormittags;tr;03.12.2024"),
]
SAMPLE = HEADER + "\n" + "\n".join(SAMPLE_ROWS) + "\n"
SHORT_HEADER = "Nr;Familienname;Vorname;Geburtsdatum;Aufenthaltsstatus"


@pytest.fixture
def services(db_target: Path | str) -> Iterator[Services]:
    s = Services.open(db_target, unencrypted=True)
    yield s
    s.close()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def by_number(services: Services, number: str) -> PersonData:
    return services.people.get(services.people.resolve(number))


def messages(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in report.problems]


# --- good files ---------------------------------------------------------------------------------------
def test_sample_imports_five_people_with_all_fields(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "personen.csv", SAMPLE)
    report = import_persons(services, path)
    assert report.problems == []
    assert report.warnings == []
    assert report.rows == 5
    assert len(report.created_ids) == 5
    assert services.people.count() == 5

    rania = by_number(services, "TS-2025-0001")
    assert (rania.family_name, rania.given_name, rania.name_original) == ("Al-Hassan", "Rania", "رانيا الحسن")
    assert rania.birth is not None and rania.birth.display() == "14.03.1994"
    assert rania.gender == "w"
    assert rania.nationalities == ["SY"]
    assert rania.residence_status == "25_2"
    assert rania.arrival_date == date(2023, 9, 11)
    assert rania.municipality == "Konz"
    assert rania.phone == "0170 1234567"
    assert rania.german_level == "A1"
    assert rania.literacy == "lateinisch"
    assert rania.languages == [LanguageSkill("ar", ""), LanguageSkill("en", "")]
    assert rania.needs_childcare is True and rania.childcare_children == 1
    assert rania.availability == ["vormittags"]
    assert rania.letter_language == "ar"
    assert rania.consent_date == date(2025, 10, 2)
    assert rania.consent_how == "" and rania.consent_scope == []

    farid = by_number(services, "TS-2025-0002")
    assert farid.birth is not None
    assert (farid.birth.year, farid.birth.month, farid.birth.day) == (1988, None, None)
    assert farid.birth.display() == "00.00.1988"  # the written form is kept
    assert farid.residence_status == "gestattung"
    assert farid.literacy == "andere_schrift"
    assert farid.german_level == "keine"
    assert farid.availability == ["vormittags", "nachmittags"]
    assert farid.needs_childcare is False and farid.childcare_children == 0
    assert farid.phone == ""

    olena = by_number(services, "TS-2025-0003")
    assert olena.name_original == "Олена Коваленко"
    assert (olena.nationalities, olena.residence_status) == (["UA"], "24")

    yonas = by_number(services, "TS-2025-0004")
    assert (yonas.name_original, yonas.nationalities, yonas.literacy) == ("ዮናስ ተስፋይ", ["ER"], "nein")

    zeynep = by_number(services, "TS-2025-0005")
    assert zeynep.family_name == "Yılmaz"
    assert zeynep.birth is not None and zeynep.birth.display() == "05.1997"
    assert (zeynep.birth.year, zeynep.birth.month) == (1997, 5)
    assert (zeynep.nationalities, zeynep.residence_status) == (["TR"], "30")
    assert zeynep.languages == [LanguageSkill("tr", ""), LanguageSkill("ku", "")]


def test_ids_follow_file_order(services: Services, tmp_path: Path) -> None:
    report = import_persons(services, write(tmp_path, "p.csv", SAMPLE))
    names = [services.people.get(i).family_name for i in report.created_ids]
    assert names == ["Al-Hassan", "Ahmadi", "Kovalenko", "Tesfay", "Yılmaz"]


def test_utf8_with_bom(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", SAMPLE, encoding="utf-8-sig")
    report = import_persons(services, path)
    assert report.problems == [] and report.warnings == []  # "\ufeffNr" would be an unknown column
    assert services.people.count() == 5
    assert by_number(services, "TS-2025-0001").family_name == "Al-Hassan"


def test_windows_1252_with_comma_separator(services: Services, tmp_path: Path) -> None:
    text = (
        "Nr,Familienname,Vorname,Geburtsdatum,Staatsangehörigkeit,Wohnort,Sprachen,Verfügbarkeit\r\n"
        'W-1,Müller,Jürgen,1999,"Türkei, Syrien",Föhren,"tr, ar",vormittags\r\n'
        "W-2,Strauß,Björn,05.1997,staatenlos,Kell am See,de,\r\n"
    )
    path = write(tmp_path, "win.csv", text, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    report = import_persons(services, path)
    assert report.problems == []
    first = by_number(services, "W-1")
    assert (first.family_name, first.given_name, first.municipality) == ("Müller", "Jürgen", "Föhren")
    assert first.nationalities == ["TR", "SY"]
    assert first.languages == [LanguageSkill("tr", ""), LanguageSkill("ar", "")]
    assert first.birth is not None and first.birth.display() == "1999"
    second = by_number(services, "W-2")
    assert (second.family_name, second.given_name) == ("Strauß", "Björn")
    assert second.nationalities == ["XX"]


def test_xlsx_with_date_cells_numbers_and_empty_rows(services: Services, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nr", " familienname ", "VORNAME", "Geburtsdatum", "Geschlecht", "Einreise", "Telefon",
               "Kinderbetreuung", "Bemerkung"])
    ws.append(["X-1", "Haddad", "Lina", datetime(1990, 4, 3), "weiblich", date(2024, 1, 15), None, True, "egal"])
    ws.append([None] * 9)  # an empty row in the middle is skipped
    ws.append([17, "Omar", "Sami", "05.1997", "m", "15.02.2024", 1701234567, "nein", None])
    path = tmp_path / "personen.xlsx"
    wb.save(path)

    report = import_persons(services, path)
    assert report.problems == []
    assert report.rows == 2
    assert report.warnings == [f"{path}: unbekannte Spalten werden ignoriert: „Bemerkung“"]
    lina = by_number(services, "X-1")
    assert lina.birth is not None and lina.birth.display() == "03.04.1990"
    assert lina.arrival_date == date(2024, 1, 15)
    assert (lina.gender, lina.needs_childcare) == ("w", True)
    sami = by_number(services, "17")  # an integer cell becomes "17", not "17.0"
    assert sami.phone == "1701234567"
    assert sami.birth is not None and sami.birth.display() == "05.1997"


def test_xlsx_row_numbers_count_empty_rows(services: Services, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Familienname", "Vorname", "Geburtsdatum"])
    ws.append(["A", "B", "01.01.1990"])
    ws.append([])
    ws.append(["C", "D", "31.02.2000"])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:4: Geburtsdatum: „31.02.2000“: diesen Tag gibt es nicht"]
    assert services.people.count() == 0


def test_empty_number_gets_next_file_number_without_clashing(services: Services, tmp_path: Path) -> None:
    taken = f"{district().get('file_number_prefix', 'BK')}-{date.today().year}-0001"
    text = f"{SHORT_HEADER}\n;Neu;Eins;;\n{taken};Alt;Zwei;;\n;Neu;Drei;;\n"
    report = import_persons(services, write(tmp_path, "p.csv", text))
    assert report.problems == []
    people = [services.people.get(i) for i in report.created_ids]
    assert [p.given_name for p in people] == ["Eins", "Zwei", "Drei"]
    numbers = [p.file_number for p in people]
    assert numbers[1] == taken
    assert len(set(numbers)) == 3 and all(numbers)


def test_value_spellings(services: Services, tmp_path: Path) -> None:
    text = ("Familienname;Vorname;Geschlecht;Staatsangehörigkeit;Kinderbetreuung;Sprachen;Briefsprache\n"
            "A;Eins;männlich;sy;x;Arabisch, fa-AF;en\n"
            "B;Zwei;D;Syrien, SY;N;;\n"
            "C;Drei;;;1;;\n")
    report = import_persons(services, write(tmp_path, "p.csv", text))
    assert report.problems == []
    a, b, c = (services.people.get(i) for i in report.created_ids)
    assert (a.gender, a.nationalities, a.needs_childcare, a.letter_language) == ("m", ["SY"], True, "en")
    assert [s.code for s in a.languages] == ["ar", "fa_AF"]
    assert (b.gender, b.nationalities, b.needs_childcare) == ("d", ["SY"], False)
    assert b.letter_language == "de"  # empty: the default
    assert (c.gender, c.needs_childcare) == ("x", True)


def test_dry_run_writes_nothing(services: Services, tmp_path: Path) -> None:
    report = import_persons(services, write(tmp_path, "p.csv", SAMPLE), dry_run=True)
    assert report.problems == []
    assert report.created_ids == []
    assert report.rows == 5
    assert [p.family_name for p in report.people][:2] == ["Al-Hassan", "Ahmadi"]
    assert services.people.count() == 0


def test_in_memory_database(tmp_path: Path) -> None:
    services = Services.open(None)
    try:
        assert len(import_persons(services, write(tmp_path, "p.csv", SAMPLE)).created_ids) == 5
    finally:
        services.close()


# --- broken files: exact messages, nothing written --------------------------------------------------------
def test_binary_garbage_is_one_clear_problem(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "bild.csv"
    path.write_bytes(bytes(range(256)) * 4)
    report = import_persons(services, path)
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), None, None)
    assert str(problem).startswith(f"{path}: keine CSV- oder XLSX-Datei")
    assert services.people.count() == 0


def test_nul_bytes_are_no_csv(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "utf16.csv", SAMPLE, encoding="utf-16")
    report = import_persons(services, path)
    assert len(report.problems) == 1
    assert str(report.problems[0]).startswith(f"{path}: keine CSV- oder XLSX-Datei (Binärdaten)")


@pytest.mark.parametrize(("name", "content", "start"), [
    ("kaputt.xlsx", b"PK\x03\x04 nicht wirklich ein zip", "keine lesbare XLSX-Datei"),
    ("brief.docx", None, "keine lesbare XLSX-Datei"),
    ("alt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "altes Excel-Format (.xls)"),
])
def test_unreadable_files(services: Services, tmp_path: Path, name: str, content: bytes | None,
                          start: str) -> None:
    path = tmp_path / name
    if content is None:  # a valid zip that is not a workbook
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w/>")
    else:
        path.write_bytes(content)
    report = import_persons(services, str(path))
    assert len(report.problems) == 1
    assert str(report.problems[0]).startswith(f"{path}: {start}")
    assert services.people.count() == 0


def test_missing_file(services: Services, tmp_path: Path) -> None:
    report = import_persons(services, "gibtsnicht.csv")
    assert messages(report) == ["gibtsnicht.csv: Datei nicht gefunden"]


def test_empty_file_and_header_only(services: Services, tmp_path: Path) -> None:
    assert messages(import_persons(services, write(tmp_path, "leer.csv", "\n\n"))) == [
        f"{tmp_path / 'leer.csv'}: die Datei ist leer"]
    assert messages(import_persons(services, write(tmp_path, "kopf.csv", HEADER + "\n"))) == [
        f"{tmp_path / 'kopf.csv'}: die Datei enthält keine Personen"]


def test_missing_column_is_named_and_nothing_written(services: Services, tmp_path: Path) -> None:
    text = "Nr;Familienname;Geburtsdatum\nA-1;Haddad;1990\n"
    path = write(tmp_path, "p.csv", text)
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:1: Pflichtspalte „Vorname“ fehlt"]
    assert report.created_ids == []
    assert services.people.count() == 0

    report = import_persons(services, write(tmp_path, "q.csv", "Nr;Name\n1;x\n"))
    assert messages(report) == [f"{tmp_path / 'q.csv'}:1: Pflichtspalten „Familienname“, „Vorname“ fehlen"]
    assert report.warnings == [f"{tmp_path / 'q.csv'}: unbekannte Spalten werden ignoriert: „Name“"]


def test_impossible_birth_date(services: Services, tmp_path: Path) -> None:
    text = f"{SHORT_HEADER}\nA-1;Haddad;Lina;14.03.1994;\nA-2;Omar;Sami;31.02.2000;\n"
    path = write(tmp_path, "p.csv", text)
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:3: Geburtsdatum: „31.02.2000“: diesen Tag gibt es nicht"]
    problem = report.problems[0]
    assert (problem.row, problem.column) == (3, "Geburtsdatum")
    assert services.people.count() == 0  # the good row 2 is not written either


def test_duplicate_number_within_file(services: Services, tmp_path: Path) -> None:
    text = f"{SHORT_HEADER}\nA-1;Haddad;Lina;;\nA-2;Omar;Sami;;\nA-1;Omar;Rami;;\n"
    path = write(tmp_path, "p.csv", text)
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:4: Nr: Aktenzeichen „A-1“ steht auch in Zeile 2"]
    assert services.people.count() == 0


def test_number_already_in_database(services: Services, tmp_path: Path) -> None:
    services.people.create(PersonData(family_name="Alt", given_name="Bestand", file_number="A-2"))
    text = f"{SHORT_HEADER}\nA-1;Haddad;Lina;;\nA-2;Omar;Sami;;\n"
    path = write(tmp_path, "p.csv", text)
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:3: Nr: Aktenzeichen „A-2“ ist schon vergeben"]
    assert services.people.count() == 1


def test_unknown_residence_status(services: Services, tmp_path: Path) -> None:
    text = f"{SHORT_HEADER}\nA-1;Haddad;Lina;;§ 99 AufenthG\n"
    path = write(tmp_path, "p.csv", text)
    report = import_persons(services, path)
    assert len(report.problems) == 1
    text = str(report.problems[0])
    assert text.startswith(f"{path}:2: Aufenthaltsstatus: unbekannter Wert „§ 99 AufenthG“ (erlaubt: ")
    assert "§ 25 Abs. 2" in text and text.endswith("…)")
    assert services.people.count() == 0


def test_unknown_small_vocabulary_lists_all_values(services: Services, tmp_path: Path) -> None:
    text = "Familienname;Vorname;Geschlecht;Deutschniveau;Kinderbetreuung;Sprachen\nA;B;q;A3;vielleicht;ar, xy\n"
    path = write(tmp_path, "p.csv", text)
    assert messages(import_persons(services, path)) == [
        f"{path}:2: Geschlecht: unbekannter Wert „q“ (erlaubt: w, m, d, x)",
        f"{path}:2: Deutschniveau: unbekannter Wert „A3“ (erlaubt: keine, A1, A2, B1, B2, C1, C2)",
        (f"{path}:2: Sprachen: unbekannter Wert „xy“ (erlaubt: Sprachcode oder Sprachname, z. B. ar, fa, uk, "
         "Arabisch)"),
        f"{path}:2: Kinderbetreuung: unbekannter Wert „vielleicht“ (erlaubt: ja, nein)",
    ]
    assert services.people.count() == 0


def test_service_checks_are_reported_by_column(services: Services, tmp_path: Path) -> None:
    text = ("Familienname;Vorname;Geburtsdatum;Einreise;Telefon\n"
            ";Lina;1990;;\n"
            "Omar;Sami;05.2001;01.01.2000;0170 abc\n")
    path = write(tmp_path, "p.csv", text)
    assert messages(import_persons(services, path)) == [
        f"{path}:2: Familienname: Familienname fehlt",
        f"{path}:3: Einreise: Einreise liegt vor der Geburt",
        f"{path}:3: Telefon: Telefonnummer enthält unzulässige Zeichen",
    ]
    assert services.people.count() == 0


def test_split_row_in_comma_file(services: Services, tmp_path: Path) -> None:
    text = "Familienname,Vorname,Sprachen\nHaddad,Lina,ar, en\n"
    path = write(tmp_path, "p.csv", text)
    report = import_persons(services, path)
    assert len(report.problems) == 1
    assert str(report.problems[0]).startswith(f"{path}:2: 4 Felder, die Kopfzeile hat nur 3")
    assert services.people.count() == 0


def test_blank_lines_keep_row_numbers(services: Services, tmp_path: Path) -> None:
    text = f"{SHORT_HEADER}\nA-1;Haddad;Lina;;\n\n;;;;\nA-2;Omar;Sami;2099;\n"
    path = write(tmp_path, "p.csv", text)
    assert messages(import_persons(services, path)) == [f"{path}:5: Geburtsdatum: „2099“ liegt in der Zukunft"]


# --- the generic table reader ---------------------------------------------------------------------------
def test_problem_formats() -> None:
    assert str(ImportProblem("a.csv", 3, "Geburtsdatum", "kaputt")) == "a.csv:3: Geburtsdatum: kaputt"
    assert str(ImportProblem("a.csv", 3, None, "kaputt")) == "a.csv:3: kaputt"
    assert str(ImportProblem("a.csv", None, None, "kaputt")) == "a.csv: kaputt"
    assert str(ImportProblem("a.csv", None, "Nr", "kaputt")) == "a.csv: Nr: kaputt"


@pytest.mark.parametrize(("header", "separator"), [
    ("a;b;c", ";"), ("a,b,c", ","), ('"x;y",b,c', ","), ('"x,y";b;c', ";"), ("a", ";"), ("\n\na,b", ","),
])
def test_detect_separator(header: str, separator: str) -> None:
    assert detect_separator(header + "\n1;2,3\n") == separator


def test_read_table_matches_headers_loosely(tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", ' Kursname ;ZIELNIVEAU;Extra\n"Deutsch; Alltag";B1;x\n')
    table = read_table(path, TableSpec(required=("Kursname",), optional=("Zielniveau", "Ort")))
    assert table.problems == []
    assert table.present == ("Kursname", "Zielniveau")
    assert [(r.number, r.values) for r in table.rows] == [
        (2, {"Kursname": "Deutsch; Alltag", "Zielniveau": "B1"})]
    assert table.rows[0].get("Ort") == ""
    assert len(table.warnings) == 1 and "„Extra“" in table.warnings[0]


def test_duplicate_header_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", "Vorname;Familienname;vorname\nA;B;C\n")
    table = read_table(path, TableSpec(required=("Familienname", "Vorname")))
    assert [str(p) for p in table.problems] == [f"{path}:1: Vorname: die Spalte kommt mehrfach vor"]
