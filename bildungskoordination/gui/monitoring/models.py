"""Table models of the Auswertung: one count table of a report (the export preview), the value pairs behind
a chart, and the export log."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bildungskoordination.gui.table_model import DisplayRole, Index, RecordTableModel
from bildungskoordination.i18n import N_, _
from bildungskoordination.monitoring.model import Cell, CellStatus, CountTable
from bildungskoordination.monitoring.periods import free_range
from bildungskoordination.monitoring.service import ExportLogEntry

AccessibleTextRole = Qt.ItemDataRole.AccessibleTextRole
StatusRole = Qt.ItemDataRole.UserRole + 1  # the CellStatus of a count cell, None for the label column
# Two shades, so the coordinator sees which cells are small themselves and which hide others.
SUPPRESSED_COLORS = {CellStatus.PRIMARY: QColor("#f7b26b"), CellStatus.SECONDARY: QColor("#fde7c6")}
SUPPRESSED_TEXTS = {
    CellStatus.PRIMARY: N_("geheim gehalten: kleiner Wert (1 bis {k_minus_1})"),
    CellStatus.SECONDARY: N_("geheim gehalten: verhindert Rückrechnung eines kleinen Werts"),
}
FORMAT_NAMES = {"xlsx": "Excel (XLSX)", "csv": "CSV", "pdf": "PDF"}


class CountTableModel(QAbstractTableModel):
    """Exactly what a writer publishes: "." for suppressed cells (coloured, with the reason as tooltip)."""

    def __init__(self, table: CountTable, k: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        self.k = k

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.table.columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == DisplayRole:
            return self.table.row_title if section == 0 else self.table.columns[section - 1]
        if role == Qt.ItemDataRole.FontRole and self._is_total_column(section):
            return _bold()
        return None

    def cell(self, row: int, column: int) -> Cell | None:
        if not 0 <= row < len(self.table.rows) or not 1 <= column <= len(self.table.columns):
            return None
        cells = self.table.rows[row].cells
        return cells[column - 1] if column - 1 < len(cells) else None

    def data(self, index: Index, role: int = DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table.rows):
            return None
        row = self.table.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.FontRole:
            return _bold() if row.is_total or self._is_total_column(column) else None
        if column == 0:
            return row.label if role in (DisplayRole, AccessibleTextRole) else None
        cell = self.cell(index.row(), column)
        if cell is None:
            return None
        if role == DisplayRole:
            return cell.published
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == StatusRole:
            return cell.status
        if not cell.suppressed:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(SUPPRESSED_COLORS[cell.status])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#000000"))  # readable on the light background in a dark theme too
        if role in (Qt.ItemDataRole.ToolTipRole, AccessibleTextRole):
            return _(SUPPRESSED_TEXTS[cell.status]).format(k_minus_1=self.k - 1)
        return None

    def _is_total_column(self, column: int) -> bool:
        return self.table.total_column and column >= 1 and column == len(self.table.columns)

    def suppressed_count(self) -> int:
        return sum(1 for row in self.table.rows for cell in row.cells if cell.suppressed)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class PairsModel(RecordTableModel[tuple[str, int]]):
    """The values behind a chart, as a table (for screen readers and for copying)."""

    def __init__(self, label_header: str, value_header: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = [label_header, value_header]

    def cell(self, record: tuple[str, int], column: int) -> Any:
        return record[column]

    def extra(self, record: tuple[str, int], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ExportLogModel(RecordTableModel[ExportLogEntry]):
    """Exportprotokoll: what left the device when (no content – the counts are not kept)."""

    columns = [N_("Zeitpunkt"), N_("Zeitraum"), N_("Tabellen"), N_("k"), N_("Format")]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.titles: dict[str, str] = {}  # table id → German title, from available_tables()

    def cell(self, entry: ExportLogEntry, column: int) -> Any:
        if column == 0:
            return entry.created_at.strftime("%d.%m.%Y %H:%M")
        if column == 1:
            return period_label(entry)
        if column == 2:
            if self.titles and set(entry.tables) >= set(self.titles):
                return _("alle {n} Tabellen").format(n=len(entry.tables))
            return ", ".join(self.titles.get(t, t) for t in entry.tables)
        if column == 3:
            return str(entry.k)
        return FORMAT_NAMES.get(entry.file_format, entry.file_format)

    def extra(self, entry: ExportLogEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return "\n".join(self.titles.get(t, t) for t in entry.tables)
        return None


def period_label(entry: ExportLogEntry) -> str:
    try:
        return free_range(entry.period_start, entry.period_end).label
    except ValueError:
        return f"{entry.period_start:%d.%m.%Y} – {entry.period_end:%d.%m.%Y}"
