"""Passende Personen: everyone ranked for one course. Evaluating every person is costly, so this is only
computed when the coordinator asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout, QWidget

from bildungskoordination.gui.courses.models import (
    VERDICT_COLORS,
    VERDICT_SYMBOLS,
    VERDICT_TEXTS,
    AccessibleTextRole,
    IdRole,
)
from bildungskoordination.gui.table_model import RecordTableModel, setup_record_table
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.matching.facts import Match
from bildungskoordination.services import Services


@dataclass(frozen=True)
class Candidate:
    person_id: int
    file_number: str
    name: str
    match: Match


class CandidateModel(RecordTableModel[Candidate]):
    """The people for one course, best first."""

    columns = [N_("Eignung"), N_("Aktenzeichen"), N_("Name"), N_("Punkte"), N_("Wichtigster Grund")]

    def row_of(self, person_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.person_id == person_id), -1)

    def cell(self, c: Candidate, column: int) -> Any:
        m = c.match
        if column == 0:
            return VERDICT_SYMBOLS.get(m.verdict, "?")
        if column == 1:
            return c.file_number
        if column == 2:
            return c.name
        if column == 3:
            return f"{m.score:.0f}"
        reasons = m.reasons
        return reasons[0].text if reasons else ""

    def extra(self, c: Candidate, column: int, role: int) -> Any:
        if role == IdRole:
            return c.person_id
        if column == 0:
            if role in (AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                return _(VERDICT_TEXTS.get(c.match.verdict, c.match.verdict))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(VERDICT_COLORS.get(c.match.verdict, "#000000")))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        if column == 3 and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == 4 and role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(r.text for r in c.match.reasons)
        return None


def load_candidates(services: Services, course_id: int) -> list[Candidate]:
    ranked = services.matching.candidates(course_id)
    rows = {r.id: r for r in services.people.rows([pid for pid, _m in ranked])}
    result = []
    for pid, match in ranked:
        row = rows.get(pid)
        if row is None:
            continue
        name = ", ".join(p for p in (row.family_name, row.given_name) if p)
        result.append(Candidate(pid, row.file_number, name, match))
    return result


class CandidatesDialog(QDialog):
    def __init__(self, services: Services, course_id: int, course_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Passende Personen für {course}").format(course=course_number))
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.model = CandidateModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, _("Passende Personen"), (60, 110, 220, 60))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        candidates = load_candidates(services, course_id)
        self.model.set_rows(candidates)
        suitable = sum(1 for c in candidates if c.match.verdict != "not_eligible")
        self.summary.setText(ngettext("{n} Person geeignet", "{n} Personen geeignet", suitable).format(n=suitable)
                             + " " + _("(von {total})").format(total=len(candidates)))
