"""Asking before an export replaces a file the user already has.

``QFileDialog.getSaveFileName`` asks itself (native and Qt dialogs alike) – but only about the name it
returns. When the app adds the missing suffix afterwards, or writes into a chosen folder, nobody was asked;
then ``may_replace`` asks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from bildungskoordination.i18n import _


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
