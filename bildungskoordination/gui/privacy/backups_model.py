"""Backups as a table (newest first)."""

from __future__ import annotations

from typing import Any

from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _
from bildungskoordination.services import BackupInfo

REASON_LABELS = {
    "start": N_("beim Start"), "ende": N_("beim Beenden"), "täglich": N_("täglich"),
    "vor-migration": N_("vor Aktualisierung"), "manuell": N_("von Hand"),
    "vor-wiederherstellung": N_("vor Wiederherstellung"),
}


class BackupListModel(RecordTableModel[BackupInfo]):
    columns = [N_("Angelegt"), N_("Anlass"), N_("Größe"), N_("Verschlüsselt"), N_("Datei")]

    def info(self, row: int) -> BackupInfo | None:
        return self.record(row)

    def cell(self, info: BackupInfo, column: int) -> Any:
        return [
            info.created.strftime("%d.%m.%Y %H:%M:%S"),
            _(REASON_LABELS.get(info.reason, info.reason)),
            f"{info.size / 1_048_576:.1f} MB",
            _("ja") if info.encrypted else _("nein"),
            info.path.name,
        ][column]
