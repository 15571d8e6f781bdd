"""An unexpected error shows a German message, writes a report without personal data, keeps the window."""

from __future__ import annotations

import stat
import sys

from bildungskoordination.gui.error_hook import ErrorHook
from bildungskoordination.privacy.error_report import FOLDER


def _save_person(name: str) -> None:
    raise ValueError(f"Familienname {name} passt nicht")  # a message that carries personal data


def test_an_unexpected_error_is_shown_and_reported_without_personal_data(qtbot, tmp_path):
    shown: list[str] = []
    hook = ErrorHook(tmp_path, show=shown.append)
    try:
        _save_person("Kanarienvogel-Abdulrahman")
    except ValueError:
        hook(*sys.exc_info())
    reports = list((tmp_path / FOLDER).iterdir())
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "Kanarienvogel" not in text and "passt nicht" not in text
    assert "builtins.ValueError" in text and "_save_person" in text and "test_error_hook.py" in text
    assert str(tmp_path) not in text.split("Ablauf", 1)[1]  # no user folder in the stack lines
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / FOLDER).stat().st_mode) == 0o700
    assert len(shown) == 1
    assert shown[0].startswith("Ein unerwarteter Fehler ist aufgetreten (ValueError). Ihre Eingaben sind noch da")
    assert str(reports[0]) in shown[0] and "Kanarienvogel" not in shown[0]


def test_the_hook_is_installed_for_the_gui_and_for_worker_threads(qtbot, tmp_path, monkeypatch):
    import threading

    shown: list[str] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    hook = ErrorHook(tmp_path, show=shown.append)
    hook.install()
    assert sys.excepthook is hook
    worker = threading.Thread(target=_save_person, args=("Kanarienvogel",))
    worker.start()
    worker.join()
    assert len(list((tmp_path / FOLDER).iterdir())) == 1  # reported …
    assert shown == []  # … but no widget from a worker thread
