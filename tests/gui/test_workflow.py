"""The daily record-keeping, driven through the real widgets."""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from qtwait import settle

from bildungskoordination.gui.persons.duplicates_dialog import DuplicateDialog


def _type(qtbot, widget, text):
    """Type like a user; characters QTest cannot map to a key (Arabic …) go in as key events with text."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    widget.clear()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def test_create_person_add_contact_find_by_variant_and_see_followup(qtbot, window, services):
    persons = window.persons
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = persons.person_file.form
    assert form.consent_warning.isVisibleTo(window)
    _type(qtbot, form.family_name, "Al-Hassan")
    _type(qtbot, form.given_name, "Mohammed")
    _type(qtbot, form.name_original, "محمد الحسن")
    _type(qtbot, form.birth, "00.00.1988")
    _type(qtbot, form.consent_date, date.today().strftime("%d.%m.%Y"))
    qtbot.mouseClick(persons.person_file.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert services.people.count() == 1
    pid = persons.person_file.person_id
    stored = services.people.get(pid)
    assert (stored.family_name, stored.given_name, stored.birth.display()) == ("Al-Hassan", "Mohammed", "00.00.1988")
    assert persons.person_file.status.text() == "Gespeichert."
    assert "Al-Hassan" in persons.person_file.header.text()
    assert not form.consent_warning.isVisibleTo(window)

    # New contact by keyboard: Ctrl+K, tick a topic, Alt+2 = follow-up in two weeks, Ctrl+Return saves.
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    entry = persons.person_file.entry
    assert entry.contact_date.date().toPython() == date.today()
    entry.topics["sprachkurs"].setChecked(True)
    _type(qtbot, entry.next_step, "Einstufungstest bei der VHS")
    qtbot.keyClick(entry.next_step, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert entry.followup.text() == (date.today() + timedelta(weeks=2)).strftime("%d.%m.%Y")
    qtbot.keyClick(entry.next_step, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    contacts = services.contacts.for_person(pid)
    assert len(contacts) == 1 and contacts[0].data.topics == ["sprachkurs"]
    assert persons.person_file.history_model.rowCount() == 1
    assert entry.next_step.text() == ""  # the entry is ready for the next contact

    # Find the person by another spelling.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    _type(qtbot, persons.search, "Muhamad Alhasan")
    qtbot.waitUntil(lambda: persons.model.rowCount() == 1 and "Al-Hassan" in persons.model.index(0, 1).data())

    # The follow-up shows under Wiedervorlagen (upcoming, in the 4-week view).
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    page = window.followups
    assert window.stack.currentWidget() is page
    page.horizon.setCurrentIndex(2)
    settle(qtbot)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 2).data() == "Al-Hassan, Mohammed"
    assert page.model.index(0, 1).data() == "in 14 Tagen"


def test_due_followup_is_listed_today_and_can_be_marked_done(qtbot, window, services, some_people):
    page = window.followups
    window.nav.setCurrentRow(1)
    settle(qtbot)
    page.horizon.setCurrentIndex(0)  # only due and overdue
    assert page.model.rowCount() == 1
    assert "überfällig" in page.model.index(0, 1).data()
    qtbot.waitUntil(lambda: window.nav.item(1).text() == "Wiedervorlagen (1)")  # counted on a worker
    page.table.selectRow(0)
    qtbot.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 0
    assert window.nav.item(1).text() == "Wiedervorlagen"
    assert services.contacts.due_followups(date.today()) == []


def test_open_person_from_followups(qtbot, window, some_people):
    window.nav.setCurrentRow(1)
    settle(qtbot)
    window.followups.horizon.setCurrentIndex(0)
    settle(qtbot)
    window.followups.table.selectRow(0)
    qtbot.mouseClick(window.followups.open_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert window.stack.currentWidget() is window.persons
    assert window.persons.person_file.person_id == some_people[1]


def test_validation_keeps_what_was_typed(qtbot, window, services):
    window.persons.new_person()
    form = window.persons.person_file.form
    _type(qtbot, form.given_name, "Farid")
    _type(qtbot, form.birth, "31.02.1990")
    _type(qtbot, form.email, "farid(at)example")
    qtbot.mouseClick(window.persons.person_file.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert services.people.count() == 0
    assert form._errors["birth"].text() == "„31.02.1990“: diesen Tag gibt es nicht"
    assert form._errors["birth"].isVisibleTo(window)
    # Typed values survive the failed save.
    assert form.given_name.text() == "Farid" and form.birth.text() == "31.02.1990"
    _type(qtbot, form.birth, "1990")
    qtbot.mouseClick(window.persons.person_file.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert form._errors["family_name"].text() == "Familienname fehlt"
    assert form._errors["email"].text() == "keine gültige E-Mail-Adresse"
    assert not form._errors["birth"].isVisibleTo(window)
    assert services.people.count() == 0


def test_likely_duplicate_is_shown_before_creating(qtbot, window, services, some_people, monkeypatch):
    shown = {}

    def fake_exec(dialog: DuplicateDialog):
        shown["rows"] = [dialog.table.model().index(r, 1).data() for r in range(dialog.table.model().rowCount())]
        return 0  # Cancel

    monkeypatch.setattr(DuplicateDialog, "exec", fake_exec)
    window.persons.new_person()
    form = window.persons.person_file.form
    _type(qtbot, form.family_name, "Alhasan")
    _type(qtbot, form.given_name, "Muhammad")
    _type(qtbot, form.birth, "1988")
    qtbot.mouseClick(window.persons.person_file.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert shown["rows"] == ["Al-Hassan, Mohammed"]
    assert services.people.count() == 3  # nothing created, nothing merged
    assert form.family_name.text() == "Alhasan"


def test_editing_a_person_updates_the_list(qtbot, window, services, some_people):
    persons = window.persons
    persons.select_person(some_people[2])
    form = persons.person_file.form
    _type(qtbot, form.phone, "0151 2345678")
    assert persons.person_file.revert_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert services.people.get(some_people[2]).phone == "0151 2345678"
    assert not persons.person_file.dirty


def test_forms_have_accessible_names_and_mnemonics(window):
    from PySide6.QtWidgets import QLabel

    form = window.persons.person_file.form
    for widget in (form.family_name, form.given_name, form.birth, form.residence_status, form.consent_date):
        assert widget.accessibleName(), widget
    buddies = [label.buddy() for label in form.findChildren(QLabel) if "&" in label.text()]
    assert form.family_name in buddies and form.given_name in buddies
