"""Disclosure control, property-based: over random tables and random datasets, every published cell is 0, ≥ k
or hidden; no line that adds up has exactly one hidden entry; a key has one status everywhere; no personal value
of the dataset appears in any export file or in the export log."""

from __future__ import annotations

import tempfile
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from bildungskoordination.monitoring import periods
from bildungskoordination.monitoring.model import CellStatus, CountTable, Row
from bildungskoordination.monitoring.suppression import additive_lines, cell, cell_key, suppress, violations
from bildungskoordination.services import Services
from bildungskoordination.store.models import Contact, ExportLog, Person

small = st.integers(0, 7) | st.sampled_from([0, 1, 2])


def one_way(table_id: str, dim: str, values: list[int]) -> CountTable:
    rows = [Row(f"r{i}", (cell(v, "persons", f"{dim}={i}"),)) for i, v in enumerate(values)]
    rows.append(Row("Insgesamt", (cell(sum(values), "persons", "total"),), True))
    return CountTable(table_id, table_id, "x", ("Personen",), tuple(rows), columns_additive=False)


def two_way(grid: list[list[int]]) -> CountTable:
    rows = []
    for i, line in enumerate(grid):
        cells = [cell(v, "ref", f"t={i}", f"s={j}") for j, v in enumerate(line)] + [cell(sum(line), "ref", f"t={i}")]
        rows.append(Row(f"t{i}", tuple(cells)))
    cols = [sum(col) for col in zip(*grid, strict=True)]
    totals = [cell(v, "ref", f"s={j}") for j, v in enumerate(cols)] + [cell(sum(cols), "ref", "total")]
    rows.append(Row("Insgesamt", tuple(totals), True))
    return CountTable("grid", "grid", "t", tuple(f"s{j}" for j in range(len(cols))) + ("Insgesamt",), tuple(rows),
                      total_column=True)


def assert_safe(tables, k: int) -> None:
    status: dict = {}
    for t in tables:
        for r, row in enumerate(t.rows):
            for c, x in enumerate(row.cells):
                assert x.suppressed or x.value == 0 or x.value >= k, (t.id, row.label)
                assert not (x.suppressed and x.value == 0), "a zero is never hidden"
                assert status.setdefault(cell_key(t, r, c), x.status.suppressed) == x.status.suppressed
        for line in additive_lines(t):
            hidden = sum(t.rows[r].cells[c].suppressed for r, c in line)
            assert hidden != 1, (t.id, line)
    assert violations(tables, k) == []


@settings(max_examples=300, deadline=None)
@given(data=st.data(), k=st.integers(3, 5))
def test_random_tables_are_safe(data, k):
    total_rows = data.draw(st.integers(1, 4))
    grid = data.draw(st.lists(st.lists(small, min_size=3, max_size=3), min_size=total_rows, max_size=total_rows))
    persons = data.draw(st.lists(small, min_size=1, max_size=6))
    # A second breakdown of the same persons (shares the key ("persons", "total") with the first).
    other = data.draw(st.permutations(persons))
    tables = [one_way("a", "a", persons), one_way("b", "b", list(other)), two_way(grid)]
    result = suppress(tables, k)
    assert_safe(result, k)
    # Values never change; only small counts are primary.
    for before, after in zip(tables, result, strict=True):
        for rb, ra in zip(before.rows, after.rows, strict=True):
            for cb, ca in zip(rb.cells, ra.cells, strict=True):
                assert cb.value == ca.value
                assert (ca.status is CellStatus.PRIMARY) == (0 < ca.value < k)


def test_nothing_small_means_nothing_hidden():
    tables = suppress([one_way("a", "a", [0, 3, 5, 0]), two_way([[3, 0, 4], [0, 0, 9]])], 3)
    assert not any(c.suppressed for t in tables for row in t.rows for c in row.cells)


def test_single_small_cell_gets_the_smallest_partner():
    table = suppress([one_way("a", "a", [2, 7, 4, 0])], 3)[0]
    assert [row.cells[0].published for row in table.rows] == [".", "7", ".", "0", "13"]
    assert table.rows[2].cells[0].status is CellStatus.SECONDARY


def test_only_zeros_left_hides_the_total():
    table = suppress([one_way("a", "a", [2, 0, 0])], 3)[0]
    assert [row.cells[0].published for row in table.rows] == [".", "0", "0", "."]


def test_hidden_total_propagates_to_every_table_with_that_key():
    a, b = suppress([one_way("a", "a", [2, 0]), one_way("b", "b", [1, 1])], 3)
    assert a.rows[-1].cells[0].suppressed and b.rows[-1].cells[0].suppressed


def test_k_below_three_is_refused():
    with pytest.raises(ValueError, match="k = 2"):
        suppress([one_way("a", "a", [1])], 2)


# --- random datasets through the whole service -----------------------------------------------------------------

