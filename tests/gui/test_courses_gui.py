"""Kurse, Vermittlungen and the person file's "Passende Kurse" tab: refer from the ranking, follow the
referral's status, see the free places drop everywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from qtwait import settle

from bildungskoordination.courses.records import CourseData
from bildungskoordination.gui.courses.models import AccessibleTextRole, CourseModel, MatchModel, ReferralModel
from bildungskoordination.gui.courses.referrals_page import StatusDialog
from bildungskoordination.gui.main_window import PAGE_COURSES, PAGE_PERSONS, PAGE_REFERRALS
from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.audit import os_user


def course(number: str, **kw) -> CourseData:
    today = date.today()
    values = dict(provider="VHS Konz", course_number=number, course_type="ik_allgemein", entry_level="keine",
                  target_level="B1", start=today + timedelta(days=30), end=today + timedelta(days=300),
                  days=["mo", "di", "mi", "do", "fr"], time_from="08:30", time_to="12:45", municipality="Konz",
                  places=2, status="offen")
    values.update(kw)
    return CourseData(**values)


@pytest.fixture
def person_and_courses(services):
    pid = services.people.create(PersonData(family_name="Haddad", given_name="Rana", consent_date=date.today(),
                                            german_level="A1", municipality="Konz"))
    ik = services.courses.create(course("IK-1"))
    bsk = services.courses.create(course("BSK-9", course_type="bsk_c1", entry_level="B2", target_level="C1",
                                         provider="Sprachschule Trier", municipality="Trier", places=12))
    return pid, ik, bsk


def open_matches(window, qtbot, pid):
    window.nav.setCurrentRow(PAGE_PERSONS)
    settle(qtbot)
    window.persons.select_person(pid)
    person_file = window.persons.person_file
    person_file.tabs.setCurrentIndex(person_file.matches_tab_index)
    tab = person_file.matches
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)
    return tab


def free_in_tab(tab, course_id) -> str:
    return tab.model.data(tab.model.index(tab.model.row_of(course_id), 6))


def test_refer_from_passende_kurse_and_the_free_places_drop(window, services, qtbot, monkeypatch,
                                                            person_and_courses):
    pid, ik, bsk = person_and_courses
    tab = open_matches(window, qtbot, pid)
    person_file = window.persons.person_file
    assert person_file.tabs.tabText(person_file.matches_tab_index) == "Passende &Kurse"

    # Ranked: the fitting integration course first, the C1 job course (needs B2) last and not eligible.
    first, last = tab.model.record(0), tab.model.record(1)
    assert first.course_id == ik and first.verdict in ("eligible", "caveat")
    assert last.course_id == bsk and last.verdict == "not_eligible"
    assert tab.model.data(tab.model.index(1, 0)) == "✗"
    assert tab.model.data(tab.model.index(1, 0), AccessibleTextRole) == "nicht geeignet"
    assert tab.model.data(tab.model.index(0, 2)) == "Allgemeiner Integrationskurs"
    assert free_in_tab(tab, ik) == "2"

    # The reasons of the selected course, as readable sentences with their marks.
    tab.select_course(bsk)
    reasons = [tab.reasons.item(i).text() for i in range(tab.reasons.count())]
    assert reasons and reasons[0].startswith("✗ ")
    assert tab.refer_button.isEnabled()  # possible, but only with a reason (test_refer_unsuitable_needs_reason)
    tab.select_course(ik)
    reasons = [tab.reasons.item(i).text() for i in range(tab.reasons.count())]
    assert any(r.startswith("✓ ") for r in reasons) and not any(r.startswith("✗ ") for r in reasons)
    assert tab.refer_button.isEnabled()

    qtbot.mouseClick(tab.refer_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    [referral] = services.referrals.for_person(pid)
    assert (referral.course_id, referral.status) == (ik, "vorgeschlagen")
    qtbot.waitUntil(lambda: tab.model.referral_status(tab.model.row_of(ik)) == "vorgeschlagen")
    assert tab.selected_course_id() == ik and not tab.refer_button.isEnabled()  # no second open referral
    assert "Vermittelt: IK-1" in tab.status.text()

    # Kurse: still 2 of 2 free (a proposal takes no place).
    window.nav.setCurrentRow(PAGE_COURSES)
    settle(qtbot)
    courses = window.courses
    assert courses.course_text(ik, 8) == "2 / 2"

    # Vermittlungen: the proposal needs action; set it to "angemeldet" through the dialog.
    window.nav.setCurrentRow(PAGE_REFERRALS)
    settle(qtbot)
    page = window.referrals
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 6)) == "anmelden oder Vermittlung abschließen"
    page.select_referral(referral.id)
    seen = {}

    def fake_exec(dialog: StatusDialog) -> int:
        seen["choices"] = [dialog.status.itemData(i) for i in range(dialog.status.count())]
        dialog.status.setCurrentIndex(dialog.status.findData("angemeldet"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(StatusDialog, "exec", fake_exec)
    qtbot.mouseClick(page.status_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert seen["choices"] == ["angemeldet", "abgelehnt", "abgebrochen"]
    assert services.referrals.get(referral.id).status == "angemeldet"
    assert page.model.rowCount() == 1  # still open, shown by default
    assert page.model.data(page.model.index(0, 6)) == ""  # registered, course not yet started: nothing to do
    page.filters.status.setCurrentIndex(page.filters.status.findData("needing_action"))
    settle(qtbot)
    assert page.model.rowCount() == 0

    window.nav.setCurrentRow(PAGE_COURSES)
    settle(qtbot)
    assert courses.course_text(ik, 8) == "1 / 2"
    window.nav.setCurrentRow(PAGE_PERSONS)
    settle(qtbot)
    qtbot.waitUntil(lambda: free_in_tab(tab, ik) == "1")
    assert tab.model.referral_status(tab.model.row_of(ik)) == "angemeldet"


def test_passende_kurse_loads_only_when_shown(window, services, qtbot, person_and_courses, monkeypatch):
    pid, _ik, _bsk = person_and_courses
    calls = []
    original = services.matching.for_person
    monkeypatch.setattr(services.matching, "for_person", lambda *a, **k: calls.append(a) or original(*a, **k))
    window.persons.select_person(pid)
    assert calls == []  # hidden tab: no matching on a person switch
    open_matches(window, qtbot, pid)
    assert len(calls) == 1


def test_restricted_person_cannot_be_referred(window, services, qtbot, person_and_courses):
    pid, ik, _bsk = person_and_courses
    services.people.withdraw_consent(pid, date.today())
    tab = open_matches(window, qtbot, pid)
    tab.select_course(ik)
    assert not tab.refer_button.isEnabled()


def test_course_filters(window, services, qtbot, person_and_courses):
    _pid, ik, bsk = person_and_courses
    window.nav.setCurrentRow(PAGE_COURSES)
    settle(qtbot)
    page = window.courses
    assert page.proxy.rowCount() == 2
    page.type_filter.setCurrentIndex(page.type_filter.findData("bsk_c1"))
    settle(qtbot)  # the list is read on a worker
    assert page.proxy.rowCount() == 1 and page.model.record(0).id == bsk
    page.type_filter.setCurrentIndex(0)
    page.level_filter.setCurrentIndex(page.level_filter.findData("A1"))
    settle(qtbot)
    assert page.proxy.rowCount() == 1 and page.model.record(0).id == ik
    page.level_filter.setCurrentIndex(0)
    settle(qtbot)
    page.place_filter.setText("tri")
    assert page.proxy.rowCount() == 1
    page.select_course(bsk)
    assert page.detail.values["course_number"].text() == "BSK-9"
    assert "12 von 12 frei" in page.detail.values["places"].text()
    page.place_filter.clear()
    page.start_check.setChecked(True)
    page.start_from.setDate(page.start_from.date().addDays(365))
    settle(qtbot)
    assert page.proxy.rowCount() == 0


def test_models_pass_the_model_tester(qtmodeltester, services, person_and_courses):
    pid, ik, _bsk = person_and_courses
    rules = services.matching.rules
    matches = MatchModel(rules)
    matches.set_matches(services.matching.for_person(pid), {ik: "vorgeschlagen"})
    qtmodeltester.check(matches)
    catalogue = CourseModel(rules)
    catalogue.set_rows(services.courses.list())
    qtmodeltester.check(catalogue)
    services.referrals.refer(pid, ik)
    referrals = ReferralModel()
    referrals.set_rows(services.referrals.open_needing_action())
    qtmodeltester.check(referrals)


# --- Kursliste einlesen, Passende Personen ---------------------------------------------------------------
SAMPLE_COURSES = "/work/shared/samples/kurse.csv"


def _open_import(window, qtbot, monkeypatch, path):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.nav.setCurrentRow(PAGE_COURSES)
    page = window.courses
    page.import_button.click()
    assert page.import_dialog is not None
    settle(qtbot)  # the file is checked on a worker
    return page, page.import_dialog


def test_course_import_preview_shows_errors_and_writes_nothing(window, services, qtbot, monkeypatch, tmp_path):
    lines = open(SAMPLE_COURSES, encoding="utf-8").read().splitlines()
    broken = lines[1].replace(";12.01.2026;", ";31.02.2026;").replace("Allgemeiner Integrationskurs", "Tanzkurs")
    path = tmp_path / "kaputt.csv"
    path.write_text("\n".join([lines[0], broken]) + "\n", encoding="utf-8")
    calls = []
    original_save = services.courses.save_many
    monkeypatch.setattr(services.courses, "save_many", lambda *a, **k: calls.append(a) or original_save(*a, **k))
    _page, dialog = _open_import(window, qtbot, monkeypatch, path)
    texts = dialog.problem_texts()
    assert any(f"{path}:2: Kursart: unbekannte Kursart „Tanzkurs“" in t for t in texts), texts
    assert any(":2: Beginn:" in t for t in texts), texts
    assert texts == [str(p) for p in dialog.preview.problems]
    assert not dialog.import_button.isEnabled() and dialog.close_button.isEnabled()
    assert "Fehler" in dialog.summary.text()
    dialog.close_button.click()
    assert calls == [] and services.courses.list() == []


def test_course_import_preview_then_einlesen(window, services, qtbot, monkeypatch, tmp_path, qtmodeltester):
    from PySide6.QtWidgets import QMessageBox

    path = tmp_path / "kurse.csv"
    path.write_text(open(SAMPLE_COURSES, encoding="utf-8").read(), encoding="utf-8")
    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    page, dialog = _open_import(window, qtbot, monkeypatch, path)
    assert dialog.problem_texts() == []
    assert dialog.model.rowCount() == 4
    qtmodeltester.check(dialog.model)
    assert [dialog.model.data(dialog.model.index(r, 0)) for r in range(4)] == [
        "IK-2026-014", "ALPHA-2026-02", "BSK-B2-2026-1", "EOK-2026-03"]
    assert dialog.model.data(dialog.model.index(0, 1)) == "Kreisvolkshochschule Trier-Saarburg"
    assert dialog.model.data(dialog.model.index(0, 3)) == "12.01.2026"
    assert dialog.model.data(dialog.model.index(0, 4)) == "neu"
    assert services.courses.list() == []  # the preview wrote nothing
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    settle(qtbot)
    assert messages == ["4 Kurse angelegt, 0 Kurse aktualisiert."]
    assert len(services.courses.list()) == 4
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)

    # The same file again: every course is an update.
    _page, again = _open_import(window, qtbot, monkeypatch, path)
    assert [again.model.data(again.model.index(r, 4)) for r in range(4)] == ["aktualisieren"] * 4
    again.close_button.click()


def test_passende_personen_for_a_course(window, services, qtbot, person_and_courses, monkeypatch, qtmodeltester):
    pid, ik, _bsk = person_and_courses
    calls = []
    original = services.matching.candidates
    monkeypatch.setattr(services.matching, "candidates", lambda *a, **k: calls.append(a) or original(*a, **k))
    window.nav.setCurrentRow(PAGE_COURSES)
    settle(qtbot)
    page = window.courses
    page.select_course(ik)
    assert calls == []  # only on demand
    assert page.candidates_button.isEnabled()
    page.candidates_button.click()
    assert len(calls) == 1
    dialog = page.candidates_dialog
    model = dialog.model
    qtmodeltester.check(model)
    row = model.row_of(pid)
    assert row == 0
    person = services.people.rows([pid])[0]
    assert model.data(model.index(row, 1)) == person.file_number
    assert model.data(model.index(row, 2)) == "Haddad, Rana"
    assert model.data(model.index(row, 0)) in ("✓", "~")
    assert model.data(model.index(row, 4))
    dialog.close()


def test_person_file_shows_referrals_with_their_status_history(window, services, qtbot, person_and_courses):
    pid, ik, _bsk = person_and_courses
    rid = services.referrals.refer(pid, ik, reason="passt gut")
    services.referrals.set_status(rid, "angemeldet", "Platz bestätigt")
    tab = open_matches(window, qtbot, pid)
    box = tab.referrals
    qtbot.waitUntil(lambda: box.model.rowCount() == 1)
    model = box.model
    assert [model.data(model.index(0, c)) for c in range(5)] == [
        "IK-1", "VHS Konz", "angemeldet", date.today().strftime("%d.%m.%Y"), ""]
    box.select_referral(rid)
    history = box.history_model
    assert history.rowCount() == 2
    assert [history.data(history.index(r, 1)) for r in range(2)] == ["vorgeschlagen", "angemeldet"]
    assert history.data(history.index(1, 3)) == "Platz bestätigt"
    assert history.data(history.index(1, 2)) == os_user()  # who made the change

    # The app-wide change signal refreshes the list and the history.
    services.referrals.set_status(rid, "begonnen")
    qtbot.waitUntil(lambda: box.history_model.rowCount() == 3)
    assert model.data(model.index(0, 2)) == "begonnen"


def test_course_editor_creates_and_edits_a_course(window, services, qtbot):
    window.nav.setCurrentRow(PAGE_COURSES)
    settle(qtbot)
    page = window.courses
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    dialog = page.course_dialog
    assert dialog is not None and dialog.windowTitle() == "Neuer Kurs"
    dialog.provider.setText("VHS Saarburg")
    dialog.course_number.setText("IK-77")
    dialog.course_type.setCurrentIndex(dialog.course_type.findData("ik_allgemein"))
    dialog.target_level.setCurrentIndex(dialog.target_level.findData("B1"))
    dialog.start.setText("kein Datum")
    dialog.save()
    assert dialog.isVisible() and dialog._errors["start"].text()
    start = date.today() + timedelta(days=20)
    dialog.start.setText(start.strftime("%d.%m.%Y"))
    dialog.end.setText((start - timedelta(days=1)).strftime("%d.%m.%Y"))
    dialog.save()
    assert dialog.isVisible() and dialog._errors["end"].text()  # ends before it starts: the service says so
    dialog.end.setText((start + timedelta(days=200)).strftime("%d.%m.%Y"))
    dialog.days["mo"].setChecked(True)
    dialog.days["mi"].setChecked(True)
    dialog.time_from.setText("08:30")
    dialog.time_to.setText("12:00")
    dialog.municipality.setText("Saarburg")
    dialog.places.setValue(14)
    dialog.status.setCurrentIndex(dialog.status.findData("offen"))
    dialog.save()
    assert not dialog.isVisible()
    [created] = [c for c in services.courses.list() if c.course_number == "IK-77"]
    assert (created.provider, created.start, created.days, created.places, created.status) == (
        "VHS Saarburg", start, ("mo", "mi"), 14, "offen")
    settle(qtbot)
    assert page.selected_course_id() == created.id

    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    dialog = page.course_dialog
    assert dialog.windowTitle() == "Kurs bearbeiten" and dialog.course_number.text() == "IK-77"
    dialog.places.setValue(16)
    dialog.save()
    assert services.courses.get(created.id).places == 16


def test_status_dialog_takes_the_providers_return_slip_answer(services, qtbot, person_and_courses):
    pid, ik, _bsk = person_and_courses
    rid = services.referrals.refer(pid, ik)
    dialog = StatusDialog(services.referrals.get(rid))
    qtbot.addWidget(dialog)
    answers = [dialog.answer.itemText(i) for i in range(dialog.answer.count())]
    # Only answers whose status can follow "vorgeschlagen" (see resources/letters/return_slip.toml).
    assert "angemeldet, Kursbeginn am" in answers and "nicht erschienen" not in answers
    dialog.answer.setCurrentIndex(answers.index("Person möchte nicht teilnehmen"))
    status, _day, reason = dialog.values()
    assert status == "abgelehnt" and reason == "Rückmeldung des Trägers: Person möchte nicht teilnehmen"
