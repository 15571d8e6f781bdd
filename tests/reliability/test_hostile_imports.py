"""Hostile and broken import files (issue 16, 5/6/8): each refused with the message the user sees (file,
row, column) and nothing stored; stray bytes in UTF-8 are never re-read as Windows-1252."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from bildungskoordination.domain.table_limits import Limits
from bildungskoordination.domain.tabular import read_table
from bildungskoordination.people.importer import PERSON_TABLE, import_persons
from bildungskoordination.services import Services

HEADER = "Nr;Familienname;Vorname;Wohnort\n"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    s = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    yield s
    s.close()


def messages(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in report.problems]


def test_one_stray_byte_in_utf8_is_refused_by_line(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    text = HEADER + "A-1;Коваленко;Олена;Konz\nA-2;Müller;Jörg;Trier\n"
    path.write_bytes(text.encode("utf-8") + b"A-3;M\xe4rz;Anna;Saarburg\n")
    report = import_persons(services, path)
    assert messages(report) == [
        f"{path}:4: Byte 0xE4 ist kein gültiges UTF-8 – der Rest der Datei ist UTF-8; bitte das Zeichen an dieser "
        "Stelle neu eingeben und die Datei als „CSV UTF-8“ speichern"]
    assert services.people.count() == 0


def test_many_stray_bytes_are_named_and_counted(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    rows = b"".join(f"A-{i};M".encode() + b"\xfc" + "ller;Jörg;Trier\n".encode() for i in range(15))
    path.write_bytes(HEADER.encode() + rows)
    report = import_persons(services, path)
    assert [p.row for p in report.problems] == [*range(2, 12), None]
    assert str(report.problems[-1]) == f"{path}: und 5 weitere ungültige Bytes; nichts wurde als Windows-1252 umgedeutet"
    assert services.people.count() == 0


def test_a_pure_windows_1252_file_is_still_read(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes((HEADER + "A-1;Müller;Jörg;Saarbrücken\nA-2;Weiß;Änne;Trier\n").encode("cp1252"))
    report = import_persons(services, path)
    assert report.ok, messages(report)
    names = sorted((p.family_name, p.given_name) for p in services.people.rows(report.created_ids))
    assert names == [("Müller", "Jörg"), ("Weiß", "Änne")]


def test_an_unclosed_quote_is_reported_where_it_opens(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(HEADER + 'A-1;Haddad;Lina;Konz\nA-2;"Omar;Sami;Trier\nA-3;Weiß;Anna;Konz\n', encoding="utf-8")
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:3: das Anführungszeichen in dieser Zeile (Textzeile 3) wird nie geschlossen – "
                                "bitte das fehlende \" ergänzen"]
    assert services.people.count() == 0


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_a_formula_cell_is_reported_as_a_formula(services: Services, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "liste.xlsx", [["Nr", "Familienname", "Vorname"], ["A-1", "Haddad", "Lina"],
                                          ["A-2", '=UPPER("omar")', "Sami"]])
    report = import_persons(services, path)
    assert messages(report) == [f"{path}:3: Familienname: Zelle enthält eine Formel – bitte Werte einfügen "
                                "(in Excel: Kopieren, Einfügen als Werte)"]
    assert services.people.count() == 0


def test_an_xlsx_bomb_is_refused_before_it_is_inflated(services: Services, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bombe.xlsx", [["Nr", "Familienname", "Vorname"], ["A-1", "Haddad", "Lina"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as member:
            block = b"<c/>" * (1 << 18)
            for _ in range(210):  # 210 MB of XML in well under 1 MB on disk
                member.write(block)
    assert path.stat().st_size < 2_000_000
    started = time.perf_counter()
    report = import_persons(services, path)
    assert time.perf_counter() - started < 5
    [problem] = report.problems
    assert (problem.row, problem.column) == (None, None)
    assert str(problem) == (f"{path}: die Excel-Datei wäre entpackt 210 MB groß, höchstens 200 MB sind erlaubt – "
                            "bitte die Liste aufteilen oder als CSV speichern")
    assert services.people.count() == 0


def test_row_column_and_cell_caps(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(HEADER + "".join(f"A-{i};Haddad;Lina;Konz\n" for i in range(10)), encoding="utf-8")
    table = read_table(path, PERSON_TABLE, Limits(rows=5))
    assert [str(p) for p in table.problems] == [f"{path}:7: mehr als 5 Zeilen – bitte die Liste aufteilen"]
    assert table.rows == []
    path.write_text(HEADER + "A-1;Haddad;Lina;Konz" + ";x" * 10 + "\n", encoding="utf-8")
    table = read_table(path, PERSON_TABLE, Limits(columns=8))
    assert [str(p) for p in table.problems] == [f"{path}:2: mehr als 8 Spalten – so breite Listen werden nicht eingelesen"]
    path.write_text(HEADER + "A-1;" + "H" * 10_001 + ";Lina;Konz\n", encoding="utf-8")
    table = read_table(path, PERSON_TABLE)
    assert [str(p) for p in table.problems] == [
        f"{path}:2: Familienname: Zelle hat 10.001 Zeichen, höchstens 10.000 sind erlaubt"]


def test_file_numbers_are_issued_with_one_look_up(services: Services, tmp_path: Path) -> None:
    from sqlalchemy import event

    path = tmp_path / "ohne-nummern.csv"
    path.write_text(HEADER + "".join(f";Haddad{i};Lina;Konz\n" for i in range(3000)), encoding="utf-8")
    statements: list[str] = []
    event.listen(services.store.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_a: statements.append(sql))
    started = time.perf_counter()
    report = import_persons(services, path)
    assert report.ok, messages(report)[:3]
    assert time.perf_counter() - started < 30  # was ≈ 39 s with one look-up per person
    assert sum(1 for sql in statements if "file_number LIKE" in sql) == 1
    numbers = [r.file_number for r in services.people.rows(report.created_ids)]
    assert len(set(numbers)) == 3000 and numbers[0].endswith("-0001") and numbers[-1].endswith("-3000")
