"""Merging two person files by hand: both side by side, the coordinator chooses per field. Nothing is merged
until "Zusammenführen" is pressed; the service does it in one transaction with one audit entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.gui.icons import icon
from bildungskoordination.i18n import _
from bildungskoordination.people.merge import FieldChoice, MergePlan
from bildungskoordination.privacy.labels import PERSON_FIELDS
from bildungskoordination.services import Services

Index = QModelIndex | QPersistentModelIndex
_CHECK = Qt.ItemDataRole.CheckStateRole
_DISPLAY = Qt.ItemDataRole.DisplayRole


def shown(value: Any) -> str:
    """A stored value as the dialog shows it."""
    if value in (None, "", [], ()):
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if hasattr(value, "display"):
        return str(value.display())
    if hasattr(value, "strftime"):
        return str(value.strftime("%d.%m.%Y"))
    if hasattr(value, "code"):
        return f"{value.code} {value.level}".strip()
    return str(value)


class MergeFieldModel(QAbstractTableModel):
    """One row per differing field: its name, KEEP's value, OTHER's value; the chosen value is checked."""

    def __init__(self, choices: tuple[FieldChoice, ...], keep_title: str, other_title: str,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = list(choices)
        self._titles = [_("Feld"), keep_title, other_title]
        self.take_other: set[str] = set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._choices)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY and 0 <= section < 3:
            return self._titles[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (1, 2):
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._choices):
            return None
        choice = self._choices[index.row()]
        column = index.column()
        if role == _DISPLAY:
            if column == 0:
                return _(PERSON_FIELDS.get(choice.field, choice.field))
            return shown(choice.keep_value if column == 1 else choice.other_value)
        if role == _CHECK and column in (1, 2):
            other = choice.field in self.take_other
            return Qt.CheckState.Checked if other == (column == 2) else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = _CHECK) -> bool:
        if role != _CHECK or not index.isValid() or index.column() not in (1, 2):
            return False
        self.choose(index.row(), other=(index.column() == 2) == (Qt.CheckState(value) == Qt.CheckState.Checked))
        return True

    def choose(self, row: int, *, other: bool) -> None:
        name = self._choices[row].field
        if other:
            self.take_other.add(name)
        else:
            self.take_other.discard(name)
        self.dataChanged.emit(self.index(row, 1), self.index(row, 2), [_CHECK])


class MergeDialog(QDialog):
    """Result: Accepted after the merge was done (``merged`` holds the plan)."""

    def __init__(self, services: Services, keep_id: int, other_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Akten zusammenführen"))
        self.plan: MergePlan = services.people.merge_plan(keep_id, other_id)
        self.merged: MergePlan | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_(
            "Die Akte {other} geht in {keep} auf. Je Feld wählen, welcher Wert bleibt (Häkchen); ohne Wahl gilt "
            "{keep}.").format(other=self.plan.other_file_number, keep=self.plan.keep_file_number)))
        self.model = MergeFieldModel(self.plan.differing, _("bleibt: {nr}").format(nr=self.plan.keep_file_number),
                                     _("geht auf: {nr}").format(nr=self.plan.other_file_number), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Felder der beiden Akten"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        self.summary = QLabel(_(
            "Es wechseln zu {keep}: {contacts} Kontakte, {referrals} Vermittlungen, {statuses} Statuseinträge, "
            "{log} Protokolleinträge. Unter {aliases} bleibt die Person auffindbar. Ein Protokolleintrag.").format(
                keep=self.plan.keep_file_number, contacts=self.plan.contacts, referrals=self.plan.referrals,
                statuses=self.plan.statuses, log=self.plan.log_entries, aliases=", ".join(self.plan.aliases)))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.error = QLabel()
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.merge_button = QPushButton(_("&Zusammenführen"))
        self.merge_button.setIcon(icon("merge"))
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def _on_merge_button_clicked(self) -> None:
        try:
            self.merged = self._services.people.merge(self.plan.keep_id, self.plan.other_id, self.model.take_other)
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
