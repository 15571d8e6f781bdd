"""The erasure ledger's side file can be neither forged nor lost (issue 16, point 2).

Every line carries a MAC under a key derived from the database key; a line that fails it is never applied
and is reported to the user. A restore merges the live database's own ledger into the restored copy, so a
missing or damaged side file no longer brings an erased person back.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bildungskoordination.domain.errors import NotFound
from bildungskoordination.privacy.ledger import LedgerEntry, encode_line, ledger_key, read_sidecar
from bildungskoordination.services import Services

from .support import PASSPHRASE, copy_db, side


def _db(golden: dict[str, Path], tmp_path: Path, encrypted: bool) -> tuple[Path, str | None]:
    kind = "encrypted" if encrypted else "plain"
    return copy_db(golden[kind], tmp_path / kind), PASSPHRASE if encrypted else None


def _erase_one(db: Path, passphrase: str | None) -> tuple[int, int, Services]:
    """Open, take a backup (before the erasure), erase one person; returns (erased, innocent, services)."""
    services = Services.open(db, passphrase=passphrase)
    ids = services.people.search_ids("")
    erased, innocent = ids[3], ids[4]
    assert services.backups is not None
    services.backups.take("manuell")
    services.erasure.erase(erased, "antrag")
    return erased, innocent, services


def _alive(services: Services, pid: int) -> bool:
    try:
        services.people.get(pid)
        return True
    except NotFound:
        return False


def _edit_sidecar(db: Path, edit) -> None:  # type: ignore[no-untyped-def]
    sidecar = side(db, ".erasures")
    sidecar.write_text(edit(sidecar.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize("encrypted", [False, True], ids=["unverschluesselt", "verschluesselt"])
def test_a_changed_digit_in_the_side_file_erases_nobody_and_is_reported(golden: dict[str, Path], tmp_path: Path,
                                                                        encrypted: bool) -> None:
    db, passphrase = _db(golden, tmp_path, encrypted)
    erased, innocent, services = _erase_one(db, passphrase)
    services.close()
    _edit_sidecar(db, lambda text: text.replace(f'"person_id": {erased}', f'"person_id": {innocent}'))
    services = Services.open(db, passphrase=passphrase)
    try:
        assert _alive(services, innocent), "an innocent person was erased by a forged line"
        assert not _alive(services, erased)
        assert len(services.warnings) == 1 and "Echtheitsprüfung" in services.warnings[0]
        assert str(innocent) in side(db, ".erasures.abgelehnt").read_text(encoding="utf-8")
        assert {e.person_id for e in read_sidecar(side(db, ".erasures"), services.store.key)} == {erased}
    finally:
        services.close()
    again = Services.open(db, passphrase=passphrase)  # reported once, not at every start
    try:
        assert again.warnings == [] and _alive(again, innocent)
    finally:
        again.close()


def test_a_forged_line_without_the_key_is_refused(encrypted_db: Path) -> None:
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    innocent = services.people.search_ids("")[0]
    services.close()
    # Someone who can write files but does not know the database key: the plain-database checksum key.
    forged = encode_line(ledger_key(None), LedgerEntry(innocent, datetime(2026, 1, 1, 9)))
    side(encrypted_db, ".erasures").write_text(forged, encoding="utf-8")
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    try:
        assert _alive(services, innocent)
        assert services.warnings and "NICHT" in services.warnings[0]
        events = services.audit.list(limit=5)
        assert any(e.entity == "erasure_ledger" for e in events)
    finally:
        services.close()


@pytest.mark.parametrize("damage", ["geloescht", "ziffer", "leer"])
@pytest.mark.parametrize("encrypted", [False, True], ids=["unverschluesselt", "verschluesselt"])
def test_restore_merges_the_live_ledger_so_the_erased_stay_erased(golden: dict[str, Path], tmp_path: Path,
                                                                  encrypted: bool, damage: str) -> None:
    db, passphrase = _db(golden, tmp_path, encrypted)
    erased, innocent, services = _erase_one(db, passphrase)
    assert services.backups is not None
    backup = [i for i in services.backups.list() if i.reason == "manuell"][0]
    sidecar = side(db, ".erasures")
    if damage == "geloescht":
        sidecar.unlink()
    elif damage == "ziffer":
        _edit_sidecar(db, lambda text: text.replace(f'"person_id": {erased}', f'"person_id": {erased + 1}'))
    else:
        sidecar.write_text("", encoding="utf-8")
    services.backups.restore(backup, services.close, passphrase=passphrase)
    restored = Services.open(db, passphrase=passphrase)
    try:
        assert not _alive(restored, erased), "a restore brought an erased person back"
        assert _alive(restored, innocent) and _alive(restored, erased + 1)
        assert erased in {e.person_id for e in restored.erasure.ledger()}
        # and the side file is whole again, signed
        assert erased in {e.person_id for e in read_sidecar(sidecar, restored.store.key)}
    finally:
        restored.close()


def test_lines_are_resigned_when_the_passphrase_changes(encrypted_db: Path) -> None:
    erased, _innocent, services = _erase_one(encrypted_db, PASSPHRASE)
    try:
        services.change_passphrase(PASSPHRASE, "eine ganz neue, lange Passphrase")
        lines = [json.loads(x) for x in side(encrypted_db, ".erasures").read_text(encoding="utf-8").splitlines()]
        assert [x["person_id"] for x in lines] == [erased]
        assert read_sidecar(side(encrypted_db, ".erasures"), services.store.key)[0].person_id == erased
    finally:
        services.close()
    reopened = Services.open(encrypted_db, passphrase="eine ganz neue, lange Passphrase")
    try:
        assert reopened.warnings == []
    finally:
        reopened.close()


def test_a_side_file_line_with_any_bytes_is_refused_not_a_crash(plain_db: Path) -> None:
    side(plain_db, ".erasures").write_text('{"person_id": 3, "erased_at": "2026-01-01T09:00:00", "mac": "ä"}\n'
                                           '{"person_id": "x"}\n\x00\xff[]\n', encoding="utf-8")
    services = Services.open(plain_db)
    try:
        assert len(services.warnings) == 3 and services.people.count() == 50
    finally:
        services.close()
