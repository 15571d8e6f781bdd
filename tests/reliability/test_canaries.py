"""No plain text on disk: canary strings saved in an encrypted database appear in no file beside it.

The canaries go into names (Latin, Cyrillic, Arabic script), notes and a contact note; the services stay
open so the WAL holds them too. Every file in the database folder (database, -wal, -shm, key file, lock
file, anything else) and, where the backup module exists, a fresh backup with its key file are read as
raw bytes and searched for each canary – as typed, lower-cased and as the app folds it for search – in
UTF-8, UTF-16-LE and UTF-16-BE. A control run on an UNENCRYPTED database must find them (the scan works).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bildungskoordination.domain.names import fold, search_keys
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services

from .support import DB_NAME, PASSPHRASE, populate

CANARIES = ("KANARIENVOGEL-7f3a", "КАНАРЕЙКА-9b1c", "كناري-طائر-4d2e")


def _needles() -> set[str]:
    needles: set[str] = set()
    for canary in CANARIES:
        needles |= {canary, canary.lower(), canary.casefold(), fold(canary)}
        for key in search_keys(canary, "", ""):  # the derived search columns of a name
            needles |= {word for word in key.split() if len(word) >= 6}
    return {n for n in needles if len(n) >= 6}


NEEDLES = sorted(_needles())


def _encodings(text: str) -> Iterator[tuple[str, bytes]]:
    for codec in ("utf-8", "utf-16-le", "utf-16-be"):
        yield codec, text.encode(codec)


def leaks(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        for needle in NEEDLES:
            for codec, raw in _encodings(needle):
                if raw in data:
                    found.append(f"{path.name}: {needle!r} ({codec})")
    return found


def _fill(services: Services) -> int:
    populate(services, 20, prefix="C")
    pid = services.people.create(PersonData(
        family_name=CANARIES[0], given_name=CANARIES[1], name_original=CANARIES[2], municipality="Konz",
        note="Notiz: " + " / ".join(CANARIES) + "\nzweite Zeile " + CANARIES[0]))
    services.contacts.add(pid, ContactData(contact_date=date(2024, 3, 1), topics=["arbeit"],
                                           note=f"Kontakt mit {CANARIES[1]} und {CANARIES[2]}",
                                           next_step=CANARIES[0]))
    got = services.people.get(pid)
    assert (got.family_name, got.given_name, got.name_original) == CANARIES
    return pid


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_no_canary_in_any_file_of_an_encrypted_database(tmp_path: Path) -> None:
    folder = tmp_path / "daten"
    db = folder / DB_NAME
    services = Services.open(db, passphrase=PASSPHRASE, fast_kdf=True)
    try:
        _fill(services)
        wal = db.with_name(db.name + "-wal")
        assert wal.stat().st_size > 0, "the WAL should hold the latest saves while the app runs"
        names = {p.name for p in _files(folder)}
        assert {DB_NAME, DB_NAME + "-wal", DB_NAME + ".key.json", DB_NAME + ".lock"} <= names
        assert leaks(_files(folder)) == []
    finally:
        services.close()
    assert leaks(_files(folder)) == []  # after the checkpoint everything is in the main file


def test_no_canary_in_a_backup(tmp_path: Path) -> None:
    backups = pytest.importorskip("bildungskoordination.privacy.backups")
    db = tmp_path / "daten" / DB_NAME
    services = Services.open(db, passphrase=PASSPHRASE, fast_kdf=True)
    try:
        _fill(services)
        manager = backups.BackupManager.for_store(services.store, folder=tmp_path / "Sicherungen")
        info = manager.take("manuell")
        assert info.path.stat().st_size > 0
    finally:
        services.close()
    files = _files(tmp_path / "Sicherungen")
    assert info.path in files
    assert leaks(files) == []


def test_the_scan_finds_canaries_in_an_unencrypted_database(tmp_path: Path) -> None:
    """Control: without encryption the very same scan must find them (in the WAL while open)."""
    folder = tmp_path / "klartext"
    services = Services.open(folder / DB_NAME, unencrypted=True)
    try:
        _fill(services)
        found = leaks(_files(folder))
    finally:
        services.close()
    assert any(DB_NAME + "-wal" in f for f in found)
    for canary in CANARIES:
        assert any(repr(canary) in f for f in found), canary
    assert any(repr(fold(CANARIES[1])) in f for f in leaks(_files(folder)))  # folded search key too
