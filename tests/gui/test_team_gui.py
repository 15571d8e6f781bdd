"""Team database in the GUI (issue 15), on SQLite as every GUI test: what each role sees, the connection
profile, and a query the server refused shown as its German message."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QMenu

from bildungskoordination.gui.bus import ChangeSignal
from bildungskoordination.gui.connection import ConnectionDialog, Profile, saved_profile
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.error_hook import ErrorHook
from bildungskoordination.services import NotPermitted


def _menu_texts(window) -> list[str]:  # type: ignore[no-untyped-def]
    texts = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts += [a.text() for a in menu.actions() if a.isVisible()]
    return texts


def test_monitoring_sees_only_the_auswertung(qtbot, services):
    from bildungskoordination.gui.monitoring.window import MonitoringWindow

    services.role = "monitoring"
    window = MonitoringWindow(AppContext(services=services, signal=ChangeSignal(services.bus)))
    qtbot.addWidget(window)
    window.show()
    assert window.centralWidget() is window.monitoring
    texts = _menu_texts(window)
    assert "&Teamdatenbank …" in texts and "&Neue Person" not in texts
    assert "nur anonymisierte Zahlen" in window.statusBar().currentMessage()


def test_the_letterhead_is_for_admins_only(qtbot, services):
    from bildungskoordination.gui.main_window import MainWindow

    services.role = "coordinator"
    window = MainWindow(AppContext(services=services, signal=ChangeSignal(services.bus)))
    qtbot.addWidget(window, before_close_func=lambda w: w.persons.person_file._set_dirty(False))
    texts = _menu_texts(window)
    assert "B&riefe einrichten …" not in texts and "&Neue Person" in texts


def test_connection_profile_round_trip_and_saved(qtbot):
    profile = Profile(host="db.kreis.local", port=5433, database="bildung", user="müller", verify_tls=True,
                      ca_file="/etc/ssl/kreis-ca.pem")
    url = profile.url()
    assert url.startswith("postgresql+psycopg://m%C3%BCller@db.kreis.local:5433/bildung?sslmode=verify-full")
    assert Profile.from_url(url) == profile
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("db.kreis.local")
    dialog.database.setText("bildung")
    dialog.user.setText("mueller")
    dialog.use.setChecked(True)
    dialog._on_accept()
    saved = saved_profile()
    assert saved is not None and saved.host == "db.kreis.local" and saved.verify_tls
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.use.setChecked(False)
    dialog._on_accept()
    assert saved_profile() is None


def test_a_refused_query_is_its_message_not_an_unexpected_error(qtbot, tmp_path):
    shown: list[str] = []
    hook = ErrorHook(tmp_path, show=shown.append)
    try:
        raise NotPermitted()
    except NotPermitted:
        hook(*sys.exc_info())
    assert len(shown) == 1 and shown[0].startswith("Das darf Ihre Rolle in der Teamdatenbank nicht")
    assert "unerwarteter Fehler" not in shown[0]
