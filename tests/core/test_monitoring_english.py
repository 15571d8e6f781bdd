"""Under the English UI the anonymised counts speak English: table titles, row and column headers, notes,
legend and the header block of CSV and XLSX (German stays the default for the German UI)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from german_text import german_in

from bildungskoordination import i18n
from bildungskoordination.monitoring import periods
from bildungskoordination.monitoring.writers import render
from bildungskoordination.people.demo import generate_demo
from bildungskoordination.services import Services


@pytest.fixture
def services(tmp_path):
    sv = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    generate_demo(sv, 60, seed=5, today=date(2026, 6, 30))
    yield sv
    sv.close()


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def _place_names() -> set[str]:
    from bildungskoordination.domain.vocab import district

    words = " ".join([str(district().get("name", "")), *map(str, district().get("municipalities", []))])
    return {w.lower() for w in words.replace("-", " ").split()}


def test_csv_and_xlsx_exported_from_the_english_ui_are_english(english, services):
    from openpyxl import load_workbook

    report = services.monitoring.report(periods.quarter(2026, 2))
    places = _place_names()
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig")), delimiter=";"))
    german = {cell for row in rows for cell in row if german_in(cell, places)}
    assert not german, sorted(german)

    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    texts = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    texts |= {ws.title for ws in book.worksheets}
    german = {t for t in texts if german_in(t, places)}
    assert not german, sorted(german)
    assert any("People counselled by gender" in t for t in texts)


def test_the_german_ui_keeps_german_exports(services):
    report = services.monitoring.report(periods.quarter(2026, 2))
    text = render(report, "csv").decode("utf-8-sig")
    assert "Beratene Personen nach Geschlecht" in text and "Insgesamt" in text
