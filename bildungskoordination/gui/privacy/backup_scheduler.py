"""Automatic backups while the app runs: at start, at exit and daily (checked every 30 minutes).

The start and daily backups run on a worker thread (a 100 MB database takes over a second to copy and
verify; the window must not freeze meanwhile). The backup API reads through its own connections, and WAL
lets the user keep saving during the copy. The backup at exit runs to completion before the app quits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from bildungskoordination.events import Change
from bildungskoordination.i18n import _
from bildungskoordination.services import Services, StoreError

CHECK_INTERVAL_MS = 30 * 60 * 1000


class BackupScheduler(QObject):
    failed = Signal(str)
    taken = Signal(object)  # BackupInfo

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._running = False

    @property
    def enabled(self) -> bool:
        return self._services.backups is not None and not self._services.store.read_only

    def start(self) -> None:
        if self.enabled:
            self.take_in_background("start")
            self._timer.start()

    def take_in_background(self, reason: str) -> None:
        if self._running:
            return
        self._running = True
        QThreadPool.globalInstance().start(lambda: self._work(reason))

    def wait(self) -> None:
        QThreadPool.globalInstance().waitForDone()

    def _work(self, reason: str) -> None:
        try:
            self.take(reason)
        finally:
            self._running = False

    def resume(self) -> None:
        if self.enabled:
            self._timer.start()

    def stop(self, *, final: bool = True) -> None:
        self._timer.stop()
        self.wait()
        if final and self.enabled:
            self.take("ende")

    def take(self, reason: str) -> bool:
        backups = self._services.backups
        if backups is None:
            return False
        try:
            info = backups.take(reason)
            backups.rotate()
        except StoreError as exc:
            self.failed.emit(_("Sicherung fehlgeschlagen: {error}").format(error=exc))
            return False
        self._services.bus.publish(Change("backup", "created"))
        self.taken.emit(info)
        return True

    def _on_timer_timeout(self) -> None:
        backups = self._services.backups
        if backups is not None and backups.due_daily():
            self.take_in_background("täglich")
