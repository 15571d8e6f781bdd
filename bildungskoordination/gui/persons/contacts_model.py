"""Contact history of one person as a table model (newest first, sortable through a proxy)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_
from bildungskoordination.people.records import ContactRow

SortRole = Qt.ItemDataRole.UserRole + 2
ContactIdRole = Qt.ItemDataRole.UserRole + 1


class ContactHistoryModel(RecordTableModel[ContactRow]):
    columns = [N_("Datum"), N_("Weg"), N_("Themen"), N_("Ergebnis"), N_("Nächster Schritt"), N_("Wiedervorlage")]

    def contact(self, row: int) -> ContactRow | None:
        return self.record(row)

    def cell(self, row: ContactRow, column: int) -> Any:
        d = row.data
        if column == 0:
            return d.contact_date.strftime("%d.%m.%Y")
        if column == 1:
            return vocabulary("channels").label(d.channel)
        if column == 2:
            return ", ".join(vocabulary("topics").label(t) for t in d.topics)
        if column == 3:
            return vocabulary("outcomes").label(d.outcome)
        if column == 4:
            return d.next_step
        if not d.followup_date:
            return ""
        return d.followup_date.strftime("%d.%m.%Y") + (" ✓" if d.followup_done else "")

    def extra(self, row: ContactRow, column: int, role: int) -> Any:
        d = row.data
        if role == ContactIdRole:
            return row.id
        if role == SortRole:
            if column == 0:
                return d.contact_date.isoformat()
            if column == 5:
                return d.followup_date.isoformat() if d.followup_date else ""
            return self.cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and d.note:
            return d.note
        return None
