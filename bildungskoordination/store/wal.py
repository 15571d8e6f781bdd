"""Reading a ``-wal`` file the way SQLite's recovery does, to see what that recovery would silently drop.

Layout (sqlite.org/fileformat2.html, "WAL file format"; SQLCipher keeps it – it encrypts the page images,
and the checksums are computed over the encrypted bytes): a 32-byte header (magic 0x377f0682/3 choosing
little/big-endian checksum words, version, page size, checkpoint sequence, salt-1, salt-2, checksum over
the first 24 bytes), then frames of a 24-byte header (page number, database size after commit – nonzero
only in a commit frame –, salt-1, salt-2, cumulative checksum) and one page.

SQLite replays frames up to the last valid commit frame and stops at the first frame whose salts or
cumulative checksum do not match – everything after it is dropped without a word. ``lost_commits`` finds
commit frames of the same WAL generation (same salts) AFTER such a break: confirmed transactions that
SQLite would throw away.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
MAGIC_LE, MAGIC_BE = 0x377F0682, 0x377F0683
WAL_VERSION = 3007000
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class WalReport:
    valid_commits: int  # commit frames SQLite will replay
    lost_commits: int  # commit frames of this generation after the first broken frame
    header_broken: bool


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & _MASK
        s1 = (s1 + words[i + 1] + s0) & _MASK
    return s0, s1


def inspect_wal(wal: Path) -> WalReport | None:
    """None when there is no WAL or nothing in it; otherwise what SQLite's recovery would keep and drop."""
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < HEADER_SIZE:
        return None if not data.strip(b"\x00") else WalReport(0, 0, True)
    magic, version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:HEADER_SIZE])
    big = magic == MAGIC_BE
    page_ok = 512 <= page_size <= 65536 and not page_size & (page_size - 1)
    if magic not in (MAGIC_LE, MAGIC_BE) or version != WAL_VERSION or not page_ok \
            or _checksum(data[:24], 0, 0, big) != (c0, c1):
        # SQLite ignores the whole file. Harmless only if it holds no frame at all.
        has_frames = len(data) >= HEADER_SIZE + FRAME_HEADER_SIZE + 512
        return WalReport(0, 0, True) if has_frames else None
    frame_size = FRAME_HEADER_SIZE + page_size
    s0, s1 = c0, c1
    valid = lost = 0
    broken = False
    for start in range(HEADER_SIZE, len(data) - frame_size + 1, frame_size):
        head = data[start:start + FRAME_HEADER_SIZE]
        pgno, commit, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", head)
        same_generation = (f_salt1, f_salt2) == (salt1, salt2)
        if broken:
            if same_generation and commit:
                lost += 1
            continue
        if not same_generation or pgno == 0:
            broken = True
            continue
        n0, n1 = _checksum(head[:8] + data[start + FRAME_HEADER_SIZE:start + frame_size], s0, s1, big)
        if (n0, n1) != (f0, f1):
            broken = True
            continue
        s0, s1 = n0, n1
        if commit:
            valid += 1
    return WalReport(valid, lost, False)
