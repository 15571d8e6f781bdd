"""Backups as a table (newest first)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from bildungskoordination.i18n import N_, _
from bildungskoordination.services import BackupInfo

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [N_("Angelegt"), N_("Anlass"), N_("Größe"), N_("Verschlüsselt"), N_("Datei")]
REASON_LABELS = {
    "start": N_("beim Start"), "ende": N_("beim Beenden"), "täglich": N_("täglich"),
    "vor-migration": N_("vor Aktualisierung"), "manuell": N_("von Hand"),
    "vor-wiederherstellung": N_("vor Wiederherstellung"),
}


class BackupListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupInfo] = []

    def set_rows(self, rows: list[BackupInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def info(self, row: int) -> BackupInfo | None:
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
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        return [
            info.created.strftime("%d.%m.%Y %H:%M:%S"),
            _(REASON_LABELS.get(info.reason, info.reason)),
            f"{info.size / 1_048_576:.1f} MB",
            _("ja") if info.encrypted else _("nein"),
            info.path.name,
        ][index.column()]
