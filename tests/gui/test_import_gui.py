"""Personenliste/Kursliste einlesen in the GUI: the mapping step (a combo per column, suggestions, skip,
remembered for the next file of the same shape), the preview (problems by row and field, likely
duplicates, skipped columns) and the one service call that writes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QMessageBox
from qtwait import settle

from bildungskoordination.domain.column_mapping import setting_key
from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.domain.tabular import SKIP
from bildungskoordination.gui.imports.choice_delegate import combo_at
from bildungskoordination.gui.imports.mapping_model import TARGET_COLUMN, UNASSIGNED
from bildungskoordination.gui.persons.import_dialog import PersonImportDialog
from bildungskoordination.people.records import PersonData

HEADER = "lfd. Nr.;Nachname;Vorname;Geb.-Datum;Straße;Hausnr.;PLZ;Ort;Tel.;Mail;Anmerkungen;Betreuer/in"
ROWS = [
    "1;Al-Husseini Al-Quraschi Al-Haschimi;Abd ar-Rahman Muhammad;03.04.1990;Trierer Straße;5;54329;Konz;"
    "06501 123456;a.h@example.org;spricht gut Englisch;Frau Schmitt",
    "2;Kovalenko;Olena;22.07.1979;Saarstraße;17a;54439;Saarburg;0151 7654321;;Termin nur vormittags;Herr Meier",
]


@pytest.fixture
def office_list(tmp_path: Path) -> Path:
    path = tmp_path / "liste.csv"
    path.write_bytes(("\n".join([HEADER, *ROWS]) + "\n").encode("cp1252"))
    return path


@pytest.fixture
def messages(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    return shown


def open_dialog(qtbot, services, path: Path) -> PersonImportDialog:
    dialog = PersonImportDialog(services, path)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)  # a file whose columns are all known is checked at once, on a worker
    return dialog


def choose(dialog: PersonImportDialog, header: str, target: str) -> None:
    """As a user does it: pick the entry in the column's combo box."""
    row = dialog.mapping_model.row_of(header)
    combo = combo_at(dialog.mapping_table, row, TARGET_COLUMN)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(target))
    combo.activated.emit(combo.currentIndex())


def test_mapping_step_suggests_and_waits_for_unknown_columns(qtbot, services, office_list, qtmodeltester) -> None:
    dialog = open_dialog(qtbot, services, office_list)
    model = dialog.mapping_model
    qtmodeltester.check(model)
    assert dialog.stack.currentIndex() == 0  # two columns are unknown: the mapping step comes first
    targets = {model.data(model.index(r, 0)): model.data(model.index(r, TARGET_COLUMN)) for r in range(model.rowCount())}
    assert targets["Nachname"] == "Familienname" and targets["Anmerkungen"] == "Bemerkung (Notiz der Akte)"
    assert targets["Ort"] == "Anschrift: Ort" and targets["lfd. Nr."] == "– bitte wählen –"
    assert model.data(model.index(model.row_of("Nachname"), 1)) == "Al-Husseini Al-Quraschi Al-Haschimi · Kovalenko"
    assert model.unassigned() == ["lfd. Nr.", "Betreuer/in"]
    assert "„lfd. Nr.“, „Betreuer/in“" in dialog.open_label.text()
    assert not dialog.next_button.isEnabled()
    combo = combo_at(dialog.mapping_table, model.row_of("lfd. Nr."), TARGET_COLUMN)
    assert combo.currentText() == "– bitte wählen –" and combo.findText("nicht übernehmen") == 1
    assert combo.findText("Bemerkung (Notiz der Akte)") > 1 and combo.findText("E-Mail") > 1

    choose(dialog, "lfd. Nr.", SKIP)
    choose(dialog, "Betreuer/in", "Bemerkung")
    qtmodeltester.check(model)
    assert model.unassigned() == [] and dialog.next_button.isEnabled()
    assert model.mapping()["lfd. Nr."] == SKIP and model.mapping()["Betreuer/in"] == "Bemerkung"
    assert "Jede Spalte ist zugeordnet" in dialog.open_label.text()

    choose(dialog, "Tel.", "E-Mail")  # two columns for one e-mail address: said at once, no way on
    assert dialog.open_label.text() == "Mehreren Spalten zugeordnet, jeweils nur eine möglich: „E-Mail“"
    assert not dialog.next_button.isEnabled()
    choose(dialog, "Betreuer/in", "Telefon")  # the phone field takes several columns (joined)
    choose(dialog, "Tel.", "Telefon")
    assert dialog.next_button.isEnabled() and model.conflicts() == []


