"""A person's file: master data and counselling contacts, on tabs."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.persons.contact_entry import ContactEntry
from bildungskoordination.gui.persons.contacts_model import ContactHistoryModel, SortRole
from bildungskoordination.gui.persons.duplicates_dialog import DuplicateDialog
from bildungskoordination.gui.persons.form import PersonForm
from bildungskoordination.i18n import _
from bildungskoordination.people.records import ContactData, NotFound, ValidationError


class PersonFile(QWidget):
    open_person = Signal(int)  # ask the page to show another person (from the duplicate dialog)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.person_id: int | None = None
        self._dirty = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.header.setFont(font)
        layout.addWidget(self.header)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # Master data tab
        master = QWidget()
        master_layout = QVBoxLayout(master)
        master_layout.setContentsMargins(0, 0, 0, 0)
        self.form = PersonForm()
        self.form.edited.connect(self._on_form_edited)
        master_layout.addWidget(self.form, 1)
        buttons = QHBoxLayout()
        self.status = QLabel()
        buttons.addWidget(self.status, 1)
        self.revert_button = QPushButton(_("&Verwerfen"))
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.save_button = QPushButton(_("&Speichern"))
        self.save_button.setToolTip(_("Strg+S"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        master_layout.addLayout(buttons)
        self.tabs.addTab(master, _("&Stammdaten"))

        # Contacts tab
        contacts = QSplitter(Qt.Orientation.Vertical)
        self.history_model = ContactHistoryModel(self)
        self.history_proxy = QSortFilterProxyModel(self)
        self.history_proxy.setSourceModel(self.history_model)
        self.history_proxy.setSortRole(SortRole)
        self.history = QTableView()
        self.history.setModel(self.history_proxy)
        self.history.setSortingEnabled(True)
        self.history.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.history.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.history.setAlternatingRowColors(True)
        self.history.verticalHeader().hide()
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history.setWordWrap(True)
        self.history.setAccessibleName(_("Beratungskontakte"))
        contacts.addWidget(self.history)
        self.entry = ContactEntry()
        self.entry.submitted.connect(self._on_entry_submitted)
        contacts.addWidget(self.entry)
        contacts.setStretchFactor(0, 1)
        self.tabs.addTab(contacts, _("&Beratung"))
        self.contacts_tab_index = 1

        ctx.signal.changed.connect(self._on_signal_changed)
        self.show_new()

    # --- showing --------------------------------------------------------------------------------
    def show_new(self) -> None:
        self.person_id = None
        self.form.clear()
        self.history_model.set_rows([])
        self.tabs.setTabEnabled(self.contacts_tab_index, False)
        self.tabs.setCurrentIndex(0)
        self.header.setText(_("Neue Person"))
        self._set_dirty(False)
        self.status.setText(_("Pflichtfelder sind mit * markiert."))
        self.form.family_name.setFocus()

    def show_person(self, person_id: int) -> None:
        try:
            data = self._ctx.services.people.get(person_id)
        except NotFound:
            self.show_new()
            return
        self.person_id = person_id
        self.form.load(data)
        self._set_header(data.family_name, data.given_name, data.file_number, data.name_original)
        self.tabs.setTabEnabled(self.contacts_tab_index, True)
        self._reload_contacts()
        self._set_dirty(False)
        self.status.setText("")

    def _set_header(self, family: str, given: str, number: str, original: str) -> None:
        text = f"{family}, {given} – {number}"
        if original:
            text += f"   {original}"
        self.header.setText(text)

    def _reload_contacts(self) -> None:
        if self.person_id is None:
            return
        self.history_model.set_rows(self._ctx.services.contacts.for_person(self.person_id))
        self.history.resizeRowsToContents()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.revert_button.setEnabled(dirty)

    # --- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        data, errors = self.form.collect()
        if errors:
            self.form.show_errors(errors)
            self.status.setText(_("Nicht gespeichert: bitte die markierten Felder prüfen."))
            return False
        services = self._ctx.services
        errors = services.people.check(data, person_id=self.person_id)
        if errors:
            self.form.show_errors(errors)
            self.status.setText(_("Nicht gespeichert: bitte die markierten Felder prüfen."))
            return False
        try:
            if self.person_id is None:
                candidates = services.people.duplicates_of(data)
                if candidates:
                    dialog = DuplicateDialog(candidates, self)
                    if dialog.exec() != QDialog.DialogCode.Accepted:
                        if dialog.open_id is not None:
                            self._set_dirty(False)
                            self.open_person.emit(dialog.open_id)
                        return False
                new_id = services.people.create(data)
                self._set_dirty(False)
                self.open_person.emit(new_id)
                self.show_person(new_id)
            else:
                services.people.update(self.person_id, data)
                self.show_person(self.person_id)
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            self.status.setText(_("Nicht gespeichert: bitte die markierten Felder prüfen."))
            return False
        except Exception as exc:  # noqa: BLE001 – the user must learn that nothing was saved
            QMessageBox.critical(self, _("Nicht gespeichert"), _("Speichern fehlgeschlagen: {error}").format(error=exc))
            return False
        # Shown only after the commit returned.
        self.status.setText(_("Gespeichert."))
        return True

    def _on_form_edited(self) -> None:
        self._set_dirty(True)
        self.status.setText(_("Ungespeicherte Änderungen"))

    def _on_revert_button_clicked(self) -> None:
        if self.person_id is None:
            self.show_new()
        else:
            self.show_person(self.person_id)

    def _on_entry_submitted(self, data: ContactData) -> None:
        if self.person_id is None:
            return
        try:
            self._ctx.services.contacts.add(self.person_id, data)
        except ValidationError as exc:
            self.entry.show_errors(exc.errors)
            return
        self.entry.reset()
        self.entry.contact_date.setFocus()

    def focus_new_contact(self) -> None:
        if self.person_id is None:
            return
        self.tabs.setCurrentIndex(self.contacts_tab_index)
        self.entry.contact_date.setFocus()

    def _on_signal_changed(self, change: Change) -> None:
        if self.person_id is None or self.person_id not in change.person_ids:
            return
        if change.entity == "contact":
            self._reload_contacts()
        elif change.entity == "person" and change.kind == "deleted":
            self.show_new()
