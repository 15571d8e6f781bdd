"""Contact history of one person as a table model (newest first, sortable through a proxy)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import N_, _
from bildungskoordination.people.records import ContactRow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [N_("Datum"), N_("Weg"), N_("Themen"), N_("Ergebnis"), N_("Nächster Schritt"), N_("Wiedervorlage")]
SortRole = Qt.ItemDataRole.UserRole + 2
ContactIdRole = Qt.ItemDataRole.UserRole + 1


class ContactHistoryModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ContactRow] = []

    def set_rows(self, rows: list[ContactRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def contact(self, row: int) -> ContactRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        d = row.data
        col = index.column()
        if role == ContactIdRole:
            return row.id
        if role == SortRole:
            if col == 0:
                return d.contact_date.isoformat()
            if col == 5:
                return d.followup_date.isoformat() if d.followup_date else ""
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return d.contact_date.strftime("%d.%m.%Y")
            if col == 1:
                return vocabulary("channels").label(d.channel)
            if col == 2:
                return ", ".join(vocabulary("topics").label(t) for t in d.topics)
            if col == 3:
                return vocabulary("outcomes").label(d.outcome)
            if col == 4:
                return d.next_step
            if col == 5:
                if not d.followup_date:
                    return ""
                return d.followup_date.strftime("%d.%m.%Y") + (" ✓" if d.followup_done else "")
        if role == Qt.ItemDataRole.ToolTipRole and d.note:
            return d.note
        return None
