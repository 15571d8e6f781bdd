"""Writing the files the user chose (exports): the guard of ``domain.output_target`` plus crash-safe writes.

Every export goes through one ``OutputGuard`` (``Services`` makes it; the services that write files keep a
reference). The temporary ``.part`` file of a write is listed in ``<db>.ausfuhren`` before a byte of
personal data goes into it and taken off the list after the rename; whatever is still listed – a kill at
the rename – is deleted at the next start and before the next export.
"""

from __future__ import annotations

import contextlib
import glob
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from bildungskoordination.domain.output_target import check_output
from bildungskoordination.store.files import atomic_write_bytes, fsync_dir

PENDING_SUFFIX = ".ausfuhren"
DEFAULT_BACKUP_FOLDER = "Sicherungen"


class OutputGuard:
    def __init__(self, db_path: Path | None, backup_folder: Callable[[], Path | None] | None = None) -> None:
        self.db_path = None if db_path is None else Path(db_path)
        self._backup_folder = backup_folder or (lambda: None)

    # --- checking -----------------------------------------------------------------------------------
    def check(self, target: Path | str, *, overwrite: bool = False) -> Path:
        """Raises domain.output_target.OutputRefused; writes nothing."""
        folders = [f for f in (self._backup_folder(),) if f is not None]
        if self.db_path is not None:
            folders.append(self.db_path.parent / DEFAULT_BACKUP_FOLDER)
        return check_output(target, db_path=self.db_path, backup_folders=folders, overwrite=overwrite)

    # --- writing ------------------------------------------------------------------------------------
    def write_bytes(self, target: Path | str, data: bytes, *, overwrite: bool = False) -> Path:
        with self.staged(target, overwrite=overwrite) as tmp:
            write_synced(tmp, data)
            return self.publish(tmp, target)

    @contextlib.contextmanager
    def staged(self, target: Path | str, *, overwrite: bool = False) -> Iterator[Path]:
        """Check ``target``, then yield a listed temporary path beside it (not yet created). The caller
        writes it (``write_synced``) and ``publish``es it; whatever is left is removed on the way out."""
        target = self.check(target, overwrite=overwrite)
        self.clean_parts()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
        self._list(tmp)
        try:
            yield tmp
        finally:
            tmp.unlink(missing_ok=True)
            self._unlist(tmp)

    def publish(self, tmp: Path, target: Path | str) -> Path:
        target = self.check(target, overwrite=True)  # the checks again: the path may have changed meanwhile
        os.replace(tmp, target)
        fsync_dir(target.parent)
        return target

    # --- the list of temporary files ------------------------------------------------------------------
    @property
    def pending_file(self) -> Path | None:
        return None if self.db_path is None else self.db_path.with_name(self.db_path.name + PENDING_SUFFIX)

    def clean_parts(self) -> int:
        """Delete the temporary files of writes that never finished; returns how many were there."""
        listed = self._listed()
        removed = 0
        for line in listed:
            path = Path(line)
            if not path.name.endswith(".part"):
                continue
            # The listed file, and the temporary file a writer may have made on its way to it.
            for found in (path, *path.parent.glob(f".{glob.escape(path.name)}.*.part")):
                if found.is_file() and not found.is_symlink():
                    found.unlink(missing_ok=True)
                    removed += 1
        if listed and self.pending_file is not None:
            self.pending_file.unlink(missing_ok=True)
        return removed

    def _listed(self) -> list[str]:
        if self.pending_file is None:
            return []
        try:
            return [line for line in self.pending_file.read_text(encoding="utf-8").splitlines() if line]
        except (FileNotFoundError, UnicodeDecodeError):
            return []

    def _list(self, tmp: Path) -> None:
        if self.pending_file is None:
            return
        with self.pending_file.open("a", encoding="utf-8") as fh:
            fh.write(f"{tmp.resolve()}\n")
            fh.flush()
            os.fsync(fh.fileno())

    def _unlist(self, tmp: Path) -> None:
        if self.pending_file is None:
            return
        rest = [line for line in self._listed() if line != str(tmp.resolve())]
        if rest:
            atomic_write_bytes(self.pending_file, "".join(f"{line}\n" for line in rest).encode("utf-8"))
        else:
            self.pending_file.unlink(missing_ok=True)


def write_synced(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist) with ``data``, flushed to the disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
