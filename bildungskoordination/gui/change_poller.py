"""Views refresh when other users change data (issue 15), without blocking the window.

Every few seconds a timer hands one poll of the change feed (store/change_feed.py) to a worker thread; what
other users committed comes back through a queued signal and is published on the app's ChangeBus as the
same typed ``Change`` events the services publish, so every view refreshes as after an own change. A poll
still running skips the next tick; a failed poll (server briefly away) is tried again at the next tick.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from bildungskoordination.events import Change
from bildungskoordination.i18n import _
from bildungskoordination.services import Services

POLL_SECONDS = 3.0


def coalesce(changes: list[Change]) -> list[Change]:
    """One change per entity and kind, with all their ids, in the order they first came."""
    merged: dict[tuple[str, str], tuple[dict[int, None], dict[int, None]]] = {}
    for c in changes:
        ids, pids = merged.setdefault((c.entity, c.kind), ({}, {}))
        ids.update(dict.fromkeys(c.ids))
        pids.update(dict.fromkeys(c.person_ids))
    return [Change(entity, kind, tuple(ids), tuple(pids)) for (entity, kind), (ids, pids) in merged.items()]


class ChangePoller(QObject):
    arrived = Signal(object)  # list[Change], emitted from the worker thread, delivered in the GUI thread
    failed = Signal(str)  # the feed could not be read (server away): said once, in the status bar

    def __init__(self, services: Services, parent: QObject | None = None, *, seconds: float = POLL_SECONDS) -> None:
        super().__init__(parent)
        self._services = services
        self._feed = services.change_feed()
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(max_workers=1,
                                                                       thread_name_prefix="change-feed")
        self._running: Future[None] | None = None
        self._failing = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(self.poll)
        self.arrived.connect(self._on_arrived)

    def start(self) -> None:
        self.timer.start()

    def poll(self) -> None:
        """Start one poll in the worker thread, unless one is still running."""
        if self._executor is None or (self._running is not None and not self._running.done()):
            return
        self._running = self._executor.submit(self._poll)

    def _poll(self) -> None:  # worker thread
        try:
            changes = self._feed.poll()
        except Exception as exc:  # noqa: BLE001 – the server may be away for a moment; the next tick tries again
            if not self._failing:
                self._failing = True
                self.failed.emit(_("Änderungen anderer können gerade nicht gelesen werden ({error}); neuer Versuch "
                                   "in wenigen Sekunden.").format(error=str(exc).splitlines()[0] if str(exc) else
                                                                   type(exc).__name__))
            return
        self._failing = False
        if changes:
            self.arrived.emit(coalesce(changes))

    def _on_arrived(self, changes: list[Change]) -> None:
        for change in changes:
            self._services.bus.publish(change)

    def stop(self) -> None:
        self.timer.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
