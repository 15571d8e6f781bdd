"""Run work after the window has painted: what the start defers so that nothing proportional to the
database stands between the user and the first window (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 5000  # after the widget is shown: one that never paints (minimised, covered) still gets the work done


class _AfterFirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], object] | None = callback
        self._armed = False
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 – Qt API
        if self._callback is None:
            return False
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._run)  # once this paint is on the screen
        elif event.type() == QEvent.Type.Show and not self._armed:
            self._armed = True
            QTimer.singleShot(FALLBACK_MS, self, self._run)
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._widget.removeEventFilter(self)
        callback()
        self.deleteLater()


def after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Call ``callback`` once on the GUI thread, right after ``widget`` first painted."""
    _AfterFirstPaint(widget, callback)
