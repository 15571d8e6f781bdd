"""Datenschutz: Löschvorschläge and Protokoll on tabs (and, added by the app, Sicherungen)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.privacy.audit_page import AuditPage
from bildungskoordination.gui.privacy.erasure_page import ErasurePage
from bildungskoordination.i18n import _


class PrivacyPage(QWidget):
    open_person = Signal(int)  # ask the main window to show a person (like FollowUpsPage.open_person)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Datenschutz"))
        layout.addWidget(self.tabs)
        self.erasure = ErasurePage(ctx)
        self.audit = AuditPage(ctx)
        self.tabs.addTab(self.erasure, _("&Löschvorschläge"))
        self.tabs.addTab(self.audit, _("&Protokoll"))
        self.erasure.open_person.connect(self.open_person)

    # HOOK Sicherungen: the lead adds the backups tab here, e.g. ``page.add_tab(BackupsPage(ctx), _("&Sicherungen"))``
    # (Alt-keys L and P are taken by the tabs above; D, G and H by the menu bar).
    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a further tab (after Löschvorschläge and Protokoll); returns its index."""
        return self.tabs.addTab(widget, title)

    def show_erasure(self) -> None:
        self.tabs.setCurrentWidget(self.erasure)

    def show_audit(self, person_id: int | None = None) -> None:
        """The Protokoll tab, for one person (by internal number) or all."""
        self.tabs.setCurrentWidget(self.audit)
        self.audit.show_person(person_id, typed="" if person_id is None else str(person_id))
