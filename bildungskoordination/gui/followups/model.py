"""Wiedervorlagen: open follow-ups, today's first, then overdue (oldest first), then upcoming."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.people.records import FollowUpRow

COLUMNS = [N_("Fällig"), N_("Wann"), N_("Person"), N_("Aktenzeichen"), N_("Themen"), N_("Nächster Schritt"),
           N_("Kontakt vom"), N_("Zuständig")]
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


class FollowUpModel(RecordTableModel[FollowUpRow]):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = date.today()

    def set_rows(self, rows: list[FollowUpRow], today: date | None = None) -> None:  # type: ignore[override]
        self._today = today or date.today()
        super().set_rows(sorted(rows, key=lambda r: (urgency(r.followup_date, self._today), r.followup_date)))

    def follow_up(self, row: int) -> FollowUpRow | None:
        return self.record(row)

    def cell(self, r: FollowUpRow, column: int) -> Any:
        return [
            r.followup_date.strftime("%d.%m.%Y"),
            when_text(r.followup_date, self._today),
            r.person_name,
            r.file_number,
            ", ".join(vocabulary("topics").label(t) for t in r.topics),
            r.next_step,
            r.contact_date.strftime("%d.%m.%Y"),
            r.owner,
        ][column]

    def extra(self, r: FollowUpRow, column: int, role: int) -> Any:
        if role == ContactIdRole:
            return r.contact_id
        if role == PersonIdRole:
            return r.person_id
        if role == SortRole:
            if column in (0, 1):
                return f"{urgency(r.followup_date, self._today)}{r.followup_date.isoformat()}"
            if column == 6:
                return r.contact_date.isoformat()
            return self.cell(r, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (0, 1) and r.followup_date < self._today:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.FontRole and r.followup_date == self._today:
            return _bold()
        return None


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
