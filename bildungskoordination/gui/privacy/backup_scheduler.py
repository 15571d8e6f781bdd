"""Automatic backups while the app runs: after the first paint, daily (checked every 30 minutes) and at exit.

Every backup runs on a worker (gui/operation.py): a 100 MB database takes seconds to copy and verify, and the
window must not freeze meanwhile. The backup API reads through its own connections, and WAL lets the user keep
saving during the copy. The backup at exit shows its progress in a dialog and the app quits when it is done;
``stop(final=True)`` is the fallback when the app ends without the window being closed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from bildungskoordination.events import Change
from bildungskoordination.gui import operation
from bildungskoordination.gui.operation import Operation, Outcome, Progress, show_error
from bildungskoordination.i18n import _
from bildungskoordination.services import BackupInfo, Services, StoreError

CHECK_INTERVAL_MS = 30 * 60 * 1000


class BackupScheduler(QObject):
    failed = Signal(str)
    taken = Signal(object)  # BackupInfo

    def __init__(self, services: Services, parent: QObject | None = None, *, window: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._window = window
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._lock = threading.Lock()  # one backup at a time (the exit backup waits for a running one)
        self._op: Operation[BackupInfo] | None = None
        self.exit_backup_taken = False

    @property
    def enabled(self) -> bool:
        return self._services.backups is not None and not self._services.store.read_only

    @property
    def busy(self) -> bool:
        return self._op is not None and not self._op.finished

    def start(self) -> None:
        if self.enabled:
            self.take_in_background("start")
            self._timer.start()

    def take_in_background(self, reason: str) -> Operation[BackupInfo] | None:
        if self.busy or not self.enabled:
            return None
        self._op = (Operation(self._window, lambda progress: self._take(reason, progress), title=_("Sicherung"))
                    .success(self._on_taken).failure(self._on_failed).run())
        return self._op

    def take_at_exit(self, parent: QWidget | None, then: Callable[[], None]) -> Operation[BackupInfo]:
        """The exit backup with a visible progress dialog; ``then`` runs when it is done (or failed)."""

        def done(outcome: Outcome[BackupInfo]) -> None:
            self.exit_backup_taken = True
            self._on_taken(outcome)
            then()

        def failed(exc: BaseException) -> None:
            self.exit_backup_taken = True  # asked once; the user was told, quitting must not hang on it
            if isinstance(exc, StoreError):
                QMessageBox.warning(parent, _("Sicherung fehlgeschlagen"),
                                    _("Die Sicherung beim Beenden ist fehlgeschlagen: {error}").format(error=exc))
            else:
                show_error(parent, _("Sicherung"), exc)
            then()

        self._timer.stop()
        op = Operation(parent, lambda progress: self._take("ende", progress), title=_("Sicherung beim Beenden"))
        op.with_progress(_("Die Datenbank wird gesichert und geprüft. Das Programm beendet sich danach …"),
                         cancellable=False, delay_ms=0, modal=True)
        return op.success(done).failure(failed).run()

    def wait(self) -> None:
        operation.wait_for_all()

    def resume(self) -> None:
        if self.enabled:
            self._timer.start()

    def stop(self, *, final: bool = True) -> None:
        self._timer.stop()
        self.wait()
        if final and self.enabled and not self.exit_backup_taken:
            self.take("ende")

    def take(self, reason: str) -> bool:
        """On the calling thread (the fallback at exit); True when the backup was taken."""
        try:
            info = self._take(reason, None)
        except StoreError as exc:
            self.failed.emit(_("Sicherung fehlgeschlagen: {error}").format(error=exc))
            return False
        self._on_taken(Outcome(info))
        return True

    def _take(self, reason: str, progress: Progress | None) -> BackupInfo:
        backups = self._services.backups
        if backups is None:
            raise StoreError(_("Diese Datenbank hat keine Sicherungen."))
        with self._lock:
            if progress is not None:
                progress.update(0)
            if reason == "ende":
                # What closing the database would do on the GUI thread (0.15 s on 50 000): here, on the worker,
                # so the backup holds fresh statistics and the close after it finds nothing left to do.
                try:
                    self._services.store.optimize()
                    self._services.store.checkpoint()
                except Exception:  # noqa: BLE001 – Services.close tries both again; the backup must not fail on it
                    pass
            info = backups.take(reason)
            backups.rotate()
        return info

    def _on_taken(self, outcome: Outcome[BackupInfo]) -> None:
        self._services.bus.publish(Change("backup", "created"))
        self.taken.emit(outcome.value)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, StoreError):
            self.failed.emit(_("Sicherung fehlgeschlagen: {error}").format(error=exc))
        else:
            show_error(self._window, _("Sicherung"), exc)

    def _on_timer_timeout(self) -> None:
        backups = self._services.backups
        if backups is not None and backups.due_daily():
            self.take_in_background("täglich")
