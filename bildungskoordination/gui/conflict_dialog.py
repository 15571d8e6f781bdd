"""Someone else saved the same record in between (issue 15): both values per field, the user chooses.

One row per field where the two differ: the field, "Meine Eingabe" and "Gespeichert von anderen"; the
checked value is the one that is saved. Fields the user did not touch start on the other's value, fields the
user changed on their own. "Auswahl speichern" saves the choice against the version now stored (the service
checks it again), "Neu laden" drops the user's edits and shows what is stored. Nothing happens silently.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from bildungskoordination.domain.conflicts import ENTITY_LABELS, ConflictError, merged
from bildungskoordination.gui.persons.merge_dialog import MergeFieldModel
from bildungskoordination.i18n import _
from bildungskoordination.people.merge import FieldChoice
from bildungskoordination.privacy.labels import field_label


class Choice(Enum):
    SAVE = "save"  # save ``result`` against ``conflict.current_version``
    RELOAD = "reload"  # drop the user's edits
    CANCEL = "cancel"  # back to the form, edits kept, nothing saved


class ConflictFieldModel(MergeFieldModel):
    """MergeFieldModel with "mine" and "theirs" columns; ``take_other`` holds the fields taken from theirs."""

    def __init__(self, conflict: ConflictError, untouched: set[str], label: Callable[[str], str],
                 parent: Any = None) -> None:
        choices = tuple(FieldChoice(f.field, f.mine, f.theirs) for f in conflict.fields)
        super().__init__(choices, _("Meine Eingabe"), _("Gespeichert von anderen"), parent)
        self._label = label
        self.take_other = {f.field for f in conflict.fields if f.field in untouched}

    def data(self, index: Any, role: int = 0) -> Any:
        if role == 0 and index.isValid() and index.column() == 0:
            return self._label(self._choices[index.row()].field)
        return super().data(index, role)


class ConflictDialog(QDialog):
    """``choice`` says what the user decided; with SAVE, ``result`` is the record to save."""

    def __init__(self, conflict: ConflictError, mine: Any, loaded: Any | None = None, *,
                 label: Callable[[str], str] = field_label, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict, self._mine = conflict, mine
        self.choice = Choice.CANCEL
        self.result_data: Any = None
        untouched = {f.field for f in conflict.fields
                     if loaded is not None and getattr(loaded, f.field, None) == f.mine}
        what = _(ENTITY_LABELS.get(conflict.entity, conflict.entity))
        self.setWindowTitle(_("Gleichzeitig geändert"))
        layout = QVBoxLayout(self)
        self.explanation = QLabel(_(
            "Dieser Datensatz ({what}) wurde von jemand anderem gespeichert, während Sie ihn bearbeitet haben. "
            "Nichts wurde überschrieben. "
            "Bitte je Feld wählen, welcher Wert gilt (Häkchen), und die Auswahl speichern – oder neu laden "
            "und Ihre Änderungen verwerfen.").format(what=what))
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        self.model = ConflictFieldModel(conflict, untouched, label, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Felder mit beiden Werten"))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(_("Auswahl &speichern"))
        self.reload_button = QPushButton(_("&Neu laden (meine Änderungen verwerfen)"))
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 300)

    def keep_mine(self, field: str) -> None:
        self._choose(field, other=False)

    def take_theirs(self, field: str) -> None:
        self._choose(field, other=True)

    def _choose(self, field: str, *, other: bool) -> None:
        for row, f in enumerate(self.conflict.fields):
            if f.field == field:
                self.model.choose(row, other=other)

    def _on_save_button_clicked(self) -> None:
        self.choice = Choice.SAVE
        self.result_data = merged(self._mine, self.conflict.theirs, set(self.model.take_other))
        self.accept()

    def _on_reload_button_clicked(self) -> None:
        self.choice = Choice.RELOAD
        self.accept()
