"""Long work off the GUI thread, the way Anki's ``CollectionOp``/``QueryOp`` do it: one helper for every call site.

    Operation(self, lambda progress: services.backups.take("manuell"), title=_("Sicherung")) \\
        .success(self._on_backup_taken).with_progress(_("Sicherung wird angelegt …")).run()

The work runs on a worker thread with its own units of work (the store hands every thread its own connection;
WAL lets the GUI keep reading meanwhile). What the work changed reaches the views through the event bus as
always; the success callback gets an ``Outcome``: the value and the typed changes published during the work.
Errors have one place: a failure callback if the call site has a specific message, otherwise an expected
error (``EXPECTED``: the service's German message) in a warning and anything else in the global error hook
(German message, local report) – never swallowed. A progress dialog (not modal) appears only when the work
takes longer than ``PROGRESS_DELAY_MS``; its "Abbrechen" sets a flag that the work checks (``progress.check()``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import isValid

from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.services import StoreError

T = TypeVar("T")
PROGRESS_DELAY_MS = 1000
# Work that opening a dialog starts waits this long (``run_soon``): the dialog and the view behind it paint first.
PAINT_FIRST_MS = 60
# Errors whose text is written for the user (German, specific): shown as they are, not as a crash.
EXPECTED: tuple[type[BaseException], ...] = (StoreError, ValueError, OSError)


class OperationCancelled(Exception):
    """Raised by ``Progress.check()`` in the worker once the user pressed "Abbrechen"."""


class Progress:
    """Handed to the work: report how far it got, and ask whether the user cancelled (thread-safe)."""

    def __init__(self, report: Callable[[int, int, str], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._report = report

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise OperationCancelled()

    def update(self, done: int, total: int = 0, text: str = "") -> None:
        """``total`` 0 = unknown (a busy bar); also a point where a cancel takes effect."""
        if self._report is not None:
            self._report(done, total, text)
        self.check()


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changes: tuple[Change, ...] = ()

    def touched(self, entity: str) -> bool:
        return any(c.entity == entity for c in self.changes)


class _Bridge(QObject):
    """Lives on the GUI thread; the worker's signals arrive here queued."""

    done = Signal(object, object)  # value, changes
    failed = Signal(object)  # exception
    progressed = Signal(int, int, str)


class _Runner(QRunnable):
    def __init__(self, op: Operation[Any]) -> None:
        super().__init__()
        self.op = op

    def run(self) -> None:
        op, changes = self.op, []
        me = threading.get_ident()

        def note(change: Change) -> None:
            if threading.get_ident() == me:
                changes.append(change)

        if op.bus is not None:
            op.bus.subscribe(note)
        try:
            value = op.work(op.progress)
        except BaseException as exc:  # noqa: BLE001 – handed to the GUI thread, never lost
            op.bridge.failed.emit(exc)
        else:
            if op.progress.cancelled:  # finished anyway, but the user no longer wants the result
                op.bridge.failed.emit(OperationCancelled())
            else:
                op.bridge.done.emit(value, tuple(changes))
        finally:
            if op.bus is not None:
                op.bus.unsubscribe(note)


