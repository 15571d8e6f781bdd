"""The window of a team database's role ``monitoring``: only the Auswertung. The server refuses this role every
case file (store/roles.py), so the app does not offer those areas at all."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from bildungskoordination import APP_NAME
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.monitoring.page import MonitoringPage
from bildungskoordination.i18n import _


class MonitoringWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.setWindowTitle(f"{APP_NAME} – {_('Auswertung')}")
        self.monitoring = MonitoringPage(ctx)
        self.setCentralWidget(self.monitoring)
        file_menu = self.menuBar().addMenu(_("&Datei"))
        file_menu.addAction(_("&Teamdatenbank …"), self._on_team_database)
        quit_action = file_menu.addAction(_("B&eenden"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.statusBar().showMessage(_("Teamdatenbank {where} – Rolle {role}: nur anonymisierte Zahlen").format(
            where=ctx.services.location, role=ctx.services.role))
        self.resize(1100, 760)

    def _on_team_database(self) -> None:
        from bildungskoordination.gui.connection import ConnectionDialog

        ConnectionDialog(self).exec()
