"""Only the owner may read the case file: files 0600, folders this app creates 0700.

Rights are only ever taken away (group and others), never added: a file the user made read-only stays so.

SQLite creates ``-wal`` and ``-shm`` with the permissions of the database file, so a database file that is
created 0600 (before SQLite opens it) keeps its journals private too. Existing files are narrowed at every
open. Folders are only narrowed when this app creates them – ``--db /tmp/x.sqlite3`` must not change /tmp.
On Windows the same is attempted with an owner-only ACL (``icacls``); failures there are ignored (the
profile folder ``%LOCALAPPDATA%`` is private by default).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) if missing; the folders created here are owner-only."""
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        with contextlib.suppress(FileExistsError):
            created.mkdir(mode=DIR_MODE)
            _restrict(created, DIR_MODE)


def make_private_file(path: Path) -> None:
    """Narrow an existing file to 0600; create an empty one with 0600 if there is none."""
    path = Path(path)
    if path.exists():
        _restrict(path, FILE_MODE)
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        _restrict(path, FILE_MODE)


def restrict_existing(*paths: Path) -> None:
    for path in paths:
        if path.is_file():
            _restrict(path, FILE_MODE)


def _restrict(path: Path, mode: int) -> None:
    try:
        if os.name == "nt":  # pragma: no cover – Windows only
            user = os.environ.get("USERNAME", "")
            if user:
                subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:F"],
                               capture_output=True, check=False, timeout=10)
            return
        current = path.stat().st_mode & 0o777
        if current & 0o077:  # only ever take rights away: a write-protected file stays write-protected
            os.chmod(path, current & mode)
    except OSError:
        pass  # not ours (another owner, a FAT stick): the open itself decides whether we may use it
