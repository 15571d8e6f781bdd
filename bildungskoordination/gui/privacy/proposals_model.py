"""Löschvorschläge as a table model (sortable through a QSortFilterProxyModel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.privacy.policy import ERASURE_REASONS
from bildungskoordination.privacy.retention import ErasureProposal

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [N_("Aktenzeichen"), N_("Name"), N_("Letzte Aktivität"), N_("Grund / Regel"), N_("Fällig seit")]
SortRole = Qt.ItemDataRole.UserRole + 2
PersonIdRole = Qt.ItemDataRole.UserRole + 1


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def overdue_text(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 0:
        return _("heute")
    return ngettext("seit {n} Tag", "seit {n} Tagen", days).format(n=days)


class ProposalModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ErasureProposal] = []
        self._today = date.today()

    def set_rows(self, rows: list[ErasureProposal], today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today or date.today()
        self.endResetModel()

    def proposal(self, row: int) -> ErasureProposal | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role == PersonIdRole:
            return p.person_id
        if role == SortRole:
            if col == 2:
                return p.last_activity.isoformat()
            if col == 4:
                return p.due.isoformat()
            return self.data(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return p.file_number
            if col == 1:
                return p.name
            if col == 2:
                return _day(p.last_activity)
            if col == 3:
                return _(ERASURE_REASONS.get(p.erasure_reason, p.erasure_reason))
            if col == 4:
                return f"{_day(p.due)} ({overdue_text(p.due, self._today)})"
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return p.reason
        return None
