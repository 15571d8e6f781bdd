"""Issue 11 in the real widgets: German spellings find the demo's people, the duplicate warning without a birth
date, the list of likely pairs and a merge by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt

from bildungskoordination.gui.persons.duplicates_dialog import DuplicateDialog
from bildungskoordination.gui.persons.merge_dialog import MergeDialog, MergeFieldModel
from bildungskoordination.gui.persons.pairs_dialog import DuplicatePairModel, DuplicatePairsDialog
from bildungskoordination.people.demo import generate_demo
from bildungskoordination.people.records import PersonData


def _search(qtbot, window, text: str) -> list[str]:
    persons = window.persons
    persons.search.setText(text)
    persons._on_search_return_pressed()
    model = persons.model
    return [f"{model.index(r, 1).data()}".replace("⚠", "").strip() for r in range(model.rowCount())]


def test_german_spellings_find_the_demo_people(qtbot, window, services):
    generate_demo(services, 600, seed=1)
    window.persons.reload()
    found = _search(qtbot, window, "Schewtschenko")
    assert found and all("Shevchenko" in name or "Schewtschenko" in name for name in found[:1])
    assert any("Jafari" in name for name in _search(qtbot, window, "Dschafari"))
    assert any("Jafari" in name for name in _search(qtbot, window, "Djafari"))
    julia = _search(qtbot, window, "Julia")
    assert any("Yuliia" in name or "Julia" in name or "Yulia" in name for name in julia)


def test_search_ranks_exact_first_until_a_header_is_clicked(qtbot, window, services):
    for family, given in [("Savchenko", "Julia"), ("Shevchenko", "Yuliia"), ("Abramov", "Julia"),
                          ("Shevchenko", "Julia")]:
        services.people.create(PersonData(family_name=family, given_name=given))
    window.persons.reload()
    names = _search(qtbot, window, "Shevchenko Julia")
    assert names[0] == "Shevchenko, Julia" and "Savchenko, Julia" not in names
    # A click on the name header sorts by that column.
    header = window.persons.table.horizontalHeader()
    header.sectionClicked.emit(1)
    window.persons.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    model = window.persons.model
    assert [model.index(r, 1).data().replace("⚠", "").strip() for r in range(model.rowCount())] == [
        "Shevchenko, Yuliia", "Shevchenko, Julia"]


def test_duplicate_warning_without_birth_date(qtbot, window, services, monkeypatch):
    services.people.create(PersonData(family_name="Shevchenko", given_name="Kateryna"))
    shown = {}

    def fake_exec(dialog: DuplicateDialog):
        model = dialog.table.model()
        shown["rows"] = [(model.index(r, 1).data(), model.index(r, 3).data()) for r in range(model.rowCount())]
        return 0  # Cancel

    monkeypatch.setattr(DuplicateDialog, "exec", fake_exec)
    window.persons.new_person()
    form = window.persons.person_file.form
    form.family_name.setText("Schewtschenko")
    form.given_name.setText("Katerina")
    qtbot.mouseClick(window.persons.person_file.save_button, Qt.MouseButton.LeftButton)
    assert shown["rows"] == [("Shevchenko, Kateryna", "gleicher Name in anderer Schreibweise, Geburtsdatum fehlt")]
    assert services.people.count() == 1


def test_pairs_and_merge_models(qtmodeltester, services):
    keep = services.people.create(PersonData(family_name="Jafari", given_name="Ali", municipality="Teningen"))
    other = services.people.create(PersonData(family_name="Dschafari", given_name="Ali", municipality="Endingen"))
    pairs = DuplicatePairModel()
    pairs.set_rows(services.people.duplicate_pairs())
    qtmodeltester.check(pairs, force_py=True)
    plan = services.people.merge_plan(keep, other)
    model = MergeFieldModel(plan.differing, "A", "B")
    qtmodeltester.check(model, force_py=True)


def test_merge_by_hand_from_the_pairs_list(qtbot, window, services):
    keep = services.people.create(PersonData(family_name="Jafari", given_name="Ali", municipality="Teningen"))
    other = services.people.create(PersonData(family_name="Dschafari", given_name="Ali", municipality="Endingen"))
    other_number = services.people.get(other).file_number
    window.persons.reload()
    qtbot.mouseClick(window.persons.duplicates_button, Qt.MouseButton.LeftButton)
    pairs: DuplicatePairsDialog = window.persons.pairs_dialog
    qtbot.waitUntil(lambda: not pairs.busy)  # compared on a worker
    assert pairs.model.rowCount() == 1
    qtbot.mouseClick(pairs.merge_button, Qt.MouseButton.LeftButton)
    dialog: MergeDialog = pairs.merge_dialog
    fields = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    row = fields.index("Wohnort")
    assert dialog.model.index(row, 1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    dialog.model.setData(dialog.model.index(row, 2), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert dialog.model.index(row, 2).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert services.people.count() == 1
    assert services.people.get(keep).municipality == "Endingen"
    qtbot.waitUntil(lambda: not pairs.busy)
    assert pairs.model.rowCount() == 0
    assert _search(qtbot, window, other_number) == ["Jafari, Ali"]
    entries = services.audit.list(limit=None, person_id=keep)
    assert [e.action for e in entries].count("merge") == 1
    pairs.close()
