"""Helpers shared by the reliability tests: populated databases, file digests, child processes."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services

DB_NAME = "bildungskoordination.sqlite3"
PASSPHRASE = "Zuverlässigkeit prüfen, bitte sorgfältig"
SIDE_SUFFIXES = ("", "-wal", "-shm", ".lock", ".key.json")
PROBE = Path(__file__).resolve().with_name("probe.py")


def digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when there is no such file."""
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def state(db: Path, suffixes: tuple[str, ...] = ("", "-wal", ".key.json")) -> dict[str, str | None]:
    """Digests of the database file and the files whose bytes must never change behind the user's back.
    An empty -wal counts as none: SQLite creates one on opening a WAL database and that changes nothing."""
    out = {}
    for suffix in suffixes:
        path = side(db, suffix)
        empty_wal = suffix == "-wal" and path.is_file() and path.stat().st_size == 0
        out[suffix or "db"] = None if empty_wal else digest(path)
    return out


def populate(services: Services, persons: int = 50, *, prefix: str = "R") -> list[int]:
    ids = []
    for i in range(persons):
        pid = services.people.create(PersonData(
            family_name=["Al-Hassan", "Kovalenko", "Ahmadi", "Müller", "Tesfay"][i % 5],
            given_name=f"Vorname {i}", file_number=f"{prefix}-{i:04d}", name_original="رانيا الحسن",
            municipality="Konz", phone="0170 1234567", note=f"Notiz {i}\n" + "Beratung zu Sprachkurs. " * 8))
        for j in range(i % 4):
            services.contacts.add(pid, ContactData(contact_date=date(2024, 5, 1) - timedelta(days=j),
                                                   topics=["sprachkurs", "arbeit"][: 1 + j % 2],
                                                   note=f"Kontakt {j} " * 20))
        ids.append(pid)
    return ids


def build(folder: Path, *, passphrase: str | None = None, persons: int = 50) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / DB_NAME
    services = Services.open(db, passphrase=passphrase, unencrypted=passphrase is None, fast_kdf=True)
    try:
        populate(services, persons)
    finally:
        services.close()
    return db


def copy_db(db: Path, folder: Path) -> Path:
    """The database with everything beside it, in ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in SIDE_SUFFIXES:
        source = side(db, suffix)
        if source.is_file():
            shutil.copyfile(source, folder / source.name)
    return folder / db.name


def snapshot_open(services: Services, folder: Path) -> Path:
    """Copy the files of an OPEN database (as a crash at this moment would leave them)."""
    return copy_db(services.store.path, folder)


def count_and_integrity(db: Path, passphrase: str | None = None) -> tuple[int, str]:
    services = Services.open(db, passphrase=passphrase)
    try:
        with services.store.engine.connect() as conn:
            ok = "; ".join(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall())
        return services.people.count(), ok
    finally:
        services.close()


# --- child processes --------------------------------------------------------------------------------------
_CAPS_THAT_IGNORE_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
_PR_CAPBSET_DROP = 24


def _drop_privileges() -> None:
    """preexec_fn: root keeps its uid (the interpreter may live in /root) but loses the capabilities that
    let it write where the permission bits say no; after exec they are gone from the effective set."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS_THAT_IGNORE_PERMISSIONS:
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_probe(spec: dict, *, unprivileged: bool = False, tmpfs: tuple[Path, str] | None = None,
              timeout: float = 120) -> dict:
    """Run probe.py with ``spec``; ``unprivileged``: permission bits bind even for root;
    ``tmpfs=(folder, size)``: in a private mount namespace with a tmpfs of that size mounted on folder."""
    cmd = [sys.executable, str(PROBE), json.dumps(spec)]
    preexec = None
    if unprivileged and os.geteuid() == 0:
        if sys.platform != "linux":
            import pytest

            pytest.skip("root elsewhere than Linux: no way here to drop the privilege to ignore permissions")
        preexec = _drop_privileges
    if tmpfs is not None:
        folder, size = tmpfs
        script = f'mount -t tmpfs -o size={size} bk-voll "$1" || exit 97; shift; exec "$@"'
        # Root: a mount namespace is enough. Others: also a user namespace in which they are root.
        userns = [] if os.geteuid() == 0 else ["--map-root-user"]
        cmd = ["unshare", "--mount", *userns, "--propagation", "private", "sh", "-c", script, "sh", str(folder),
               *cmd]
    env = {k: v for k, v in os.environ.items() if k != "BILDUNGSKOORDINATION_PASSPHRASE"}
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec, env=env)
    if tmpfs is not None and (result.returncode == 97 or (result.returncode and not result.stdout.strip())):
        return {"unavailable": result.stderr.strip()[-300:]}
    if result.returncode != 0 or not result.stdout.strip():
        raise AssertionError(f"probe failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])
