"""What a coordinator expects of an office program (issue 14, item 6), through the real widgets: the
Vermittlungen filters and history, a reason for referring to a course marked ✗, Enter and undo in the
Wiedervorlagen, "Gespeichert." after a contact, every validation error at once, columns that fit at 1366×768,
file dialogs that start in the documents folder, and demo folders that go on exit."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QTableView
from qtwait import settle

from bildungskoordination.courses.records import CourseData
from bildungskoordination.gui.courses.unsuitable_dialog import UnsuitableReasonDialog
from bildungskoordination.gui.main_window import PAGE_COURSES, PAGE_FOLLOWUPS, PAGE_PERSONS, PAGE_REFERRALS
from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.audit import os_user

TODAY = date.today()


def _course(services, number: str, **kw) -> int:
    values = dict(provider="VHS Konz", course_number=number, course_type="ik_allgemein", target_level="B1",
                  start=TODAY + timedelta(days=30), end=TODAY + timedelta(days=200), places=20, status="offen")
    values.update(kw)
    return services.courses.create(CourseData(**values))


def _person(services, name: str, **kw) -> int:
    return services.people.create(PersonData(family_name=name, given_name="Lina", consent_date=TODAY, **kw))


# --- Vermittlungen ---------------------------------------------------------------------------------
def test_referrals_page_filters_and_shows_the_history_with_user_and_note(qtbot, window, services):
    ik1, ik2 = _course(services, "IK-1"), _course(services, "IK-2")
    a, b = _person(services, "Haddad"), _person(services, "Nowak")
    proposed = services.referrals.refer(a, ik1)
    declined = services.referrals.refer(b, ik2)
    services.referrals.set_status(declined, "abgelehnt", "Kursträger hat abgesagt")
    window.nav.setCurrentRow(PAGE_REFERRALS)
    page = window.referrals
    filters = page.filters

    def shown() -> set[str]:
        settle(qtbot)  # the list is read on a worker
        return {page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())}

    assert filters.status.currentText() == "offene" and shown() == {"Haddad, Lina"}  # open by default
    assert "1 Vermittlung" in page.summary.text()
    filters.status.setCurrentIndex(filters.status.findData("all"))
    assert shown() == {"Haddad, Lina", "Nowak, Lina"}
    filters.status.setCurrentIndex(filters.status.findData("abgelehnt"))
    assert shown() == {"Nowak, Lina"}
    filters.status.setCurrentIndex(filters.status.findData("all"))
    filters.course.setCurrentIndex(filters.course.findData(ik1))
    assert filters.course.currentText() == "IK-1 – VHS Konz" and shown() == {"Haddad, Lina"}
    filters.course.setCurrentIndex(0)
    filters.period.setCurrentIndex(filters.period.findData("changed"))
    assert filters.start.isEnabled() and shown() == {"Haddad, Lina", "Nowak, Lina"}  # both changed today
    filters.end.setDate(filters.end.date().addDays(-1))
    filters.start.setDate(filters.end.date().addDays(-30))
    assert shown() == set()
    filters.period.setCurrentIndex(0)
    assert not filters.start.isEnabled() and len(shown()) == 2

    page.select_referral(declined)
    assert page.history_label.text().replace("&", "") == "Verlauf: Nowak, Lina – IK-2 (VHS Konz)"
    history = page.history_model
    rows = [[history.index(r, c).data() for c in range(4)] for r in range(history.rowCount())]
    today = TODAY.strftime("%d.%m.%Y")
    assert rows == [[today, "vorgeschlagen", os_user(), ""],
                    [today, "abgelehnt", os_user(), "Kursträger hat abgesagt"]]
    assert not page.unsuitable.isVisible()
    assert proposed


def test_referring_to_a_course_marked_unsuitable_asks_for_a_reason(qtbot, window, services, monkeypatch):
    pid = _person(services, "Haddad", german_level="C1")  # B1 course: ✗ for someone already at C1
    cid = _course(services, "IK-1")
    persons = window.persons
    persons.select_person(pid)
    persons.person_file.tabs.setCurrentIndex(persons.person_file.matches_tab_index)
    tab = persons.person_file.matches
    tab.select_course(cid)
    assert tab.model.record(tab.table.currentIndex().row()).verdict == "not_eligible"
    assert tab.refer_button.isEnabled() and "nur mit Begründung" in tab.refer_button.toolTip()

    seen = {}

    def cancel(dialog: UnsuitableReasonDialog) -> int:
        seen["ok_without_reason"] = dialog.ok_button.isEnabled()
        dialog.reason.setPlainText("   ")
        seen["ok_with_blanks"] = dialog.ok_button.isEnabled()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(UnsuitableReasonDialog, "exec", cancel)
    qtbot.mouseClick(tab.refer_button, Qt.MouseButton.LeftButton)
    assert seen == {"ok_without_reason": False, "ok_with_blanks": False}
    assert services.referrals.for_person(pid) == []  # cancelled: nothing stored

    def give_reason(dialog: UnsuitableReasonDialog) -> int:
        dialog.reason.setPlainText("Auffrischung, ausdrücklicher Wunsch der Person")
        assert dialog.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(UnsuitableReasonDialog, "exec", give_reason)
    qtbot.mouseClick(tab.refer_button, Qt.MouseButton.LeftButton)
    [referral] = services.referrals.for_person(pid)
    assert referral.unsuitable_reason == "Auffrischung, ausdrücklicher Wunsch der Person"
    audit = next(e for e in services.audit.list() if e.entity == "referral" and e.entity_id == referral.id)
    assert "unsuitable_reason" in audit.fields

    window.nav.setCurrentRow(PAGE_REFERRALS)
    settle(qtbot)
    page = window.referrals
    page.select_referral(referral.id)
    assert page.unsuitable.isVisible()
    assert "Auffrischung, ausdrücklicher Wunsch der Person" in page.unsuitable.text()


# --- Wiedervorlagen ----------------------------------------------------------------------------------
def test_enter_opens_the_person_and_done_can_be_undone(qtbot, window, services, some_people):
    window.nav.setCurrentRow(PAGE_FOLLOWUPS)
    page = window.followups
    page.horizon.setCurrentIndex(0)
    settle(qtbot)
    assert page.model.rowCount() == 1
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == PAGE_PERSONS
    assert window.persons.person_file.person_id == some_people[1]

    window.nav.setCurrentRow(PAGE_FOLLOWUPS)
    settle(qtbot)
    page.table.selectRow(0)
    [contact] = services.contacts.for_person(some_people[1])
    before = services.contacts.get(contact.id)
    qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 0 and services.contacts.get(contact.id).data.followup_done
    assert page.undo_bar.isVisible() and "Kovalenko, Olena" in page.undo_message.text()
    qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 1 and services.contacts.get(contact.id).data == before.data
    assert page.undo_message.text() == "Wiedervorlage wieder offen." and not page.undo_button.isEnabled()

    # Ctrl+Z in the list does the same.
    page.table.selectRow(0)
    qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 0
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert page.model.rowCount() == 1 and not services.contacts.get(contact.id).data.followup_done
    undo_entries = [e for e in services.audit.list() if e.entity == "contact" and e.detail == "undo"]
    assert len(undo_entries) == 2


# --- saving: "Gespeichert.", every error at once ---------------------------------------------------
def test_saving_a_contact_says_gespeichert_and_shows_every_error_at_once(qtbot, window, services, some_people):
    persons = window.persons
    persons.select_person(some_people[0])
    file = persons.person_file
    file.tabs.setCurrentIndex(file.contacts_tab_index)
    entry = file.entry
    entry.followup.setText("31.02.2026")  # cannot be read
    qtbot.mouseClick(entry.save_button, Qt.MouseButton.LeftButton)  # and no topic ticked
    assert entry._errors["followup_date"].isVisible() and entry._errors["topics"].isVisible()
    assert "mindestens ein Thema wählen" in entry._errors["topics"].text()
    listed = entry.status.text()
    assert listed.startswith("Nicht gespeichert – 2 Angaben prüfen:")
    assert "• Wiedervorlage:" in listed and "• Themen: mindestens ein Thema wählen" in listed
    assert "color" in entry._labels["topics"].styleSheet()  # the field is marked
    assert services.contacts.for_person(some_people[0]) == []

    entry.followup.setText("")
    entry.topics["arbeit"].setChecked(True)
    qtbot.mouseClick(entry.save_button, Qt.MouseButton.LeftButton)
    assert len(services.contacts.for_person(some_people[0])) == 1
    assert entry.status.text() == "Gespeichert." and entry.status.isVisible()
    assert not entry._errors["topics"].isVisible() and entry._labels["topics"].styleSheet() == ""


def test_person_form_shows_every_error_at_once(qtbot, window, services):
    persons = window.persons
    persons.new_person()
    file = persons.person_file
    form = file.form
    form.given_name.setText("Lina")  # family name missing (checked by the service) ...
    form.birth.setText("31.02.1990")  # ... and a date that cannot be read
    form.arrival_date.setText("99.99.2020")
    assert not file.save()
    for key in ("family_name", "birth", "arrival_date"):
        assert form._errors[key].isVisible(), key
        assert "color" in form._label_widgets[key].styleSheet(), key
    assert file.status.text().startswith("Nicht gespeichert – 3 Angaben prüfen: ")
    for label in ("Familienname", "Geburtsdatum", "Einreise nach Deutschland"):
        assert label in file.status.text() and label in file.status.toolTip()
    assert services.people.count() == 0


# --- columns at 1366×768 ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["de", "en"])
def test_default_columns_fit_at_1366x768(qtbot, services, language):
    from bildungskoordination import i18n

    i18n.set_language(language)
    try:
        _check_columns_fit(qtbot, services)
    finally:
        i18n.set_language("de")


def _check_columns_fit(qtbot, services):
    from bildungskoordination.gui import settings
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import MainWindow
    from bildungskoordination.people.demo import generate_demo

    settings.settings().remove("window")  # a first start: no remembered geometry or splitter
    generate_demo(services, 40, seed=3, today=TODAY)
    win = MainWindow(AppContext(services=services, signal=ChangeSignal(services.bus), demo=True))
    qtbot.addWidget(win, before_close_func=lambda w: w.persons.person_file._set_dirty(False))
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    tables = {PAGE_PERSONS: win.persons.table, PAGE_FOLLOWUPS: win.followups.table,
              PAGE_COURSES: win.courses.table, PAGE_REFERRALS: win.referrals.table}
    form = win.persons.person_file.form  # the person form beside the list is not cut off either
    assert form.widget().minimumSizeHint().width() <= form.viewport().width()
    for page, table in tables.items():
        win.nav.setCurrentRow(page)
        settle(qtbot)
        qtbot.wait(1)
        assert isinstance(table, QTableView) and table.model().rowCount() > 0, page
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width(), (table.accessibleName(), header.length())
        assert not table.horizontalScrollBar().isVisible(), table.accessibleName()
        assert table.textElideMode() == Qt.TextElideMode.ElideRight
        narrowest = min(header.sectionSize(c) for c in range(header.count()))
        assert narrowest >= 36, (table.accessibleName(), narrowest)


# --- file dialogs -----------------------------------------------------------------------------------
def test_file_dialogs_start_in_documents_then_in_the_last_folder(qtbot, window, tmp_path, monkeypatch):
    from bildungskoordination.gui import settings
    from bildungskoordination.gui.save_target import documents_folder

    settings.settings().remove("dialogs")  # nothing remembered yet
    starts = []

    def fake_open(_parent, _title, folder, _filter):  # type: ignore[no-untyped-def]
        starts.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    window.nav.setCurrentRow(PAGE_COURSES)
    window.courses._on_import_button_clicked()
    assert starts == [str(documents_folder())]

    chosen = tmp_path / "listen" / "kurse.csv"
    chosen.parent.mkdir()
    chosen.write_text("Kursnummer\n", encoding="utf-8")

    def fake_choose(_parent, _title, folder, _filter):  # type: ignore[no-untyped-def]
        starts.append(folder)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_choose)
    monkeypatch.setattr("bildungskoordination.gui.courses.page.CourseImportDialog.open", lambda self: None)
    window.courses._on_import_button_clicked()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    window.courses._on_import_button_clicked()
    assert starts[-1] == str(chosen.parent)


def test_documents_folder_is_the_platforms():
    from PySide6.QtCore import QStandardPaths

    from bildungskoordination.gui.save_target import documents_folder

    expected = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert documents_folder() == Path(expected or Path.home())


# --- demo -------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_demo_folder_is_removed_on_exit(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    result = subprocess.run([sys.executable, "-m", "bildungskoordination", "--demo", "--smoke-test"],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert '"ok": true' in result.stdout
    assert not list(tmp_path.glob("bildungskoordination-demo-*"))


# --- "keine" Deutschkenntnisse in English --------------------------------------------------------------
@pytest.mark.parametrize(("language", "shown"), [("de", "keine"), ("en", "none")])
def test_no_german_is_shown_in_the_ui_language_in_the_person_list_and_the_course_list(qtbot, window, services,
                                                                                       language, shown):
    from bildungskoordination import i18n

    _person(services, "Haddad", german_level="keine")
    _course(services, "ALPHA-1", course_type="ik_alpha", entry_level="keine", target_level="B1")
    i18n.set_language(language)
    try:
        window.persons.reload()
        persons = window.persons.model
        row = next(r for r in range(persons.rowCount()) if "Haddad" in str(persons.data(persons.index(r, 1))))
        assert persons.data(persons.index(row, 5)) == shown
        window.nav.setCurrentRow(PAGE_COURSES)
        page = window.courses
        settle(qtbot)
        courses = page.model
        row = next(r for r in range(courses.rowCount()) if courses.data(courses.index(r, 0)) == "ALPHA-1")
        assert courses.data(courses.index(row, 3)) == shown
        assert courses.data(courses.index(row, 4)) == "B1"
    finally:
        i18n.set_language("de")