GENDERS = ["w", "m", "d", "x"]
COUNTRIES = ["SY", "AF", "UA", "TR", "ER", "DE", "XU", ""]
STATUSES = ["25_2", "24", "gestattung", "duldung_60a", "", "unbekannter_code"]
LEVELS = ["", "keine", "A1", "A2", "B1", "B2", "C1", "C2"]
PLACES = ["Konz", "Saarburg", "Zerf", "", "Anderswo"]
TOPICS = ["sprachkurs", "arbeit", "schule", "wohnen", "gesundheit"]
CHANNELS = ["persoenlich", "telefon", "video", "fax"]   # "fax": not in the vocabulary

person_st = st.fixed_dictionaries({
    "gender": st.sampled_from(GENDERS), "birth_year": st.none() | st.integers(1940, 2025),
    "nat": st.sampled_from(COUNTRIES), "status": st.sampled_from(STATUSES), "level": st.sampled_from(LEVELS),
    "place": st.sampled_from(PLACES),
    "contacts": st.lists(st.tuples(st.integers(0, 500), st.lists(st.sampled_from(TOPICS), max_size=3, unique=True),
                                   st.sampled_from(CHANNELS), st.sampled_from(["", "professionell", "familie", "nachbar"])),
                         min_size=1, max_size=4),
})


def _insert(sv: Services, people: list[dict]) -> list[str]:
    """Insert the dataset; returns its personal values (names, file numbers, birth dates, notes)."""
    now = datetime(2026, 1, 1)
    secrets: list[str] = []
    person_rows, contact_rows = [], []
    for i, p in enumerate(people, start=1):
        family, given, number = f"Qxfam{i:03d}zz", f"Qxgiv{i:03d}zz", f"QX-2026-{i:04d}"
        birth = (p["birth_year"], 7, 13) if p["birth_year"] else (None, None, None)
        secrets += [family, given, number, f"Qxnote{i:03d}zz"]
        if p["birth_year"]:
            secrets.append(f"13.07.{p['birth_year']}")
        person_rows.append(dict(id=i, file_number=number, family_name=family, given_name=given,
                                birth_year=birth[0], birth_month=birth[1], birth_day=birth[2], gender=p["gender"],
                                nationalities=[p["nat"]] if p["nat"] else [], residence_status=p["status"],
                                german_level=p["level"], municipality=p["place"], note=f"Qxnote{i:03d}zz",
                                created_at=now, updated_at=now))
        for day, topics, channel, kind in p["contacts"]:
            contact_rows.append(dict(person_id=i, contact_date=date.fromordinal(date(2025, 10, 1).toordinal() + day),
                                     topics=topics, channel=channel, interpreter_language="ar" if kind else "",
                                     interpreter_kind=kind, note=f"Qxcnote{i:03d}zz", created_at=now, updated_at=now))
    with sv.store.unit_of_work() as s:
        s.execute(insert(Person.__table__), person_rows)
        s.execute(insert(Contact.__table__), contact_rows)
    return secrets


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(person_st, min_size=1, max_size=14), k=st.integers(3, 4))
def test_random_datasets_export_safely(people, k):
    pytest.importorskip("openpyxl")
    from bildungskoordination.monitoring.writers import render

    sv = Services.open(None)
    try:
        secrets = _insert(sv, people)
        report = sv.monitoring.report(periods.year(2026), k=k)
        assert_safe(report.tables, k)
        # Lines declared additive really add up (else differencing could work where we assume it cannot).
        for t in report.tables:
            for line in additive_lines(t):
                values = [t.rows[r].cells[c].value for r, c in line]
                assert sum(values[:-1]) == values[-1], (t.id, line)
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("csv", "xlsx"):
                sv.monitoring.export(report, Path(folder) / f"a.{fmt}", fmt)
            texts = [(Path(folder) / "a.csv").read_bytes().decode("utf-8-sig")]
            with zipfile.ZipFile(Path(folder) / "a.xlsx") as z:
                texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        texts.append(render(report, "csv").decode("utf-8-sig"))
        with sv.store.read() as s:
            texts += [repr(d) for d in s.scalars(select(ExportLog.details))]
        blob = "\n".join(texts)
        for secret in secrets:
            assert secret not in blob
        assert "Qx" not in blob
    finally:
        sv.close()


# --- review fixes: what an attacker can still work out ----------------------------------------------------------

def test_two_hidden_ones_beside_a_published_total_get_a_third_partner():
    # 50 + . + . = 52 with zeros always published: both hidden cells would have to be exactly 1.
    table = suppress([one_way("a", "a", [50, 1, 1])], 3)[0]
    published = [row.cells[0].published for row in table.rows]
    assert published.count(".") >= 3, published
    assert violations([table], 3) == []


