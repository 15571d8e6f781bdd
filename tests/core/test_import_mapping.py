"""Column mappings: usual spellings without a mapping, a mapping (file) for the rest, unknown columns stop
the import unless skipped, remembered mappings, and the fields a list brings besides the names (address,
phone, e-mail, remarks) – with realistic lists: extra columns, Windows-1252, split addresses, long names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bildungskoordination.cli import main
from bildungskoordination.domain.column_mapping import (
    MappingFileError,
    list_columns,
    load_mapping_file,
    mapping_file_text,
    setting_key,
    shape,
    usable,
)
from bildungskoordination.domain.tabular import SKIP, read_header
from bildungskoordination.people.importer import import_persons
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services

# A list as a district office keeps it: other spellings, an address in parts, two phone columns, remarks,
# a column the program has no field for, a running number.
OFFICE_HEADER = ("lfd. Nr.;Nachname;Vorname;Geb.-Datum;Straße;Hausnr.;PLZ;Ort;c/o;Tel.;Handy;Mail;"
                 "Anmerkungen;Betreuer/in")
LONG_ARABIC = "عبد الرحمن بن محمد بن عبد الله بن إبراهيم آل الحسيني القرشي الهاشمي"
OFFICE_ROWS = [
    "1;Al-Husseini Al-Quraschi Al-Haschimi;Abd ar-Rahman Muhammad;03.04.1990;Trierer Straße;5;54329;Konz;"
    "Gemeinschaftsunterkunft Konz, Zimmer 12;06501 123456;0170 1234567;a.alhusseini@example.org;"
    "spricht gut Englisch;Frau Schmitt",
    "2;Kovalenko;Olena;22.07.1979;Saarstraße;17a;54439;Saarburg;c/o Familie Becker;;0151 7654321;;"
    "Termin nur vormittags;Herr Meier",
]
OFFICE = OFFICE_HEADER + "\n" + "\n".join(OFFICE_ROWS) + "\n"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    s = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    yield s
    s.close()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def person(services: Services, pid: int) -> PersonData:
    return services.people.get(pid)


# --- suggestions -----------------------------------------------------------------------------------------
def test_usual_spellings_are_suggested_and_others_left_open() -> None:
    suggested = list_columns("persons").suggest(OFFICE_HEADER.split(";"))
    assert suggested == {
        "lfd. Nr.": None, "Nachname": "Familienname", "Vorname": "Vorname", "Geb.-Datum": "Geburtsdatum",
        "Straße": "Straße", "Hausnr.": "Hausnummer", "PLZ": "PLZ", "Ort": "Ort", "c/o": "Adresszusatz",
        "Tel.": "Telefon", "Handy": "Telefon", "Mail": "E-Mail", "Anmerkungen": "Bemerkung", "Betreuer/in": None}
    courses = list_columns("courses").suggest(["Anbieter", "Kurs-Nr.", "Kurstyp", "Kursbeginn", "Raum"])
    assert courses == {"Anbieter": "Träger", "Kurs-Nr.": "Kursnummer", "Kurstyp": "Kursart",
                       "Kursbeginn": "Beginn", "Raum": None}


def test_english_labels_for_every_column() -> None:
    for kind in ("persons", "courses"):
        columns = list_columns(kind).columns
        assert all(c.label("en") and c.label("de") for c in columns)
    street = list_columns("persons").get("Straße")
    assert (street.label("de"), street.label("en")) == ("Anschrift: Straße", "Address: street")


def test_shape_ignores_order_case_and_spaces() -> None:
    assert shape(["Nachname", "Vorname", " PLZ "]) == shape(["plz", "VORNAME", "Nachname"])
    assert shape(["Nachname", "Vorname"]) != shape(["Nachname", "Vorname", "PLZ"])
    assert setting_key("persons", ["A", "B"]).startswith("import_mapping.persons.")


def test_stored_mapping_is_used_as_far_as_it_fits() -> None:
    stored = {"lfd. Nr.": SKIP, "betreuer/in": SKIP, "Gone": "Telefon", "Ort": "kein Feld"}
    assert usable(stored, "persons", OFFICE_HEADER.split(";")) == {"lfd. Nr.": SKIP, "Betreuer/in": SKIP}
    assert usable("garbage", "persons", ["A"]) == {}


# --- the import with and without a mapping ---------------------------------------------------------------
def test_unknown_columns_stop_the_import_and_name_them(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", OFFICE)
    report = import_persons(services, path)
    assert [str(p) for p in report.problems] == [
        f"{path}:1: Spalten ohne Zuordnung: „lfd. Nr.“, „Betreuer/in“ – bitte einem Feld zuordnen oder "
        "ausdrücklich nicht übernehmen"]
    assert report.unknown == ["lfd. Nr.", "Betreuer/in"]
    assert services.people.count() == 0


def test_skip_unknown_imports_everything_else_and_names_what_was_left(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", OFFICE, encoding="cp1252")
    report = import_persons(services, path, skip_unknown=True)
    assert report.problems == []
    assert report.skipped == ["lfd. Nr.", "Betreuer/in"]
    assert report.warnings == [f"{path}: nicht übernommene Spalten: „lfd. Nr.“, „Betreuer/in“"]
    first, second = (person(services, pid) for pid in report.created_ids)
    assert first.family_name == "Al-Husseini Al-Quraschi Al-Haschimi"
    assert first.address == "Gemeinschaftsunterkunft Konz, Zimmer 12, Trierer Straße 5, 54329 Konz"
    assert first.municipality == "Konz"  # the town of the address, as the list has no Wohnort
    assert first.phone == "06501 123456 / 0170 1234567"
    assert first.email == "a.alhusseini@example.org"
    assert first.note == "spricht gut Englisch"
    assert second.address == "c/o Familie Becker, Saarstraße 17a, 54439 Saarburg"
    assert (second.phone, second.email, second.note) == ("0151 7654321", "", "Termin nur vormittags")


def test_mapping_assigns_and_skips(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", OFFICE)
    report = import_persons(services, path, mapping={"lfd. Nr.": SKIP, "Betreuer/in": "Bemerkung",
                                                     "Handy": SKIP})
    assert report.problems == [] and report.skipped == ["lfd. Nr.", "Handy"]
    first = person(services, report.created_ids[0])
    assert first.phone == "06501 123456"
    assert first.note == "spricht gut Englisch\nFrau Schmitt"  # two columns for the remarks: both kept


def test_two_columns_for_a_single_field_is_a_problem(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", "Nachname;Vorname;Geburtsdatum;Geb.-Datum\nA;B;1990;1991\n")
    report = import_persons(services, path)
    assert [str(p) for p in report.problems] == [
        f"{path}:1: Geburtsdatum: „Geburtsdatum“ und „Geb.-Datum“ sind beide diesem Feld zugeordnet"]


def test_windows_1252_office_list_with_whole_address(services: Services, tmp_path: Path) -> None:
    text = ("Familienname;Vorname;Anschrift;Telefonnummer;E-Mail-Adresse;Bemerkung\n"
            "Müller-Lüdenscheidt;Jürgen;\"Gemeinschaftsunterkunft Hermeskeil\nTrierer Straße 52, Zimmer 12\n"
            "54411 Hermeskeil\";06503 98765;;Dolmetscher Französisch nötig – Termine über Sozialarbeiterin\n")
    path = write(tmp_path, "liste.csv", text, encoding="cp1252")
    report = import_persons(services, path)
    assert report.problems == [] and report.skipped == []
    p = person(services, report.created_ids[0])
    assert p.given_name == "Jürgen"
    assert p.address == "Gemeinschaftsunterkunft Hermeskeil, Trierer Straße 52, Zimmer 12, 54411 Hermeskeil"
    assert p.note == "Dolmetscher Französisch nötig – Termine über Sozialarbeiterin"


def test_long_arabic_names_and_xlsx_postcode_without_zero(services: Services, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Vorname", "Name in Originalschrift", "Straße", "PLZ", "Ort", "E-Mail", "Notiz"])
    ws.append(["Al-Husseini", "Abd ar-Rahman", LONG_ARABIC, "Bautzner Str. 1", 1067, "Dresden", "x@example.org",
               "kommt mit Bruder"])
    path = tmp_path / "liste.xlsx"
    wb.save(path)
    report = import_persons(services, path, mapping={"Name": "Familienname"})
    assert report.problems == []
    p = person(services, report.created_ids[0])
    assert p.name_original == LONG_ARABIC
    assert p.address == "Bautzner Str. 1, 01067 Dresden"
    assert (p.email, p.note) == ("x@example.org", "kommt mit Bruder")
    header, samples = read_header(path)
    assert header[0] == "Name" and samples[0][4] == "1067"


def test_bad_email_in_the_list_is_a_row_problem(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", "Familienname;Vorname;Mail\nA;B;kein-at-zeichen\n")
    report = import_persons(services, path)
    assert [str(p) for p in report.problems] == [f"{path}:2: E-Mail: keine gültige E-Mail-Adresse"]


def test_remarks_are_in_the_access_export(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", "Familienname;Vorname;Bemerkung;Adresse\nA;B;Bemerkung 1;c/o X, Weg 1\n")
    pid = import_persons(services, path).created_ids[0]
    exported = json.dumps(services.access_export.collect(pid), ensure_ascii=False)
    assert "Bemerkung 1" in exported and "c/o X, Weg 1" in exported


# --- mapping files and the CLI ---------------------------------------------------------------------------
def test_mapping_file_toml_and_json(tmp_path: Path) -> None:
    toml = write(tmp_path, "m.toml", '"lfd. Nr." = "skip"\n"Betreuer/in" = "Bemerkung"\n"Kontakt" = "phone"\n'
                                     '"Wo" = "Anschrift: Ort"\n')
    assert load_mapping_file(toml, "persons") == {"lfd. Nr.": SKIP, "Betreuer/in": "Bemerkung",
                                                  "Kontakt": "Telefon", "Wo": "Ort"}
    as_json = write(tmp_path, "m.json", json.dumps({"Raum": "nicht übernehmen", "Anbieter": "Träger"}))
    assert load_mapping_file(as_json, "courses") == {"Raum": SKIP, "Anbieter": "Träger"}
    again = write(tmp_path, "again.toml", mapping_file_text({"a \"b\"": SKIP, "Ort": "Ort"}))
    assert load_mapping_file(again, "persons") == {"a \"b\"": SKIP, "Ort": "Ort"}


def test_mapping_file_errors_name_file_and_entry(tmp_path: Path) -> None:
    bad = write(tmp_path, "m.toml", '"Betreuer/in" = "Lieblingsfarbe"\n')
    with pytest.raises(MappingFileError, match="m.toml: „Betreuer/in“: unbekanntes Feld „Lieblingsfarbe“"):
        load_mapping_file(bad, "persons")
    with pytest.raises(MappingFileError, match="kein gültiges TOML/JSON"):
        load_mapping_file(write(tmp_path, "x.toml", "a = = b"), "persons")
    with pytest.raises(MappingFileError, match="nicht gefunden"):
        load_mapping_file(tmp_path / "fehlt.toml", "persons")


def test_cli_import_stops_then_takes_mapping_and_show_prints_contact_fields(tmp_path: Path, capsys) -> None:
    db = tmp_path / "db.sqlite3"
    path = write(tmp_path, "liste.csv", OFFICE)
    assert main(["--db", str(db), "--unencrypted", "import-persons", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Spalten ohne Zuordnung: „lfd. Nr.“, „Betreuer/in“" in err and "--mapping" in err
    mapping = write(tmp_path, "m.toml", '"lfd. Nr." = "skip"\n"Betreuer/in" = "skip"\n')
    assert main(["--db", str(db), "import-persons", str(path), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr()
    assert "2 Personen eingelesen." in out.out and "nicht übernommene Spalten: „lfd. Nr.“, „Betreuer/in“" in out.err
    assert main(["--db", str(db), "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "Anschrift: Gemeinschaftsunterkunft Konz, Zimmer 12, Trierer Straße 5, 54329 Konz" in shown
    assert "Telefon: 06501 123456 / 0170 1234567" in shown and "E-Mail: a.alhusseini@example.org" in shown
    assert "Notiz: spricht gut Englisch" in shown


def test_cli_skip_unknown_and_bad_mapping_file_for_courses(tmp_path: Path, capsys) -> None:
    db = tmp_path / "db.sqlite3"
    sample = Path("/work/shared/samples/kurse.csv")
    if not sample.exists():
        pytest.skip("sample course list not present")
    lines = sample.read_text(encoding="utf-8").splitlines()
    text = "\n".join([lines[0] + ";Raum"] + [line + ";R 1" for line in lines[1:]]) + "\n"
    path = write(tmp_path, "kurse.csv", text)
    assert main(["--db", str(db), "--unencrypted", "import-courses", str(path)]) == 1
    assert "Spalten ohne Zuordnung: „Raum“" in capsys.readouterr().err
    bad = write(tmp_path, "m.json", '{"Raum": "Zimmer"}')
    assert main(["--db", str(db), "import-courses", str(path), "--mapping", str(bad)]) == 1
    assert "m.json: „Raum“: unbekanntes Feld „Zimmer“" in capsys.readouterr().err
    assert main(["--db", str(db), "import-courses", str(path), "--skip-unknown"]) == 0
    assert "4 Kurse neu angelegt" in capsys.readouterr().out


def test_values_in_columns_without_header_are_named_as_not_imported(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "liste.csv", "Familienname;;Vorname;\nHaddad;Zimmer 3;Lina;\nOmar;;Sami;\n")
    report = import_persons(services, path)
    assert report.problems == [] and report.skipped == ["Spalte 2 (ohne Überschrift)"]  # column 4 is empty
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["Familienname", "Vorname"])
    wb.active.append(["Haddad", "Lina", None, "Notiz ohne Spalte"])
    wb.save(tmp_path / "liste.xlsx")
    report = import_persons(services, tmp_path / "liste.xlsx", dry_run=True)
    assert report.skipped == ["Spalte 4 (ohne Überschrift)"]
    assert f"{tmp_path / 'liste.xlsx'}: nicht übernommene Spalten: „Spalte 4 (ohne Überschrift)“" in report.warnings
