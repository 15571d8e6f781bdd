"""First start: the wizard (passphrase twice, district and letterhead, backup folder – prefilled from IT's machine
configuration), and the empty main window that says what to do first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWizard
from qtwait import settle

from bildungskoordination.domain.machine_config import load_machine_config
from bildungskoordination.gui import opening, settings
from bildungskoordination.gui.first_start import FirstStartWizard

SECRET = "eine lange erste Passphrase"
CONFIG = """district = "Landkreis Beispiel"
backup_folder = "{folder}/{{user}}"
lock_minutes = 7
[letterhead]
office = "Kreisverwaltung Beispiel"
street = "Am Markt 1"
office_hours = "Mo 8–12 Uhr"
[retention.inaktiv]
years = 4
"""


@pytest.fixture
def machine_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "etc" / "bildungskoordination.toml"
    path.parent.mkdir()
    path.write_text(CONFIG.format(folder=tmp_path / "netz"), encoding="utf-8")
    monkeypatch.setenv("BILDUNGSKOORDINATION_SYSTEM_CONFIG", str(path))
    monkeypatch.delenv("BILDUNGSKOORDINATION_PASSPHRASE", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "mmuster")
    return path


@pytest.fixture(autouse=True)
def own_qsettings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    monkeypatch.setattr(settings, "settings", lambda: QSettings(str(tmp_path / "qsettings.ini"),
                                                                QSettings.Format.IniFormat))


def _next(qtbot, wizard: QWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_the_wizard_is_prefilled_from_the_machine_configuration(qtbot, machine_config: Path, tmp_path: Path):
    wizard = FirstStartWizard(tmp_path / "db.sqlite3", load_machine_config())
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.passphrase_page
    qtbot.keyClicks(page.first, SECRET)
    qtbot.keyClicks(page.second, SECRET + "x")
    _next(qtbot, wizard)
    assert wizard.currentPage() is page and "stimmen nicht überein" in page.error.text()  # stays, says why
    page.second.clear()
    qtbot.keyClicks(page.second, SECRET)
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.letterhead_page
    assert wizard.letterhead_page.district.text() == "Landkreis Beispiel"
    assert wizard.letterhead_page.head["office"].text() == "Kreisverwaltung Beispiel"
    _next(qtbot, wizard)
    assert wizard.backup_page.folder.text() == str(tmp_path / "netz" / "mmuster")
    choices = wizard.choices()
    assert choices.passphrase == SECRET and choices.letterhead["office_hours"] == "Mo 8–12 Uhr"


def test_a_short_passphrase_does_not_pass_the_first_page(qtbot, tmp_path: Path):
    wizard = FirstStartWizard(tmp_path / "db.sqlite3", load_machine_config(tmp_path / "none.toml"))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.passphrase_page.first, "kurz")
    qtbot.keyClicks(wizard.passphrase_page.second, "kurz")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.passphrase_page and "Mindestens 10 Zeichen" in wizard.passphrase_page.error.text()


def test_first_start_creates_the_database_with_the_wizards_choices(qtbot, machine_config: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    def run_wizard(self: FirstStartWizard) -> int:
        self.passphrase_page.first.setText(SECRET)
        self.passphrase_page.second.setText(SECRET)
        self.letterhead_page.head["phone"].setText("06500 1234")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstStartWizard, "exec", run_wizard)
    services = opening.open_user_database(tmp_path / "daten" / "db.sqlite3")
    try:
        assert services.encrypted
        head = services.letters.letterhead()
        assert (head.office, head.phone, head.office_hours) == ("Kreisverwaltung Beispiel", "06500 1234", "Mo 8–12 Uhr")
        assert services.settings.get("district.name") == "Landkreis Beispiel"
        assert services.settings.get("retention.inaktiv.years") == 4
    finally:
        services.close()
    assert settings.backup_folder() == str(tmp_path / "netz" / "mmuster") and settings.lock_minutes() == 7


def test_a_broken_machine_configuration_is_named_and_nothing_of_it_is_used(qtbot, machine_config: Path,
                                                                            tmp_path: Path, monkeypatch):
    machine_config.write_text('district = "A"\nlock_minuten = 5\n', encoding="utf-8")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warned.append(text))
    seen: list[str] = []

    def run_wizard(self: FirstStartWizard) -> int:
        seen.append(self.letterhead_page.district.text())
        self.passphrase_page.unencrypted.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FirstStartWizard, "exec", run_wizard)
    services = opening.open_user_database(tmp_path / "db.sqlite3")
    services.close()
    assert len(warned) == 1 and str(machine_config) in warned[0] and "Zeile 2" in warned[0] and "lock_minuten" in warned[0]
    assert seen == [""]


def test_the_empty_window_says_what_to_do_first(qtbot, window, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    page = window.persons
    assert page.empty_state.isVisible() and not page.table.isVisible()
    assert "Noch keine Personen erfasst" in page.empty_state.title.text()
    assert page.empty_state.import_button.text() == "Excel-Liste &importieren …"
    qtbot.mouseClick(page.empty_state.new_button, Qt.MouseButton.LeftButton)
    assert page.person_file.isVisible()  # the form for a new person
    csv = tmp_path / "liste.csv"
    csv.write_text("Familienname;Vorname;Geburtsdatum\nKovalenko;Olena;22.07.1979\nTesfay;Yonas;01.01.2001\n",
                   encoding="utf-8")
    page.person_file._set_dirty(False)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(csv), ""))
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: messages.append(a[2]))
    qtbot.mouseClick(page.empty_state.import_button, Qt.MouseButton.LeftButton)
    dialog = page.import_dialog  # the same mapping step and preview as "Einlesen…"
    assert dialog is not None
    settle(qtbot)  # every column is known: checked at once, on a worker
    dialog.import_button.click()
    settle(qtbot)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert not page.empty_state.isVisible() and page.table.isVisible()
    assert messages[0].startswith("2 Personen eingelesen.")