def _pool() -> QThreadPool:
    """Two long-lived workers of our own (not the global pool): few threads ever hold a connection."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(2)
        _POOL.setExpiryTimeout(-1)
    return _POOL


_POOL: QThreadPool | None = None
_DEFAULT_BUS: ChangeBus | None = None  # the open database's bus (gui/bus.py sets it): what an operation changed


def set_default_bus(bus: ChangeBus | None) -> None:
    global _DEFAULT_BUS
    _DEFAULT_BUS = bus
_RUNNING: set[Operation[Any]] = set()  # keeps each operation (and its bridge) alive until it reported back


def wait_for_all(msecs: int = -1) -> bool:
    """Block until every running operation finished (tests, shutdown). Their callbacks follow via the loop."""
    return _pool().waitForDone(msecs)


def running() -> int:
    return len(_RUNNING)


class Operation(Generic[T]):
    def __init__(self, parent: QWidget | None, work: Callable[[Progress], T], *, title: str = "",
                 bus: ChangeBus | None = None) -> None:
        self.parent = parent
        self.work = work
        self.title = title or _("Vorgang")
        self.bus = bus if bus is not None else _DEFAULT_BUS
        self.bridge = _Bridge()
        self.progress = Progress(self.bridge.progressed.emit)
        self._on_success: Callable[[Outcome[T]], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancelled: Callable[[], None] | None = None
        self._label: str | None = None
        self._cancellable = True
        self._delay_ms = PROGRESS_DELAY_MS
        self._modal = False
        self.dialog: QProgressDialog | None = None
        self.finished = False

    # --- configuration (chainable) ------------------------------------------------------------------
    def success(self, callback: Callable[[Outcome[T]], None]) -> Operation[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Operation[T]:
        """Only for a call site with a more specific message; the default shows every error."""
        self._on_failure = callback
        return self

    def on_cancel(self, callback: Callable[[], None]) -> Operation[T]:
        self._on_cancelled = callback
        return self

    def with_progress(self, label: str, *, cancellable: bool = True, delay_ms: int = PROGRESS_DELAY_MS,
                      modal: bool = False) -> Operation[T]:
        """``modal`` only where nothing may change meanwhile (the backup at exit)."""
        self._label, self._cancellable, self._delay_ms, self._modal = label, cancellable, delay_ms, modal
        return self

    # --- running ----------------------------------------------------------------------------------
    def run(self) -> Operation[T]:
        _RUNNING.add(self)
        self.bridge.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self.bridge.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.bridge.progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)
        if self._label is not None:
            if self._delay_ms <= 0:
                self._show_dialog()
            else:
                QTimer.singleShot(self._delay_ms, self.bridge, self._show_dialog)
        _pool().start(_Runner(self))
        return self

    def run_soon(self, owner: QObject, delay_ms: int = PAINT_FIRST_MS) -> Operation[T]:
        """``run`` in ``delay_ms`` – for work started as a dialog opens. Every cell a view paints needs the GIL;
        while Python work runs on a worker, each hand-over waits for it (and on a busy machine for the
        scheduler): a new dialog and the selection behind it once took a quarter of a second to paint. Counted
        as running from now on; dropped when cancelled meanwhile or when ``owner`` is gone."""
        _RUNNING.add(self)

        def start() -> None:
            if self.progress.cancelled or not isValid(owner):
                self._finish()
            else:
                self.run()

        QTimer.singleShot(delay_ms, self.bridge, start)
        return self

    def cancel(self) -> None:
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText(_("Wird abgebrochen …"))
            self.dialog.setCancelButton(None)  # type: ignore[arg-type]

    def _show_dialog(self) -> None:
        if self.finished or self.dialog is not None or self._parent_gone():
            return
        dialog = QProgressDialog(self._label or "", _("Abbrechen") if self._cancellable else "", 0, 0, self.parent)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal if self._modal
                                  else Qt.WindowModality.NonModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)  # type: ignore[arg-type]
        dialog.canceled.disconnect()  # a cancel only asks the work to stop; the dialog closes when it did
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        dialog.show()

    def _on_progressed(self, done: int, total: int, text: str) -> None:
        if self.dialog is None or self.progress.cancelled or not isValid(self.dialog):
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if text:
            self.dialog.setLabelText(text)

    def _finish(self) -> None:
        self.finished = True
        _RUNNING.discard(self)
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = None

    def _parent_gone(self) -> bool:
        """The widget that asked was closed and deleted meanwhile: its callbacks would reach a dead object."""
        return self.parent is not None and not isValid(self.parent)

    def _on_done(self, value: T, changes: tuple[Change, ...]) -> None:
        self._finish()
        if self._on_success is not None and not self._parent_gone():
            self._on_success(Outcome(value, changes))

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, OperationCancelled):
            if self._on_cancelled is not None and not self._parent_gone():
                self._on_cancelled()
            return
        if self._parent_gone():
            self.parent = None  # nobody to tell but the user: the default message, without a parent
        elif self._on_failure is not None:
            self._on_failure(exc)
            return
        show_error(self.parent, self.title, exc)


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """The one place for an operation's error: the user's message, or the global error hook for a crash."""
    if isinstance(exc, EXPECTED):
        QMessageBox.warning(parent, title, _("{title} nicht möglich:\n{error}").format(title=title, error=exc))
        return
    sys.excepthook(type(exc), exc, exc.__traceback__)
