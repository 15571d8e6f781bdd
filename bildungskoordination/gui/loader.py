"""Two small helpers on top of gui/operation.py: a view's list read on a worker (latest request wins), and
start-up work that waits for the first paint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from bildungskoordination.gui.operation import Operation, Outcome, show_error

T = TypeVar("T")
FIRST_PAINT_FALLBACK_MS = 3000


class Loader(Generic[T]):
    """What a view shows, read on a worker, the latest request winning: a list that takes seconds to read on
    a large district (due follow-ups, erasure proposals, open referrals) no longer freezes the window."""

    def __init__(self, parent: QWidget, title: str) -> None:
        self.parent = parent
        self.title = title
        self._generation = 0
        self._op: Operation[T] | None = None

    @property
    def busy(self) -> bool:
        return self._op is not None and not self._op.finished

    def load(self, fetch: Callable[[], T], show: Callable[[T], None]) -> None:
        self._generation += 1
        generation = self._generation
        if self._op is not None:
            self._op.progress.cancel()  # its result would be dropped anyway

        def done(outcome: Outcome[T]) -> None:
            if generation == self._generation:
                show(outcome.value)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                show_error(self.parent, self.title, exc)

        self._op = Operation(self.parent, lambda _progress: fetch(), title=self.title).success(done) \
            .failure(failed).run()


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self._fire)  # never painted (minimised): later anyway

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.callback is not None:
            QTimer.singleShot(0, self, self._fire)  # after this paint has finished
        return False

    def _fire(self) -> None:
        callback, self.callback = self.callback, None
        if callback is not None:
            parent = self.parent()
            if isinstance(parent, QWidget):
                parent.removeEventFilter(self)
            callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run ``callback`` on the GUI thread once ``widget`` has painted for the first time (start-up work)."""
    _FirstPaint(widget, callback)
