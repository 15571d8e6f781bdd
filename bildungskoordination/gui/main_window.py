"""Main window: navigation on the left (Personen, Wiedervorlagen, Datenschutz, Kurse, Vermittlungen,
Auswertung)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from bildungskoordination import APP_NAME, __version__
from bildungskoordination.events import Change
from bildungskoordination.gui import settings
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.first_paint import after_first_paint
from bildungskoordination.gui.followups.page import FollowUpsPage
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.loader import Loader
from bildungskoordination.gui.persons.page import PersonsPage
from bildungskoordination.gui.privacy.screen_lock import IdleWatcher, LockPage, close_open_dialogs
from bildungskoordination.i18n import _

if TYPE_CHECKING:
    from bildungskoordination.gui.courses.page import CoursesPage
    from bildungskoordination.gui.courses.referrals_page import ReferralsPage
    from bildungskoordination.gui.monitoring.page import MonitoringPage
    from bildungskoordination.gui.privacy.page import PrivacyPage
    from bildungskoordination.gui.settings_dialog import SettingsValues

PAGE_PERSONS, PAGE_FOLLOWUPS, PAGE_PRIVACY, PAGE_COURSES, PAGE_REFERRALS, PAGE_MONITORING = 0, 1, 2, 3, 4, 5


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.close_guard: Callable[[], bool] | None = None  # set by the controller (the backup at exit)
        title = APP_NAME + (" – " + _("Demodaten") if ctx.demo else "")
        self.setWindowTitle(title)
        self.nav = QListWidget()
        self.nav.setAccessibleName(_("Bereiche"))
        self.nav.setMinimumWidth(170)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.persons = PersonsPage(ctx)
        self.followups = FollowUpsPage(ctx)
        self._add_page(_("Personen"), self.persons, "area_persons")
        self._add_page(_("Wiedervorlagen"), self.followups, "area_followups")
        # The other areas are built on their first visit (or first use from code): the first paint waits
        # only for the person list (issue 13). Until then an empty stand-in holds their place in the stack.
        self._builders: dict[int, Callable[[], QWidget]] = {
            PAGE_PRIVACY: self._build_privacy, PAGE_COURSES: self._build_courses,
            PAGE_REFERRALS: self._build_referrals, PAGE_MONITORING: self._build_monitoring}
        self._add_page(_("Datenschutz"), QWidget(), "area_privacy")
        self._add_page(_("Kurse"), QWidget(), "area_courses")
        self._add_page(_("Vermittlungen"), QWidget(), "area_referrals")
        self._add_page(_("Auswertung"), QWidget(), "area_monitoring")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([180, 1186])
        self.main_splitter = splitter
        # The lock page replaces the content when locked (see gui/privacy/screen_lock.py).
        self.lock_page = LockPage(ctx.services.encrypted)
        self.lock_page.unlock_requested.connect(self._on_lock_page_unlock_requested)
        self.root = QStackedWidget()
        self.root.addWidget(splitter)
        self.root.addWidget(self.lock_page)
        self.setCentralWidget(self.root)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.followups.open_person.connect(self._on_followups_open_person)
        self.followups.owner_changed.connect(self._update_followup_badge)
        ctx.signal.changed.connect(self._on_signal_changed)
        self._badge: Loader[int] = Loader(self, _("Wiedervorlagen"))
        self._build_menu()
        # Counting due follow-ups reads the database (grows with it): after the person list has painted.
        after_first_paint(self.persons.table.viewport(), self._update_followup_badge)
        self.statusBar().showMessage(self._store_text())
        if not ctx.services.encrypted and not ctx.demo and ctx.services.store.path is not None:
            self.setWindowTitle(self.windowTitle() + " – " + _("UNVERSCHLÜSSELT"))
        self.idle = IdleWatcher(settings.lock_minutes(), self, watch=False)
        self.idle.idle.connect(self.lock)
        after_first_paint(self, self.idle.watch)
        self._restore_geometry()

    def _on_import_persons(self) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.import_button.click()

    # --- areas built on first visit ---------------------------------------------------------------
    def _on_nav_current_row_changed(self, row: int) -> None:
        self._page(row)
        self.stack.setCurrentIndex(row)

    def _page(self, index: int) -> QWidget:
        """The area at ``index``, built now if this is its first use."""
        builder = self._builders.pop(index, None)
        if builder is None:
            return self.stack.widget(index)
        stand_in = self.stack.widget(index)
        page = builder()
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        return page

    @property
    def privacy(self) -> PrivacyPage:
        return cast("PrivacyPage", self._page(PAGE_PRIVACY))

    @property
    def courses(self) -> CoursesPage:
        return cast("CoursesPage", self._page(PAGE_COURSES))

    @property
    def referrals(self) -> ReferralsPage:
        return cast("ReferralsPage", self._page(PAGE_REFERRALS))

    @property
    def monitoring(self) -> MonitoringPage:
        return cast("MonitoringPage", self._page(PAGE_MONITORING))

    def _build_privacy(self) -> QWidget:
        from bildungskoordination.gui.privacy.backups_page import BackupsPage
        from bildungskoordination.gui.privacy.page import PrivacyPage

        page = PrivacyPage(self._ctx)
        if not self._ctx.services.on_server:  # a team database is backed up by the server (README)
            page.add_tab(BackupsPage(self._ctx), _("&Sicherungen"))
        page.open_person.connect(self._on_privacy_open_person)
        return page

    def _build_courses(self) -> QWidget:
        from bildungskoordination.gui.courses.page import CoursesPage

        return CoursesPage(self._ctx)

    def _build_referrals(self) -> QWidget:
        from bildungskoordination.gui.courses.referrals_page import ReferralsPage

        page = ReferralsPage(self._ctx)
        page.open_person.connect(self._on_referrals_open_person)
        return page

    def _build_monitoring(self) -> QWidget:
        from bildungskoordination.gui.monitoring.page import MonitoringPage

        return MonitoringPage(self._ctx)

    def _add_page(self, title: str, page: QWidget, icon_role: str, *, enabled: bool = True) -> None:
        item = QListWidgetItem(icon(icon_role), title)
        if not enabled:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(_("kommt in einer der nächsten Versionen"))
        self.nav.addItem(item)
        self.stack.addWidget(page)

    def _build_menu(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(_("&Datei"))
        self.action_new_person = self._action(_("&Neue Person"), QKeySequence.StandardKey.New, self._on_new_person,
                                              "new_person")
        self.action_new_contact = self._action(_("Neuer Beratungs&kontakt"), QKeySequence("Ctrl+K"),
                                               self._on_new_contact, "new_contact")
        self.action_save = self._action(_("&Speichern"), QKeySequence.StandardKey.Save,
                                        lambda: self.persons.person_file.save(), "save")
        self.action_search = self._action(_("&Suchen"), QKeySequence.StandardKey.Find, self._on_search, "search")
        file_menu.addActions([self.action_new_person, self.action_new_contact, self.action_save])
        file_menu.addAction(self._action(_("Personenliste e&inlesen …"), None, self._on_import_persons, "import"))
        file_menu.addSeparator()
        self.action_settings = self._action(_("&Einstellungen …"), QKeySequence("Ctrl+,"), self._on_settings, "settings")
        file_menu.addAction(self.action_settings)
        letters = self._action(_("B&riefe einrichten …"), None, self._on_letter_settings, "letter_settings")
        # Letterhead, settings and rules belong to the role admin of a team database (store/roles.py).
        letters.setVisible(self._ctx.services.role == "admin")
        file_menu.addAction(letters)
        self.action_change_passphrase = self._action(_("&Passphrase ändern …"), None, self.change_passphrase, "lock")
        store = self._ctx.services.store
        self.action_change_passphrase.setEnabled(self._ctx.services.encrypted and not store.read_only)
        file_menu.addAction(self.action_change_passphrase)
        file_menu.addAction(self._action(_("&Teamdatenbank …"), None, self._on_team_database))
        file_menu.addSeparator()
        file_menu.addAction(self._action(_("&Beenden"), QKeySequence.StandardKey.Quit, self.close, "quit"))
        go_menu = menu.addMenu(_("&Gehe zu"))
        go_menu.addAction(self.action_search)
        for number, (text, page, role) in enumerate(((_("&Personen"), PAGE_PERSONS, "area_persons"),
                                                     (_("&Wiedervorlagen"), PAGE_FOLLOWUPS, "area_followups"),
                                                     (_("&Datenschutz"), PAGE_PRIVACY, "area_privacy"),
                                                     (_("&Kurse"), PAGE_COURSES, "area_courses"),
                                                     (_("&Vermittlungen"), PAGE_REFERRALS, "area_referrals"),
                                                     (_("&Auswertung"), PAGE_MONITORING, "area_monitoring")), start=1):
            go_menu.addAction(self._action(text, QKeySequence(f"Ctrl+{number}"),
                                           lambda _checked=False, p=page: self.nav.setCurrentRow(p), role))
        self.action_lock = self._action(_("Sp&erren"), QKeySequence("Ctrl+L"), self.lock, "lock")
        go_menu.addSeparator()
        go_menu.addAction(self.action_lock)
        help_menu = menu.addMenu(_("&Hilfe"))
        help_menu.addAction(self._action(_("Ü&ber Bildungskoordination"), None, self._on_about, "about"))
        self._build_toolbar()

    def _build_toolbar(self) -> None:
        """The main actions with their icons, as in the office programs beside it (text beside the icon)."""
        bar = self.addToolBar(_("Werkzeugleiste"))
        bar.setObjectName("main_toolbar")  # saveState/restoreState
        bar.setMovable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setAccessibleName(_("Werkzeugleiste"))
        bar.addActions([self.action_new_person, self.action_new_contact, self.action_save])
        bar.addSeparator()
        bar.addAction(self.action_search)
        bar.addSeparator()
        bar.addAction(self.action_settings)
        self.toolbar = bar

    def _action(self, text: str, shortcut, slot, icon_role: str | None = None) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if icon_role is not None:
            action.setIcon(icon(icon_role))
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # --- screen lock ---------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.root.currentWidget() is self.lock_page

    def lock(self) -> None:
        if self.locked:
            return
        close_open_dialogs(self)
        self.root.widget(0).hide()
        self.root.setCurrentWidget(self.lock_page)
        self.menuBar().hide()
        self.toolbar.hide()
        self.statusBar().hide()
        for action in self.actions():
            action.setEnabled(False)
        self.lock_page.reset()

    def _on_lock_page_unlock_requested(self, passphrase: str) -> None:
        services = self._ctx.services
        if services.encrypted and not services.verify_passphrase(passphrase):
            self._audit("unlock_failed")
            self.lock_page.show_wrong()
            return
        self._audit("unlock")
        for action in self.actions():
            action.setEnabled(True)
        self.menuBar().show()
        self.toolbar.show()
        self.statusBar().show()
        self.root.setCurrentWidget(self.root.widget(0))
        self.root.widget(0).show()
        self.lock_page.reset()

    def _audit(self, action: str) -> None:
        audit = getattr(self._ctx.services, "audit", None)
        if audit is not None:
            audit.record(action, "database")

    # --- slots ---------------------------------------------------------------------------------
    def _on_new_person(self) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.new_person()

    def _on_new_contact(self) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.new_contact()

    def _on_search(self) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.focus_search()

    def _on_followups_open_person(self, person_id: int) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.select_person(person_id)

    def _on_privacy_open_person(self, person_id: int) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.select_person(person_id)

    def _on_referrals_open_person(self, person_id: int) -> None:
        self.nav.setCurrentRow(PAGE_PERSONS)
        self.persons.select_person(person_id)

    def _on_letter_settings(self) -> None:
        from bildungskoordination.gui.letters.settings_page import open_letter_settings

        open_letter_settings(self._ctx, self)

    def _on_settings(self) -> None:
        from bildungskoordination.gui.settings_dialog import SettingsDialog, SettingsValues

        services = self._ctx.services
        current = SettingsValues(language=settings.ui_language(), lock_minutes=round(settings.lock_minutes()),
                                 # A team database's rules are the admin's (store/roles.py).
                                 audit_keep_days=None if services.store.read_only or services.role != "admin"
                                 else services.audit.keep_days())
        dialog = SettingsDialog(current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_settings(dialog.values(), current)

    def change_passphrase(self) -> None:
        from bildungskoordination.gui.privacy.passphrase import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self._ctx.services, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(_("Passphrase geändert. Ältere Sicherungen öffnen sich weiter mit der "
                                           "bisherigen Passphrase."), 15000)

    def apply_settings(self, values: SettingsValues, before: SettingsValues | None = None) -> None:
        """Store what the settings dialog returned and put it into effect now (the language at next start)."""
        from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS

        settings.set_ui_language(values.language)
        if before is None or values.lock_minutes != before.lock_minutes:
            settings.set_lock_minutes(values.lock_minutes)
            self.idle.set_minutes(settings.lock_minutes())
        if values.audit_keep_days is not None and (before is None or values.audit_keep_days != before.audit_keep_days):
            try:
                self._ctx.services.settings.set(AUDIT_KEEP_DAYS, values.audit_keep_days)
            except Exception as exc:  # noqa: BLE001 – say so rather than pretend it was kept
                QMessageBox.critical(self, _("Nicht gespeichert"),
                                     _("Die Aufbewahrungsfrist wurde nicht gespeichert: {error}").format(error=exc))

    def _on_about(self) -> None:
        QMessageBox.about(self, _("Über Bildungskoordination"),
                          _("<b>Bildungskoordination</b> {version}<br>Fallverwaltung für die Bildungskoordination "
                            "für Neuzugewanderte.<br><br>Datenbank: {store}").format(
                              version=__version__, store=self._store_text()))

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity in ("contact", "person"):  # not after a backup, an export, a setting …
            self._update_followup_badge()

    def _update_followup_badge(self) -> None:
        """Counted on a worker: the count reads every open follow-up (0.6 s on 50 000 people with a cold cache)."""
        self._badge.load(self.followups.due_count, self._show_followup_badge)

    def _show_followup_badge(self, n: int) -> None:
        item = self.nav.item(PAGE_FOLLOWUPS)
        item.setText(_("Wiedervorlagen") + (f" ({n})" if n else ""))

    def _store_text(self) -> str:
        services = self._ctx.services
        if services.on_server:
            return _("Teamdatenbank {where} – Rolle {role}").format(where=services.location, role=services.role)
        return services.location or _("nur im Arbeitsspeicher")

    def _on_team_database(self) -> None:
        from bildungskoordination.gui.connection import ConnectionDialog

        ConnectionDialog(self).exec()

    # --- window state --------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = settings.load_bytes("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1366, 768)
        state = settings.load_bytes("window/persons_splitter")
        if state is not None:
            self.persons.splitter.restoreState(state)
        else:
            self.persons.splitter.setSizes([655, 555])  # list columns and the person form both fit at 1366×768

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.persons.file_dirty:
            answer = QMessageBox.question(
                self, _("Ungespeicherte Änderungen"),
                _("Die Änderungen an der geöffneten Person sind noch nicht gespeichert. Speichern?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.persons.person_file.save()):
                event.ignore()
                return
        if self.close_guard is not None and not self.close_guard():
            event.ignore()  # e.g. the exit backup runs first, visibly; it closes the window again when done
            return
        settings.save_bytes("window/geometry", self.saveGeometry())
        settings.save_bytes("window/persons_splitter", self.persons.splitter.saveState())
        event.accept()
