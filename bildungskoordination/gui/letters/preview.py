"""A scrollable column of page images, scaled to the width of the view (fit width), like a PDF viewer."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPalette, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from bildungskoordination.i18n import _

_MARGIN = 12
SLICE_MS = 15  # plus the page begun last (up to ~40 ms under load): well within the 100 ms a stall may take


class PagePreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: list[QImage] = []
        self.pages: list[QLabel] = []
        self._scaled_width = 0  # the width the pages were last scaled to
        self._todo: list[int] = []  # pages still to scale to that width
        self.setWidgetResizable(True)
        self.setAccessibleName(_("Vorschau des Briefs"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so the keyboard can scroll it
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        inner = QWidget()
        inner.setBackgroundRole(QPalette.ColorRole.Dark)
        inner.setAutoFillBackground(True)
        self._layout = QVBoxLayout(inner)
        self._layout.setContentsMargins(_MARGIN, _MARGIN, _MARGIN, _MARGIN)
        self._layout.setSpacing(_MARGIN)
        self._layout.addStretch(1)
        self.setWidget(inner)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

    def set_pages(self, images: list[QImage]) -> None:
        for label in self.pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._images = list(images)
        self._scaled_width = 0
        self.pages = []
        for number, _image in enumerate(self._images, start=1):
            label = QLabel()
            label.setFrameShape(QFrame.Shape.Box)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            label.setAccessibleName(_("Seite {n} von {count}").format(n=number, count=len(self._images)))
            self._layout.insertWidget(self._layout.count() - 1, label)
            self.pages.append(label)
        self._scale()
        self.verticalScrollBar().setValue(0)

    def image(self, index: int) -> QImage:
        return self._images[index]

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._todo:  # the dialog was closed while pages were still being scaled: go on where it stopped
            self._scale_some(self._scaled_width)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        # Fit width: leave room for the margins and the vertical scroll bar that a long letter needs.
        # The scroll bar is always on (see __init__): scaling cannot change the viewport's width, and the same
        # width is not scaled twice (a 20-letter batch has 75 pages; re-scaling them on every resize event
        # once grew without bound).
        # Never more than twice the rendered size: a window stretched by a long line once asked for 12 695 px
        # wide pages – 75 of them are gigabytes.
        width = max(100, min(self.viewport().width() - 2 * _MARGIN - 2,
                             2 * max((image.width() for image in self._images), default=0)))
        if width == self._scaled_width:
            return
        self._scaled_width = width
        self._todo = list(range(len(self.pages)))
        self._scale_some(width)

    def _scale_some(self, width: int) -> None:
        """Scale pages until a slice of time is used up, then let the event loop run and go on: 75 pages of a
        batch take seconds, which must not freeze the window (the first page shows at once)."""
        if width != self._scaled_width:
            return  # a newer width (or newer pages) took over
        if self.window().isHidden():
            return  # the dialog is closed (or not yet shown): nothing to see, the rest when it shows (showEvent)
        started = time.perf_counter()
        while self._todo and (time.perf_counter() - started) * 1000 < SLICE_MS:
            index = self._todo.pop(0)
            pixmap = QPixmap.fromImage(self._images[index]).scaledToWidth(width,
                                                                          Qt.TransformationMode.SmoothTransformation)
            self.pages[index].setPixmap(pixmap)
            self.pages[index].setFixedSize(pixmap.width() + 2, pixmap.height() + 2)
        if self._todo:
            QTimer.singleShot(0, self, lambda: self._scale_some(width))
