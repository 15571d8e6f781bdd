"""Working at the same time, seen in the window (issue 15): the conflict dialog with both values per field,
"Meine Wiedervorlagen" beside "Alle", views that refresh from another user's changes. A second store on the
same SQLite file stands for a colleague."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from qtwait import settle

from bildungskoordination.events import Change
from bildungskoordination.gui.conflict_dialog import ConflictDialog
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services
from bildungskoordination.store.engine import Store
from bildungskoordination.store.identity import act_as


@pytest.fixture
def colleague(services):
    other = Services.on_store(Store.open(services.store.path))
    act_as(other.store, "kollegin")
    yield other
    other.store.close()


def _type(qtbot, widget, text):
    widget.setFocus()
    widget.clear()
    qtbot.keyClicks(widget, text)


def _colleague_saves(colleague, pid, **values):
    data, version = colleague.people.get_versioned(pid)
    for name, value in values.items():
        setattr(data, name, value)
    colleague.people.update(pid, data, expected_version=version)


def _rows(dialog):
    model = dialog.model
    return [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]


def test_a_concurrent_save_shows_both_values_and_the_user_chooses(qtbot, window, services, colleague, some_people,
                                                                   monkeypatch):
    pid = some_people[2]
    window.persons.select_person(pid)
    file = window.persons.person_file
    _type(qtbot, file.form.phone, "0151 111")
    _colleague_saves(colleague, pid, phone="0151 222", email="yonas@example.org")
    services.bus.publish(Change("person", "updated", (pid,), (pid,)))  # as the change feed brings it
    assert file.status.text().startswith("Inzwischen von jemand anderem geändert")
    assert file.form.phone.text() == "0151 111"  # the edit stays until the user decides
    shown = {}

    def choose(dialog: ConflictDialog):
        shown["rows"] = _rows(dialog)
        shown["title"] = dialog.windowTitle()
        dialog.save_button.click()  # the defaults: my phone (I changed it), their e-mail (I did not)
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", choose)
    qtbot.mouseClick(file.save_button, Qt.MouseButton.LeftButton)
    assert shown["title"] == "Gleichzeitig geändert"
    assert shown["rows"] == [("Telefon", "0151 111", "0151 222"), ("E-Mail", "–", "yonas@example.org")]
    stored = services.people.get(pid)
    assert (stored.phone, stored.email) == ("0151 111", "yonas@example.org")
    assert file.status.text() == "Gespeichert."


def test_taking_theirs_or_reloading_overwrites_nothing_of_theirs(qtbot, window, services, colleague, some_people,
                                                                  monkeypatch):
    pid = some_people[2]
    window.persons.select_person(pid)
    file = window.persons.person_file
    _type(qtbot, file.form.phone, "0151 111")
    _colleague_saves(colleague, pid, phone="0151 222")

    def take_theirs(dialog: ConflictDialog):
        dialog.take_theirs("phone")
        dialog.save_button.click()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", take_theirs)
    qtbot.mouseClick(file.save_button, Qt.MouseButton.LeftButton)
    assert services.people.get(pid).phone == "0151 222"

    _type(qtbot, file.form.phone, "0151 333")
    _colleague_saves(colleague, pid, phone="0151 444")
    monkeypatch.setattr(ConflictDialog, "exec", lambda dialog: dialog.reload_button.click() or 1)
    qtbot.mouseClick(file.save_button, Qt.MouseButton.LeftButton)
    assert services.people.get(pid).phone == "0151 444"
    assert file.form.phone.text() == "0151 444"
    assert not file.dirty

    _type(qtbot, file.form.phone, "0151 555")
    _colleague_saves(colleague, pid, phone="0151 666")
    monkeypatch.setattr(ConflictDialog, "exec", lambda dialog: dialog.reject() or 0)
    qtbot.mouseClick(file.save_button, Qt.MouseButton.LeftButton)
    assert services.people.get(pid).phone == "0151 666"
    assert file.form.phone.text() == "0151 555" and file.dirty  # the edit is still there to decide on
    assert "gleichzeitig" in file.status.text()


def test_my_follow_ups_beside_all(qtbot, window, services, colleague, some_people):
    today = date.today()
    colleague.contacts.add(some_people[0], ContactData(topics=["arbeit"], contact_date=today,
                                                       followup_date=today, next_step="Anruf"))
    page = window.followups
    window.nav.setCurrentRow(1)
    page.horizon.setCurrentIndex(0)
    settle(qtbot)
    assert page.all_button.isChecked()
    assert sorted(page.model.index(r, 2).data() for r in range(page.model.rowCount())) == [
        "Al-Hassan, Mohammed", "Kovalenko, Olena"]
    qtbot.mouseClick(page.mine_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert [page.model.index(r, 2).data() for r in range(page.model.rowCount())] == ["Kovalenko, Olena"]
    assert window.nav.item(1).text() == "Wiedervorlagen (1)"
    assert page.mine_button.text() == "&Meine Wiedervorlagen"
    qtbot.mouseClick(page.all_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 2
    assert window.nav.item(1).text() == "Wiedervorlagen (2)"  # the badge counts what the page shows


def test_a_follow_up_is_handed_over(qtbot, window, services, colleague, some_people, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    today = date.today()
    colleague.contacts.add(some_people[0], ContactData(topics=["arbeit"], contact_date=today,
                                                       followup_date=today, next_step="Anruf"))
    page = window.followups
    window.nav.setCurrentRow(1)
    page.horizon.setCurrentIndex(0)
    settle(qtbot)
    owners = {page.model.index(r, 2).data(): page.model.index(r, 7).data() for r in range(page.model.rowCount())}
    assert owners == {"Al-Hassan, Mohammed": "kollegin", "Kovalenko, Olena": services.contacts.me}
    row = next(r for r in range(page.proxy.rowCount()) if page.proxy.index(r, 2).data() == "Al-Hassan, Mohammed")
    page.table.selectRow(row)
    offered = {}

    def get_item(_parent, _title, _label, items, _current, _editable):
        offered["items"] = list(items)
        return services.contacts.me, True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert offered["items"] == sorted({"kollegin", services.contacts.me}, key=str.casefold)
    qtbot.mouseClick(page.mine_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 2


def test_views_refresh_from_another_users_changes(qtbot, window, services, colleague, some_people):
    from bildungskoordination.gui.change_poller import ChangePoller

    poller = ChangePoller(services, window, seconds=0.05)
    poller.start()
    try:
        _colleague_saves(colleague, some_people[1], family_name="Kowalenko")
        model = window.persons.model
        qtbot.waitUntil(lambda: model.index(model.row_of(some_people[1]), 1).data() == "Kowalenko, Olena",
                        timeout=5000)
        new = colleague.people.create(PersonData(family_name="Neu", given_name="Nina"))
        qtbot.waitUntil(lambda: window.persons.model.row_of(new) >= 0, timeout=5000)
    finally:
        poller.stop()


def test_the_feed_is_read_off_the_gui_thread(qtbot, services, colleague, some_people):
    import threading

    from bildungskoordination.gui.change_poller import ChangePoller

    poller = ChangePoller(services, seconds=60)
    threads, seen = [], []
    real_poll = poller._feed.poll

    def poll():
        threads.append(threading.get_ident())
        return real_poll()

    poller._feed.poll = poll
    services.bus.subscribe(seen.append)
    try:
        _colleague_saves(colleague, some_people[0], phone="0651 42")
        poller.poll()
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    finally:
        poller.stop()
    assert threads and threads[0] != threading.get_ident()
    assert seen == [Change("person", "updated", (some_people[0],), (some_people[0],))]


def test_a_course_saved_meanwhile_shows_both_values(qtbot, services, colleague, monkeypatch):
    import dataclasses

    from bildungskoordination.courses.records import CourseData
    from bildungskoordination.gui.courses.course_dialog import CourseDialog

    start = date.today()
    cid = services.courses.create(CourseData(provider="VHS", course_number="IK-7", course_type="ik_allgemein",
                                             entry_level="keine",
                                             target_level="B1", places=10, start=start, end=start, status="offen"))
    dialog = CourseDialog(services, cid)
    qtbot.addWidget(dialog)
    dialog.places.setValue(14)
    theirs = colleague.courses.get(cid)
    colleague.courses.update(cid, dataclasses.replace(theirs.data(), places=12), expected_version=theirs.version)
    shown = {}

    def keep_mine(conflict_dialog: ConflictDialog):
        shown["rows"] = _rows(conflict_dialog)
        conflict_dialog.save_button.click()
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", keep_mine)
    dialog.save()
    assert shown["rows"] == [("Plätze", "14", "12")]
    assert services.courses.get(cid).places == 14


def test_a_feed_that_cannot_be_read_is_said_once(qtbot, services):
    from bildungskoordination.gui.change_poller import ChangePoller

    poller = ChangePoller(services, seconds=60)
    said = []
    poller.failed.connect(said.append)

    def away():
        raise ConnectionError("Der Datenbankserver ist nicht erreichbar")

    poller._feed.poll = away
    try:
        for _n in range(2):
            poller.poll()
            poller._running.result()
        qtbot.waitUntil(lambda: bool(said), timeout=5000)
    finally:
        poller.stop()
    assert said == ["Änderungen anderer können gerade nicht gelesen werden (Der Datenbankserver ist nicht erreichbar); "
                    "neuer Versuch in wenigen Sekunden."]
