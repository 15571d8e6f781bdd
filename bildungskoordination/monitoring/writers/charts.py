"""Bar charts for the PDF, drawn only from published values: a suppressed row is left out and the caption
says which ones are missing, so a chart can never show (or let one measure) a secret count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from bildungskoordination.i18n import _
from bildungskoordination.monitoring.model import Cell, CountTable
from bildungskoordination.monitoring.writers import texts

MAX_CHARTS = 4
MAX_BARS = 16
BAR_COLOUR = colors.HexColor("#3B6A9E")


@dataclass(frozen=True)
class ChartData:
    title: str
    bars: tuple[tuple[str, int], ...]     # (row label, published count), in table order
    left_out: tuple[str, ...]             # labels of suppressed rows (not drawn)


# The charts a monitoring report usually shows first; other tables follow in report order.
PREFERRED = ("personen_geschlecht", "personen_alter", "beratung_themen", "vermittlungen_kursart_status")


def chart_data(table: CountTable) -> ChartData | None:
    """One bar per non-total row, from the total column (or the first column if there is none).

    None when the table does not make a useful chart (fewer than two published bars, or too many rows).
    """
    rows = [row for row in table.rows if not row.is_total and row.cells]
    if not 2 <= len(rows) <= MAX_BARS:
        return None
    col = -1 if table.total_column or len(table.columns) == 1 else 0
    title = table.title if len(table.columns) <= 1 else f"{table.title} – {table.columns[col]}"
    return _bars(title, [(row.label, row.cells[col]) for row in rows])


def column_chart_data(table: CountTable) -> ChartData | None:
    """One bar per column from the total row (e.g. referrals by status), for tables with a total column."""
    totals = [row for row in table.rows if row.is_total]
    if not (table.total_column and totals and 2 <= len(table.columns) - 1 <= MAX_BARS):
        return None
    pairs = list(zip(table.columns[:-1], totals[-1].cells[:-1], strict=True))
    return _bars(f"{table.title} – {totals[-1].label}", pairs)


def _bars(title: str, pairs: list[tuple[str, Cell]]) -> ChartData | None:
    bars, left_out = [], []
    for label, cell in pairs:
        value = cell.published_value  # None exactly for a suppressed cell
        if value is None:
            left_out.append(label)
        else:
            bars.append((label, value))
    # A chart of zeros (e.g. no referrals yet) says nothing; the table says it better.
    return ChartData(title, tuple(bars), tuple(left_out)) if len(bars) >= 2 and any(v for _, v in bars) else None


def pick_charts(tables: tuple[CountTable, ...]) -> dict[str, list[ChartData]]:
    """Up to MAX_CHARTS charts, preferred tables first, keyed by table id (drawn after that table)."""
    order = sorted(tables, key=lambda t: PREFERRED.index(t.id) if t.id in PREFERRED else len(PREFERRED))
    picked: dict[str, list[ChartData]] = {}
    count = 0
    for table in order:
        for data in (chart_data(table), column_chart_data(table)):
            if data is not None and count < MAX_CHARTS:
                picked.setdefault(table.id, []).append(data)
                count += 1
    return picked


def draw(data: ChartData, width: float, font: str, safe: Callable[[str], str] = str) -> Drawing:
    """A horizontal bar chart with the value at the end of every bar."""
    bar_height = 13
    label_width = min(170.0, max(60.0, 5.0 * max(len(label) for label, _ in data.bars)))
    plot_height = bar_height * len(data.bars)
    height = plot_height + 20
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width + 6, 16
    chart.width, chart.height = width - label_width - 50, plot_height
    # Table order from top to bottom: the category axis draws its first item at the bottom.
    chart.data = [[value for _, value in reversed(data.bars)]]
    chart.categoryAxis.categoryNames = [safe(label) for label, _ in reversed(data.bars)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.visibleTicks = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: texts.thousands(int(v))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    chart.barWidth = 9
    chart.groupSpacing = 4
    chart.barLabelFormat = lambda v: texts.thousands(int(v))
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def caption(data: ChartData) -> str:
    if not data.left_out:
        return _("Alle Werte der Tabelle sind dargestellt.")
    return _("Nicht dargestellt (geheim gehalten, „.“ in der Tabelle): {rows}.").format(rows=", ".join(data.left_out))
