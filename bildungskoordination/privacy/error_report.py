"""A local report of an unexpected error, without personal data.

The report names where the error happened (exception type, files, lines and functions of the stack) and the
versions – never the exception's message, arguments or local variables, which may hold a name or a note. It is
written owner-only into the data folder's "Fehlerberichte" and nowhere else; nothing is sent anywhere.
"""

from __future__ import annotations

import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from bildungskoordination import __version__
from bildungskoordination.store.files import atomic_write_bytes
from bildungskoordination.store.private import make_private_dir

FOLDER = "Fehlerberichte"
_PACKAGE = "bildungskoordination"


def _where(filename: str) -> str:
    """The file relative to the package (or its base name): no user's home folder in the report."""
    parts = Path(filename).parts
    if _PACKAGE in parts:
        return "/".join(parts[parts.index(_PACKAGE):])
    return Path(filename).name


def report_text(kind: type[BaseException], tb: TracebackType | None, now: datetime | None = None) -> str:
    lines = [
        "Fehlerbericht Bildungskoordination",
        f"Zeit: {(now or datetime.now()).replace(microsecond=0).isoformat()}",
        f"Version: {__version__}; Python {platform.python_version()}; {platform.system()} {platform.release()}",
        f"Fehlerart: {kind.__module__}.{kind.__qualname__}",
        "Ablauf (ohne Meldungstext und ohne Werte, damit keine personenbezogenen Daten hineingeraten):",
    ]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {_where(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_report(folder: Path, kind: type[BaseException], tb: TracebackType | None,
                 now: datetime | None = None) -> Path:
    """Write the report into ``folder/Fehlerberichte`` (0700 / 0600) and return its path."""
    now = now or datetime.now()
    target = folder / FOLDER
    make_private_dir(target)
    path = target / f"fehler-{now:%Y%m%d-%H%M%S-%f}.txt"
    atomic_write_bytes(path, report_text(kind, tb, now).encode("utf-8"))
    return path


def current_report(folder: Path) -> Path | None:
    """Report the exception being handled right now (for use inside an ``except`` block)."""
    kind, _exc, tb = sys.exc_info()
    return write_report(folder, kind, tb) if kind is not None else None