def test_preview_import_and_remembered_mapping(qtbot, services, office_list, messages, qtmodeltester) -> None:
    dialog = open_dialog(qtbot, services, office_list)
    choose(dialog, "lfd. Nr.", SKIP)
    choose(dialog, "Betreuer/in", SKIP)
    dialog.next_button.click()
    settle(qtbot)
    assert dialog.stack.currentIndex() == 1
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.problem_model)
    assert dialog.problem_texts() == [] and not dialog.problems.isVisible()
    assert dialog.summary.text() == "2 Personen werden eingelesen."
    assert dialog.skipped.text() == "Nicht übernommen: „lfd. Nr.“, „Betreuer/in“" and dialog.skipped.isVisible()
    row = [dialog.model.data(dialog.model.index(0, c)) for c in range(dialog.model.columnCount())]
    assert row == [2, "Al-Husseini Al-Quraschi Al-Haschimi", "Abd ar-Rahman Muhammad", "03.04.1990", "",
                   "Trierer Straße 5, 54329 Konz", "06501 123456", "a.h@example.org", "spricht gut Englisch"]
    assert services.people.count() == 0  # the preview wrote nothing

    dialog.import_button.click()
    settle(qtbot)
    assert messages == ["2 Personen eingelesen.\nNicht übernommen: „lfd. Nr.“, „Betreuer/in“"]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert services.people.count() == 2
    stored = services.settings.get(setting_key("persons", HEADER.split(";")))
    assert stored["lfd. Nr."] == SKIP and stored["Nachname"] == "Familienname"

    # The next file of the same shape (other order, other case) goes straight to the preview.
    again = office_list.with_name("liste2.csv")
    columns = HEADER.split(";")
    again.write_text(";".join(reversed([c.upper() for c in columns])) + "\n"
                     + ";".join(reversed(ROWS[1].replace("Kovalenko", "Kowalenko").split(";"))) + "\n", encoding="utf-8")
    second = open_dialog(qtbot, services, again)
    assert second.stack.currentIndex() == 1
    assert second.mapping_model.mapping()["LFD. NR."] == SKIP
    assert second.skipped.text() == "Nicht übernommen: „BETREUER/IN“, „LFD. NR.“"
    # Kowalenko, Olena, same birth date: the preview marks the row as a likely duplicate.
    assert "ein" in second.summary.text() and "schon erfasste Person" in second.summary.text()
    found = second.model.data(second.model.index(0, 4))
    assert "Kovalenko, Olena" in found
    assert second.model.data(second.model.index(0, 4), 3)  # a tool tip with the reason
    second.back_button.click()
    assert second.stack.currentIndex() == 0 and second.next_button.isEnabled()


def test_preview_lists_every_problem_by_row_and_field(qtbot, services, tmp_path, messages, qtmodeltester) -> None:
    path = tmp_path / "kaputt.csv"
    path.write_text("Familienname;Vorname;Geburtsdatum;E-Mail;Raum\n"
                    "Haddad;Lina;31.02.1990;lina(at)example.org;A\n;Sami;;;B\n", encoding="utf-8")
    dialog = open_dialog(qtbot, services, path)
    dialog.skip_rest_button.click()
    assert dialog.mapping_model.skipped() == ["Raum"]
    dialog.next_button.click()
    settle(qtbot)
    qtmodeltester.check(dialog.problem_model)
    rows = [[dialog.problem_model.data(dialog.problem_model.index(r, c)) for c in range(3)]
            for r in range(dialog.problem_model.rowCount())]
    assert [r[:2] for r in rows] == [[2, "Geburtsdatum"], [2, "E-Mail"], [3, "Familienname"]], rows
    assert rows[1][2] == "keine gültige E-Mail-Adresse"
    from bildungskoordination.i18n import set_language

    set_language("en")
    try:  # the field as the English interface names it; the message itself comes from the core
        assert dialog.problem_model.data(dialog.problem_model.index(1, 1)) == "E-mail"
        assert dialog.problem_model.headerData(2, Qt.Orientation.Horizontal) == "Message"
    finally:
        set_language("de")
    assert "3 Fehler" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.close_button.click()
    assert services.people.count() == 0 and messages == []
    assert services.settings.get(setting_key("persons", ["Familienname", "Vorname", "Geburtsdatum", "E-Mail",
                                                         "Raum"])) is None  # nothing remembered either


def test_unreadable_file_shows_its_problem_without_a_mapping_step(qtbot, services, tmp_path) -> None:
    path = tmp_path / "alt.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    dialog = open_dialog(qtbot, services, path)
    assert dialog.stack.currentIndex() == 1 and not dialog.back_button.isVisible()
    assert any(".xls" in t for t in dialog.problem_texts())


def test_persons_page_opens_the_import(window, services, qtbot, monkeypatch, office_list, messages) -> None:
    from PySide6.QtWidgets import QFileDialog

    from bildungskoordination.gui.main_window import PAGE_PERSONS

    services.people.create(PersonData(family_name="Kovalenko", given_name="Olena",
                                      birth=parse_partial_date("22.07.1979")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(office_list), ""))
    window.nav.setCurrentRow(PAGE_PERSONS)
    page = window.persons
    page.import_button.click()
    dialog = page.import_dialog
    assert dialog is not None
    settle(qtbot)
    dialog.mapping_model.skip_unassigned()
    dialog.next_button.click()
    settle(qtbot)
    assert dialog.model.data(dialog.model.index(1, 4)).endswith("Kovalenko, Olena")
    dialog.import_button.click()
    settle(qtbot)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert messages[0].startswith("2 Personen eingelesen.")
    pid = max(r.id for r in services.people.search("Al-Husseini"))
    page.select_person(pid)
    form = page.person_file.form  # the person file shows what the list brought besides the names
    assert form.address.text() == "Trierer Straße 5, 54329 Konz"
    assert (form.phone.text(), form.email.text()) == ("06501 123456", "a.h@example.org")
    assert form.note.toPlainText() == "spricht gut Englisch"


