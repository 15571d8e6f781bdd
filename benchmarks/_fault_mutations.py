"""Ways to damage each file kind, for benchmarks/fault_soak.py. Each mutation: (name, function(path, rng))."""

from __future__ import annotations

import hashlib
import json
import random
import zlib
from collections.abc import Callable
from pathlib import Path

PAGE = 4096
Mutation = tuple[str, Callable[[Path, random.Random], None]]


def _data(path: Path) -> bytearray:
    return bytearray(path.read_bytes())


def flip_bit(path: Path, rng: random.Random, start: int = 0, end: int | None = None) -> None:
    data = _data(path)
    if not data:
        return
    pos = rng.randrange(start, min(end or len(data), len(data)))
    data[pos] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def truncate(path: Path, rng: random.Random) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(rng.randrange(0, max(size, 1)))


def empty(path: Path, _rng: random.Random) -> None:
    path.write_bytes(b"")


def delete(path: Path, _rng: random.Random) -> None:
    path.unlink(missing_ok=True)


def scribble(path: Path, rng: random.Random) -> None:
    data = _data(path)
    if not data:
        return
    n = rng.randint(1, 64)
    pos = rng.randrange(len(data))
    data[pos:pos + n] = rng.randbytes(len(data[pos:pos + n]))
    path.write_bytes(bytes(data))


def append(path: Path, rng: random.Random) -> None:
    with path.open("ab") as fh:
        fh.write(rng.randbytes(rng.choice([1, 777, PAGE])))


def _btree_pages(data: bytes) -> list[int]:
    return [n for n in range(1, len(data) // PAGE)
            if data[n * PAGE] in (2, 5, 10, 13) and int.from_bytes(data[n * PAGE + 3:n * PAGE + 5], "big") > 0]


def btree_damage(path: Path, rng: random.Random) -> None:
    data = _data(path)
    pages = _btree_pages(data) or [1]
    start = rng.choice(pages) * PAGE
    what = rng.choice(["type", "cells", "ptr", "zero"])
    if what == "type":
        data[start] = 0x77
    elif what == "cells":
        data[start + 3:start + 5] = b"\xff\xf0"
    elif what == "ptr":
        pointer = start + (12 if data[start] in (2, 5) else 8)
        data[pointer:pointer + 2] = b"\xff\xf0"
    else:
        data[start:start + PAGE] = bytes(PAGE)
    path.write_bytes(bytes(data))


def header_damage(path: Path, rng: random.Random) -> None:
    offset, value = rng.choice([(0, b"R"), (16, b"\x03\x00"), (18, b"\x03"), (19, b"\x03"), (20, b"\x10"),
                                (21, b"\x11"), (28, b"\x00\x01\x00\x00"), (44, b"\x00\x00\x00\x09"),
                                (56, b"\x00\x00\x00\x07"), (100, b"\x00"), (103, b"\xff\xff")])
    data = _data(path)
    data[offset:offset + len(value)] = value
    path.write_bytes(bytes(data))


def truncate_pages(path: Path, rng: random.Random) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(rng.choice([100, 1000, size - 1, size // 2 + 7, PAGE, size - PAGE, 3 * PAGE + 512]))


def zero_page(path: Path, rng: random.Random) -> None:
    data = _data(path)
    n = rng.randrange(len(data) // PAGE)
    data[n * PAGE:(n + 1) * PAGE] = bytes(PAGE)
    path.write_bytes(bytes(data))


PLAIN_DATABASE: list[Mutation] = [("kopf", header_damage), ("btree", btree_damage), ("abgeschnitten", truncate_pages),
                                  ("angehaengt", append), ("geloescht", delete), ("geleert", empty)]
ENCRYPTED_DATABASE: list[Mutation] = [("bit", flip_bit), ("bit", flip_bit), ("gekritzelt", scribble),
                                      ("null-seite", zero_page), ("abgeschnitten", truncate), ("angehaengt", append),
                                      ("geloescht", delete), ("geleert", empty)]
WAL: list[Mutation] = [("bit", flip_bit), ("bit", flip_bit), ("bit-kopf", lambda p, r: flip_bit(p, r, 0, 32)),
                       ("gekritzelt", scribble), ("abgeschnitten", truncate), ("geleert", empty), ("geloescht", delete)]


# --- key file -------------------------------------------------------------------------------------------------
def _json_edit(edit: Callable[[dict, random.Random], None], *, fix_checksum: bool = False):  # type: ignore[no-untyped-def]
    def mutate(path: Path, rng: random.Random) -> None:
        data = json.loads(path.read_text())
        edit(data, rng)
        if fix_checksum:
            fields = {k: v for k, v in data.items() if k != "checksum"}
            data["checksum"] = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
        path.write_text(json.dumps(data, indent=2))
    return mutate


def _digit(text: str, rng: random.Random) -> str:
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    i = rng.choice(positions)
    return text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1:]


KEY_FILE: list[Mutation] = [
    ("bit", flip_bit), ("abgeschnitten", truncate), ("geleert", empty), ("geloescht", delete), ("gekritzelt", scribble),
    ("salz-ziffer", _json_edit(lambda d, r: d.update(salt_hex=_digit(d["salt_hex"], r)))),
    ("speicher-4gib", _json_edit(lambda d, r: d.update(memory_kib=4 * 1024 * 1024), fix_checksum=True)),
    ("zeit-0", _json_edit(lambda d, r: d.update(time_cost=0), fix_checksum=True)),
    ("kosten-ziffer", _json_edit(lambda d, r: d.update(time_cost=d["time_cost"] + r.randint(1, 3)))),
    ("pruefsumme-weg", _json_edit(lambda d, r: d.pop("checksum"))),
]


# --- lock file ------------------------------------------------------------------------------------------------
def _lock_counter(delta: int):  # type: ignore[no-untyped-def]
    def mutate(path: Path, _rng: random.Random) -> None:
        text = path.read_bytes().split(b" crc=")[0]
        words = [w if not w.startswith(b"commits=") else b"commits=%d" % max(0, int(w[8:]) + delta)
                 for w in text.split()]
        body = b" ".join(words)
        path.write_bytes((body + b" crc=%08x" % zlib.crc32(body)).ljust(127) + b"\n")
    return mutate


def _replace_by_folder(path: Path, _rng: random.Random) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


LOCK: list[Mutation] = [
    ("bit", flip_bit), ("abgeschnitten", truncate), ("geleert", empty), ("geloescht", delete), ("gekritzelt", scribble),
    ("zaehler-hoeher", _lock_counter(3)), ("zaehler-niedriger", _lock_counter(-3)),
    ("alt-sauber", lambda p, r: p.write_text("closed\n")), ("alt-offen", lambda p, r: p.write_text("open pid=1 host=x\n")),
    ("ordner", _replace_by_folder),
]
