"""One app instance per database: an OS lock on ``<db>.lock`` (released by the OS even after a crash).

The lock file also records whether the last session ended cleanly; after an unclean end the SQLite WAL
file must still be there, so a missing WAL is detected (``previous_session_unclean``).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from bildungskoordination.store.errors import AlreadyOpen, WriteFailed


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fh = None
        self.previous_session_unclean = False

    def acquire(self) -> InstanceLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+b")  # noqa: SIM115 – kept open while the app runs
        except OSError as exc:
            raise WriteFailed(f"Der Ordner {self.path.parent} ist nicht beschreibbar ({exc.strerror}). Die Datenbank "
                              "kann dort nur schreibgeschützt geöffnet werden.") from None
        try:
            _lock(fh)
        except OSError:
            fh.close()
            raise AlreadyOpen(self.path) from None
        fh.seek(0)
        self.previous_session_unclean = fh.read().startswith(b"open")
        self._fh = fh
        return self

    def mark_open(self) -> None:
        """Called once the database has been read (so SQLite's WAL exists): from now on a crash leaves
        the WAL behind, and a missing WAL at the next start means it was lost."""
        self._write(f"open pid={os.getpid()} host={socket.gethostname()}\n")

    def mark_clean(self) -> None:
        """Called after the final checkpoint: the main file holds everything, the WAL may go."""
        self._write("closed\n")

    def _write(self, text: str) -> None:
        assert self._fh is not None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(text.encode())
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def release(self, *, clean: bool = True) -> None:
        if self._fh is None:
            return
        if clean:
            self.mark_clean()
        _unlock(self._fh)
        self._fh.close()
        self._fh = None


if os.name == "nt":  # pragma: no cover – exercised on Windows only
    import msvcrt

    def _lock(fh) -> None:  # type: ignore[no-untyped-def]
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh) -> None:  # type: ignore[no-untyped-def]
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh) -> None:  # type: ignore[no-untyped-def]
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh) -> None:  # type: ignore[no-untyped-def]
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
