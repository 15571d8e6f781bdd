"""PDF pages as QImages (pdfium renders, Qt paints) – for the preview and for printing, without PIL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

PREVIEW_DPI = 110
PRINT_DPI = 300


def render_pages(pdf: bytes, dpi: int = PREVIEW_DPI) -> list[QImage]:
    """Every page of ``pdf`` as an RGB image at ``dpi``; the images own their pixels (pdfium's are freed)."""
    import pypdfium2  # here, not at start-up: only a letter preview needs it

    document = pypdfium2.PdfDocument(pdf)
    images: list[QImage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            # rev_byteorder: RGB in memory, which QImage.Format_RGB888 reads the same on every platform.
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, may_draw_forms=False)
            try:
                images.append(_to_qimage(bitmap, dpi))
            finally:
                bitmap.close()
                page.close()
    finally:
        document.close()
    return images


def _to_qimage(bitmap: Any, dpi: int) -> QImage:  # a pypdfium2.PdfBitmap
    formats = {3: QImage.Format.Format_RGB888, 4: QImage.Format.Format_RGBX8888}
    if bitmap.n_channels not in formats or not bitmap.rev_byteorder:
        raise ValueError(f"unexpected pdfium bitmap: {bitmap.n_channels} channels, format {bitmap.format}")
    view = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, formats[bitmap.n_channels])
    image = view.copy()  # the view points into pdfium's memory, which close() frees
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def print_pages(printer: QPrinter, images: list[QImage]) -> bool:
    """Paint each page image onto a sheet of ``printer``, at full size from the paper's corner (the PDF already
    has its margins). False when the printer could not be opened."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            size = QSizeF(image.size()).scaled(sheet.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(sheet.topLeft(), size), image)
    finally:
        painter.end()
    return True
