"""The tables of the import preview: the problems (row, field, message) and the people as they would be
written, with the files each row looks like."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from bildungskoordination.domain.column_mapping import ListColumns
from bildungskoordination.domain.tabular import ImportProblem
from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _
from bildungskoordination.people.duplicates import DuplicateCandidate
from bildungskoordination.people.records import PersonData

_DUPLICATE_COLOUR = QColor("#fff3cd")


class ProblemModel(RecordTableModel[ImportProblem]):
    columns = [N_("Zeile"), N_("Feld"), N_("Meldung")]

    def __init__(self, fields: ListColumns, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields = fields

    def cell(self, record: ImportProblem, column: int) -> Any:
        if column == 1:
            return self._fields.display(record.column) if record.column else ""
        return ["" if record.row is None else record.row, None, record.message][column]

    def extra(self, record: ImportProblem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(record)
        return None


PersonPreview = tuple[int, PersonData, list[DuplicateCandidate]]


class PersonPreviewModel(RecordTableModel[PersonPreview]):
    columns = [N_("Zeile"), N_("Familienname"), N_("Vorname"), N_("Geburtsdatum"), N_("Schon erfasst?"),
               N_("Anschrift"), N_("Telefon"), N_("E-Mail"), N_("Bemerkung")]
    DUPLICATES = 4

    def cell(self, record: PersonPreview, column: int) -> Any:
        number, p, found = record
        if column == 0:
            return number
        if column == 3:
            return p.birth.display() if p.birth else ""
        if column == self.DUPLICATES:
            return "; ".join(f"{c.file_number} {c.family_name}, {c.given_name}" for c in found)
        if column == 8:
            return p.note.replace("\n", " · ")
        return [None, p.family_name, p.given_name, None, None, p.address.replace("\n", ", "), p.phone, p.email][column]

    def extra(self, record: PersonPreview, column: int, role: int) -> Any:
        _number, _p, found = record
        if role == Qt.ItemDataRole.BackgroundRole and found:
            return QBrush(_DUPLICATE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUPLICATES and found:
            return "\n".join(_("{number} {family}, {given}: {reason}").format(
                number=c.file_number, family=c.family_name, given=c.given_name, reason=c.reason) for c in found)
        return None
