"""Protokoll as a lazy, read-only table model: newest first, fetched from the service 200 entries at a time.

Entries hold field NAMES only; they are shown with the German labels of the form (privacy/labels.py), so the
coordinator reads "Telefon, Anschrift" rather than "phone, address". Nothing here can change an entry.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bildungskoordination.i18n import N_, _
from bildungskoordination.privacy.audit import ACTION_LABELS, AuditRow
from bildungskoordination.privacy.labels import entity_label, field_label
from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS
from bildungskoordination.services import Services

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [N_("Zeit"), N_("Benutzer"), N_("Aktion"), N_("Art"), N_("Id"), N_("Geänderte Felder"), N_("Hinweis")]
PAGE_SIZE = 200
EntryIdRole = Qt.ItemDataRole.UserRole + 1
PersonIdRole = Qt.ItemDataRole.UserRole + 3

# Names of the retention rules (resources/privacy/retention.toml), for the settings that change them.
RULE_TITLES = {"inaktiv": N_("Keine Aktivität"), "widerruf": N_("Widerruf der Einwilligung")}
_UNITS = {"years": N_("Jahre"), "days": N_("Tage")}


def rule_title(rule_id: str) -> str:
    return _(RULE_TITLES[rule_id]) if rule_id in RULE_TITLES else rule_id


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)  # type: ignore[call-overload] # StrEnum keys equal their values
    return _(label) if label else action


def setting_label(key: str) -> str:
    """'retention.inaktiv.years' → 'Löschfrist „Keine Aktivität“ (Jahre)'; unknown keys as they are."""
    if key == AUDIT_KEEP_DAYS:
        return _("Aufbewahrung des Protokolls (Tage)")
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "retention" and parts[2] in _UNITS:
        return _("Löschfrist „{rule}“ ({unit})").format(rule=rule_title(parts[1]), unit=_(_UNITS[parts[2]]))
    return key


def fields_text(entry: AuditRow) -> str:
    label = setting_label if entry.entity == "setting" else field_label
    return ", ".join(label(name) for name in entry.fields)


class AuditLogModel(QAbstractTableModel):
    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self._services = services
        self._rows: list[AuditRow] = []
        self._seen: set[int] = set()
        self._total = 0
        self._person_id: int | None = None

    # --- loading -----------------------------------------------------------------------------
    @property
    def person_id(self) -> int | None:
        return self._person_id

    def set_person(self, person_id: int | None) -> None:
        """Only the entries about this person (also after the person was erased); None = all."""
        self._person_id = person_id
        self.reload()

    def reload(self) -> None:
        audit = self._services.audit
        self.beginResetModel()
        self._total = audit.count(person_id=self._person_id)
        self._rows = audit.list(limit=PAGE_SIZE, offset=0, person_id=self._person_id)
        self._seen = {r.id for r in self._rows}
        self.endResetModel()

    def total(self) -> int:
        """All matching entries, loaded or not."""
        return self._total

    def entry(self, row: int) -> AuditRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid():
            return
        page = self._services.audit.list(limit=PAGE_SIZE, offset=len(self._rows), person_id=self._person_id)
        # Entries written since the last reload shift the offsets: skip what is shown already.
        new = [r for r in page if r.id not in self._seen]
        if not new:
            self._total = len(self._rows)  # the end (or only repeats): stop asking
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
        self._rows.extend(new)
        self._seen.update(r.id for r in new)
        self.endInsertRows()

    # --- Qt model interface --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # read-only: never editable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role == EntryIdRole:
            return e.id
        if role == PersonIdRole:
            return e.person_id
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return e.at.strftime("%d.%m.%Y %H:%M:%S")
            if col == 1:
                return e.os_user
            if col == 2:
                return action_label(e.action)
            if col == 3:
                return entity_label(e.entity)
            if col == 4:
                return "" if e.entity_id is None else str(e.entity_id)
            if col == 5:
                return fields_text(e)
            if col == 6:
                return e.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 4 and e.person_id is not None and e.person_id != e.entity_id:
                return _("Person (interne Nummer): {id}").format(id=e.person_id)
            if col in (5, 6):
                return self.data(index) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
