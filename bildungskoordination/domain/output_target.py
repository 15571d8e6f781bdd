"""May the app write a file the user chose? One rule for every export (counts, letters, Art. 15 answers).

Refused: the app's own files – the database and everything beside it whose name starts with the database's
file name (journal ``-wal``/``-shm``, ``.key.json``, ``.lock``, ``.erasures``, …), also when reached through
a symbolic or hard link –, anything inside a backup folder, and anything that is not a regular file or a new
path (folders, devices, FIFOs, sockets, links to those or into nothing). An existing file is replaced only
with ``overwrite=True`` (the CLI's ``--overwrite``, the GUI's confirmation).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from bildungskoordination.i18n import _


class OutputRefused(ValueError):
    """Nothing was written; ``exists`` when only the user's consent to replace a file is missing."""

    def __init__(self, path: Path, message: str, *, exists: bool = False) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.exists = exists


def check_output(target: Path | str, *, db_path: Path | None, backup_folders: Iterable[Path] = (),
                 overwrite: bool = False) -> Path:
    """``target`` as given when it may be written; raises OutputRefused otherwise. Reads only."""
    target = Path(target)
    places = {Path(os.path.abspath(target)), target.resolve()}
    if db_path is not None:
        db = Path(db_path).resolve()
        if any(p.parent == db.parent and p.name.startswith(db.name) for p in places) or _same_as_app_file(target, db):
            raise OutputRefused(target, _("das ist eine Datei der Anwendung (Datenbank, Journal, Schlüsseldatei, "
                                          "Sperre oder Löschliste) – bitte einen anderen Namen oder Ordner wählen"))
    for folder in backup_folders:
        folder = Path(folder).resolve()
        if any(p == folder or folder in p.parents for p in places):
            raise OutputRefused(target, _("liegt im Sicherungsordner – dort hat nur die Anwendung ihre "
                                          "Sicherungen; bitte einen anderen Ordner wählen"))
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target  # a new path
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(target).st_mode
        except OSError:
            raise OutputRefused(target, _("ist eine Verknüpfung, die ins Leere zeigt")) from None
    if not stat.S_ISREG(mode):
        raise OutputRefused(target, _kind(mode))
    if not overwrite:
        raise OutputRefused(target, _("die Datei gibt es schon und wird nicht ersetzt"), exists=True)
    return target


def _same_as_app_file(target: Path, db: Path) -> bool:
    """A hard link to the database (or a file beside it) is the database, whatever its name."""
    try:
        st = os.stat(target)
    except OSError:
        return False
    if not db.parent.is_dir():
        return False
    for entry in os.scandir(db.parent):
        if entry.name.startswith(db.name):
            try:
                other = entry.stat()
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                return True
    return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("ist ein Ordner, keine Datei")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("ist ein Gerät, keine Datei – es wird nicht beschrieben")
    if stat.S_ISFIFO(mode):
        return _("ist eine benannte Pipe (FIFO), keine Datei – sie wird nicht beschrieben")
    if stat.S_ISSOCK(mode):
        return _("ist ein Socket, keine Datei")
    return _("ist keine gewöhnliche Datei")