def test_hidden_ones_line_is_a_violation():
    table = one_way("a", "a", [50, 1, 1])
    rows = list(table.rows)
    for i in (1, 2):
        rows[i] = Row(rows[i].label, (replace(rows[i].cells[0], status=CellStatus.PRIMARY),))
    assert any("alle 1" in p for p in violations([replace(table, rows=tuple(rows))], 3))


def _hidden_grid(grid: list[list[int]], hidden: set[tuple[int, int]]) -> CountTable:
    table = two_way(grid)
    rows = [Row(row.label, tuple(replace(x, status=CellStatus.SECONDARY) if (r, c) in hidden else x
                                for c, x in enumerate(row.cells)), row.is_total) for r, row in enumerate(table.rows)]
    return replace(table, rows=tuple(rows))


def test_bridge_between_two_hidden_blocks_is_found():
    # Two 2×2 blocks of hidden cells joined by cell (1, 2): every row and column has 0 or ≥ 2 hidden cells,
    # yet (1, 2) = rows 0+1 minus columns 0+1 of the first block.
    grid = [[5, 6, 0, 0, 9], [7, 8, 4, 0, 9], [0, 0, 5, 6, 9], [0, 0, 7, 8, 9]]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    table = _hidden_grid(grid, hidden)
    assert all(sum(table.rows[r].cells[c].suppressed for r, c in line) != 1 for line in additive_lines(table))
    assert any("ref/t=1/s=2" in p for p in violations([table], 3))


@settings(max_examples=200, deadline=None)
@given(grid=st.lists(st.lists(small, min_size=4, max_size=4), min_size=2, max_size=5), k=st.integers(3, 4))
def test_no_hidden_cell_is_determined_by_the_lines_together(grid, k):
    result = suppress([two_way(grid)], k)
    assert violations(result, k) == []


def test_start_total_cannot_reveal_a_hidden_begonnen_total():
    # Referrals: IK angemeldet 1 (primary), IK begonnen 3, EOK angemeldet 7. Nothing "abgeschlossen" or
    # "abgebrochen" (published as 0), so a reader knows: course starts = column total "begonnen". A published
    # start total 3 beside a hidden "begonnen" total would unlock the referral table down to the 1.
    from bildungskoordination.monitoring.audit import determined
    from bildungskoordination.monitoring.categories import categories
    from bildungskoordination.monitoring.tables import RawCounts, build_tables

    raw = RawCounts(referrals=Counter({("ik_allgemein", "angemeldet"): 1, ("ik_allgemein", "begonnen"): 3,
                                       ("eok", "angemeldet"): 7}), start_days=[10, 20, 30])
    tables, _merges = build_tables(raw, categories(), 3)
    result = {t.id: t for t in suppress(tables, 3)}
    referrals, starts = result["vermittlungen_kursart_status"], result["vermittlungen_wartezeit"]
    begonnen = referrals.columns.index("begonnen")
    assert referrals.rows[-1].cells[begonnen].suppressed
    assert starts.rows[-1].cells[0].suppressed
    # The reader's equations: every published table's lines plus "starts = begonnen + abgeschlossen".
    published = [t for t in result.values() if not t.internal]
    lines = [[cell_key(t, r, c) for r, c in line] for t in published for line in additive_lines(t)]
    lines.append([("referrals", "status=begonnen"), ("referrals", "status=abgeschlossen"), ("starts", "total")])
    hidden = {cell_key(t, r, c) for t in published for r, row in enumerate(t.rows)
              for c, x in enumerate(row.cells) if x.suppressed}
    assert determined(lines, hidden) == []


def test_only_channel_used_shares_the_persons_total_status():
    # Every contact was in person: persons "persönlich" = persons total (a reader sees the other rows are 0).
    # The age table has four hidden ones, so the persons total 4 is hidden – and must be hidden here too.
    from bildungskoordination.monitoring.categories import categories
    from bildungskoordination.monitoring.tables import RawCounts, build_tables

    raw = RawCounts(contacts=6, persons=4, by_topic={"arbeit": (6, 4)}, by_channel={"persoenlich": (6, 4)},
                    by_interpreter={"ohne": (6, 4)},
                    persons_by={"age": Counter({"0-5": 1, "27-44": 1, "45-64": 1, "unbekannt": 1}),
                                "gender": Counter({"w": 4}),
                                **{d: Counter({"unbekannt": 4}) for d in ("nationality", "residence", "german", "area")}})
    tables, _merges = build_tables(raw, categories(), 3)
    result = {t.id: t for t in suppress(tables, 3)}
    assert result["personen_alter"].rows[-1].cells[0].suppressed
    for table_id, label in (("beratung_kontaktweg", "persönlich"), ("beratung_sprachmittlung", "ohne Sprachmittlung"),
                            ("beratung_themen", "Arbeit")):
        row = next(r for r in result[table_id].rows if r.label == label)
        assert row.cells[0].published == "6" and row.cells[1].suppressed, (table_id, row)
    assert violations(list(result.values()), 3) == []
