"""Damaged databases are detected – at start, or for an encrypted file after a clean end by the full check
right after the start – and never written to.

Each variant is made from a real, cleanly closed database with 50 people and their contacts. For each,
``Services.open`` must raise ``DatabaseDamaged`` (``WrongPassphrase`` where the key is the problem) – the
app then offers restore or read-only – and the database file, its -wal (when there is one) and the key file
must be byte-identical before and after the attempt.

Which bytes are flipped. SQLite has no checksums: a flipped bit inside a stored value (a letter of a name)
or in unused space is a valid database with other content, and no check can tell. The plain variants
therefore damage *structure* that ``PRAGMA quick_check`` walks: header fields, b-tree page headers (page
type, cell count, cell pointers), whole pages, the file length. An encrypted database is different:
SQLCipher authenticates every page with an HMAC, so a flip of ANY byte of ANY page is detectable, and the
encrypted variants flip random bytes at random positions.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bildungskoordination.services import DatabaseDamaged, Services, WrongPassphrase

from .crashkit import Worker
from .support import PASSPHRASE, copy_db, populate, side, snapshot_open, state

PAGE = 4096
Mutation = Callable[[Path], None]


def _btree_pages(data: bytes) -> list[int]:
    """1-based numbers of the b-tree pages (table/index, interior/leaf) that hold at least one cell, page 1
    excluded. (The cell pointer array of an EMPTY page – the root of an empty table – is unused space.)"""
    return [n + 1 for n in range(1, len(data) // PAGE)
            if data[n * PAGE] in (2, 5, 10, 13) and int.from_bytes(data[n * PAGE + 3:n * PAGE + 5], "big") > 0]


def _patch(offset: int, new: bytes) -> Mutation:
    def mutate(db: Path) -> None:
        data = bytearray(db.read_bytes())
        data[offset:offset + len(new)] = new
        db.write_bytes(bytes(data))
    return mutate


def _in_btree_page(seed: int, what: str) -> Mutation:
    """Damage the header of a b-tree page picked by ``seed``: its type, cell count or first cell pointer."""
    def mutate(db: Path) -> None:
        data = bytearray(db.read_bytes())
        page = random.Random(seed).choice(_btree_pages(data))
        start = (page - 1) * PAGE
        interior = data[start] in (2, 5)
        if what == "type":
            data[start] = 0x77  # no valid page type
        elif what == "cells":
            data[start + 3:start + 5] = b"\xff\xf0"  # more cells than fit in a page
        else:  # first entry of the cell pointer array points past the end of the page
            pointer = start + (12 if interior else 8)
            data[pointer:pointer + 2] = b"\xff\xf0"
        db.write_bytes(bytes(data))
    return mutate


def _zero_page(which: str) -> Mutation:
    def mutate(db: Path) -> None:
        data = bytearray(db.read_bytes())
        pages = _btree_pages(data)
        page = {"first": 1, "last": max(pages), "btree": random.Random(7).choice(pages)}[which]
        data[(page - 1) * PAGE:page * PAGE] = bytes(PAGE)
        db.write_bytes(bytes(data))
    return mutate


def _truncate(size: Callable[[int], int]) -> Mutation:
    def mutate(db: Path) -> None:
        with db.open("r+b") as fh:
            fh.truncate(size(db.stat().st_size))
    return mutate


def _append(n: int) -> Mutation:
    def mutate(db: Path) -> None:
        with db.open("ab") as fh:
            fh.write(random.Random(n).randbytes(n))
    return mutate


def _replace_with_random(db: Path) -> None:
    db.write_bytes(random.Random(3).randbytes(db.stat().st_size))


def _replace_with_folder(db: Path) -> None:
    db.unlink()
    db.mkdir()
    (db / "irgendwas.txt").write_text("kein Datenbankinhalt")


PLAIN_VARIANTS: list[tuple[str, Mutation]] = [
    ("kopf-magic-bit", _patch(0, b"R")),  # "SQLite" -> "RQLite"
    ("kopf-falscher-text", _patch(0, b"SQLite format 4\x00")),
    ("kopf-seitengroesse", _patch(16, b"\x03\x00")),
    ("kopf-leseversion", _patch(19, b"\x03")),
    ("kopf-reservierte-bytes", _patch(20, b"\x10")),
    ("kopf-payload-anteil", _patch(21, b"\x11")),
    ("kopf-seitenzahl", _patch(28, b"\x00\x01\x00\x00")),
    ("kopf-schemaformat", _patch(44, b"\x00\x00\x00\x09")),
    ("kopf-textkodierung", _patch(56, b"\x00\x00\x00\x07")),
    ("seite1-typ", _patch(100, b"\x00")),
    ("seite1-zellzahl", _patch(103, b"\xff\xff")),
    *[(f"btree-{what}-{seed}", _in_btree_page(seed, what)) for seed in (1, 2, 3) for what in ("type", "cells", "ptr")],
    ("null-seite-1", _zero_page("first")),
    ("null-btree-seite", _zero_page("btree")),
    ("null-letzte-btree-seite", _zero_page("last")),
    ("gekuerzt-100", _truncate(lambda n: 100)),
    ("gekuerzt-1000", _truncate(lambda n: 1000)),
    ("gekuerzt-minus-1", _truncate(lambda n: n - 1)),
    ("gekuerzt-halb-plus-7", _truncate(lambda n: n // 2 + 7)),
    ("gekuerzt-1-seite", _truncate(lambda n: PAGE)),
    ("gekuerzt-2-seiten", _truncate(lambda n: 2 * PAGE)),
    ("gekuerzt-halbe-seiten", _truncate(lambda n: (n // PAGE // 2) * PAGE)),
    ("gekuerzt-letzte-seite-fehlt", _truncate(lambda n: n - PAGE)),
    ("gekuerzt-512er-vielfaches", _truncate(lambda n: 3 * PAGE + 512)),
    ("angehaengt-777", _append(777)),
    ("zufallsbytes", _replace_with_random),
    ("ordner-statt-datei", _replace_with_folder),
]

PLAIN_VARIANTS += [
    pytest.param("kopf-schreibversion", _patch(18, b"\x03"),
        id="kopf-schreibversion"),
    pytest.param("angehaengt-1-seite", _append(PAGE), id="angehaengt-1-seite"),
]


def _attempt(db: Path, expected: type[Exception], passphrase: str | None = None) -> None:
    before = state(db)
    with pytest.raises(expected) as info:
        services = Services.open(db, passphrase=passphrase)
        services.close()
    assert state(db) == before, "the damaged database was written to"
    if expected is DatabaseDamaged:
        assert "beschädigt" in str(info.value)
    # A second start gives the same answer: nothing was "repaired" behind the user's back.
    with pytest.raises(expected):
        Services.open(db, passphrase=passphrase).close()
    assert state(db) == before


@pytest.mark.parametrize("name,mutate", PLAIN_VARIANTS,
                         ids=[v[0] if isinstance(v, tuple) else v.id for v in PLAIN_VARIANTS])
def test_damaged_plain_database_is_refused_untouched(plain_db: Path, name: str, mutate: Mutation) -> None:
    mutate(plain_db)
    _attempt(plain_db, DatabaseDamaged)


def test_enough_variants() -> None:
    assert len(PLAIN_VARIANTS) + len(ENCRYPTED_VARIANTS) >= 20


# --- WAL lost or damaged after an unclean end ------------------------------------------------------------
@pytest.mark.parametrize("encrypted", [False, True], ids=["unverschluesselt", "verschluesselt"])
def test_wal_deleted_after_unclean_session_is_detected(golden: dict[str, Path], tmp_path: Path,
                                                        encrypted: bool) -> None:
    db = copy_db(golden["encrypted" if encrypted else "plain"], tmp_path / "live")
    passphrase = PASSPHRASE if encrypted else None
    services = Services.open(db, passphrase=passphrase)
    try:
        populate(services, 10, prefix="NEU")  # only in the WAL so far
        crashed = snapshot_open(services, tmp_path / "crashed")  # the files as a crash now would leave them
    finally:
        services.close()
    assert side(crashed, "-wal").stat().st_size > 0
    side(crashed, "-wal").unlink()
    side(crashed, "-shm").unlink(missing_ok=True)
    _attempt(crashed, DatabaseDamaged, passphrase)
    with pytest.raises(DatabaseDamaged, match="-wal"):
        Services.open(crashed, passphrase=passphrase)


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_wal_deleted_after_a_real_kill_is_detected(tmp_path: Path) -> None:
    db = tmp_path / "db" / "bildungskoordination.sqlite3"
    db.parent.mkdir()
    worker = Worker(db, "k", None, tmp_path / "stderr.txt")
    worker.wait_for("READY")
    worker.go(0, "saves")
    worker.wait_for("A 20 ")
    worker.kill()
    worker.close()
    assert side(db, "-wal").stat().st_size > 0
    side(db, "-wal").unlink()
    side(db, "-shm").unlink(missing_ok=True)
    _attempt(db, DatabaseDamaged)


def test_damaged_file_with_wal_after_unclean_session_is_left_alone(plain_db: Path, tmp_path: Path) -> None:
    services = Services.open(plain_db)
    try:
        populate(services, 10, prefix="NEU")
        crashed = snapshot_open(services, tmp_path / "crashed")
    finally:
        services.close()
    _in_btree_page(4, "type")(crashed)
    assert side(crashed, "-wal").stat().st_size > 0
    _attempt(crashed, DatabaseDamaged)


def test_damaged_database_in_rollback_mode_is_not_converted(plain_db: Path) -> None:
    con = sqlite3.connect(plain_db)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    _in_btree_page(5, "type")(plain_db)
    _attempt(plain_db, DatabaseDamaged)


# --- encrypted databases -----------------------------------------------------------------------------------
def _flip_random_byte(seed: int, *, page: int | None = None) -> Mutation:
    def mutate(db: Path) -> None:
        data = bytearray(db.read_bytes())
        rng = random.Random(seed)
        n = page if page is not None else rng.randrange(2, len(data) // PAGE + 1)
        data[(n - 1) * PAGE + rng.randrange(PAGE)] ^= 1 << rng.randrange(8)
        db.write_bytes(bytes(data))
    return mutate


ENCRYPTED_VARIANTS: list[tuple[str, Mutation]] = [
    ("bit-zufaellig-1", _flip_random_byte(1)),
    ("bit-zufaellig-2", _flip_random_byte(2)),
    ("bit-zufaellig-3", _flip_random_byte(3)),
    ("bit-letzte-seite", lambda db: _flip_random_byte(4, page=db.stat().st_size // PAGE)(db)),
    ("bit-seite-2", _flip_random_byte(5, page=2)),
    ("null-seite-3", lambda db: _patch(2 * PAGE, bytes(PAGE))(db)),
    ("gekuerzt-minus-100", _truncate(lambda n: n - 100)),
    ("gekuerzt-letzte-seite-fehlt", _truncate(lambda n: n - PAGE)),
    ("klartext-kopf", _patch(0, b"SQLite format 3\x00")),
    ("zufallsbytes", _replace_with_random),
]


def _open_or_find_damage(db: Path) -> str:
    """A start after a clean end does not read the whole encrypted file first (SQLCipher authenticates every
    page it reads; issue 13): the damage is refused at the start, or found by the full check the app runs in
    the background right after it. Returns "start" or "background"; fails if neither finds it."""
    try:
        services = Services.open(db, passphrase=PASSPHRASE)
    except DatabaseDamaged:
        return "start"
    try:
        check = services.check_in_background()
        assert check is not None, "a clean start of an encrypted file must check it in the background"
        check.wait(60)
        assert services.damage.found is not None, "the background check did not find the damage"
    finally:
        services.close()
    return "background"


@pytest.mark.parametrize("name,mutate", ENCRYPTED_VARIANTS, ids=[v[0] for v in ENCRYPTED_VARIANTS])
def test_damaged_encrypted_database_is_refused_untouched(encrypted_db: Path, name: str, mutate: Mutation) -> None:
    """Found (at the start or by the background check) and the database file untouched – the start's own log
    entries stay in the -wal, which is not moved into a damaged file; the NEXT start refuses before opening."""
    mutate(encrypted_db)
    before = state(encrypted_db)
    found = _open_or_find_damage(encrypted_db)
    assert state(encrypted_db)["db"] == before["db"], "the damaged database was written to"
    if found == "start":
        assert state(encrypted_db) == before
    with pytest.raises(DatabaseDamaged):
        Services.open(encrypted_db, passphrase=PASSPHRASE).close()
    assert state(encrypted_db)["db"] == before["db"]


def test_damaged_encrypted_database_is_reported_as_damaged(golden: dict[str, Path], tmp_path: Path) -> None:
    wrong = []
    for name, mutate in ENCRYPTED_VARIANTS:
        db = copy_db(golden["encrypted"], tmp_path / name)
        mutate(db)
        try:
            _open_or_find_damage(db)
        except AssertionError as exc:
            wrong.append(f"{name}: {exc}")
        except Exception as exc:  # noqa: BLE001
            wrong.append(f"{name}: {type(exc).__module__}.{type(exc).__name__}: {exc}")
    assert not wrong, "not reported as DatabaseDamaged:\n" + "\n".join(wrong)


def test_damaged_first_page_of_encrypted_database_reads_as_wrong_passphrase(encrypted_db: Path) -> None:
    """SQLCipher authenticates page 1 with the key: a damaged page 1 and a wrong key are indistinguishable.
    Either answer is acceptable; the file must stay untouched."""
    _flip_random_byte(6, page=1)(encrypted_db)
    before = state(encrypted_db)
    with pytest.raises((WrongPassphrase, DatabaseDamaged)):
        Services.open(encrypted_db, passphrase=PASSPHRASE)
    assert state(encrypted_db) == before


def _key_file_edit(edit: Callable[[dict], object]) -> Mutation:
    def mutate(db: Path) -> None:
        key = side(db, ".key.json")
        data = json.loads(key.read_text())
        result = edit(data)
        key.write_text(result if isinstance(result, str) else json.dumps(data))
    return mutate


KEY_VARIANTS: list[tuple[str, Mutation, type[Exception]]] = [
    ("falsche-passphrase", lambda db: None, WrongPassphrase),
    # The key file's checksum tells a changed file from a wrong passphrase (issue 16).
    ("salz-geaendert", _key_file_edit(lambda d: d.update(salt_hex="00" * 16)), DatabaseDamaged),
    ("kosten-geaendert", _key_file_edit(lambda d: d.update(time_cost=d["time_cost"] + 1)), DatabaseDamaged),
    ("json-abgeschnitten", _key_file_edit(lambda d: json.dumps(d)[:20]), DatabaseDamaged),
    ("leer", _key_file_edit(lambda d: ""), DatabaseDamaged),
    ("unbekanntes-feld", _key_file_edit(lambda d: d.update(extra=1)), DatabaseDamaged),
    ("fehlt", lambda db: side(db, ".key.json").unlink(), DatabaseDamaged),
]
_KEY_VALUES = ()  # fixed: was an xfail naming the bug (see git history)
KEY_FINDINGS = [
    pytest.param(_key_file_edit(lambda d: d.update(salt_hex="zz" * 16)), marks=_KEY_VALUES, id="salz-kein-hex"),
    pytest.param(_key_file_edit(lambda d: d.update(algorithm="scrypt")), marks=_KEY_VALUES,
                 id="unbekanntes-verfahren"),
    pytest.param(_key_file_edit(lambda d: d.update(salt_hex=12345)), marks=_KEY_VALUES,
                 id="salz-keine-zeichenkette"),
]


@pytest.mark.parametrize("name,mutate,expected", KEY_VARIANTS, ids=[v[0] for v in KEY_VARIANTS])
def test_damaged_key_file_or_wrong_passphrase(encrypted_db: Path, name: str, mutate: Mutation,
                                              expected: type[Exception]) -> None:
    mutate(encrypted_db)
    passphrase = "eine ganz andere Passphrase" if name == "falsche-passphrase" else PASSPHRASE
    _attempt(encrypted_db, expected, passphrase)


@pytest.mark.parametrize("mutate", KEY_FINDINGS)
def test_key_file_with_wrong_values_is_reported_as_damaged(encrypted_db: Path, mutate: Mutation) -> None:
    mutate(encrypted_db)
    _attempt(encrypted_db, DatabaseDamaged, PASSPHRASE)
