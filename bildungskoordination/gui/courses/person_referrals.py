"""The person's referrals in the "Passende Kurse" tab: course, provider, current status since when, waiting
position; the selected one's status history below. Filled by the tab on every reload (change signal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget

from bildungskoordination.courses.records import ReferralEventRow, ReferralRecord
from bildungskoordination.domain.referral_status import status_label
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.courses.models import IdRole, fmt_date
from bildungskoordination.gui.first_paint import after_first_paint
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.letters.letter_dialog import LetterDialog, warm_up_letters
from bildungskoordination.gui.table_model import RecordTableModel, setup_record_table
from bildungskoordination.i18n import N_, _


class PersonReferralModel(RecordTableModel[ReferralRecord]):
    columns = [N_("Kursnummer"), N_("Träger"), N_("Status"), N_("Seit"), N_("Warteliste")]

    def row_of(self, referral_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == referral_id), -1)

    def cell(self, r: ReferralRecord, column: int) -> Any:
        return [r.course_number, r.provider, r.status_label, fmt_date(r.since),
                "" if r.waiting_position is None else str(r.waiting_position)][column]

    def extra(self, r: ReferralRecord, column: int, role: int) -> Any:
        if role == IdRole:
            return r.id
        if column == 4 and role == Qt.ItemDataRole.ToolTipRole:
            return _("Platz auf der Warteliste")
        return None


class ReferralHistoryModel(RecordTableModel[ReferralEventRow]):
    """A referral's status changes, oldest first: day, new status, who made it, the note given."""

    columns = [N_("Datum"), N_("Status"), N_("Benutzer"), N_("Begründung")]

    def cell(self, e: ReferralEventRow, column: int) -> Any:
        return [fmt_date(e.at), status_label(e.status), e.user or _("unbekannt"), e.reason][column]

    def extra(self, e: ReferralEventRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and e.reason:
            return e.reason
        return None


class PersonReferrals(QWidget):
    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(_("Vermittl&ungen dieser Person:"))
        layout.addWidget(self.label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = PersonReferralModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, _("Vermittlungen dieser Person"), (85, 130, 110, 75))
        self.label.setBuddy(self.table)
        splitter.addWidget(self.table)
        self.history_model = ReferralHistoryModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        setup_record_table(self.history, _("Statusverlauf der gewählten Vermittlung"), (75, 100, 80))
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.letter_button = QPushButton(_("Brie&f erstellen …"))
        self.letter_button.setIcon(icon("letter"))
        self.letter_button.setToolTip(_("Den zweisprachigen Brief zur gewählten Vermittlung ansehen, drucken oder speichern"))
        buttons.addWidget(self.letter_button)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.letter_button.clicked.connect(self._on_letter_button_clicked)
        self.letter_button.setEnabled(False)
        after_first_paint(self.table.viewport(), self._warm_up_letters)

    def set_referrals(self, referrals: list[ReferralRecord]) -> None:
        selected = self.selected_referral()
        self.model.set_rows(referrals)
        row = self.model.row_of(selected.id) if selected is not None else -1
        if row < 0 and referrals:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._show_history()

    def selected_referral(self) -> ReferralRecord | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def select_referral(self, referral_id: int) -> None:
        row = self.model.row_of(referral_id)
        if row >= 0:
            self.table.selectRow(row)

    def _show_history(self) -> None:
        referral = self.selected_referral()
        self.history_model.set_rows(list(referral.history) if referral is not None else [])
        self.letter_button.setEnabled(referral is not None)

    def _warm_up_letters(self) -> None:
        ctx = self.context()
        if ctx is not None:
            warm_up_letters(ctx)

    def context(self) -> AppContext | None:
        return self._ctx

    def open_letter_dialog(self) -> LetterDialog | None:
        referral, ctx = self.selected_referral(), self.context()
        return LetterDialog(ctx, [referral.id], self) if referral is not None and ctx is not None else None

    def _on_letter_button_clicked(self) -> None:
        dialog = self.open_letter_dialog()
        if dialog is not None:
            dialog.exec()

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_history()
