"""A laptop away from the office (issue 15): the team database's server cannot be reached – the app says so in
German and offers the laptop's own database; retry and quit are there too. No server is needed: a free port
on this machine refuses every connection."""

from __future__ import annotations

import socket

import pytest

from bildungskoordination.gui.offline import OfflineDialog, open_team_or_local
from bildungskoordination.gui.opening import Cancelled
from bildungskoordination.services import Services


def _refusing_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql+psycopg://anna@127.0.0.1:{port}/bildungsbuero"


def _answer(monkeypatch, shown, *buttons):
    answers = list(buttons)

    def fake_exec(dialog: OfflineDialog):
        shown.append((dialog.windowTitle(), dialog.text(), dialog.informativeText(),
                      [b.text() for b in dialog.buttons()]))
        button = getattr(dialog, answers.pop(0))
        button.click()
        return 0

    monkeypatch.setattr(OfflineDialog, "exec", fake_exec)


def test_an_unreachable_server_is_said_and_the_laptop_database_offered(qtbot, tmp_path, monkeypatch):
    shown: list = []
    _answer(monkeypatch, shown, "local_button")
    url = _refusing_url()
    opened = open_team_or_local(url, open_local=lambda: Services.open(tmp_path / "laptop.sqlite3", unencrypted=True))
    try:
        assert opened.store.path == tmp_path / "laptop.sqlite3"
    finally:
        opened.close()
    title, text, info, buttons = shown[0]
    assert title == "Teamdatenbank nicht erreichbar"
    assert text.startswith("Der Datenbankserver 127.0.0.1:") and "ist nicht erreichbar" in text
    assert "/bildungsbuero" in text and "anna" not in text
    assert "Datenbank auf diesem Laptop öffnen" in info
    assert sorted(b.replace("&", "") for b in buttons) == ["Beenden", "Datenbank auf diesem Laptop öffnen",
                                                           "Erneut versuchen"]


def test_retry_asks_again_and_quit_opens_nothing(qtbot, monkeypatch):
    shown: list = []
    _answer(monkeypatch, shown, "retry_button", "quit_button")
    opened = []
    with pytest.raises(Cancelled):
        open_team_or_local(_refusing_url(), open_server=lambda url: opened.append(url),  # type: ignore[arg-type]
                           open_local=lambda: opened.append("local"))  # type: ignore[arg-type,return-value]
    assert len(shown) == 2 and opened == []


def test_in_english(qtbot, monkeypatch):
    from bildungskoordination import i18n

    shown: list = []
    _answer(monkeypatch, shown, "quit_button")
    i18n.set_language("en")
    try:
        with pytest.raises(Cancelled):
            open_team_or_local(_refusing_url())
    finally:
        i18n.set_language("de")
    assert shown[0][0] == "Team database not reachable"
    assert "cannot be reached" in shown[0][1]
