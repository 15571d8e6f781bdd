"""A person's file: master data and counselling contacts, on tabs; the privacy actions in the "Mehr" menu.

When consent was withdrawn, processing is restricted (Art. 18 DSGVO): a banner says so, the form is read-only
and no contact can be added (the services refuse too). Withdrawal, renewal, the Art. 15 export and the
erasure are one service call each; the file then refreshes from the change signal like every view.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.conflicts import ConflictError
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.events import Change
from bildungskoordination.gui.conflict_dialog import Choice, ConflictDialog
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.lazy import LazyWidget
from bildungskoordination.gui.persons.contact_entry import ContactEntry
from bildungskoordination.gui.persons.contacts_model import ContactHistoryModel, SortRole
from bildungskoordination.gui.persons.duplicates_dialog import DuplicateDialog
from bildungskoordination.gui.persons.form import PersonForm
from bildungskoordination.gui.privacy.access_answer import write_access_answer
from bildungskoordination.gui.privacy.consent_dialog import ConsentDialog
from bildungskoordination.gui.privacy.erase_dialog import EraseDialog
from bildungskoordination.gui.widgets import error_list, merge_errors
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.privacy.policy import BASIS_WITHDRAWAL
from bildungskoordination.privacy.restriction import ProcessingRestricted

if TYPE_CHECKING:
    from bildungskoordination.gui.courses.matches_tab import MatchesTab


def restriction_banner_text(withdrawn_on: date) -> str:
    return _("Verarbeitung eingeschränkt: Einwilligung am {date} widerrufen – nur Speicherung; keine neuen "
             "Kontakte, Briefe oder Vermittlungen").format(date=withdrawn_on.strftime("%d.%m.%Y"))


class PersonFile(QWidget):
    open_person = Signal(int)  # ask the page to show another person (from the duplicate dialog)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.person_id: int | None = None
        self._person: PersonData | None = None
        self._version: int | None = None  # of the person as loaded: saves pass it (optimistic locking)
        self._dirty = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        top = QHBoxLayout()
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.header.setFont(font)
        top.addWidget(self.header, 1)
        self._build_more_menu()
        top.addWidget(self.more_button)
        layout.addLayout(top)
        self.banner = QLabel()
        self.banner.setObjectName("restrictionBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("#restrictionBanner { background: #fde7e9; color: #8c1d18; padding: 6px; "
                                  "border: 1px solid #e6a8a3; font-weight: bold; }")
        self.banner.hide()
        layout.addWidget(self.banner)

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
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        self.revert_button = QPushButton(_("V&erwerfen"))
        self.revert_button.setIcon(icon("discard"))
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.save_button = QPushButton(_("&Speichern"))
        self.save_button.setIcon(icon("save"))
        self.save_button.setToolTip(_("Strg+S"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        master_layout.addLayout(buttons)
        self.tabs.addTab(master, _("Stammdaten"))

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
        self.entry.checker = ctx.services.contacts.check
        self.entry.submitted.connect(self._on_entry_submitted)
        contacts.addWidget(self.entry)
        contacts.setStretchFactor(0, 1)
        self.tabs.addTab(contacts, _("&Beratung"))
        self.contacts_tab_index = 1

        # Passende Kurse: ranked only while the tab is shown, and built on its first showing – matching,
        # referrals and letters are not loaded before the first paint (issue 13).
        self._matches: LazyWidget[MatchesTab] = LazyWidget(self._make_matches)
        self.tabs.addTab(self._matches, _("Passende &Kurse"))
        self.matches_tab_index = 2
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        ctx.signal.changed.connect(self._on_signal_changed)
        self.show_new()

    @property
    def matches(self) -> MatchesTab:
        """The "Passende Kurse" tab, built on first use."""
        return self._matches.widget()

    def _make_matches(self) -> MatchesTab:
        from bildungskoordination.gui.courses.matches_tab import MatchesTab

        tab = MatchesTab(self._ctx)
        tab.set_person(self.person_id, self.restricted)
        return tab

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == self.matches_tab_index:
            self.matches  # noqa: B018 – built (and ranked) the first time the tab is shown

    def _build_more_menu(self) -> None:
        self.more_menu = QMenu(self)
        self.action_withdraw = self.more_menu.addAction(_("Einwilligung &widerrufen …"))
        self.action_renew = self.more_menu.addAction(_("Einwilligung &erneuern …"))
        self.more_menu.addSeparator()
        self.action_export = self.more_menu.addAction(_("&Auskunft nach Art. 15 …"))
        self.action_export.setToolTip(_("Alles über diese Person als JSON und PDF in einen Ordner schreiben"))
        self.more_menu.addSeparator()
        self.action_erase = self.more_menu.addAction(_("Person endgültig &löschen …"))
        self.action_withdraw.triggered.connect(self._on_action_withdraw_triggered)
        self.action_renew.triggered.connect(self._on_action_renew_triggered)
        self.action_export.triggered.connect(self._on_action_export_triggered)
        self.action_erase.triggered.connect(self._on_action_erase_triggered)
        # Alt+R: the topics of the contact entry leave it free (see contact_entry.py).
        self.more_button = QPushButton(_("Meh&r"))
        self.more_button.setToolTip(_("Einwilligung, Auskunft nach Art. 15, Löschung"))
        self.more_button.setAccessibleName(_("Weitere Aktionen zur Person"))
        self.more_button.setMenu(self.more_menu)

    def _update_actions(self) -> None:
        data = self._person
        writable = not self._ctx.services.store.read_only
        self.more_button.setEnabled(data is not None)
        restricted = data is not None and data.is_restricted
        self.action_withdraw.setEnabled(data is not None and writable and not restricted)
        self.action_renew.setEnabled(restricted and writable)
        self.action_export.setEnabled(data is not None)
        self.action_erase.setEnabled(data is not None and writable)

    def _set_restricted(self, data: PersonData | None) -> None:
        restricted = data is not None and data.consent_withdrawn_at is not None
        if data is not None and data.consent_withdrawn_at is not None:
            self.banner.setText(restriction_banner_text(data.consent_withdrawn_at))
        self.banner.setVisible(restricted)
        self.form.set_read_only(restricted)
        self.entry.setEnabled(not restricted)
        self.save_button.setEnabled(not restricted)

    @property
    def restricted(self) -> bool:
        return self._person is not None and self._person.is_restricted

    # --- showing --------------------------------------------------------------------------------
    def show_new(self) -> None:
        self.person_id = None
        self._person = None
        self._set_restricted(None)
        self._update_actions()
        self.form.clear()
        self.history_model.set_rows([])
        self.tabs.setTabEnabled(self.contacts_tab_index, False)
        self.tabs.setTabEnabled(self.matches_tab_index, False)
        if self._matches.built is not None:
            self._matches.built.set_person(None)
        self.tabs.setCurrentIndex(0)
        self.header.setText(_("Neue Person"))
        self._set_dirty(False)
        self.status.setText(_("Pflichtfelder sind mit * markiert."))
        self.form.family_name.setFocus()

    def show_person(self, person_id: int) -> None:
        try:
            data, self._version = self._ctx.services.people.get_versioned(person_id)
        except NotFound:
            self.show_new()
            return
        self.person_id = person_id
        self._person = data
        self.form.load(data)
        self._set_restricted(data)
        self._update_actions()
        self._set_header(data.family_name, data.given_name, data.file_number, data.name_original)
        self.tabs.setTabEnabled(self.contacts_tab_index, True)
        self.tabs.setTabEnabled(self.matches_tab_index, True)
        if self._matches.built is not None:
            self._matches.built.set_person(person_id, data.is_restricted)
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
        if self.restricted:
            self.status.setText(_("Nicht gespeichert: die Verarbeitung ist eingeschränkt."))
            return False
        data, unreadable = self.form.collect()
        services = self._ctx.services
        errors = merge_errors(unreadable, services.people.check(data, person_id=self.person_id))
        if errors:
            self._show_errors(errors)
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
            elif not self._save_over(data):
                return False
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return False
        except Exception as exc:  # noqa: BLE001 – the user must learn that nothing was saved
            QMessageBox.critical(self, _("Nicht gespeichert"), _("Speichern fehlgeschlagen: {error}").format(error=exc))
            return False
        # Shown only after the commit returned.
        self.status.setText(_("Gespeichert."))
        self.status.setToolTip("")
        return True

    def _show_errors(self, errors: list) -> None:  # type: ignore[type-arg]
        """All of them at once: under their fields, and named in the status line (the list in its tooltip)."""
        errors = self.form.ordered(errors)
        self.form.show_errors(errors)
        names = ", ".join(dict.fromkeys(self.form.field_label(e.field) for e in errors))
        self.status.setText(ngettext("Nicht gespeichert – {n} Angabe prüfen: {fields}",
                                     "Nicht gespeichert – {n} Angaben prüfen: {fields}", len(errors))
                            .format(n=len(errors), fields=names))
        self.status.setToolTip(error_list(errors, self.form.field_label))

    def _save_over(self, data: PersonData) -> bool:
        """Save an existing person against the version loaded; when someone else saved in between, the
        conflict dialog shows both values per field and the user chooses (issue 15)."""
        assert self.person_id is not None
        services = self._ctx.services
        while True:
            try:
                services.people.update(self.person_id, data, expected_version=self._version)
                break
            except ConflictError as conflict:
                dialog = ConflictDialog(conflict, data, self._person, parent=self)
                dialog.exec()
                if dialog.choice is Choice.RELOAD:
                    self._set_dirty(False)
                    self.show_person(self.person_id)
                    self.status.setText(_("Neu geladen; Ihre Änderungen wurden verworfen."))
                    return False
                if dialog.choice is Choice.CANCEL:
                    self.status.setText(_("Nicht gespeichert: gleichzeitig von jemand anderem geändert."))
                    return False
                data, self._version = dialog.result_data, conflict.current_version
        self.show_person(self.person_id)
        return True

    def _on_form_edited(self) -> None:
        self._set_dirty(True)
        self.status.setText(_("Ungespeicherte Änderungen"))
        self.status.setToolTip("")

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
        except ProcessingRestricted as exc:
            QMessageBox.warning(self, _("Nicht gespeichert"), "; ".join(e.message for e in exc.errors))
            return
        except ValidationError as exc:
            self.entry.show_errors(exc.errors)
            return
        self.entry.reset()
        self.entry.show_saved()  # only after the commit returned
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
            self._set_dirty(False)  # the person is gone; there is nothing left to save
            self.show_new()
        elif change.entity == "person" and not self._dirty:
            self.show_person(self.person_id)  # e.g. consent withdrawn: banner, read-only form
        elif change.entity == "person" and change.kind == "updated":
            # Someone else saved this person while it is being edited here (issue 15): say so now.
            self.status.setText(_("Inzwischen von jemand anderem geändert – beim Speichern zeigt die Anwendung "
                                  "beide Werte zur Wahl."))

    # --- privacy actions (Mehr ▾) ----------------------------------------------------------------
    def _person_label(self) -> str:
        data = self._person
        return "" if data is None else f"{data.family_name}, {data.given_name}"

    def _may_discard_changes(self) -> bool:
        """Before an action that reloads the file: save or drop unsaved edits, or stay."""
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self, _("Ungespeicherte Änderungen"),
            _("Die Änderungen an dieser Person sind noch nicht gespeichert. Speichern?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._set_dirty(False)
            return True
        return False

    def _withdrawal_period(self) -> str:
        rules = [r for r in self._ctx.services.retention.rules() if r.basis == BASIS_WITHDRAWAL]
        return rules[0].period if rules else ""

    def _on_action_withdraw_triggered(self) -> None:
        if self.person_id is None or not self._may_discard_changes():
            return
        dialog = ConsentDialog(self._person_label(), withdraw=True, period=self._withdrawal_period(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._ctx.services.people.withdraw_consent(self.person_id, dialog.day())
        except (ValidationError, NotFound) as exc:
            QMessageBox.warning(self, _("Nicht eingetragen"), _error_text(exc))
            return
        self.status.setText(_("Widerruf eingetragen; die Verarbeitung ist eingeschränkt."))

    def _on_action_renew_triggered(self) -> None:
        if self.person_id is None:
            return
        dialog = ConsentDialog(self._person_label(), withdraw=False, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._ctx.services.people.renew_consent(self.person_id, dialog.day())
        except (ValidationError, NotFound) as exc:
            QMessageBox.warning(self, _("Nicht eingetragen"), _error_text(exc))
            return
        self.status.setText(_("Einwilligung eingetragen; die Einschränkung ist aufgehoben."))

    def _on_action_export_triggered(self) -> None:
        if self.person_id is not None:
            write_access_answer(self, self._ctx, self.person_id, self.status.setText)

    def _on_action_erase_triggered(self) -> None:
        data, pid = self._person, self.person_id
        if data is None or pid is None:
            return
        dialog = EraseDialog(self._person_label(), data.file_number, pid, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.reason():
            return
        try:
            self._ctx.services.erasure.erase(pid, dialog.reason())
        except Exception as exc:  # noqa: BLE001 – the coordinator must learn that the person is still there
            QMessageBox.critical(self, _("Nicht gelöscht"),
                                 _("Die Löschung ist fehlgeschlagen: {error}").format(error=exc))
            return
        self.status.setText(_("Die Person wurde endgültig gelöscht."))


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(e.message for e in exc.errors)
    return str(exc)
