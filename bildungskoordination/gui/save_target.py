"""Where file dialogs start, and asking before an export replaces a file the user already has.

Every file dialog starts in the folder last used for the same purpose (remembered per machine), else in the
user's documents folder (``start_folder`` / ``remember_folder``) – as office programs do.

``QFileDialog.getSaveFileName`` asks itself (native and Qt dialogs alike) – but only about the name it
returns. When the app adds the missing suffix afterwards, or writes into a chosen folder, nobody was asked;
then ``may_replace`` asks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from bildungskoordination.gui import settings
from bildungskoordination.i18n import _

# What a dialog is for; each remembers its own last folder.
LETTERS, EXPORTS, IMPORTS, ACCESS_EXPORT, LOGO = "letters", "exports", "imports", "access_export", "logo"
_KEYS = {EXPORTS: "monitoring/export_folder"}  # kept from before this helper existed


def _key(purpose: str) -> str:
    return _KEYS.get(purpose, f"dialogs/folder/{purpose}")


def documents_folder() -> Path:
    """The user's documents folder (Windows "Dokumente", ~/Documents, XDG_DOCUMENTS_DIR), else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def start_folder(purpose: str) -> Path:
    """Where a file dialog for ``purpose`` opens: the folder last used for it while it still exists, else the
    documents folder."""
    remembered = settings.value(_key(purpose))
    if remembered:
        folder = Path(str(remembered))
        if folder.is_dir():
            return folder
    return documents_folder()


def remember_folder(purpose: str, chosen: str | Path) -> None:
    """After a dialog returned ``chosen`` (a file or a folder): the next dialog for ``purpose`` starts there."""
    path = Path(chosen)
    settings.set_value(_key(purpose), str(path if path.is_dir() else path.parent))


def confirm_replace(parent: QWidget, paths: list[Path]) -> bool:
    names = "\n".join(p.name for p in paths)
    answer = QMessageBox.question(
        parent, _("Datei ersetzen?"),
        _("Diese Datei gibt es schon in {folder}:\n\n{names}\n\nErsetzen?").format(folder=paths[0].parent, names=names),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def may_replace(parent: QWidget, chosen: str, target: Path) -> bool | None:
    """``overwrite`` for writing ``target`` after the save dialog returned ``chosen``; None = the user said no.
    The dialog already confirmed ``chosen`` itself; a changed name that exists is asked about here."""
    if target == Path(chosen):
        return True
    if not target.exists():
        return False
    return True if confirm_replace(parent, [target]) else None
