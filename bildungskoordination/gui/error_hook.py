"""Errors never vanish: an unexpected exception in the GUI shows a German message, writes a local report
without personal data (privacy.error_report) and leaves the window – and what the user typed – as it is."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from bildungskoordination import APP_NAME
from bildungskoordination.i18n import _
from bildungskoordination.privacy.error_report import write_report
from bildungskoordination.services import StoreError

_Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class ErrorHook:
    """Installed as ``sys.excepthook`` (and for worker threads) while the GUI runs."""

    def __init__(self, folder: Path, show: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.show = show or _message_box
        self._busy = False  # an error while showing an error is only reported, not shown again
        self.previous: _Hook = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self
        threading.excepthook = lambda a: self(a.exc_type, a.exc_value or a.exc_type(), a.exc_traceback)

    def __call__(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, exc, tb)
            return
        if isinstance(exc, StoreError):  # worded for the user already (a refused query, the server gone)
            print(str(exc), file=sys.stderr)
            if QApplication.instance() is not None and threading.current_thread() is threading.main_thread() \
                    and not self._busy:
                self._busy = True
                try:
                    self.show(str(exc))
                finally:
                    self._busy = False
            return
        try:
            path: Path | None = write_report(self.folder, kind, tb)
        except OSError:
            path = None
        where = (_("Ein Bericht ohne personenbezogene Daten liegt unter:\n{path}").format(path=path) if path
                 else _("Ein Bericht konnte nicht gespeichert werden."))
        text = _("Ein unerwarteter Fehler ist aufgetreten ({kind}). Ihre Eingaben sind noch da – bitte speichern "
                 "Sie, was Sie gerade bearbeiten, und melden Sie den Fehler.\n\n{where}").format(
            kind=kind.__name__, where=where)
        print(text, file=sys.stderr)
        # Widgets only on the GUI thread; a worker's error is reported (file and stderr) – long work reaches the
        # user through the operation that started it.
        if self._busy or QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
            return
        self._busy = True
        try:
            self.show(text)
        finally:
            self._busy = False


def _message_box(text: str) -> None:
    QMessageBox.warning(QApplication.activeWindow(), APP_NAME, text)
