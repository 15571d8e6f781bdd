"""What every read-only table of records shares: rows, translated headers, counts. Subclasses say how a
record shows in a cell (``cell``) and may answer further roles (``extra``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from bildungskoordination.i18n import _

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
DisplayRole = Qt.ItemDataRole.DisplayRole


class RecordTableModel(QAbstractTableModel, Generic[T]):
    columns: Sequence[str] = ()  # N_()-marked headers

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DisplayRole and 0 <= section < len(self.columns):
            return _(self.columns[section])
        return None

    def data(self, index: Index, role: int = DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == DisplayRole:
            return self.cell(record, index.column())
        value = self.extra(record, index.column(), role)
        if value is None and role == Qt.ItemDataRole.ToolTipRole:
            # The whole text of a cell its column may shorten with "…".
            text = self.cell(record, index.column())
            return text if isinstance(text, str) and len(text) > 10 else None
        return value

    def cell(self, record: T, column: int) -> Any:
        raise NotImplementedError

    def extra(self, record: T, column: int, role: int) -> Any:
        return None


def setup_record_table(view: QTableView, accessible_name: str, widths: Sequence[int] = ()) -> None:
    """The look and behaviour all record lists share: whole rows, one at a time, compact, no row numbers."""
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    # "Fit to contents" measures the first 100 rows, not up to 1 000 (a list of thousands froze for 0.2 s).
    header.setResizeContentsPrecision(100)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    view.setAccessibleName(accessible_name)


def fit_columns(view: QTableView, stretch: Sequence[int]) -> None:
    """Columns that fit the view's width without a horizontal scroll bar: the ``stretch`` columns share what
    the others (at their set widths, still resizable) leave; text that does not fit ends in "…"."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(36)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long header ("Place of residence") too
