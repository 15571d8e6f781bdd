"""Opening the team database – and what a laptop away from the office can do instead (issue 15).

When the server cannot be reached (connection refused, no answer, no network or VPN), the app says so in
plain words and offers the single-laptop database. Nothing is merged between the two: taking a working copy
out and bringing it back is designed in docs/arbeitskopie.md, not built yet.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from bildungskoordination.gui.opening import Cancelled, open_user_database
from bildungskoordination.i18n import _
from bildungskoordination.services import ServerUnreachable, Services, default_db_path, probe_server


class OfflineDialog(QMessageBox):
    """"Server not reachable": open the laptop's own database, try again, or quit."""

    def __init__(self, problem: ServerUnreachable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(_("Teamdatenbank nicht erreichbar"))
        self.setText(str(problem))
        self.setInformativeText(_(
            "Sie können stattdessen die Datenbank auf diesem Laptop öffnen. Dort sehen Sie nur, was auf diesem "
            "Laptop gespeichert ist, nicht die Daten des Teams; was Sie dort erfassen, kommt nicht von selbst "
            "in die Teamdatenbank."))
        self.local_button = self.addButton(_("Datenbank auf diesem &Laptop öffnen"),
                                           QMessageBox.ButtonRole.AcceptRole)
        self.retry_button = self.addButton(_("&Erneut versuchen"), QMessageBox.ButtonRole.ActionRole)
        self.quit_button = self.addButton(_("&Beenden"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.retry_button)


def open_team_or_local(url: str, *, open_server: Callable[[str], Services] | None = None,
                       open_local: Callable[[], Services] | None = None) -> Services:
    """The team database at ``url`` (gui/connection.py: password from the keyring or asked); while its server
    cannot be reached the user chooses: the laptop's own database, try again, or quit (Cancelled)."""
    from bildungskoordination.gui.connection import open_team_database

    while True:
        try:
            probe_server(url)
            return (open_server or open_team_database)(url)
        except ServerUnreachable as problem:
            dialog = OfflineDialog(problem)
            dialog.exec()
            clicked = dialog.clickedButton()
            if clicked is dialog.local_button:
                return open_local() if open_local is not None else open_user_database(default_db_path())
            if clicked is not dialog.retry_button:
                raise Cancelled() from None
