"""One app instance per database: an OS lock on ``<db>.lock`` (released by the OS even after a crash).

The lock file is also the record that lives OUTSIDE the database:

- whether the last session ended cleanly (``open …`` / ``closed …``);
- the commit counter: after every acknowledged save the app writes the database's new commit number here,
  fsynced (``Store.unit_of_work`` keeps the same number in ``PRAGMA user_version``). A database whose number
  is lower than the one recorded here lost confirmed saves (a damaged, truncated or lost ``-wal``).

The record is one fixed-size line with a CRC, written with a single ``pwrite`` at offset 0 (never truncated
first, so a kill mid-write cannot leave an empty file). A record that fails its CRC is "unknown": the start
then checks the WAL frames instead (store/wal.py).
"""

from __future__ import annotations

import os
import re
import socket
import sys
import zlib
from pathlib import Path

from bildungskoordination.i18n import _
from bildungskoordination.store.errors import AlreadyOpen, WriteFailed
from bildungskoordination.store.oserrors import os_reason
from bildungskoordination.store.private import FILE_MODE, make_private_dir, restrict_existing

RECORD_SIZE = 128
_RECORD = re.compile(rb"^(open|closed)((?: [a-z]+=\S*)*) crc=([0-9a-f]{8}) *\n?$")


def _encode(state: str, fields: dict[str, str]) -> bytes:
    body = " ".join([state, *(f"{k}={v}" for k, v in fields.items())]).encode()
    line = body + b" crc=%08x" % zlib.crc32(body)
    return line.ljust(RECORD_SIZE - 1) + b"\n"


def parse_record(data: bytes) -> tuple[str, int | None]:
    """(state, commits): state "open", "closed", "new" (empty file), "legacy" (old format without a counter)
    or "damaged"; commits None where the record does not tell."""
    if not data.strip(b" \n\x00"):
        return "new", None
    match = _RECORD.match(data[:RECORD_SIZE])
    if match is None:
        if data.startswith(b"open pid=") and b"crc=" not in data:
            return "legacy-open", None
        if data.startswith(b"closed") and b"crc=" not in data:
            return "legacy", None
        return "damaged", None
    body = data[:match.start(3) - len(b" crc=")]
    if zlib.crc32(body) != int(match.group(3), 16):
        return "damaged", None
    fields = dict(item.split(b"=", 1) for item in match.group(2).split())
    commits = fields.get(b"commits")
    return match.group(1).decode(), int(commits) if commits and commits.isdigit() else None


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None
        self.previous_state = "new"
        self.previous_commits: int | None = None
        self.commits: int | None = None

    @property
    def previous_session_unclean(self) -> bool:
        return self.previous_state in ("open", "legacy-open")

    def acquire(self) -> InstanceLock:
        try:
            make_private_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise WriteFailed(_("Der Ordner {folder} ist nicht beschreibbar ({reason}). Die Datenbank kann dort "
                                "nur schreibgeschützt geöffnet werden.").format(folder=self.path.parent,
                                                                                 reason=os_reason(exc))) from None
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise AlreadyOpen(self.path) from None
        restrict_existing(self.path)
        self.previous_state, self.previous_commits = parse_record(_pread(fd, 4096))
        self._fd = fd
        return self

    def mark_open(self, commits: int | None = None) -> None:
        """Called once the database has been read (so SQLite's WAL exists): from now on a crash leaves
        the WAL behind, and the counter tells at the next start whether saves went missing."""
        self.commits = commits
        self._write("open")

    def record_commit(self, commits: int) -> None:
        """After every acknowledged save (fsynced before the user sees "Gespeichert.")."""
        self.commits = commits
        self._write("open")

    def mark_clean(self, commits: int | None = None) -> None:
        """Called once the WAL is settled (checkpointed and gone): the main file holds everything."""
        if commits is not None:
            self.commits = commits
        self._write("closed")

    def _write(self, state: str) -> None:
        assert self._fd is not None
        fields = {"pid": str(os.getpid()), "host": socket.gethostname()[:40].replace(" ", "_") or "-"}
        if self.commits is not None:
            fields["commits"] = str(self.commits)
        record = _encode(state, fields)
        _pwrite(self._fd, record)
        if os.fstat(self._fd).st_size != RECORD_SIZE:
            os.ftruncate(self._fd, RECORD_SIZE)
        os.fsync(self._fd)

    def release(self, *, clean: bool = True) -> None:
        if self._fd is None:
            return
        if clean:
            self.mark_clean()
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None


def _pread(fd: int, size: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, 0)
    os.lseek(fd, 0, os.SEEK_SET)  # pragma: no cover – Windows
    return os.read(fd, size)  # pragma: no cover


def _pwrite(fd: int, data: bytes) -> None:
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, 0)
        return
    os.lseek(fd, 0, os.SEEK_SET)  # pragma: no cover – Windows
    os.write(fd, data)  # pragma: no cover


if sys.platform == "win32":  # pragma: no cover – exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
