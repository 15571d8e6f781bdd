"""Issue 13 in the GUI: the whole-file check of an encrypted database runs only once the window is there,
and damage it finds opens the recovery dialog of the start at once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services

PASSPHRASE = "eine lange Passphrase für den Test"
PAGE = 4096


@pytest.fixture
def encrypted_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "daten" / "bildungskoordination.sqlite3"
    db.parent.mkdir()
    services = Services.open(db, passphrase=PASSPHRASE, fast_kdf=True)
    # No query planner statistics at this close: the test damages the last page, which is to hold what a start
    # does not read (a note), not the statistics every query loads.
    monkeypatch.setattr(services.store, "optimize", lambda: None)
    try:
        for i in range(300):
            services.people.create(PersonData(family_name=f"Kovalenko{i}", given_name="Olena",
                                              note="Beratung zu Sprachkurs. " * 20))
    finally:
        services.close()  # a clean end: the next start may leave the whole-file check for later
    monkeypatch.setenv("BILDUNGSKOORDINATION_PASSPHRASE", PASSPHRASE)
    return db


def _flip_a_bit_in_the_last_page(db: Path) -> None:
    data = bytearray(db.read_bytes())
    rng = random.Random(5)
    data[len(data) - PAGE + rng.randrange(PAGE)] ^= 1 << rng.randrange(8)
    db.write_bytes(bytes(data))


def _spy_checks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every whole-file check, with whether the main window was on the screen at that moment."""
    from PySide6.QtWidgets import QApplication

    from bildungskoordination.gui.main_window import MainWindow
    from bildungskoordination.store import checks, engine, integrity

    seen: list[tuple[str, bool]] = []

    def window_shown() -> bool:
        return any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets())

    real_precheck, real_quick = checks.precheck, integrity.quick_check

    def precheck(path, key, *, full=True):  # type: ignore[no-untyped-def]
        if full:
            seen.append(("before opening", window_shown()))
        return real_precheck(path, key, full=full)

    def quick_check(path, key, **kw):  # type: ignore[no-untyped-def]
        seen.append(("background", window_shown()))
        return real_quick(path, key, **kw)

    monkeypatch.setattr(engine, "precheck", precheck)
    monkeypatch.setattr(integrity, "quick_check", quick_check)
    return seen


def test_the_whole_file_is_checked_only_after_the_window_is_shown(qtbot, encrypted_db: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from bildungskoordination.gui.controller import AppController
    from bildungskoordination.gui.opening import open_user_database

    seen = _spy_checks(monkeypatch)
    services = open_user_database(encrypted_db)
    assert seen == [], "the start read the whole file before the window existed"
    controller = AppController(services)
    controller.show()
    try:
        qtbot.waitUntil(lambda: services.background_check is not None and not services.background_check.running(),
                        timeout=20000)
        assert seen == [("background", True)]
        assert services.background_check.result is True
        assert controller.window is not None and controller.window.isVisible()
    finally:
        controller.window.persons.person_file._set_dirty(False)
        controller.window.close()
        controller.shutdown()


def test_damage_found_after_the_start_opens_the_recovery_dialog(qtbot, encrypted_db: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QDialog, QLabel

    from bildungskoordination.gui.controller import AppController
    from bildungskoordination.gui.opening import open_user_database
    from bildungskoordination.gui.privacy.recovery import RecoveryDialog

    _flip_a_bit_in_the_last_page(encrypted_db)
    seen = _spy_checks(monkeypatch)
    shown: list[str] = []

    def exec_(self: RecoveryDialog) -> int:
        shown.extend(label.text() for label in self.findChildren(QLabel))
        self.choice = "read_only"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecoveryDialog, "exec", exec_)
    services = open_user_database(encrypted_db)  # the damaged page is not read at the start
    assert not services.store.read_only and seen == []
    controller = AppController(services)
    controller.show()
    first_window = controller.window
    try:
        qtbot.waitUntil(lambda: bool(shown), timeout=20000)
        assert seen == [("background", True)]
        assert any("beschädigt" in text for text in shown), shown
        qtbot.waitUntil(lambda: controller.window is not None and controller.window is not first_window, timeout=5000)
        assert controller.services.store.read_only, "after choosing read-only the app continues read-only"
        assert controller.services.people.count() == 300
    finally:
        if controller.window is not None:
            controller.window.persons.person_file._set_dirty(False)
            controller.window.close()
        controller.shutdown()
