"""MonitoringService.export: atomic file, export log (no counts), audit entry, differencing warnings, history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bildungskoordination.events import Change
from bildungskoordination.monitoring import export_log, periods
from bildungskoordination.monitoring.model import Cell, CellStatus, CountsReport, CountTable, Row
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services
from bildungskoordination.store.models import ExportLog


@pytest.fixture
def services(db_target):
    sv = Services.open(db_target, unencrypted=True)
    for i in range(5):
        pid = sv.people.create(PersonData(family_name=f"Person{i}", given_name="Test", gender="w",
                                          nationalities=["SY"], consent_date=date(2025, 1, 2)))
        sv.contacts.add(pid, ContactData(contact_date=date(2026, 2, 1 + i), topics=["sprachkurs"]))
        if i == 0:
            sv.contacts.add(pid, ContactData(contact_date=date(2026, 4, 20), topics=["sprachkurs"]))
    yield sv
    sv.close()


def fake_writer(monkeypatch, fail: bool = False) -> list:
    calls: list = []

    def write_report(report, path, file_format):
        if fail:
            raise OSError("Datenträger voll")
        path.write_text(f"{file_format}:{len(report.tables)}", encoding="utf-8")
        calls.append((path, file_format))

    import bildungskoordination.monitoring.writers as writers

    monkeypatch.setattr(writers, "write_report", write_report)
    return calls


def test_export_writes_file_and_logs_without_counts(services, tmp_path, monkeypatch):
    calls = fake_writer(monkeypatch)
    seen: list[Change] = []
    services.bus.subscribe(seen.append)
    report = services.monitoring.report(periods.quarter(2026, 1), tables=["personen_geschlecht", "beratung_themen"])
    target = tmp_path / "out" / "Auswertung.csv"
    services.monitoring.export(report, target, "csv")
    assert target.read_text(encoding="utf-8") == "csv:2"
    assert len(calls) == 1 and calls[0][0] != target            # written beside, then renamed
    assert [p.name for p in target.parent.iterdir()] == ["Auswertung.csv"]
    with services.store.read() as s:
        row = s.scalars(select(ExportLog)).one()
        assert (row.period_from, row.period_to, row.k, row.file_format) == (date(2026, 1, 1), date(2026, 3, 31), 3, "csv")
        assert row.tables == ["beratung_themen", "personen_geschlecht"]
        assert row.details["period_label"] == "1. Quartal 2026"
        # Only keys of hidden cells (none here: 5 persons, 5 contacts), never values.
        assert row.details["suppressed"] == [] and "5" not in repr(row.details)
    audit = [e for e in services.audit.list() if e.action == "export"]
    assert len(audit) == 1 and audit[0].entity == "monitoring" and audit[0].detail.startswith("1. Quartal 2026")
    assert any(c.entity == "export_log" for c in seen)
    history = services.monitoring.export_history()
    assert [(h.period_start, h.tables, h.file_format) for h in history] == [
        (date(2026, 1, 1), ("beratung_themen", "personen_geschlecht"), "csv")]


def test_suppressed_keys_are_logged(services, tmp_path, monkeypatch):
    fake_writer(monkeypatch)
    report = services.monitoring.report(periods.month(2026, 4))   # one person, one contact: all hidden
    services.monitoring.export(report, tmp_path / "a.xlsx", "xlsx")
    with services.store.read() as s:
        details = s.scalars(select(ExportLog.details)).one()
    assert ["persons", "total"] in details["suppressed"] and ["contacts", "topic=sprachkurs"] in details["suppressed"]


def test_failed_write_leaves_nothing(services, tmp_path, monkeypatch):
    fake_writer(monkeypatch, fail=True)
    (tmp_path / "a.csv").write_text("alt", encoding="utf-8")
    report = services.monitoring.report(periods.year(2026))
    with pytest.raises(OSError, match="Datenträger voll"):
        services.monitoring.export(report, tmp_path / "a.csv", "csv", overwrite=True)
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "alt"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".a", "a"))) == ["a.csv"]
    assert services.monitoring.export_history() == []
    assert not [e for e in services.audit.list() if e.action == "export"]


def test_unsafe_or_unknown_format_is_refused(services, tmp_path, monkeypatch):
    fake_writer(monkeypatch)
    report = services.monitoring.report(periods.year(2026), tables=["personen_geschlecht"])
    with pytest.raises(ValueError, match="Unbekanntes Format „doc“"):
        services.monitoring.export(report, tmp_path / "a.doc", "doc")
    table = report.tables[0]
    leaky = replace(table, rows=(Row("weiblich", (Cell(2, key=("persons", "gender=w")),)), *table.rows[1:]))
    with pytest.raises(ValueError, match="nicht ausreichend anonymisiert"):
        services.monitoring.export(replace(report, tables=(leaky,)), tmp_path / "a.csv", "csv")
    assert not (tmp_path / "a.csv").exists() and services.monitoring.export_history() == []


def test_overlapping_export_that_reveals_a_small_count_is_warned(services, tmp_path, monkeypatch):
    fake_writer(monkeypatch)
    services.monitoring.export(services.monitoring.report(periods.quarter(2026, 1)), tmp_path / "q1.csv", "csv")
    # Same period again: same cells, same suppression – nothing to warn about.
    assert services.monitoring.report(periods.quarter(2026, 1)).warnings == ()
    # A range without overlap: nothing either.
    assert services.monitoring.report(periods.month(2026, 5)).warnings == ()
    # January–April contains Q1; the one April contact is the difference of two published counts.
    report = services.monitoring.report(periods.free_range(date(2026, 1, 1), date(2026, 4, 30)))
    assert len(report.warnings) == 1
    warning = report.warnings[0]
    assert "(Zeitraum 1. Quartal 2026)" in warning and "01.01.2026 – 30.04.2026" in warning
    assert "Fallzahl unter 3" in warning and "Beratungskontakte" in warning


def test_k_comes_from_the_setting(services):
    services.settings.set("monitoring.k", 4)
    assert services.monitoring.default_k() == 4
    assert services.monitoring.report(periods.year(2026)).k == 4


def test_new_contact_shows_in_the_next_report(services):
    before = services.monitoring.report(periods.quarter(2026, 1)).table("beratung_themen").rows[-1].cells[0].value
    pid = services.people.create(PersonData(family_name="Neu", given_name="Test", consent_date=date(2025, 1, 2)))
    services.contacts.add(pid, ContactData(contact_date=date(2026, 3, 1), topics=["arbeit"]))
    after = services.monitoring.report(periods.quarter(2026, 1)).table("beratung_themen").rows[-1].cells[0].value
    assert (before, after) == (5, 6)


# --- review fixes: sums of published periods ------------------------------------------------------------------

def _contacts(sv, person: int, first: date, channel: str, n: int) -> None:
    for i in range(n):
        sv.contacts.add(person, ContactData(contact_date=first + timedelta(days=i), topics=["arbeit"], channel=channel))


def test_hidden_cell_that_earlier_quarters_add_up_to_is_warned(tmp_path, monkeypatch):
    # Q1: persönlich 3, Telefon 1, Video 5 → Telefon and its partner persönlich hidden, Video published.
    # Q2: persönlich 10, Video 3 → all published. H1: Telefon 1 with partner Video 8 = 5 + 3 from the quarters,
    # so H1's Telefon would be 22 − 13 − 8 = 1: the H1 export must warn.
    sv = Services.open(None)
    try:
        fake_writer(monkeypatch)
        pid = sv.people.create(PersonData(family_name="Eins", given_name="Test", consent_date=date(2025, 1, 2)))
        _contacts(sv, pid, date(2026, 1, 5), "persoenlich", 3)
        _contacts(sv, pid, date(2026, 1, 20), "telefon", 1)
        _contacts(sv, pid, date(2026, 2, 1), "video", 5)
        _contacts(sv, pid, date(2026, 4, 1), "persoenlich", 10)
        _contacts(sv, pid, date(2026, 5, 1), "video", 3)
        for q in (1, 2):
            report = sv.monitoring.report(periods.quarter(2026, q), tables=["beratung_kontaktweg"])
            sv.monitoring.export(report, tmp_path / f"q{q}.csv", "csv")
        half = sv.monitoring.report(periods.half_year(2026, 1), tables=["beratung_kontaktweg"])
        video = next(row for row in half.table("beratung_kontaktweg").rows if row.label == "Video")
        assert video.cells[0].suppressed
        assert any("aus früheren Ausfuhren errechnen" in w and "Video" in w for w in half.warnings), half.warnings
    finally:
        sv.close()


def _logged(n: int, period, suppressed=(), tables=("t",)) -> export_log.LoggedExport:
    return export_log.LoggedExport(n, datetime(2026, 12, 1, 10, n), period, tuple(tables), 3, frozenset(suppressed))


def _report(period, hidden: bool) -> CountsReport:
    status = CellStatus.SECONDARY if hidden else CellStatus.SHOWN
    rows = (Row("a", (Cell(7, status, ("contacts", "x")),)), Row("b", (Cell(9, status, ("persons", "x")),)))
    table = CountTable("t", "T", "r", ("n",), rows, rows_additive=False)
    return CountsReport(period, 3, (table,), datetime(2026, 12, 2))


def test_sum_check_year_minus_three_quarters_and_false_alarms():
    q = [periods.quarter(2026, i) for i in (1, 2, 3, 4)]
    nine_months = periods.free_range(date(2026, 1, 1), date(2026, 9, 30))
    year = periods.year(2026)
    new = _report(q[3], hidden=True)
    # The year minus January–September is the fourth quarter.
    assert export_log.recovery_warnings(new, [_logged(1, year), _logged(2, nine_months)], new.tables)
    # Only the year: no sum gives the fourth quarter. Persons do not add up over periods: never flagged.
    assert export_log.recovery_warnings(new, [_logged(1, year)], new.tables) == []
    assert export_log.recovery_warnings(new, [_logged(1, year, [("contacts", "x")]), _logged(2, nine_months)],
                                        new.tables) == []
    # The other way round: the year hid the cell, the quarters published it – the fourth one completes the sum.
    shown = _report(q[3], hidden=False)
    earlier = [_logged(1, year, [("contacts", "x"), ("persons", "x")])] + [_logged(2 + i, q[i]) for i in range(3)]
    warnings = export_log.recovery_warnings(shown, earlier, shown.tables)
    assert len(warnings) == 1 and "1 Ausfuhren: 2026 (01.12.2026)" in warnings[0]
    assert export_log.recovery_warnings(shown, earlier[:3], shown.tables) == []


def test_same_period_with_another_suppression_pattern_is_warned():
    # The same period exported again (another k, corrected data): a persons cell hidden then and published now
    # gives the earlier export's hidden cell away. Nested periods are the differencing check's business.
    year = periods.year(2026)
    earlier = [_logged(1, year, [("persons", "x")])]
    shown = _report(year, hidden=False)
    warnings = export_log.recovery_warnings(shown, earlier, shown.tables)
    assert len(warnings) == 1 and "Zahlen errechenbar" in warnings[0] and "T: b" in warnings[0]
    hidden = _report(year, hidden=True)
    assert export_log.recovery_warnings(hidden, [_logged(1, year)], hidden.tables)
    assert export_log.recovery_warnings(shown, [_logged(1, periods.half_year(2026, 1), [("persons", "x")])],
                                        shown.tables) == []
