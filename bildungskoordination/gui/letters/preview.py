"""A scrollable column of page images, scaled to the width of the view (fit width), like a PDF viewer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from bildungskoordination.i18n import _

_MARGIN = 12


class PagePreview(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: list[QImage] = []
        self.pages: list[QLabel] = []
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

    def set_pages(self, images: list[QImage]) -> None:
        for label in self.pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        self._images = list(images)
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

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        # Fit width: leave room for the margins and the vertical scroll bar that a long letter needs.
        width = max(100, self.viewport().width() - 2 * _MARGIN - 2)
        for label, image in zip(self.pages, self._images, strict=True):
            pixmap = QPixmap.fromImage(image).scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.width() + 2, pixmap.height() + 2)
