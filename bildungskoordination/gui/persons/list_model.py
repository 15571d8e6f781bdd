"""Person list as a lazy table model over ids.

The list is sorted and filtered in SQL (services.people.search_ids) and rows are fetched a page at a time
as the view asks for them. A QSortFilterProxyModel would need every row loaded to sort 50 000 people, so
this model sorts itself: ``sort()`` asks the service for the ids in the new order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from bildungskoordination.domain.vocab import level_short
from bildungskoordination.i18n import N_, _
from bildungskoordination.people.records import PersonRow
from bildungskoordination.privacy.restriction import restriction_message
from bildungskoordination.services import Services

Index = QModelIndex | QPersistentModelIndex

# (header, sort key in PersonService.SORT_COLUMNS or None)
COLUMNS: list[tuple[str, str | None]] = [
    (N_("Aktenzeichen"), "file_number"),
    (N_("Name"), "name"),
    (N_("Originalschrift"), None),
    (N_("Geboren"), "birth"),
    (N_("Wohnort"), "municipality"),
    (N_("Deutsch"), "german_level"),
    (N_("Wiedervorlage"), None),
]
PAGE_SIZE = 200
RESTRICTED_MARK = "⛔"
PersonIdRole = Qt.ItemDataRole.UserRole + 1


class PersonListModel(QAbstractTableModel):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self._ids: list[int] = []
        self._rows: dict[int, PersonRow] = {}
        self._text = ""
        self._sort = "name"
        self._descending = False
        # While searching, the best matches come first until a column header is clicked (a new search after an
        # empty field ranks again).
        self._ranked = True
        self._today = date.today()
        self._loaded = False

    # --- loading -----------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        if not self._text.strip() and text.strip():
            self._ranked = True
        self._text = text
        self.reload()

    def reload(self) -> None:
        self._loaded = True
        self.beginResetModel()
        self._ids = self._services.people.search_ids(self._text, sort=self._sort, descending=self._descending,
                                                     ranked=self._ranked)
        self._rows.clear()
        self._today = date.today()
        self.endResetModel()

    def refresh_rows(self, ids: tuple[int, ...]) -> None:
        """Re-read changed rows in place (no reset, selection stays)."""
        for pid in ids:
            self._rows.pop(pid, None)
        if ids:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def row_of(self, person_id: int) -> int:
        try:
            return self._ids.index(person_id)
        except ValueError:
            return -1

    def person_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def _row(self, row: int) -> PersonRow | None:
        pid = self._ids[row]
        cached = self._rows.get(pid)
        if cached is not None:
            return cached
        start = (row // PAGE_SIZE) * PAGE_SIZE
        page = self._ids[start:start + PAGE_SIZE]
        for record in self._services.people.rows(page):
            self._rows[record.id] = record
        return self._rows.get(pid)

    # --- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][0])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == PersonIdRole:
            return self._ids[index.row()]
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            if row.consent_withdrawn_at is not None:
                return restriction_message(row.consent_withdrawn_at) + " – " + _("nur Speicherung")
            if not row.has_consent:
                return _("Einwilligung zur Datenverarbeitung fehlt")
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 1 and row.consent_withdrawn_at is not None:
            return f"{row.family_name}, {row.given_name}, " + _("Verarbeitung eingeschränkt")
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and row.next_followup:
            if row.next_followup <= self._today:
                return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: PersonRow, column: int) -> str:
        if column == 0:
            return row.file_number
        if column == 1:
            name = f"{row.family_name}, {row.given_name}"
            if row.consent_withdrawn_at is not None:
                return f"{name}  {RESTRICTED_MARK}"  # processing restricted (Art. 18): only stored
            return name if row.has_consent else f"{name}  ⚠"
        if column == 2:
            return row.name_original
        if column == 3:
            return row.birth_date_written
        if column == 4:
            return row.municipality
        if column == 5:
            return level_short(row.german_level)
        if column == 6:
            return row.next_followup.strftime("%d.%m.%Y") if row.next_followup else ""
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded and (key, descending) == (self._sort, self._descending):
            return  # the view re-announces the current order when sorting is switched on
        self._sort = key
        self._descending = descending
        self._ranked = False
        self.reload()