def test_course_list_with_other_spellings_and_an_extra_column(qtbot, services, tmp_path, messages) -> None:
    from bildungskoordination.gui.courses.import_dialog import CourseImportDialog

    path = tmp_path / "kurse.csv"
    path.write_text("Anbieter;Kurs-Nr.;Kurstyp;Kursbeginn;Raum\n"
                    "Kreisvolkshochschule Trier-Saarburg;IK-1;Allgemeiner Integrationskurs;12.01.2026;R 1\n",
                    encoding="utf-8")
    dialog = CourseImportDialog(services, path)
    qtbot.addWidget(dialog)
    settle(qtbot)
    assert dialog.stack.currentIndex() == 0 and dialog.mapping_model.unassigned() == ["Raum"]
    choose(dialog, "Raum", SKIP)  # type: ignore[arg-type]
    dialog.next_button.click()
    settle(qtbot)
    assert dialog.problem_texts() == [] and dialog.model.rowCount() == 1
    dialog.import_button.click()
    settle(qtbot)
    assert messages == ["1 Kurse angelegt, 0 Kurse aktualisiert.\nNicht übernommen: „Raum“"]
    assert [c.course_number for c in services.courses.list()] == ["IK-1"]
    assert dialog.mapping_model.unassigned() == [] and UNASSIGNED not in dialog.mapping_model.mapping().values()


def test_mapping_saved_as_a_file_for_the_cli(qtbot, services, office_list, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from bildungskoordination.domain.column_mapping import load_mapping_file

    target = office_list.with_name("zuordnung.toml")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = open_dialog(qtbot, services, office_list)
    choose(dialog, "lfd. Nr.", SKIP)
    choose(dialog, "Betreuer/in", "Bemerkung")
    dialog.save_mapping_button.click()
    assert load_mapping_file(target, "persons") == dialog.mapping_model.mapping()


def test_check_runs_on_a_worker_and_a_cancel_returns_to_the_mapping(qtbot, services, office_list, messages) -> None:
    dialog = open_dialog(qtbot, services, office_list)
    dialog.mapping_model.skip_unassigned()
    release = threading.Event()
    checked = dialog.run

    def slow_run(*, dry_run: bool, mapping: dict[str, str]):
        release.wait(10)
        return checked(dry_run=dry_run, mapping=mapping)

    dialog.run = slow_run  # type: ignore[method-assign]
    dialog.next_button.click()
    assert dialog.summary.text() == "Die Datei wird geprüft …"
    assert not dialog.import_button.isEnabled() and not dialog.back_button.isEnabled()
    assert dialog.close_button.isEnabled()
    dialog._checking.cancel()  # "Abbrechen" in the progress dialog
    release.set()
    settle(qtbot)
    assert dialog.isVisible() and dialog.stack.currentIndex() == 0 and dialog.next_button.isEnabled()
    assert services.people.count() == 0 and messages == []

    dialog.next_button.click()  # the dialog is still usable
    settle(qtbot)
    assert dialog.summary.text() == "2 Personen werden eingelesen." and dialog.import_button.isEnabled()


def test_an_error_while_writing_is_shown_and_the_dialog_stays_usable(qtbot, services, office_list,
                                                                   messages) -> None:
    dialog = open_dialog(qtbot, services, office_list)
    dialog.mapping_model.skip_unassigned()
    dialog.next_button.click()
    settle(qtbot)
    checked = dialog.run

    def failing_run(*, dry_run: bool, mapping: dict[str, str]):
        if not dry_run:
            raise OSError("Datenbank gesperrt")
        return checked(dry_run=dry_run, mapping=mapping)

    dialog.run = failing_run  # type: ignore[method-assign]
    dialog.import_button.click()
    assert not dialog.close_button.isEnabled()  # one transaction: no closing halfway
    settle(qtbot)
    assert messages == ["Personenliste einlesen nicht möglich:\nDatenbank gesperrt"]
    assert dialog.isVisible() and dialog.import_button.isEnabled() and dialog.close_button.isEnabled()
    assert services.people.count() == 0
    assert services.settings.get(setting_key("persons", HEADER.split(";"))) is None
    dialog.run = checked  # type: ignore[method-assign]
    dialog.import_button.click()
    settle(qtbot)
    assert services.people.count() == 2 and dialog.result() == QDialog.DialogCode.Accepted
