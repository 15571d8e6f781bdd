"""Wiedervorlagen: open follow-ups, today's first, then overdue (oldest first), then upcoming."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.people.records import FollowUpRow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [N_("Fällig"), N_("Wann"), N_("Person"), N_("Aktenzeichen"), N_("Themen"), N_("Nächster Schritt"),
           N_("Kontakt vom")]
SortRole = Qt.ItemDataRole.UserRole + 2
ContactIdRole = Qt.ItemDataRole.UserRole + 1
PersonIdRole = Qt.ItemDataRole.UserRole + 3


def urgency(due: date, today: date) -> int:
    """0 today, 1 overdue, 2 upcoming – the order of the list."""
    if due == today:
        return 0
    return 1 if due < today else 2


def when_text(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return _("heute")
    if days < 0:
        return ngettext("seit {n} Tag überfällig", "seit {n} Tagen überfällig", -days).format(n=-days)
    return ngettext("in {n} Tag", "in {n} Tagen", days).format(n=days)


class FollowUpModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FollowUpRow] = []
        self._today = date.today()

    def set_rows(self, rows: list[FollowUpRow], today: date | None = None) -> None:
        self.beginResetModel()
        self._today = today or date.today()
        self._rows = sorted(rows, key=lambda r: (urgency(r.followup_date, self._today), r.followup_date))
        self.endResetModel()

    def follow_up(self, row: int) -> FollowUpRow | None:
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
        r = self._rows[index.row()]
        col = index.column()
        if role == ContactIdRole:
            return r.contact_id
        if role == PersonIdRole:
            return r.person_id
        if role == SortRole:
            if col in (0, 1):
                return f"{urgency(r.followup_date, self._today)}{r.followup_date.isoformat()}"
            if col == 6:
                return r.contact_date.isoformat()
            return self.data(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                r.followup_date.strftime("%d.%m.%Y"),
                when_text(r.followup_date, self._today),
                r.person_name,
                r.file_number,
                ", ".join(vocabulary("topics").label(t) for t in r.topics),
                r.next_step,
                r.contact_date.strftime("%d.%m.%Y"),
            ][col]
        if role == Qt.ItemDataRole.ForegroundRole and col in (0, 1) and r.followup_date < self._today:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.FontRole and r.followup_date == self._today:
            font = QFont()
            font.setBold(True)
            return font
        return None
