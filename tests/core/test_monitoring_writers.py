"""The export writers of the anonymised counts, on hand-built reports: what a monitoring office opens.

A suppressed cell carries a tell-tale true value (SECRET); it must not appear in any file. Each check also
runs once with that cell shown, so it can fail.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from tooling import missing_tool

from bildungskoordination.monitoring import periods
from bildungskoordination.monitoring.model import Cell, CellStatus, CountsReport, CountTable, Row
from bildungskoordination.monitoring.writers import FORMATS, render, write_report
from bildungskoordination.monitoring.writers.charts import caption, chart_data, pick_charts
from bildungskoordination.monitoring.writers.xlsx_writer import FIRST_TABLE_ROW, sheet_name

SECRET = 947  # the true value behind a secondary "." – occurs nowhere else in the report
SMALL = 2     # a primary "."
INJECTIONS = ("=HYPERLINK(\"http://x\")", "+1+2", "-3+4", "@SUM(A1)", "\tTab", "\rCR")


def shown(v: int) -> Cell:
    return Cell(v)


def report(*, secret_status: CellStatus = CellStatus.SECONDARY,
           labels: tuple[str, ...] = ("Integrationskurs", "Berufssprachkurs"),
           extra: tuple[CountTable, ...] = ()) -> CountsReport:
    persons = CountTable(
        "personen_geschlecht", "Beratene Personen nach Geschlecht", "Geschlecht", ("Personen",),
        (Row("weiblich", (shown(1210),)), Row("männlich", (shown(990),)),
         Row("divers/ohne Angabe", (Cell(SMALL, CellStatus.PRIMARY),)),
         Row("Insgesamt", (Cell(3113, CellStatus.SECONDARY),), is_total=True)))
    topics = CountTable(
        "beratung_themen", "Beratungskontakte nach Thema", "Thema", ("Kontakte", "Insgesamt"),
        tuple(Row(label, (shown(410 + n), shown(410 + n))) for n, label in enumerate(labels))
        + (Row("Anerkennung", (Cell(SECRET, secret_status), Cell(SECRET, secret_status))),
           Row("Insgesamt", (shown(5123), shown(5123)), is_total=True)),
        rows_additive=False, note="Mehrfachnennungen möglich")
    return CountsReport(periods.year(2026), 3, (persons, topics, *extra), datetime(2027, 1, 5, 9, 30),
                        district="Landkreis Trier-Saarburg",
                        merges=(("Staatsangehörigkeit Eritrea", "zusammengefasst zu „übrige Länder Afrikas“"),))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        missing_tool("pdftotext (poppler-utils) not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def xlsx_values(data: bytes) -> list[object]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


# --- CSV ----------------------------------------------------------------------------------------------
def test_csv_is_utf8_with_bom_semicolons_and_crlf():
    data = render(report(), "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert ["Berichtszeitraum", "2026 (01.01.2026 – 31.12.2026)"] in rows
    assert ["Mindestfallzahl (k)", "3"] in rows
    assert [".", "Zahlenwert unbekannt oder geheim zu halten"] == rows[[r[1:2] for r in rows].index(["."])][1:]
    # A table block: title line (with its note), header, rows, blank line.
    start = rows.index(["Beratungskontakte nach Thema", "Mehrfachnennungen möglich"])
    assert rows[start + 1] == ["Thema", "Kontakte", "Insgesamt"]
    assert rows[start + 2] == ["Integrationskurs", "410", "410"]
    assert rows[start + 3] == ["Berufssprachkurs", "411", "411"]
    assert rows[start + 4] == ["Anerkennung", ".", "."]
    assert rows[start + 5] == ["Insgesamt", "5123", "5123"]
    assert rows[start + 6] == []
    assert ["divers/ohne Angabe", "."] in rows and ["Insgesamt", "."] in rows


def test_csv_neutralises_every_formula_like_text_cell():
    base = report(labels=INJECTIONS)
    evil = replace(base, district="=cmd|' /C calc'!A0", merges=(("-Zusammen", "@x"),),
                   tables=(replace(base.tables[1], title="+Titel", row_title="=Kopf", columns=("-Spalte", "Insgesamt")),))
    text = render(evil, "csv").decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for c in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for wanted in ("'=cmd|' /C calc'!A0", "'-Zusammen", "'@x", "'+Titel", "'=Kopf", "'-Spalte", "'\tTab", "'\rCR",
                   "'=HYPERLINK(\"http://x\")"):
        assert wanted in cells
    # Numbers stay bare numbers (no quote), also when negative-looking text is around them.
    assert "410" in cells and "'410" not in cells


# --- XLSX ---------------------------------------------------------------------------------------------
def test_xlsx_has_explanations_then_one_sheet_per_table_with_numbers_as_numbers():
    wb = openpyxl.load_workbook(io.BytesIO(render(report(), "xlsx")))
    assert wb.sheetnames == ["Erläuterungen", "personen_geschlecht", "beratung_themen"]
    explain = [c.value for row in wb["Erläuterungen"].iter_rows() for c in row if c.value is not None]
    assert "Landkreis Trier-Saarburg" in explain and "2026 (01.01.2026 – 31.12.2026)" in explain
    assert any(isinstance(v, str) and "Rückrechnung" in v and "durch „.“ ersetzt" in v for v in explain)
    assert "Zahlenwert unbekannt oder geheim zu halten" in explain
    assert "zusammengefasst zu „übrige Länder Afrikas“" in explain
    ws = wb["beratung_themen"]
    header = FIRST_TABLE_ROW - 1
    assert [c.value for c in ws[header]] == ["Thema", "Kontakte", "Insgesamt"]
    assert ws.cell(header, 1).font.b and ws.freeze_panes == f"B{FIRST_TABLE_ROW}"
    first = ws.cell(FIRST_TABLE_ROW, 2)
    assert first.value == 410 and first.data_type == "n"
    dot = ws.cell(FIRST_TABLE_ROW + 2, 2)
    assert dot.value == "." and dot.data_type == "s" and dot.alignment.horizontal == "right"
    total_label, total = ws.cell(FIRST_TABLE_ROW + 3, 1), ws.cell(FIRST_TABLE_ROW + 3, 2)
    assert total_label.value == "Insgesamt" and total_label.font.b and total.font.b and total.value == 5123
    assert not ws.cell(FIRST_TABLE_ROW, 1).font.b
    assert ws.column_dimensions["A"].width >= len("Integrationskurs")


def test_xlsx_stores_formula_like_text_as_text():
    data = render(report(labels=INJECTIONS), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml
    ws = openpyxl.load_workbook(io.BytesIO(data))["beratung_themen"]
    labels = {ws.cell(r, 1).value: ws.cell(r, 1) for r in range(FIRST_TABLE_ROW, FIRST_TABLE_ROW + len(INJECTIONS))}
    cell = labels["=HYPERLINK(\"http://x\")"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert labels["+1+2"].data_type == "s"


def test_sheet_names_are_legal_and_unique():
    used: set[str] = set()
    names: list[str] = []
    for wanted in ("Beratung: Themen [alle]*?/\\", "x" * 40, "x" * 40, "X" * 40, "Erläuterungen", "   "):
        name = sheet_name(wanted, used | {"erläuterungen"})
        used.add(name.lower())
        names.append(name)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) and n.strip() for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[0] == "Beratung_ Themen _alle_____"
    dup = CountTable("same", "Gleich", "A", ("n",), (Row("a", (shown(5),)),))
    wb = openpyxl.load_workbook(io.BytesIO(render(report(extra=(dup, dup)), "xlsx")))
    assert wb.sheetnames[-2:] == ["same", "same (2)"]


# --- PDF ----------------------------------------------------------------------------------------------
def test_pdf_shows_tables_legend_and_dots(tmp_path):
    data = render(report(), "pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for wanted in ("Anonymisierte Fallzahlen", "Landkreis Trier-Saarburg", "Zeichenerklärung",
                   "Tabelle 1: Beratene Personen nach Geschlecht", "Tabelle 2: Beratungskontakte nach Thema",
                   "Integrationskurs", "Mehrfachnennungen möglich", "Rückrechnung", "Abbildung"):
        assert wanted in text, wanted
    assert re.search(r"^\.$", text, re.M)  # a "." cell on its own
    # The chart leaves the suppressed row out and says so.
    assert "Nicht dargestellt (geheim gehalten" in text and "Anerkennung." in text


def test_charts_use_only_published_values():
    table = report().tables[1]
    data = chart_data(table)
    assert data is not None
    assert dict(data.bars) == {"Integrationskurs": 410, "Berufssprachkurs": 411}
    assert SECRET not in [v for _, v in data.bars] and data.left_out == ("Anerkennung",)
    assert "Anerkennung" in caption(data)
    persons = chart_data(report().tables[0])
    assert persons is not None and dict(persons.bars) == {"weiblich": 1210, "männlich": 990}


# --- never the secret ---------------------------------------------------------------------------------
@pytest.mark.parametrize("file_format", FORMATS)
def test_suppressed_values_are_in_no_file(file_format, tmp_path):
    def published_text(r: CountsReport) -> str:
        data = render(r, file_format)
        if file_format == "csv":
            return data.decode("utf-8-sig")
        if file_format == "xlsx":
            return " ".join(str(v) for v in xlsx_values(data))
        return pdf_text(data, tmp_path)

    hidden = published_text(report())
    assert str(SECRET) not in hidden and "3113" not in hidden.replace("\u00a0", "").replace(" ", "")
    control = published_text(report(secret_status=CellStatus.SHOWN))
    assert str(SECRET) in control


# --- write_report -------------------------------------------------------------------------------------
def test_write_report_writes_each_format_and_refuses_an_unknown_one(tmp_path):
    for fmt in FORMATS:
        target = tmp_path / f"zahlen.{fmt}"
        write_report(report(), target, fmt.upper())
        assert target.stat().st_size > 500
    target = tmp_path / "zahlen.ods"
    target.write_bytes(b"old")
    with pytest.raises(ValueError, match="Unbekanntes Ausgabeformat „ods“"):
        write_report(report(), target, "ods")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zahlen.csv", "zahlen.ods", "zahlen.pdf", "zahlen.xlsx"]


def test_column_chart_of_a_total_row_and_preferred_charts_first():
    statuses = CountTable(
        "vermittlungen_kursart_status", "Vermittlungen nach Kursart und Stand", "Kursart",
        ("angemeldet", "begonnen", "abgebrochen", "Insgesamt"),
        (Row("Integrationskurs", (shown(40), shown(30), Cell(SMALL, CellStatus.PRIMARY), shown(72))),
         Row("Berufssprachkurs", (shown(20), shown(10), Cell(SECRET, CellStatus.SECONDARY), shown(31))),
         Row("Insgesamt", (shown(60), shown(40), Cell(SECRET, CellStatus.SECONDARY), shown(103)), is_total=True)),
        total_column=True)
    picked = pick_charts((*report().tables, statuses))
    assert list(picked)[:2] == ["personen_geschlecht", "beratung_themen"]
    by_row, by_column = picked["vermittlungen_kursart_status"]
    assert dict(by_row.bars) == {"Integrationskurs": 72, "Berufssprachkurs": 31}  # the total column
    assert dict(by_column.bars) == {"angemeldet": 60, "begonnen": 40} and by_column.left_out == ("abgebrochen",)


def test_pdf_prints_characters_the_font_lacks_as_plain_stand_ins(tmp_path):
    text = pdf_text(render(replace(report(), merges=(("Deutschniveau", "B2, C1, C2 → B2 und höher"),)), "pdf"),
                    tmp_path)
    assert "B2, C1, C2 → B2 und höher" in text or "B2, C1, C2 -> B2 und höher" in text
