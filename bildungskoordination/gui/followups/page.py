"""Wiedervorlagen page: due, overdue and upcoming follow-ups; mark done (and undo it: the "Rückgängig"
button in the message that follows, or Ctrl+Z); open the person (double-click or Enter)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.followups.model import ContactIdRole, FollowUpModel, PersonIdRole, SortRole
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.loader import Loader
from bildungskoordination.gui.table_model import fit_columns
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.people.records import FollowUpState

UNDO_VISIBLE_MS = 20000  # how long the "Rückgängig" message stays (Ctrl+Z works until the next "Erledigt")
HORIZONS = [(0, N_("nur fällige und überfällige")), (7, N_("dazu die nächsten 7 Tage")),
            (28, N_("dazu die nächsten 4 Wochen")), (None, N_("alle offenen"))]


class FollowUpsPage(QWidget):
    open_person = Signal(int)
    owner_changed = Signal()  # "Meine" / "Alle" switched: the badge counts what the page shows

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        # Whose follow-ups (issue 15): the coordinator's own ("Meine") or the whole team's ("Alle").
        self.mine_button = QPushButton(_("&Meine Wiedervorlagen"))
        self.all_button = QPushButton(_("A&lle"))
        self.owner_group = QButtonGroup(self)
        for button in (self.mine_button, self.all_button):
            button.setCheckable(True)
            self.owner_group.addButton(button)
            top.addWidget(button)
        # On a team database one's own follow-ups come first; on the laptop they are all one's own anyway.
        (self.mine_button if ctx.services.on_server else self.all_button).setChecked(True)
        self.mine_button.setToolTip(_("Nur Wiedervorlagen, die Ihnen gehören ({user})").format(
            user=ctx.services.contacts.me))
        self.summary = QLabel()
        top.addWidget(self.summary, 1)
        self.horizon = QComboBox()
        for days, text in HORIZONS:
            self.horizon.addItem(_(text), days)
        self.horizon.setCurrentIndex(1)
        self.horizon.setAccessibleName(_("Zeitraum der Wiedervorlagen"))
        label = QLabel(_("&Zeigen:"))
        label.setBuddy(self.horizon)
        top.addWidget(label)
        top.addWidget(self.horizon)
        layout.addLayout(top)

        self.model = FollowUpModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        # The model comes sorted (today, overdue, upcoming) from SQL; the proxy sorts only on a header click.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((85, 170, 190, 105, 240, 240, 90, 100)):
            self.table.setColumnWidth(column, width)
        fit_columns(self.table, stretch=(4, 5))  # topics and next step share what is left
        self.table.setAccessibleName(_("Wiedervorlagen"))
        layout.addWidget(self.table, 1)

        # The message after "Erledigt", with the way back.
        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setStyleSheet("#undoBar { background: #e8f0fe; border: 1px solid #aecbfa; }")
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        self.undo_message = QLabel()
        self.undo_message.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.undo_message, 1)
        self.undo_button = QPushButton(_("&Rückgängig"))
        self.undo_button.setToolTip(_("Strg+Z"))
        bar.addWidget(self.undo_button)
        self.undo_bar.hide()
        layout.addWidget(self.undo_bar)
        self._undo: FollowUpState | None = None
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_VISIBLE_MS)
        self._undo_timer.timeout.connect(self.undo_bar.hide)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton(_("Person ö&ffnen"))
        self.open_button.setIcon(icon("open_person"))
        self.done_button = QPushButton(_("&Erledigt"))
        self.done_button.setIcon(icon("done"))
        self.done_button.setToolTip(_("Wiedervorlage als erledigt markieren"))
        self.assign_button = QPushButton(_("Ü&bergeben …"))
        self.assign_button.setToolTip(_("Wiedervorlage einer anderen Koordinatorin geben"))
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)

        self.horizon.currentIndexChanged.connect(self._on_horizon_current_index_changed)
        self.owner_group.buttonToggled.connect(self._on_owner_group_button_toggled)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.undo_button.clicked.connect(self.undo)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.table, self._on_open_button_clicked,
                      context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        ctx.signal.changed.connect(self._on_signal_changed)
        self._stale = True  # loaded when first shown, not at start-up
        self.loader: Loader[list[Any]] = Loader(self, _("Wiedervorlagen"))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        days = self.horizon.currentData()
        today = date.today()
        until = None if days is None else today + timedelta(days=int(days))
        contacts, owner = self._ctx.services.contacts, self.owner
        self.loader.load(lambda: contacts.due_followups(until, owner=owner), lambda rows: self._show_rows(rows, today))

    def _show_rows(self, rows: list[Any], today: date) -> None:
        self.model.set_rows(rows, today)
        due_now = sum(1 for r in rows if r.followup_date <= today)
        self.summary.setText(ngettext("{n} Wiedervorlage fällig oder überfällig", "{n} Wiedervorlagen fällig oder überfällig",
                                      due_now).format(n=due_now))

    @property
    def owner(self) -> str | None:
        """The coordinator whose follow-ups are shown; None: everyone's."""
        return self._ctx.services.contacts.me if self.mine_button.isChecked() else None

    def due_count(self) -> int:
        return self._ctx.services.contacts.count_due(date.today(), owner=self.owner)

    def _current(self, role: int) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = self.proxy.data(index, role)
        return int(value) if value is not None else None

    def _on_horizon_current_index_changed(self, _index: int) -> None:
        self.reload()

    def _on_owner_group_button_toggled(self, _button: QPushButton, checked: bool) -> None:
        if checked:
            self.reload()
            self.owner_changed.emit()

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_open_button_clicked()

    def _on_open_button_clicked(self) -> None:
        pid = self._current(PersonIdRole)
        if pid is not None:
            self.open_person.emit(pid)

    def _on_done_button_clicked(self) -> None:
        index = self.table.currentIndex()
        row = self.model.follow_up(self.proxy.mapToSource(index).row()) if index.isValid() else None
        if row is None:
            return
        self._undo = self._ctx.services.contacts.set_followup_done(row.contact_id, True)
        self.undo_message.setText(_("Wiedervorlage vom {date} für {person} erledigt.").format(
            date=row.followup_date.strftime("%d.%m.%Y"), person=row.person_name))
        self.undo_button.setEnabled(True)
        self.undo_bar.show()
        self._undo_timer.start()

    def undo(self) -> None:
        """Put the last follow-up marked done back on the list, as it was."""
        before, self._undo = self._undo, None
        if before is None:
            return
        self._ctx.services.contacts.restore_followup(before)
        self.undo_message.setText(_("Wiedervorlage wieder offen."))
        self.undo_button.setEnabled(False)
        self.select_contact(before.contact_id)
        self._undo_timer.start()

    def select_contact(self, contact_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(row, 0), ContactIdRole) == contact_id:
                self.table.selectRow(row)
                return

    def _on_assign_button_clicked(self) -> None:
        cid = self._current(ContactIdRole)
        if cid is None:
            return
        contacts = self._ctx.services.contacts
        names = contacts.owners()
        name, ok = QInputDialog.getItem(self, _("Wiedervorlage übergeben"), _("An (Benutzername):"), names,
                                        names.index(contacts.me) if contacts.me in names else 0, True)
        if ok and name.strip():
            contacts.assign(cid, name.strip())

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity in ("contact", "person"):
            if self.isVisible():
                self.reload()
            else:
                self._stale = True
