"""Datenschutz in the GUI, driven through the real widgets: Löschvorschläge and erasure, the Protokoll,
restriction after withdrawn consent, the Art. 15 export, and the settings that belong to privacy."""

import json
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox
from qtwait import settle

from bildungskoordination.domain.errors import NotFound
from bildungskoordination.gui.main_window import PAGE_PRIVACY
from bildungskoordination.gui.persons.list_model import RESTRICTED_MARK
from bildungskoordination.gui.privacy.audit_model import PAGE_SIZE, AuditLogModel
from bildungskoordination.gui.privacy.consent_dialog import ConsentDialog
from bildungskoordination.gui.privacy.erase_dialog import EraseDialog
from bildungskoordination.gui.privacy.proposals_model import ProposalModel
from bildungskoordination.gui.settings_dialog import SettingsDialog
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.privacy.policy import add_years

NOTE_CANARY = "Kanariennotiz-88X"
ACCEPTED = QDialog.DialogCode.Accepted


def _cells(model) -> list[list[str]]:
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def _open_privacy(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.privacy
    settle(qtbot)
    return window.privacy


def _accept_erasure(monkeypatch, reason=None):
    shown = {}

    def fake_exec(dialog: EraseDialog):
        shown["text"] = dialog.summary
        shown["preset"] = dialog.reason()
        if reason:
            dialog.set_reason(reason)
        return ACCEPTED

    monkeypatch.setattr(EraseDialog, "exec", fake_exec)
    return shown


# --- navigation -------------------------------------------------------------------------------------------
def test_datenschutz_follows_wiedervorlagen_and_every_area_is_enabled(window):
    nav = window.nav
    assert [nav.item(i).text().split(" (")[0] for i in range(nav.count())] == [
        "Personen", "Wiedervorlagen", "Datenschutz", "Kurse", "Vermittlungen", "Auswertung"]
    assert nav.item(PAGE_PRIVACY).flags() & Qt.ItemFlag.ItemIsEnabled
    for i in (3, 4):  # Kurse, Vermittlungen
        assert nav.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
    assert nav.item(5).flags() & Qt.ItemFlag.ItemIsEnabled
    privacy = window.privacy
    tabs = [privacy.tabs.tabText(i) for i in range(privacy.tabs.count())]
    assert tabs == ["&Löschvorschläge", "&Protokoll", "&Sicherungen"]


# --- Löschvorschläge --------------------------------------------------------------------------------------
def test_erase_a_due_person_from_the_proposals(qtbot, window, services, some_people, monkeypatch):
    due = some_people[2]
    services.people.withdraw_consent(due, date.today() - timedelta(days=40))  # the withdrawal rule: 30 days
    page = _open_privacy(qtbot, window).erasure
    assert window.privacy.tabs.currentWidget() is page
    assert _cells(page.proxy) and [row[1] for row in _cells(page.proxy)] == ["Tesfay, Yonas"]
    assert page.summary.text() == "1 Person zur Löschung vorgeschlagen"
    assert _cells(page.proxy)[0][3] == "Einwilligung widerrufen"
    assert "Frist (30 Tage)" in page.reason.text()

    # A longer period for the withdrawal rule: nobody is due any more; back to 30 days: due again.
    editor = page.rule_editors["widerruf"]
    assert not editor.apply_button.isEnabled()
    editor.days.setValue(60)
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert services.retention.rule("widerruf").days == 60
    assert page.model.rowCount() == 0
    assert page.summary.text().startswith("Keine Löschvorschläge")
    assert not page.erase_button.isEnabled()
    editor.days.setValue(30)
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 1

    shown = _accept_erasure(monkeypatch)
    page.table.selectRow(0)
    qtbot.mouseClick(page.erase_button, Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert "Tesfay, Yonas" in shown["text"] and "nicht rückgängig" in shown["text"]
    assert "Löschverzeichnis" in shown["text"]
    assert shown["preset"] == "widerruf"  # the proposal's reason is preselected
    with pytest.raises(NotFound):
        services.people.get(due)
    assert [e.person_id for e in services.erasure.ledger()] == [due]
    assert page.model.rowCount() == 0
    persons = window.persons
    assert persons.model.row_of(due) == -1 and persons.model.rowCount() == 2
    names = [persons.model.index(r, 1).data() for r in range(persons.model.rowCount())]
    assert not any("Tesfay" in n for n in names)


def test_inactivity_proposal_on_a_fixed_day_and_open_the_person(qtbot, window, services, some_people):
    page = window.privacy.erasure
    page.today = add_years(date.today(), 3) + timedelta(days=1)  # three years without activity
    _open_privacy(qtbot, window)
    settle(qtbot)
    assert page.model.rowCount() == 3
    assert {row[3] for row in _cells(page.proxy)} == {"Löschfrist abgelaufen"}
    assert "Letzte Aktivität" in page.model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    # Sorted by name through the proxy
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [row[1] for row in _cells(page.proxy)] == ["Al-Hassan, Mohammed", "Kovalenko, Olena", "Tesfay, Yonas"]
    page.table.selectRow(1)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert window.stack.currentWidget() is window.persons
    assert window.persons.person_file.person_id == some_people[1]


def test_cancelled_erasure_erases_nothing(qtbot, window, services, some_people, monkeypatch):
    services.people.withdraw_consent(some_people[0], date.today() - timedelta(days=31))
    page = _open_privacy(qtbot, window).erasure
    page.table.selectRow(0)
    monkeypatch.setattr(EraseDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    qtbot.mouseClick(page.erase_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert services.people.get(some_people[0]).family_name == "Al-Hassan"
    assert services.erasure.ledger() == []


def test_erase_dialog_needs_a_reason_and_never_erases_on_enter(qtbot):
    dialog = EraseDialog("Tesfay, Yonas", "BK-2025-0003", 3)
    qtbot.addWidget(dialog)
    assert dialog.reason() == "" and not dialog.erase_button.isEnabled()
    assert not dialog.erase_button.isDefault()
    codes = [dialog.reason_combo.itemData(i) for i in range(dialog.reason_combo.count())]
    assert "wiederholt" not in codes and "antrag" in codes
    dialog.set_reason("antrag")
    assert dialog.erase_button.isEnabled()
    assert dialog.reason_combo.accessibleName() == "Grund der Löschung"


# --- Protokoll --------------------------------------------------------------------------------------------
def test_protokoll_shows_create_and_update_with_field_names_never_contents(qtbot, window, services):
    pid = services.people.create(PersonData(family_name="Haddad", given_name="Lina", note=NOTE_CANARY,
                                            consent_date=date.today()))
    data = services.people.get(pid)
    data.phone, data.note = "0151 2345678", NOTE_CANARY + " geändert"
    services.people.update(pid, data)
    services.contacts.add(pid, ContactData(topics=["arbeit"], note=NOTE_CANARY))
    settle(qtbot)
    other = services.people.create(PersonData(family_name="Osman", given_name="Idris"))

    privacy = _open_privacy(qtbot, window)
    settle(qtbot)
    qtbot.mouseClick(privacy.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=privacy.tabs.tabBar().tabRect(1).center())
    page = privacy.audit
    assert privacy.tabs.currentWidget() is page
    rows = _cells(page.model)
    assert page.count_label.text() == "4 Einträge"
    # Newest first: Zeit, Benutzer, Aktion, Art, Id, geänderte Felder, Hinweis
    created = next(r for r in rows if r[2] == "angelegt" and r[3] == "Person" and r[4] == str(pid))
    assert {"Familienname", "Vorname", "Notiz", "Einwilligung am"} <= set(created[5].split(", "))
    updated = next(r for r in rows if r[2] == "geändert")
    assert updated[3] == "Person" and set(updated[5].split(", ")) == {"Telefon", "Notiz"}
    contact = next(r for r in rows if r[3] == "Beratungskontakt")
    assert "Notiz" in contact[5] and "Themen" in contact[5]
    everything = "\n".join("\t".join(r) for r in rows)
    assert NOTE_CANARY not in everything and "0151" not in everything and "Haddad" not in everything
    assert rows[0][1]  # the login name is shown
    datetime.strptime(rows[0][0], "%d.%m.%Y %H:%M:%S")

    # Filter by file number: only this person's entries; an unknown reference says so.
    qtbot.keyClicks(page.person_field, data.file_number)
    qtbot.keyClick(page.person_field, Qt.Key.Key_Return)
    assert page.model.rowCount() == 3
    assert "3 Einträge" in page.count_label.text()
    page.person_field.clear()
    qtbot.keyClicks(page.person_field, "XY-0000")
    qtbot.mouseClick(page.filter_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.filter_error.isVisibleTo(page) and "XY-0000" in page.filter_error.text()
    assert page.model.rowCount() == 3  # the previous filter stays
    qtbot.mouseClick(page.all_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert page.model.rowCount() == 4 and page.person_field.text() == ""

    # The log is read-only and refreshes while shown.
    assert not page.model.flags(page.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    services.people.delete(other)
    assert page.model.rowCount() == 5 and page.model.index(0, 2).data() == "gelöscht"


def test_protokoll_of_an_erased_person_by_internal_number(qtbot, window, services, some_people, monkeypatch):
    gone = some_people[0]
    services.erasure.erase(gone, "antrag")
    privacy = _open_privacy(qtbot, window)
    settle(qtbot)
    privacy.show_audit()
    page = privacy.audit
    qtbot.keyClicks(page.person_field, str(gone))
    qtbot.keyClick(page.person_field, Qt.Key.Key_Return)
    rows = _cells(page.model)
    assert [r[2] for r in rows] == ["endgültig gelöscht (Löschung)", "angelegt"]
    assert rows[0][6] == "Antrag der Person auf Löschung (Art. 17 DSGVO)"
    assert not page.filter_error.isVisibleTo(page)


def test_keep_period_and_purge(qtbot, window, services, monkeypatch):
    from bildungskoordination.privacy.audit import add_event

    with services.store.unit_of_work() as s:  # an entry from long ago
        add_event(s, "update", "person", 1, 1, ["phone"]).at = datetime.now() - timedelta(days=400)
    privacy = _open_privacy(qtbot, window)
    settle(qtbot)
    privacy.show_audit()
    page = privacy.audit
    assert page.keep_days.value() == 730 and not page.keep_apply.isEnabled()
    page.keep_days.setValue(365)
    assert page.keep_apply.isEnabled() and not page.purge_button.isEnabled()  # purge only by the stored period
    qtbot.mouseClick(page.keep_apply, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert services.audit.keep_days() == 365
    assert page.purge_button.isEnabled() and not page.keep_apply.isEnabled()
    setting_row = _cells(page.model)[0]
    assert setting_row[3] == "Einstellung" and setting_row[5] == "Aufbewahrung des Protokolls (Tage)"

    asked, told = {}, {}
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.setdefault("text", a[2])
                        and QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.setdefault("text", a[2]))
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "365 Tage" in asked["text"]
    assert told["text"] == "1 Eintrag gelöscht."
    rows = _cells(page.model)
    assert rows[0][2] == "alte Protokolleinträge gelöscht" and "400" not in rows[0][6]
    assert not any(r[5] == "Telefon" for r in rows)


# --- person file: restriction, export, erasure ------------------------------------------------------------
def test_withdraw_consent_restricts_the_file_and_marks_the_list(qtbot, window, services, some_people, monkeypatch):
    pid = some_people[1]
    persons = window.persons
    persons.select_person(pid)
    pf = persons.person_file
    assert not pf.banner.isVisibleTo(window) and pf.entry.isEnabled() and pf.more_button.isEnabled()
    assert pf.action_withdraw.isEnabled() and not pf.action_renew.isEnabled()
    withdrawn = date.today() - timedelta(days=3)
    seen = {}

    def fake_exec(dialog: ConsentDialog):
        seen["text"] = dialog.summary
        dialog.set_day(withdrawn)
        return ACCEPTED

    monkeypatch.setattr(ConsentDialog, "exec", fake_exec)
    pf.action_withdraw.trigger()

    assert "Kovalenko, Olena" in seen["text"] and "Art. 18" in seen["text"] and "30 Tage" in seen["text"]
    assert services.people.get(pid).consent_withdrawn_at == withdrawn
    assert pf.banner.isVisibleTo(window)
    assert pf.banner.text() == (f"Verarbeitung eingeschränkt: Einwilligung am {withdrawn:%d.%m.%Y} widerrufen – nur "
                                "Speicherung; keine neuen Kontakte, Briefe oder Vermittlungen")
    assert not pf.entry.isEnabled() and not pf.save_button.isEnabled()
    assert pf.form.family_name.isReadOnly() and not pf.form.gender.isEnabled()
    assert not pf.action_withdraw.isEnabled() and pf.action_renew.isEnabled()
    assert not pf.save()  # Ctrl+S is refused too, and nothing changes
    row = persons.model.row_of(pid)
    assert persons.model.index(row, 1).data() == f"Kovalenko, Olena  {RESTRICTED_MARK}"
    assert "widerrufen" in persons.model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    # The banner is above the tabs: also there on the contacts tab.
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert pf.tabs.currentIndex() == pf.contacts_tab_index and pf.banner.isVisibleTo(window)
    assert len(services.contacts.for_person(pid)) == 1

    # Consent given again: the restriction ends.
    monkeypatch.setattr(ConsentDialog, "exec", lambda dialog: ACCEPTED)
    pf.action_renew.trigger()
    stored = services.people.get(pid)
    assert stored.consent_withdrawn_at is None and stored.consent_date == date.today()
    assert not pf.banner.isVisibleTo(window) and pf.entry.isEnabled() and pf.save_button.isEnabled()
    assert not pf.form.family_name.isReadOnly()
    assert RESTRICTED_MARK not in persons.model.index(row, 1).data()


def test_art15_export_writes_two_files(qtbot, window, services, some_people, monkeypatch, tmp_path):
    pid = some_people[0]
    window.persons.select_person(pid)
    pf = window.persons.person_file
    folder = tmp_path / "auskunft"
    folder.mkdir()
    told = {}
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.setdefault("text", a[2]))
    pf.action_export.trigger()
    settle(qtbot)  # written on a worker

    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and files[0].endswith(".json") and files[1].endswith(".pdf")
    assert all(name in told["text"] for name in files)
    answer = json.loads((folder / files[0]).read_text(encoding="utf-8"))
    assert answer["aktenzeichen"] == services.people.get(pid).file_number
    assert services.audit.list(1, person_id=pid)[0].action == "export"
    assert files[1] in pf.status.text()


def test_cancelled_export_writes_nothing(window, services, some_people, monkeypatch, tmp_path):
    window.persons.select_person(some_people[0])
    before = services.audit.count()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    window.persons.person_file.action_export.trigger()
    assert services.audit.count() == before


def test_erase_from_the_person_file(qtbot, window, services, some_people, monkeypatch):
    pid = some_people[0]
    persons = window.persons
    persons.select_person(pid)
    shown = _accept_erasure(monkeypatch, reason="antrag")
    persons.person_file.action_erase.trigger()
    assert "Al-Hassan, Mohammed" in shown["text"] and shown["preset"] == ""  # no reason chosen for the user
    with pytest.raises(NotFound):
        services.people.get(pid)
    assert [e.person_id for e in services.erasure.ledger()] == [pid]
    assert persons.person_file.person_id is None
    assert persons.person_file.status.text() == "Die Person wurde endgültig gelöscht."
    assert "Al-Hassan" not in persons.person_file.header.text()
    assert persons.model.rowCount() == 2 and persons.model.row_of(pid) == -1
    assert not persons.person_file.more_button.isEnabled()


# --- settings ---------------------------------------------------------------------------------------------
def test_settings_dialog_sets_lock_minutes_now_and_the_log_period(qtbot, window, services, monkeypatch):
    from bildungskoordination.gui import settings

    def fake_exec(dialog: SettingsDialog):
        assert dialog.audit_keep_days.value() == 730
        dialog.lock_minutes.setValue(5)
        dialog.audit_keep_days.setValue(400)
        return ACCEPTED

    monkeypatch.setattr(SettingsDialog, "exec", fake_exec)
    try:
        qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
        assert settings.lock_minutes() == 5
        assert window.idle._timer.interval() == 5 * 60_000
        assert services.audit.keep_days() == 400
    finally:
        settings.set_lock_minutes(10)


# --- models and accessibility -----------------------------------------------------------------------------
def test_proposal_model_passes_the_model_tester(qtmodeltester, services, some_people):
    services.people.withdraw_consent(some_people[0], date.today() - timedelta(days=40))
    proposals = ProposalModel()
    proposals.set_rows(services.retention.proposals())
    assert proposals.rowCount() == 1
    qtmodeltester.check(proposals, force_py=True)
    assert proposals.index(0, 1).data() == "Al-Hassan, Mohammed"


def test_audit_model_fetches_pages_and_passes_the_model_tester(qtmodeltester, services, some_people):
    for i in range(PAGE_SIZE + 30):
        services.audit.record("print", "person", some_people[1], some_people[1], detail=f"Test {i}")
    log = AuditLogModel(services)
    log.reload()
    total = log.total()
    assert total > PAGE_SIZE and log.rowCount() == PAGE_SIZE and log.canFetchMore(QModelIndex())
    log.fetchMore(QModelIndex())
    assert log.rowCount() == total and not log.canFetchMore(QModelIndex())
    assert log.index(0, 6).data() == f"Test {PAGE_SIZE + 29}"  # newest first
    log.reload()
    qtmodeltester.check(log, force_py=True)  # the tester fetches the second page itself
    assert log.rowCount() == total
    log.set_person(some_people[0])  # (the Python tester cannot follow a fetch during a reset: a short list)
    assert log.total() == services.audit.count(person_id=some_people[0]) == log.rowCount() == 1
    qtmodeltester.check(log, force_py=True)


def test_new_fields_have_accessible_names_and_mnemonics(qtbot, window):
    privacy = _open_privacy(qtbot, window)
    settle(qtbot)
    erasure, audit = privacy.erasure, privacy.audit
    for editor in erasure.rule_editors.values():
        assert editor.years.accessibleName() and editor.days.accessibleName() and editor.apply_button.accessibleName()
        assert editor.title.buddy() is editor.years and "&" in editor.title.text()
    more = window.persons.person_file.more_button
    for widget in (erasure.table, audit.table, audit.person_field, audit.keep_days, more):
        assert widget.accessibleName(), widget
    buddies = [label.buddy() for label in audit.findChildren(QLabel) if "&" in label.text()]
    assert audit.person_field in buddies and audit.keep_days in buddies
    for button in (erasure.open_button, erasure.erase_button, audit.filter_button, audit.purge_button):
        assert "&" in button.text()
    # Alt-keys on the Löschvorschläge tab are unique (menu bar: D, G, H).
    keys = ["d", "g", "h"] + [w.text()[w.text().index("&") + 1].lower()
                              for w in [erasure.open_button, erasure.erase_button]
                              + [e.title for e in erasure.rule_editors.values()]]
    keys += [privacy.tabs.tabText(i)[privacy.tabs.tabText(i).index("&") + 1].lower() for i in range(2)]
    assert len(keys) == len(set(keys)), keys
