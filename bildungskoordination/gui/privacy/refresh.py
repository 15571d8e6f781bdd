"""Views that refresh from the app-wide change signal – but only while someone looks at them.

Reading the erasure proposals walks every person (about 0.4 s for 50 000), so a hidden view only notes that
it is out of date and reloads when it is shown again.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext


class RefreshingView(QWidget):
    """Subclasses implement ``reload`` and may narrow ``concerns`` (which changes matter to them)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._stale = True
        ctx.signal.changed.connect(self._on_signal_changed)

    def reload(self) -> None:
        raise NotImplementedError

    def concerns(self, change: Change) -> bool:
        return True

    def refresh(self) -> None:
        """Reload now if shown, else at the next showing."""
        if self.isVisible():
            self._stale = False
            self.reload()
        else:
            self._stale = True

    def _on_signal_changed(self, change: Change) -> None:
        if self.concerns(change):
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()
