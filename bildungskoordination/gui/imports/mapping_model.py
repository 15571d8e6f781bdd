"""The mapping step: one row per column of the user's file, what it holds (a few sample values) and the
field it goes into – a known column, "nicht übernehmen", or (until the user chooses) nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from bildungskoordination.domain.column_mapping import ListColumns
from bildungskoordination.domain.tabular import SKIP
from bildungskoordination.gui.table_model import Index
from bildungskoordination.i18n import N_, _

Role = Qt.ItemDataRole
UNASSIGNED = ""  # the user has not chosen yet
TARGET_COLUMN = 2
_SAMPLE_CHARS = 60
_OPEN_COLOUR = QColor("#fff3cd")  # a column that still needs a choice


@dataclass
class SourceColumn:
    header: str
    samples: list[str]
    target: str  # UNASSIGNED, SKIP or a canonical column
    suggested: bool  # the target came from the header's spelling or a remembered mapping


class ColumnMappingModel(QAbstractTableModel):
    headers = (N_("Spalte der Datei"), N_("Beispielwerte"), N_("Übernehmen als"))

    def __init__(self, columns: ListColumns, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._rows: list[SourceColumn] = []

    def set_source(self, header: Sequence[str], samples: Sequence[Sequence[str]],
                   chosen: dict[str, str]) -> None:
        """``chosen``: remembered targets, which win over the suggestion from the header's spelling."""
        suggested = self.columns.suggest(header)
        rows = []
        for i, text in enumerate(header):
            if not text:
                continue
            values = [s[i] for s in samples if i < len(s) and s[i]]
            target = chosen.get(text) or suggested.get(text) or UNASSIGNED
            rows.append(SourceColumn(text, values, target, target != UNASSIGNED))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    # --- what the dialog asks ----------------------------------------------------------------
    def choices(self) -> list[tuple[str, str]]:
        """(target, label) in the order the combo box shows them."""
        return ([(UNASSIGNED, _("– bitte wählen –")), (SKIP, _("nicht übernehmen"))]
                + [(c.column, c.label()) for c in self.columns.columns])

    def label(self, target: str) -> str:
        return dict(self.choices()).get(target, target)

    def mapping(self) -> dict[str, str]:
        """Every assigned column: source header → target (SKIP included)."""
        return {r.header: r.target for r in self._rows if r.target != UNASSIGNED}

    def unassigned(self) -> list[str]:
        return [r.header for r in self._rows if r.target == UNASSIGNED]

    def conflicts(self) -> list[str]:
        """Fields that several columns are assigned to although the field takes only one."""
        counts: dict[str, int] = {}
        for r in self._rows:
            counts[r.target] = counts.get(r.target, 0) + 1
        return [c.column for c in self.columns.columns if counts.get(c.column, 0) > 1 and not c.join]

    def skipped(self) -> list[str]:
        return [r.header for r in self._rows if r.target == SKIP]

    def set_target(self, row: int, target: str) -> bool:
        return self.setData(self.index(row, TARGET_COLUMN), target, Role.EditRole)

    def skip_unassigned(self) -> None:
        for row, r in enumerate(self._rows):
            if r.target == UNASSIGNED:
                self.set_target(row, SKIP)

    def row_of(self, header: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.header == header), -1)

    # --- QAbstractTableModel -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Role.DisplayRole and 0 <= section < len(self.headers):
            return _(self.headers[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == TARGET_COLUMN else flags

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        column = index.column()
        if role == Role.DisplayRole:
            if column == 0:
                return r.header
            if column == 1:
                text = " · ".join(r.samples)
                return text if len(text) <= _SAMPLE_CHARS else text[:_SAMPLE_CHARS - 1] + "…"
            return self.label(r.target)
        if role == Role.EditRole and column == TARGET_COLUMN:
            return r.target
        if role == Role.ToolTipRole and column == 1:
            return "\n".join(r.samples) or None
        if role == Role.BackgroundRole and (r.target == UNASSIGNED or r.target in self.conflicts()):
            return QBrush(_OPEN_COLOUR)
        return None

    def setData(self, index: Index, value: Any, role: int = Role.EditRole) -> bool:
        if (role != Role.EditRole or not index.isValid() or index.column() != TARGET_COLUMN
                or not 0 <= index.row() < len(self._rows) or value not in dict(self.choices())):
            return False
        r = self._rows[index.row()]
        if r.target != value:
            r.target, r.suggested = str(value), False
            # Every row: a choice here can start or end a conflict with another row.
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, TARGET_COLUMN))
        return True
