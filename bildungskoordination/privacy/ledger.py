"""The erasure ledger's side file ``<db>.erasures``: one JSON line per erasure, each with a MAC.

The side file is applied after every restore and at every start, so it must not be trusted blindly: a
changed digit would erase an innocent person. Every line carries an HMAC-SHA256 over id and time under a key
derived from the database key (``ledger_key``); an unencrypted database has no secret, so there the MAC is
a keyed checksum that catches damage, not forgery (whoever can edit files could edit the plain database).

A line that fails its check is never applied. If the database's own ledger holds the same erasure, the line
was merely damaged (or signed under an earlier passphrase) and is rewritten; otherwise it is refused loudly:
moved to ``<db>.erasures.abgelehnt`` and reported to the user (``ErasureService.warnings``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bildungskoordination.store.files import atomic_write_bytes, fsync_dir
from bildungskoordination.store.private import FILE_MODE

SIDECAR_SUFFIX = ".erasures"
REJECTED_SUFFIX = ".erasures.abgelehnt"
_CONTEXT = b"bildungskoordination erasure ledger v1"


@dataclass(frozen=True)
class LedgerEntry:
    person_id: int
    erased_at: datetime


@dataclass
class SidecarContent:
    entries: list[LedgerEntry] = field(default_factory=list)  # lines that passed their check
    refused: list[tuple[str, LedgerEntry | None]] = field(default_factory=list)  # raw line, what it claims
    torn_tail: bool = False  # an unfinished last line (a crash while appending): never applied


def ledger_key(db_key: bytes | None) -> bytes:
    if db_key is None:
        return hashlib.sha256(_CONTEXT).digest()
    return hmac.new(db_key, _CONTEXT, hashlib.sha256).digest()


def entry_mac(key: bytes, entry: LedgerEntry) -> str:
    message = f"{entry.person_id}|{entry.erased_at.isoformat()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def encode_line(key: bytes, entry: LedgerEntry) -> str:
    return json.dumps({"person_id": entry.person_id, "erased_at": entry.erased_at.isoformat(),
                       "mac": entry_mac(key, entry)}) + "\n"


def _claim(item: object) -> LedgerEntry | None:
    if not isinstance(item, dict):
        return None
    try:
        pid = item["person_id"]
        if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
            return None
        return LedgerEntry(pid, datetime.fromisoformat(str(item["erased_at"])))
    except (KeyError, TypeError, ValueError):
        return None


def _same(mac: str, expected: str) -> bool:
    # compare_digest refuses non-ASCII str; a damaged line may hold anything
    return hmac.compare_digest(mac.encode("utf-8", "replace"), expected.encode())


def read_sidecar_content(path: Path | None, key: bytes) -> SidecarContent:
    content = SidecarContent()
    if path is None or not path.exists():
        return content
    text = path.read_bytes().decode("utf-8", errors="replace")
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        claim = _claim(item)
        mac = item.get("mac") if isinstance(item, dict) else None
        if claim is not None and isinstance(mac, str) and _same(mac, entry_mac(key, claim)):
            content.entries.append(claim)
        elif number == len(lines) - 1 and item is None:
            content.torn_tail = True  # no newline after it: the append never finished
        else:
            content.refused.append((line.strip()[:200], claim))
    return content


def read_sidecar(path: Path | None, db_key: bytes | None = None) -> list[LedgerEntry]:
    """The entries of the side file that pass their check."""
    return read_sidecar_content(path, ledger_key(db_key)).entries


def append_sidecar(path: Path | None, entry: LedgerEntry, key: bytes) -> None:
    if path is None:
        return
    new = not path.exists()
    line = encode_line(key, entry)
    # A torn earlier line (crash mid-write) must not swallow this one: start on a fresh line.
    if not new and path.stat().st_size:
        with path.open("rb") as fh:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                line = "\n" + line
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE), "a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())
    if new:
        fsync_dir(path.parent)


def rewrite_sidecar(path: Path, entries: list[LedgerEntry], key: bytes) -> None:
    """Replace the side file atomically by ``entries``, each signed with ``key``."""
    unique = sorted(set(entries), key=lambda e: (e.erased_at, e.person_id))
    atomic_write_bytes(path, "".join(encode_line(key, e) for e in unique).encode())
    os.chmod(path, FILE_MODE) if os.name == "posix" else None


def set_aside_refused(path: Path, lines: list[str]) -> Path:
    """Keep refused lines for inspection (never applied), beside the side file."""
    rejected = path.with_name(path.name.removesuffix(SIDECAR_SUFFIX) + REJECTED_SUFFIX)
    stamp = datetime.now().replace(microsecond=0).isoformat()
    with os.fdopen(os.open(rejected, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE), "a",
                   encoding="utf-8") as fh:
        for line in lines:
            fh.write(f"{stamp}\t{line}\n")
        fh.flush()
        os.fsync(fh.fileno())
    return rejected


def resign_sidecar(path: Path | None, old_db_key: bytes | None, new_db_key: bytes | None) -> None:
    """After a passphrase change or a restore under another key: re-sign the lines that pass under the old
    key; lines that fail stay as they are (the next start decides about them)."""
    if path is None or not path.exists() or old_db_key == new_db_key:
        return
    content = read_sidecar_content(path, ledger_key(old_db_key))
    if not content.entries:
        return
    new_key = ledger_key(new_db_key)
    kept = "".join(line + "\n" for line, _claim in content.refused)
    signed = "".join(encode_line(new_key, e) for e in content.entries)
    atomic_write_bytes(path, (signed + kept).encode())
