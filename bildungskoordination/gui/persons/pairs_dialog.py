"""Likely duplicate pairs among everyone recorded: only a list; merging is a separate, deliberate step."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.operation import Operation
from bildungskoordination.gui.persons.merge_dialog import MergeDialog
from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _
from bildungskoordination.people.duplicate_pairs import DuplicatePair
from bildungskoordination.services import Services

COLUMNS = [N_("Aktenzeichen"), N_("Name"), N_("Aktenzeichen"), N_("Name"), N_("Warum ähnlich")]


class DuplicatePairModel(RecordTableModel[DuplicatePair]):
    columns = COLUMNS

    def cell(self, p: DuplicatePair, column: int) -> Any:
        return [p.first_file_number, p.first_name, p.second_file_number, p.second_name, p.reason][column]


class DuplicatePairsDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Mögliche Doppelerfassungen"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Diese Akten könnten dieselbe Person betreffen. Es wird nichts automatisch "
                                  "zusammengeführt: „Zusammenführen…“ zeigt beide Akten nebeneinander.")))
        self.model = DuplicatePairModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAccessibleName(_("mögliche Doppelerfassungen"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(100)  # fit to the first 100 pairs, not 1 000
        layout.addWidget(self.table, 1)
        self.count = QLabel()
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = QPushButton(_("&Zusammenführen…"))
        self.merge_button.setIcon(icon("merge"))
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.merge_dialog: MergeDialog | None = None
        self._pending: Operation[list[DuplicatePair]] | None = None
        self.reload(defer=True)
        self.resize(820, 420)

    @property
    def busy(self) -> bool:
        return self._pending is not None and not self._pending.finished

    def reload(self, *, defer: bool = False) -> None:
        """Compare everyone on a worker (seconds on a large district); the dialog is there at once (``defer``:
        the worker starts once it painted, Operation.run_soon)."""
        people = self._services.people
        self.count.setText(_("Mögliche Paare werden gesucht …"))
        self.merge_button.setEnabled(False)
        self._pending = (Operation(self, lambda _progress: people.duplicate_pairs(), title=self.windowTitle())
                         .with_progress(_("Alle Akten werden verglichen …"))
                         .success(lambda outcome: self._show_pairs(outcome.value))
                         .on_cancel(lambda: self.count.setText(_("Suche abgebrochen."))))
        if defer:
            self._pending.run_soon(self)
        else:
            self._pending.run()

    def _show_pairs(self, pairs: list[DuplicatePair]) -> None:
        self.model.set_rows(pairs)
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.count.setText(_("{n} mögliche Paare").format(n=self.model.rowCount()))
        self.merge_button.setEnabled(self.model.rowCount() > 0)

    def merge_dialog_for(self, row: int) -> MergeDialog | None:
        """The merge dialog for a row (the first file stays unless the coordinator chooses otherwise)."""
        pair = self.model.record(row)
        if pair is None:
            return None
        return MergeDialog(self._services, pair.first_id, pair.second_id, self)

    def _on_merge_button_clicked(self) -> None:
        self.merge_dialog = self.merge_dialog_for(self.table.currentIndex().row())
        if self.merge_dialog is not None:
            self.merge_dialog.finished.connect(self._on_merge_dialog_finished)
            self.merge_dialog.open()

    def _on_merge_dialog_finished(self, _result: int) -> None:
        self.reload()
