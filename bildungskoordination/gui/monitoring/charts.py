"""Small bar charts painted with QPainter (PySide6-Essentials has no QtCharts).

``BarChart`` shows (label, value) pairs as vertical bars (months) or horizontal bars (categories). Values
are readable without the picture: each bar has a tooltip, the accessible description lists all values, and
``ChartBox`` can swap the chart for a table of the same pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QTableView, QToolTip, QVBoxLayout, QWidget

from bildungskoordination.gui.monitoring.models import PairsModel
from bildungskoordination.gui.table_model import setup_record_table
from bildungskoordination.i18n import _

BAR_COLOR = QColor("#2f6f9f")
MARGIN = 6


class BarChart(QWidget):
    def __init__(self, title: str, *, horizontal: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.pairs: tuple[tuple[str, int], ...] = ()
        self.pending = False
        self._bars: list[tuple[QRect, str, int]] = []  # hit areas for tooltips, filled while painting
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen readers reach it; the description has the values
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 120)

    def set_pending(self) -> None:
        """Counting runs (on a worker): say so rather than "keine Daten"."""
        self.pending = True
        self.pairs = ()
        self.setAccessibleDescription(_("wird berechnet …"))
        self.setToolTip("")
        self.update()

    def set_pairs(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.pending = False
        self.pairs = tuple(pairs)
        text = "; ".join(f"{label}: {value}" for label, value in self.pairs) or _("keine Daten im Zeitraum")
        self.setAccessibleDescription(text)
        self.setToolTip("" if self.pairs else _("keine Daten im Zeitraum"))
        self.update()

    def total(self) -> int:
        return sum(value for _label, value in self.pairs)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 220)

    # --- painting -------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._bars = []
        area = self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        painter.setPen(text_color)
        if not self.pairs or self.total() == 0:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter,
                             _("wird berechnet …") if self.pending else _("keine Daten im Zeitraum"))
            return
        if self.horizontal:
            self._paint_horizontal(painter, area, text_color)
        else:
            self._paint_vertical(painter, area, text_color)
        if self.hasFocus():
            painter.setPen(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))

    def _paint_vertical(self, painter: QPainter, area: QRect, text_color: QColor) -> None:
        metrics = painter.fontMetrics()
        line = metrics.height()
        maximum = max(value for _label, value in self.pairs) or 1
        n = len(self.pairs)
        slot = area.width() / n
        plot_top, plot_bottom = area.top() + line, area.bottom() - line - 2
        for i, (label, value) in enumerate(self.pairs):
            x = area.left() + i * slot
            height = (plot_bottom - plot_top) * value / maximum
            bar = QRectF(x + slot * 0.15, plot_bottom - height, slot * 0.7, height)
            painter.fillRect(bar, BAR_COLOR)
            painter.setPen(text_color)
            slot_rect = QRect(int(x), 0, int(slot), 0)
            value_rect = QRect(slot_rect.left(), int(bar.top()) - line, slot_rect.width(), line)
            painter.drawText(value_rect, Qt.AlignmentFlag.AlignCenter, str(value))
            label_rect = QRect(slot_rect.left(), plot_bottom + 2, slot_rect.width(), line)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(_short_month(label), Qt.TextElideMode.ElideRight, slot_rect.width()))
            self._bars.append((QRect(int(x), area.top(), int(slot), area.height()), label, value))

    def _paint_horizontal(self, painter: QPainter, area: QRect, text_color: QColor) -> None:
        metrics = painter.fontMetrics()
        maximum = max(value for _label, value in self.pairs) or 1
        n = len(self.pairs)
        row = min(area.height() / n, metrics.height() * 1.6)
        label_width = min(max(metrics.horizontalAdvance(label) for label, _v in self.pairs) + 8, area.width() * 0.45)
        value_width = metrics.horizontalAdvance(str(maximum)) + 8
        plot_left = area.left() + label_width
        plot_width = max(area.width() - label_width - value_width, 10)
        small = QFont(painter.font())
        for i, (label, value) in enumerate(self.pairs):
            y = area.top() + i * row
            painter.setPen(text_color)
            painter.setFont(small)
            label_rect = QRect(area.left(), int(y), int(label_width) - 6, int(row))
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_rect.width()))
            width = plot_width * value / maximum
            bar = QRectF(plot_left, y + row * 0.18, width, row * 0.64)
            painter.fillRect(bar, BAR_COLOR)
            value_rect = QRect(int(bar.right()) + 4, int(y), int(value_width), int(row))
            painter.drawText(value_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, str(value))
            self._bars.append((QRect(area.left(), int(y), area.width(), int(row)), label, value))

    def bar_at(self, pos: QPoint) -> tuple[str, int] | None:
        for rect, label, value in self._bars:
            if rect.contains(pos):
                return label, value
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.bar_at(event.pos())
            if hit is not None:
                QToolTip.showText(event.globalPos(), f"{hit[0]}: {hit[1]}", self)
                return True
        return super().event(event)


def _short_month(label: str) -> str:
    """"2026-03" → "03/26" so twelve months fit under their bars; other labels stay."""
    if len(label) == 7 and label[4] == "-" and label[:4].isdigit() and label[5:].isdigit():
        return f"{label[5:]}/{label[2:4]}"
    return label


class ChartBox(QWidget):
    """A titled chart that can show its values as a table instead (``show_table``)."""

    def __init__(self, title: str, *, horizontal: bool, label_header: str, value_header: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel(f"<b>{title}</b>")
        layout.addWidget(self.title)
        self.chart = BarChart(title, horizontal=horizontal)
        self.model = PairsModel(label_header, value_header, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, title, (220,))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chart)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)

    def set_pairs(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.chart.set_pairs(pairs)
        self.model.set_rows(list(pairs))

    def set_pending(self) -> None:
        self.chart.set_pending()
        self.model.set_rows([])

    def show_table(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
