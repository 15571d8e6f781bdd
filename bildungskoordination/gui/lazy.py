"""A place in the window whose widget is built on first use: what the first paint does not show (an area not
yet visited, the person file, the "Passende Kurse" tab) costs nothing at start (issue 13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class LazyWidget(QWidget, Generic[W]):
    """Holds the place (in a layout, a splitter, a stack or a tab) of the widget ``build`` makes; ``widget()``
    builds it the first time it is asked for and shows it in this place at once."""

    def __init__(self, build: Callable[[], W], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], W] | None = build
        self._widget: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> W | None:
        """The widget if it was built, else None (for callers that must not build it)."""
        return self._widget

    def widget(self) -> W:
        if self._widget is None:
            assert self._build is not None
            build, self._build = self._build, None
            self._widget = build()
            self._layout.addWidget(self._widget)
            self._widget.show()  # now, not when the event loop next runs (a layout shows it only then)
        return self._widget
