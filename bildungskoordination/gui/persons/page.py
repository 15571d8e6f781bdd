"""Personen: search field, the person list and the open person's file side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.first_paint import after_first_paint
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.lazy import LazyWidget
from bildungskoordination.gui.persons.empty_state import EmptyState
from bildungskoordination.gui.persons.list_model import PersonListModel
from bildungskoordination.gui.table_model import fit_columns, setup_record_table
from bildungskoordination.i18n import _, ngettext

if TYPE_CHECKING:  # imported when first opened: not needed for the first paint
    from bildungskoordination.gui.persons.import_dialog import PersonImportDialog
    from bildungskoordination.gui.persons.pairs_dialog import DuplicatePairsDialog
    from bildungskoordination.gui.persons.person_file import PersonFile

FILE_STEP_MS = 30  # between the steps that build the person file after the first paint (input gets its turn)
SEARCH_DELAY_MS = 120  # coalesce fast typing; each query itself takes a few ms (see benchmarks)


class PersonsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Suchen: Name (jede Schreibweise, auch Originalschrift) oder Aktenzeichen"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Personen suchen"))
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        top.addWidget(self.search, 1)
        self.new_button = QPushButton(_("&Neue Person"))
        self.new_button.setIcon(icon("new_person"))
        self.new_button.setToolTip(_("Strg+N"))
        top.addWidget(self.new_button)
        self.duplicates_button = QPushButton(_("Do&ppelte…"))
        self.duplicates_button.setIcon(icon("duplicates"))
        self.duplicates_button.setToolTip(_("Mögliche Doppelerfassungen anzeigen und von Hand zusammenführen"))
        top.addWidget(self.duplicates_button)
        self.import_button = QPushButton(_("Einlesen…"))  # Alt key: Datei → Personenliste e&inlesen …
        self.import_button.setToolTip(_("Personenliste (CSV oder Excel) zuordnen, prüfen und einlesen"))
        top.addWidget(self.import_button)
        left_layout.addLayout(top)

        self.model = PersonListModel(ctx.services, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        # Indicator first: switching sorting on then loads the list once, in this order.
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        setup_record_table(self.table, _("Personenliste"), (98, 165, 115, 80, 80, 58, 102))
        fit_columns(self.table, stretch=(1, 2))  # name and original script share what is left
        left_layout.addWidget(self.table, 1)
        # An empty database says what to do first instead of showing an empty table.
        self.empty_state = EmptyState()
        self.empty_state.import_requested.connect(self.import_list)
        self.empty_state.new_person_requested.connect(self.new_person)
        left_layout.addWidget(self.empty_state, 1)
        self.count_label = QLabel()
        left_layout.addWidget(self.count_label)
        self.splitter.addWidget(left)

        # The person's file (form, contacts, courses) is built right after the list's first paint: the list is
        # what the user waits for at start, the empty "Neue Person" form follows a moment later (issue 13).
        self._person_file: LazyWidget[PersonFile] = LazyWidget(self._make_person_file)
        self.splitter.addWidget(self._person_file)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.new_button.clicked.connect(self.new_person)
        self.duplicates_button.clicked.connect(self.show_duplicates)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.pairs_dialog: DuplicatePairsDialog | None = None
        self.import_dialog: PersonImportDialog | None = None
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        ctx.signal.changed.connect(self._on_signal_changed)
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.duplicates_button)
        self.setTabOrder(self.duplicates_button, self.import_button)
        self.setTabOrder(self.import_button, self.table)
        self._update_count()
        # In two turns of the event loop, each well under the 100 ms a keystroke may wait: the file's modules,
        # then the file itself.
        after_first_paint(self.count_label, lambda: QTimer.singleShot(FILE_STEP_MS, self._import_person_file))

    @property
    def person_file(self) -> PersonFile:
        """The open person's file, built on first use (at the latest right after the first paint)."""
        return self._person_file.widget()

    def _make_person_file(self) -> PersonFile:
        from bildungskoordination.gui.persons.person_file import PersonFile

        person_file = PersonFile(self._ctx)
        person_file.open_person.connect(self.select_person)
        return person_file

    def _import_person_file(self) -> None:
        import bildungskoordination.gui.persons.person_file  # noqa: F401 – loaded now, built in the next turn

        QTimer.singleShot(FILE_STEP_MS, self._build_person_file)

    def _build_person_file(self) -> None:
        focus = QApplication.focusWidget()
        self.person_file  # noqa: B018 – built now
        if focus is not None:
            focus.setFocus()  # whatever the user already clicked or typed into keeps the focus

    @property
    def person_id(self) -> int | None:
        """The person whose file is open (None: none, or the file is not built yet)."""
        built = self._person_file.built
        return built.person_id if built is not None else None

    @property
    def file_dirty(self) -> bool:
        built = self._person_file.built
        return built is not None and built.dirty

    def _on_import_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Personenliste einlesen"), "", _("Personenlisten (*.csv *.xlsx);;Alle Dateien (*)"))
        if not path:
            return
        from bildungskoordination.gui.persons.import_dialog import PersonImportDialog

        self.import_dialog = PersonImportDialog(self._ctx.services, path, self)
        self.import_dialog.open()

    # --- list ----------------------------------------------------------------------------------
    def reload(self) -> None:
        current = self.person_id
        self.model.set_filter(self.search.text())
        self._update_count()
        if current is not None:
            self._select_row(self.model.row_of(current))

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(ngettext("{n} Person", "{n} Personen", n).format(n=n))
        empty = n == 0 and not self.search.text() and self._ctx.services.people.count() == 0
        self.empty_state.setVisible(empty)
        self.table.setVisible(not empty)
        self.duplicates_button.setEnabled(not empty)

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.model.set_filter(self.search.text())
        self._update_count()
        if self.model.rowCount() == 1:
            self._select_row(0)

    def _on_search_return_pressed(self) -> None:
        self._search_timer.stop()
        self._on_search_timer_timeout()
        if self.model.rowCount():
            self._select_row(0)
            self.table.setFocus()

    def _select_row(self, row: int) -> None:
        if row < 0:
            return
        index = self.model.index(row, 1)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pid = self.model.person_id(current.row())
        if pid is None or pid == self.person_id:
            return
        if not self._may_leave_person():
            return
        self.person_file.show_person(pid)

    def _may_leave_person(self) -> bool:
        if not self.file_dirty:
            return True
        answer = QMessageBox.question(
            self, _("Ungespeicherte Änderungen"),
            _("Die Änderungen an dieser Person sind noch nicht gespeichert. Speichern?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.person_file.save()
        return answer == QMessageBox.StandardButton.Discard

    # --- actions -------------------------------------------------------------------------------
    def new_person(self) -> None:
        if not self._may_leave_person():
            return
        self.table.clearSelection()
        self.person_file.show_new()

    def import_list(self) -> None:
        """A person list from a file (XLSX, CSV): columns mapped, checked, then all or nothing."""
        self._on_import_button_clicked()

    def show_duplicates(self) -> None:
        """The list of likely duplicate pairs (non-modal); merging happens only from there, by hand."""
        from bildungskoordination.gui.persons.pairs_dialog import DuplicatePairsDialog

        self.pairs_dialog = DuplicatePairsDialog(self._ctx.services, self)
        self.pairs_dialog.open()

    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row < 0 and self.search.text():
            self.search.clear()
            self._search_timer.stop()
            self.reload()
            row = self.model.row_of(person_id)
        if row >= 0:
            self._select_row(row)
        if self.person_file.person_id != person_id:
            self.person_file.show_person(person_id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_contact(self) -> None:
        self.person_file.focus_new_contact()

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity == "person" and (change.kind in ("created", "deleted", "imported") or not change.person_ids):
            self.reload()
        elif change.entity in ("person", "contact"):
            self.model.refresh_rows(change.person_ids)
