"""Backups from the user's side: automatic at start and exit, by hand, and restoring after damage."""

from PySide6.QtWidgets import QMessageBox

from bildungskoordination.people.records import PersonData

SECRET = "lange genug passphrase"


def _services(tmp_path):
    from bildungskoordination.services import Services

    services = Services.open(tmp_path / "db.sqlite3", passphrase=SECRET, fast_kdf=True)
    for name in ("Ahmadi", "Kovalenko"):
        services.people.create(PersonData(family_name=name, given_name="X"))
    return services


def test_scheduler_backs_up_at_start_and_exit(qtbot, tmp_path):
    from bildungskoordination.gui.privacy.backup_scheduler import BackupScheduler

    services = _services(tmp_path)
    scheduler = BackupScheduler(services)
    taken = []
    scheduler.taken.connect(taken.append)
    scheduler.start()  # on a worker thread: the window stays responsive
    qtbot.waitUntil(lambda: len(taken) == 1, timeout=10000)
    scheduler.stop(final=True)
    reasons = sorted(i.reason for i in services.backups.list())
    assert reasons == ["ende", "start"]
    assert all(i.encrypted for i in services.backups.list())
    services.close()


def test_backups_page_backs_up_now_and_lists_it(qtbot, tmp_path):
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.privacy.backups_page import BackupsPage

    services = _services(tmp_path)
    page = BackupsPage(AppContext(services, ChangeSignal(services.bus)))
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    page.backup_button.click()  # on a worker: the page fills in when it is taken
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10000)
    assert page.model.index(0, 1).data() == "von Hand"
    assert page.model.index(0, 3).data() == "ja"
    page.check_button.click()
    qtbot.waitUntil(lambda: "in Ordnung" in page.status.text(), timeout=10000)
    services.close()


def test_recovery_dialog_restores_a_damaged_database(qtbot, tmp_path, monkeypatch):
    from bildungskoordination.gui.privacy.recovery import RecoveryDialog
    from bildungskoordination.services import Services

    services = _services(tmp_path)
    services.backups.take("manuell")
    services.close()
    db = tmp_path / "db.sqlite3"
    with db.open("r+b") as fh:
        fh.seek(4096)
        fh.write(b"\xff" * 4096)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    dialog = RecoveryDialog(db, "Testschaden")
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    dialog.passphrase.setText(SECRET)
    dialog.restore_button.click()
    assert dialog.choice == "restored"
    reopened = Services.open(db, passphrase=SECRET)
    assert reopened.people.count() == 2
    reopened.close()


def test_start_backup_after_the_first_paint_and_exit_backup_visible_before_quitting(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from bildungskoordination.gui import operation
    from bildungskoordination.gui.controller import AppController

    services = _services(tmp_path)
    controller = AppController(services)
    controller.show()
    window = controller.window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: [i.reason for i in services.backups.list()] == ["start"], timeout=10000)
    operation.wait_for_all()
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    window.close()
    # The window stays and shows the exit backup's progress …
    assert window.isVisible()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    assert dialogs and "gesichert" in dialogs[0].labelText()
    # … then closes by itself once the backup is taken.
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert sorted(i.reason for i in services.backups.list()) == ["ende", "start"]
    controller.shutdown()  # what aboutToQuit runs: no second exit backup
    assert sorted(i.reason for i in services.backups.list()) == ["ende", "start"]
