"""Auswertung: the coordinator's overview charts on demo data, and the export dialog – period, tables, k, a
preview with the suppressed cells visible, and a CSV that holds exactly the previewed cells."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from bildungskoordination.courses.records import CourseData
from bildungskoordination.gui.main_window import PAGE_MONITORING
from bildungskoordination.gui.monitoring.export_dialog import ExportDialog
from bildungskoordination.gui.monitoring.models import AccessibleTextRole, CountTableModel, StatusRole
from bildungskoordination.monitoring import periods
from bildungskoordination.monitoring.model import MIN_K, CellStatus
from bildungskoordination.people.demo import generate_demo
from bildungskoordination.people.records import ContactData, PersonData

TODAY = date.today()


@pytest.fixture
def demo(services):
    generate_demo(services, 80, seed=7, today=TODAY)
    return services


@pytest.fixture
def few_contacts(services):
    """A tiny district: three people, a handful of contacts this year – almost every count is small."""
    day = TODAY.replace(day=1)
    for n, (family, given, topics) in enumerate([("Haddad", "Rana", ["sprachkurs"]), ("Kovalenko", "Olena", ["arbeit"]),
                                                 ("Tesfay", "Yonas", ["sprachkurs", "schule"])]):
        pid = services.people.create(PersonData(family_name=family, given_name=given, consent_date=day))
        services.contacts.add(pid, ContactData(contact_date=day + timedelta(days=n), topics=topics))
    return services


def open_auswertung(window, qtbot):
    window.nav.setCurrentRow(PAGE_MONITORING)
    page = window.monitoring
    qtbot.waitUntil(lambda: page.isVisible())
    qtbot.waitUntil(lambda: not page.computing)  # counted on a worker
    return page


def test_auswertung_shows_this_years_overview_on_demo_data(window, demo, qtbot):
    page = open_auswertung(window, qtbot)
    assert window.nav.item(PAGE_MONITORING).flags() & Qt.ItemFlag.ItemIsEnabled
    assert page.period.period() == periods.year(TODAY.year)  # the default: the current year
    assert "nur für Sie" in page.note.text()

    contacts = page.contacts_chart.chart
    months = [label for label, _n in contacts.pairs]
    assert months == [f"{TODAY.year}-{m:02d}" for m in range(1, 13)]
    assert contacts.total() > 0
    assert page.topics_chart.chart.pairs and page.topics_chart.chart.total() > 0
    assert page.status_chart.chart.total() == page.course_type_chart.chart.total()
    # Without the picture: accessible name and description with the values, a table on request.
    assert contacts.accessibleName() == "Beratungskontakte je Monat"
    first_topic, first_count = page.topics_chart.chart.pairs[0]
    assert f"{first_topic}: {first_count}" in page.topics_chart.chart.accessibleDescription()
    page.as_tables.setChecked(True)
    table = page.topics_chart
    assert table.stack.currentWidget() is table.table
    assert table.model.rowCount() == len(table.chart.pairs)
    assert table.model.data(table.model.index(0, 1)) == first_count

    # A new referral shows at once (the page is visible), as "vorgeschlagen" and under its course type.
    proposed = dict(page.status_chart.chart.pairs).get("vorgeschlagen", 0)
    course_id = demo.courses.create(CourseData(
        provider="VHS Konz", course_number="IK-TEST-1", course_type="ik_allgemein", entry_level="keine",
        target_level="B1", start=TODAY + timedelta(days=30), end=TODAY + timedelta(days=300), days=["mo", "di"],
        time_from="08:30", time_to="12:45", municipality="Konz", places=20, status="offen"))
    demo.referrals.refer(demo.people.search_ids("")[0], course_id, on=TODAY)
    qtbot.waitUntil(lambda: dict(page.status_chart.chart.pairs).get("vorgeschlagen", 0) == proposed + 1)
    assert dict(page.course_type_chart.chart.pairs).get("Allgemeiner Integrationskurs", 0) >= 1

    # Another period recounts: one month has fewer contacts than the whole year.
    page.period.set_period(periods.month(TODAY.year, TODAY.month))
    qtbot.waitUntil(lambda: not page.computing)
    month_total = page.contacts_chart.chart.total()
    assert len(page.contacts_chart.chart.pairs) == 1 and month_total <= contacts.total()


def test_auswertung_shows_at_once_and_fills_in_when_counted(window, demo, qtbot, monkeypatch):
    import threading

    gate = threading.Event()
    overview = demo.monitoring.overview
    monkeypatch.setattr(demo.monitoring, "overview", lambda period: gate.wait(10) and overview(period))
    window.nav.setCurrentRow(PAGE_MONITORING)
    page = window.monitoring
    assert page.isVisible() and page.computing
    assert page.summary.text().endswith("wird berechnet …")
    assert all(chart.chart.pending and not chart.chart.pairs for chart in page.charts)  # not "keine Daten"
    gate.set()
    qtbot.waitUntil(lambda: not page.computing)
    assert "Beratungskontakt" in page.summary.text() and page.contacts_chart.chart.total() > 0
    assert not page.contacts_chart.chart.pending


def test_new_contact_refreshes_the_overview_when_shown(window, few_contacts, qtbot):
    page = open_auswertung(window, qtbot)
    before = page.contacts_chart.chart.total()
    pid = few_contacts.people.search_ids("Haddad")[0]
    few_contacts.contacts.add(pid, ContactData(contact_date=TODAY, topics=["arbeit"]))
    qtbot.waitUntil(lambda: page.contacts_chart.chart.total() == before + 1)


def test_export_preview_hides_small_counts_and_the_csv_holds_exactly_the_preview(window, few_contacts, qtbot,
                                                                                 monkeypatch, tmp_path):
    page = open_auswertung(window, qtbot)
    dialog = page.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    qtbot.addWidget(dialog)
    assert dialog.period.period() == periods.year(TODAY.year)
    assert dialog.report is not None and dialog.tabs.count() == len(dialog.table_checks) > 0

    # k below 3 is impossible.
    dialog.k.setValue(1)
    assert dialog.k.value() == MIN_K == dialog.k.minimum()

    # Every table of the tiny district shows "." cells, coloured, with the reason as tooltip.
    suppressed = []
    for table_id in dialog.table_checks:
        model = dialog.preview_model(table_id)
        cells = [(r, c) for r in range(model.rowCount()) for c in range(1, model.columnCount())]
        for r, c in cells:
            index = model.index(r, c)
            if model.data(index, StatusRole) is not CellStatus.SHOWN:
                suppressed.append((table_id, r, c))
                assert model.data(index) == "."
                assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                assert ("kleiner Wert" in tip) if model.data(index, StatusRole) is CellStatus.PRIMARY \
                    else ("Rückrechnung" in tip)
                assert tip == model.data(index, AccessibleTextRole)
    assert suppressed, "a district of three people must have suppressed cells"
    assert "geheim gehalten" in dialog.summary.text()
    assert "Zeichenerklärung" in dialog.legend.text()

    # Fewer tables: the preview follows (after the short delay).
    first_id = next(iter(dialog.table_checks))
    dialog.table_checks[first_id].setChecked(False)
    qtbot.waitUntil(lambda: dialog.preview_model(first_id) is None)
    dialog.table_checks[first_id].setChecked(True)
    qtbot.waitUntil(lambda: dialog.preview_model(first_id) is not None)

    # Save as CSV; the suffix is added to a name typed without it.
    dialog.format_buttons["csv"].setChecked(True)
    asked = {}

    def fake_save(_parent, _title, suggested, file_filter):
        asked.update(suggested=suggested, file_filter=file_filter)
        return str(tmp_path / "monitoring"), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    assert asked["suggested"].endswith(".csv") and "*.csv" in asked["file_filter"]
    written = tmp_path / "monitoring.csv"
    assert written.exists()
    assert "Gespeichert" in dialog.saved.text()
    rows = list(csv.reader(written.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    for table in dialog.report.tables:
        model = dialog.preview_model(table.id)
        start = next(i for i, row in enumerate(rows) if row and row[0] == table.title)
        body = rows[start + 2:start + 2 + len(table.rows)]
        preview = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
        assert [row[:len(preview[0])] for row in body] == preview  # exactly what the preview showed
    for table_id, r, c in suppressed:
        assert dialog.preview_model(table_id).data(dialog.preview_model(table_id).index(r, c)) == "."

    # The export is in the log on the page.
    qtbot.waitUntil(lambda: page.history_model.rowCount() == 1)
    assert page.history_model.data(page.history_model.index(0, 4)) == "CSV"
    assert page.history_model.data(page.history_model.index(0, 1)) == str(TODAY.year)


def test_a_failed_export_says_why_and_writes_nothing(window, few_contacts, qtbot, monkeypatch, tmp_path):
    page = open_auswertung(window, qtbot)
    dialog = page.open_export_dialog()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    qtbot.addWidget(dialog)
    (tmp_path / "datei").write_text("kein Ordner", encoding="utf-8")
    target = tmp_path / "datei" / "monitoring.xlsx"  # the "folder" is a file: nothing can be written there
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    shown = {}
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *a, **k: shown.update(title=title, text=text))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    assert shown["title"] == "Nicht gespeichert" and "nicht gespeichert" in shown["text"]
    assert not target.exists()
    assert page.history_model.rowCount() == 0 and few_contacts.monitoring.export_history() == []


def test_preview_model_passes_the_model_tester(qtmodeltester, few_contacts):
    report = few_contacts.monitoring.report(periods.year(TODAY.year), k=MIN_K)
    for table in report.tables:
        qtmodeltester.check(CountTableModel(table, report.k), force_py=True)


def test_export_dialog_cancelled_file_choice_writes_nothing(window, few_contacts, qtbot, monkeypatch):
    page = open_auswertung(window, qtbot)
    dialog = ExportDialog(few_contacts.monitoring, periods.quarter(TODAY.year, 1), page)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    qtbot.addWidget(dialog)
    assert dialog.period.kind.currentData() == "quarter" and dialog.period.part.currentIndex() == 0
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    assert few_contacts.monitoring.export_history() == [] and dialog.saved.text() == ""



def test_overlap_with_an_earlier_export_is_shown_prominently(window, few_contacts, qtbot):
    """An earlier export of a longer period minus this one would reveal a single contact: the dialog says so."""
    first = TODAY.replace(day=1)
    pid = few_contacts.people.search_ids("Haddad")[0]
    few_contacts.contacts.add(pid, ContactData(contact_date=first - timedelta(days=20), topics=["wohnen"]))
    monitoring = few_contacts.monitoring
    longer = periods.free_range(first - timedelta(days=40), first + timedelta(days=3))
    monitoring.export(monitoring.report(longer, k=MIN_K), earlier_export_path(few_contacts), "csv")
    page = open_auswertung(window, qtbot)
    dialog = ExportDialog(monitoring, periods.free_range(first, first + timedelta(days=3)), page)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)  # counted / saved on a worker
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.period.kind.currentData() == "range"
    assert dialog.report is not None and dialog.report.warnings
    assert dialog.warnings_area.isVisible() and dialog.report.warnings[0] in dialog.warnings.text()
    # The same period as back then reveals nothing: the warning goes away.
    dialog.period.set_period(longer)
    qtbot.waitUntil(lambda: not dialog.warnings_area.isVisible())


def earlier_export_path(services):
    return services.store.path.parent / "frueher.csv"
