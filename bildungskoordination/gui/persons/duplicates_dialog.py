"""Shown before creating a person who looks like someone already recorded. Never merges anything."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _
from bildungskoordination.people.duplicates import DuplicateCandidate

COLUMNS = [N_("Aktenzeichen"), N_("Name"), N_("Geburtsdatum"), N_("Warum ähnlich")]


class DuplicateModel(RecordTableModel[DuplicateCandidate]):
    columns = COLUMNS

    def __init__(self, candidates: list[DuplicateCandidate], parent: Any = None) -> None:
        super().__init__(parent)
        self.set_rows(candidates)

    def cell(self, c: DuplicateCandidate, column: int) -> Any:
        return [c.file_number, f"{c.family_name}, {c.given_name}", c.birth_date_written, c.reason][column]


class DuplicateDialog(QDialog):
    """Result: Accepted = create anyway; ``open_id`` set = open that existing person instead."""

    def __init__(self, candidates: list[DuplicateCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Mögliche Doppelerfassung"))
        self.open_id: int | None = None
        self._candidates = candidates
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Diese Personen sind schon erfasst und sehen ähnlich aus. "
                                  "Bitte prüfen, ob es dieselbe Person ist – es wird nichts zusammengeführt.")))
        self.table = QTableView()
        self.table.setModel(DuplicateModel(candidates, self))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        self.table.selectRow(0)
        self.table.setAccessibleName(_("ähnliche Personen"))
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton(_("Vorhandene &öffnen"))
        self.create_button = QPushButton(_("Trotzdem &neu anlegen"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 300)

    def _on_open_button_clicked(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self._candidates):
            self.open_id = self._candidates[row].id
            self.done(QDialog.DialogCode.Rejected)

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_open_button_clicked()
