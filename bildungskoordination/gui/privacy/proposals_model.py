"""Löschvorschläge as a table model (sortable through a QSortFilterProxyModel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.privacy.policy import ERASURE_REASONS
from bildungskoordination.privacy.retention import ErasureProposal

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


class ProposalModel(RecordTableModel[ErasureProposal]):
    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = date.today()

    def set_rows(self, rows: list[ErasureProposal], today: date | None = None) -> None:  # type: ignore[override]
        self._today = today or date.today()
        super().set_rows(rows)

    def proposal(self, row: int) -> ErasureProposal | None:
        return self.record(row)

    def cell(self, p: ErasureProposal, column: int) -> Any:
        return [p.file_number, p.name, _day(p.last_activity),
                _(ERASURE_REASONS.get(p.erasure_reason, p.erasure_reason)),
                f"{_day(p.due)} ({overdue_text(p.due, self._today)})"][column]

    def extra(self, p: ErasureProposal, column: int, role: int) -> Any:
        if role == PersonIdRole:
            return p.person_id
        if role == SortRole:
            if column == 2:
                return p.last_activity.isoformat()
            if column == 4:
                return p.due.isoformat()
            return self.cell(p, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return p.reason
        return None
