"""The running application: one database, one main window, automatic backups (the one at exit visible, then
quit); restoring a backup closes the database and the window and opens both again."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from bildungskoordination import APP_NAME
from bildungskoordination.gui import operation
from bildungskoordination.gui.bus import ChangeSignal
from bildungskoordination.gui.change_poller import ChangePoller
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.first_paint import after_first_paint
from bildungskoordination.gui.opening import Cancelled, open_user_database, recover
from bildungskoordination.gui.privacy.backup_scheduler import BackupScheduler
from bildungskoordination.i18n import _
from bildungskoordination.services import BackupInfo, BackupPassphraseRequired, DatabaseDamaged, Services, StoreError

SWITCH_INTERVAL_S = 0.0005


class AppController(QObject):
    # Damage found after the start (background quick_check, a backup), from any thread; handled on the GUI thread.
    damage_found = Signal(object)

    def __init__(self, services: Services, *, demo: bool = False, backups: bool = True) -> None:
        super().__init__()
        # The GUI thread calls into Python for every event (filters, models' data()); while a worker renders
        # letters or counts in Python, each of those waits up to the GIL's switch interval (5 ms by default),
        # which added up to stalls of a second and more (benchmarks/bench_responsiveness.py). 0.5 ms keeps
        # the window responsive; the workers lose a few per cent.
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self.services = services
        self.demo = demo
        self.backups = backups  # False only for --smoke-test: its process ends at the first paint
        self.window = None
        self.scheduler: BackupScheduler | None = None
        self.damage_found.connect(self._on_damage_found)
        self._exiting = False
        self.poller: ChangePoller | None = None

    def show(self) -> None:
        from bildungskoordination.gui.main_window import MainWindow

        ctx = AppContext(services=self.services, signal=ChangeSignal(self.services.bus), demo=self.demo)
        ctx.requests.restore_backup.connect(self._on_requests_restore_backup)
        if self.services.role == "monitoring":  # a team database's monitoring role: only the Auswertung
            from bildungskoordination.gui.monitoring.window import MonitoringWindow

            self.window = MonitoringWindow(ctx)
            self.window.show()
            QApplication.instance().aboutToQuit.connect(self.shutdown)
            return
        self.window = MainWindow(ctx)
        self.window.close_guard = self._close_guard
        self.window.show()
        self.services.damage.subscribe(self.damage_found.emit)
        # The whole-file check the start skipped (store/integrity.py): on a thread, once the window has painted.
        after_first_paint(self.window.persons.table.viewport(), self.services.check_in_background)
        if self.services.shared and self.services.role != "monitoring":  # others' changes refresh the views
            try:
                self.poller = ChangePoller(self.services, self)
                self.poller.failed.connect(self.window.statusBar().showMessage)
                self.poller.start()
            except Exception:  # noqa: BLE001 – without the feed the views refresh on own changes only
                self.poller = None
        if not self.demo and self.backups:
            self.scheduler = BackupScheduler(self.services, self, window=self.window)
            self.scheduler.failed.connect(self.window.statusBar().showMessage)
            # Nothing proportional to the database before the first paint: the start backup waits for it.
            after_first_paint(self.window.persons.table.viewport(), self.scheduler.start)
        app = QApplication.instance()
        app.aboutToQuit.connect(self.shutdown)

    def _close_guard(self) -> bool:
        """The window may close once the exit backup is taken; until then it shows the backup's progress."""
        scheduler = self.scheduler
        if scheduler is None or not scheduler.enabled or scheduler.exit_backup_taken:
            return True
        if not self._exiting:
            self._exiting = True
            window = self.window
            scheduler.take_at_exit(window, then=lambda: window.close() if window is not None else None)
        return False

    def _stop_poller(self) -> None:
        if self.poller is not None:
            self.poller.stop()
            self.poller = None

    def shutdown(self) -> None:
        self._stop_poller()
        if self.scheduler is not None:
            self.scheduler.stop(final=True)
            self.scheduler = None
        operation.wait_for_all()  # no worker may still be inside a unit of work when the database closes
        self.services.close()

    def _on_damage_found(self, problem: DatabaseDamaged) -> None:
        """Close the damaged database (its WAL stays, nothing is written into it) and offer the recovery
        dialog of the start: restore a backup or continue read-only."""
        if self.window is None or problem is not self.services.damage.found:
            return  # a report of a database already closed
        path = Path(self.services.store.path or "")
        old_window = self.window
        if self.scheduler is not None:
            self.scheduler.stop(final=False)
            self.scheduler = None
        self.services.close()
        old_window.persons.person_file._set_dirty(False)
        old_window.close()
        old_window.deleteLater()
        self.window = None
        try:
            self.services = recover(path, problem)
        except Cancelled:
            QApplication.instance().quit()
            return
        QApplication.instance().aboutToQuit.disconnect(self.shutdown)
        self.show()

    def _on_requests_restore_backup(self, info: BackupInfo) -> None:
        backups = self.services.backups
        if backups is None or self.window is None:
            return
        passphrase = None
        try:
            backups.key_for(info)
        except BackupPassphraseRequired:
            from PySide6.QtWidgets import QInputDialog, QLineEdit

            passphrase, ok = QInputDialog.getText(self.window, _("Passphrase der Sicherung"),
                                                  _("Passphrase, die zur Zeit der Sicherung galt:"),
                                                  QLineEdit.EchoMode.Password)
            if not ok:
                return
        except StoreError as exc:
            QMessageBox.warning(self.window, _("Nicht zurückgespielt"), str(exc))
            return
        path = Path(self.services.store.path or "")
        old_window = self.window
        self._stop_poller()
        if self.scheduler is not None:
            self.scheduler.stop(final=False)
        closed = []

        def close_live() -> None:
            self.services.close()
            closed.append(True)

        try:
            backups.restore(info, close_live=close_live, passphrase=passphrase)
        except StoreError as exc:
            QMessageBox.warning(old_window, _("Nicht zurückgespielt"), str(exc))
            if closed:  # the database is unchanged but closed: open it again
                self._reopen(path, old_window, restored=False)
            elif self.scheduler is not None:
                self.scheduler.resume()
            return
        self._reopen(path, old_window, restored=True)

    def _reopen(self, path: Path, old_window, *, restored: bool) -> None:  # type: ignore[no-untyped-def]
        old_window.persons.person_file._set_dirty(False)
        old_window.close_guard = None  # no exit backup: the database is being replaced, not left
        old_window.close()
        old_window.deleteLater()
        try:
            self.services = open_user_database(path)
        except Cancelled:
            QApplication.instance().quit()
            return
        QApplication.instance().aboutToQuit.disconnect(self.shutdown)
        self.show()
        if restored:
            QMessageBox.information(self.window, APP_NAME, _("Die Sicherung wurde zurückgespielt."))
