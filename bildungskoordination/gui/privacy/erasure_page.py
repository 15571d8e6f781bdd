"""Löschvorschläge: who is due for erasure under the retention rules, erase after confirming, and the rules.

Nothing is erased automatically: the coordinator checks each proposal (a pending procedure, another legal
basis) and confirms it in the EraseDialog.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.loader import Loader
from bildungskoordination.gui.privacy.audit_model import rule_title
from bildungskoordination.gui.privacy.erase_dialog import EraseDialog
from bildungskoordination.gui.privacy.proposals_model import PersonIdRole, ProposalModel, SortRole
from bildungskoordination.gui.privacy.refresh import RefreshingView
from bildungskoordination.gui.table_model import setup_record_table
from bildungskoordination.gui.widgets import FieldError
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.privacy.policy import RetentionRule

# Alt-keys taken on this tab (and by the main window's menu bar) before the rule names get theirs.
_TAKEN_KEYS = {"d", "g", "h", "l", "p", "s", "f", "e"}


def _with_mnemonic(text: str, used: set[str]) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha() and ch.lower() not in used:
            used.add(ch.lower())
            return text[:i] + "&" + text[i:]
    return text


class RuleEditor(QWidget):
    """One retention rule: its name, what it says, and its period in years and days."""

    apply_requested = Signal(str, int, int)  # rule id, years, days

    def __init__(self, rule: RetentionRule, used_keys: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_id = rule.id
        self._stored: tuple[int, int] | None = None
        title = rule_title(rule.id)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(_with_mnemonic(title, used_keys))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.years = QSpinBox()
        self.years.setRange(0, 30)
        self.years.setAccessibleName(_("{rule}: Frist in Jahren").format(rule=title))
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setSingleStep(7)
        self.days.setAccessibleName(_("{rule}: zusätzliche Tage").format(rule=title))
        self.title.setBuddy(self.years)
        self.apply_button = QPushButton(_("Übernehmen"))
        self.apply_button.setAccessibleName(_("Frist „{rule}“ übernehmen").format(rule=title))
        self.error = FieldError()
        grid.addWidget(self.title, 0, 0, 1, 4)
        grid.addWidget(self.description, 1, 0)
        grid.addWidget(self.years, 1, 1)
        grid.addWidget(self.days, 1, 2)
        grid.addWidget(self.apply_button, 1, 3)
        grid.addWidget(self.error, 2, 0, 1, 4)
        grid.setColumnStretch(0, 1)
        self.years.valueChanged.connect(self._on_years_value_changed)
        self.days.valueChanged.connect(self._on_days_value_changed)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        self.set_rule(rule)

    def set_rule(self, rule: RetentionRule) -> None:
        editing = self._stored is not None and (self.years.value(), self.days.value()) != self._stored
        self._stored = (rule.years, rule.days)
        self.description.setText(rule.description)
        if not editing:  # a reload after another rule changed keeps what is being typed here
            self.years.setValue(rule.years)
            self.days.setValue(rule.days)
            self.error.show_message("")
        self._update()

    def _update(self) -> None:
        self.years.setSuffix(" " + ngettext("Jahr", "Jahre", self.years.value()))
        self.days.setSuffix(" " + ngettext("Tag", "Tage", self.days.value()))
        self.apply_button.setEnabled((self.years.value(), self.days.value()) != self._stored)

    def _on_years_value_changed(self, _value: int) -> None:
        self._update()

    def _on_days_value_changed(self, _value: int) -> None:
        self._update()

    def _on_apply_button_clicked(self) -> None:
        self.apply_requested.emit(self.rule_id, self.years.value(), self.days.value())


class ErasurePage(RefreshingView):
    open_person = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today: date | None = None  # None = the real today; tests and screenshots fix a day
        self.loader: Loader[list[Any]] = Loader(self, _("Löschvorschläge"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        hint = QLabel(_("Nichts wird automatisch gelöscht. Bitte jeden Vorschlag prüfen (z. B. laufendes Verfahren, "
                        "andere Rechtsgrundlage) und die Person erst dann endgültig löschen."))
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.model = ProposalModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        setup_record_table(self.table, _("Löschvorschläge"), (130, 230, 120, 300))
        layout.addWidget(self.table, 1)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setAccessibleName(_("Begründung des Vorschlags"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        self.open_button = QPushButton(_("Person ö&ffnen"))
        self.open_button.setIcon(icon("open_person"))
        self.erase_button = QPushButton(_("&Endgültig löschen …"))
        self.erase_button.setIcon(icon("erase"))
        self.erase_button.setToolTip(_("Die ausgewählte Person mit allen Daten endgültig löschen"))
        buttons.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.erase_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(buttons)

        rules_box = QGroupBox(_("Löschfristen"))
        rules_layout = QVBoxLayout(rules_box)
        used = set(_TAKEN_KEYS)
        self.rule_editors: dict[str, RuleEditor] = {}
        for rule in ctx.services.retention.rules():
            editor = RuleEditor(rule, used)
            editor.apply_requested.connect(self._on_rule_apply_requested)
            self.rule_editors[rule.id] = editor
            rules_layout.addWidget(editor)
        layout.addWidget(rules_box)

        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.erase_button.clicked.connect(self._on_erase_button_clicked)
        self._update_buttons()

    # --- loading -------------------------------------------------------------------------------
    def concerns(self, change: Change) -> bool:
        return change.entity in ("person", "contact", "setting")

    def reload(self) -> None:
        services = self._ctx.services
        today = self.today or date.today()
        retention = services.retention
        self.loader.load(lambda: retention.proposals(today), lambda rows: self._show_rows(rows, today))

    def _show_rows(self, rows: list[Any], today: date) -> None:
        services = self._ctx.services
        selected = self._current_person()
        self.model.set_rows(rows, today)
        n = self.model.rowCount()
        self.summary.setText(
            ngettext("{n} Person zur Löschung vorgeschlagen", "{n} Personen zur Löschung vorgeschlagen", n).format(n=n)
            if n else _("Keine Löschvorschläge: bei niemandem ist eine Frist abgelaufen."))
        for rule in services.retention.rules():
            if rule.id in self.rule_editors:
                self.rule_editors[rule.id].set_rule(rule)
        row = self._proxy_row_of(selected) if selected is not None else -1
        if row < 0 and n:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _proxy_row_of(self, person_id: int) -> int:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(PersonIdRole) == person_id:
                return row
        return -1

    def _current_person(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        value = self.proxy.data(index, PersonIdRole)
        return int(value) if value is not None else None

    def _current_proposal(self):  # type: ignore[no-untyped-def]
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.proposal(self.proxy.mapToSource(index).row())

    def _update_buttons(self) -> None:
        proposal = self._current_proposal() if self._current_person() is not None else None
        self.open_button.setEnabled(proposal is not None)
        self.erase_button.setEnabled(proposal is not None and not self._ctx.services.store.read_only)
        self.reason.setText(proposal.reason if proposal else "")

    # --- slots ---------------------------------------------------------------------------------
    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_open_button_clicked()

    def _on_open_button_clicked(self) -> None:
        pid = self._current_person()
        if pid is not None:
            self.open_person.emit(pid)

    def _on_erase_button_clicked(self) -> None:
        proposal = self._current_proposal()
        if proposal is None:
            return
        dialog = EraseDialog(proposal.name, proposal.file_number, proposal.person_id,
                             reason=proposal.erasure_reason, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.reason():
            return
        try:
            self._ctx.services.erasure.erase(proposal.person_id, dialog.reason())
        except NotFound:
            self.refresh()  # erased meanwhile (e.g. from the person file): the list catches up
        except Exception as exc:  # noqa: BLE001 – the coordinator must learn that the person is still there
            QMessageBox.critical(self, _("Nicht gelöscht"),
                                 _("Die Löschung ist fehlgeschlagen: {error}").format(error=exc))

    def _on_rule_apply_requested(self, rule_id: str, years: int, days: int) -> None:
        editor = self.rule_editors[rule_id]
        try:
            self._ctx.services.retention.set_period(rule_id, years=years, days=days)
        except ValidationError as exc:
            editor.error.show_message("; ".join(e.message for e in exc.errors))
        except Exception as exc:  # noqa: BLE001
            editor.error.show_message(_("Nicht gespeichert: {error}").format(error=exc))
