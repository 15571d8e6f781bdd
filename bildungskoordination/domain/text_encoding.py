"""Which encoding a CSV file has – decided per file, honestly.

UTF-8 (with or without BOM) when every byte is valid UTF-8. A file that is UTF-8 apart from a few bytes
(valid multi-byte sequences *and* invalid bytes) is refused with every bad byte named by its line: reading
it as Windows-1252 would store every umlaut and every Cyrillic or Arabic name garbled. Only a file without a
single valid multi-byte sequence is Windows-1252 (what German Excel writes as "CSV (Trennzeichen-getrennt)").
The file is read in chunks; nothing here holds it whole.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from bildungskoordination.i18n import _

UTF8, CP1252 = "utf-8-sig", "cp1252"
_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20
_SHOWN = 10  # bad bytes named one by one; the rest are counted
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes under errors="surrogateescape"
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")  # a character that took a valid multi-byte sequence
_CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")


class EncodingRefused(Exception):
    """The file is no text in UTF-8 or Windows-1252; ``problems`` are (line, message) for the user."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        super().__init__("; ".join(m for _n, m in problems))
        self.problems = problems


@dataclass
class _Scan:
    bad: list[tuple[int, int]] = field(default_factory=list)  # (line, byte) of the first _SHOWN bad bytes
    bad_count: int = 0
    multibyte: bool = False
    nul: bool = False
    cp1252_undefined: bool = False


def detect_encoding(path: Path) -> str:
    """``UTF8`` or ``CP1252`` for reading ``path``; raises EncodingRefused (and OSError)."""
    scan = _scan(path)
    if scan.nul:
        # NUL never occurs in a CSV; UTF-16 exports ("Unicode-Text") and binary files are full of it.
        raise EncodingRefused([(None, _("keine CSV- oder XLSX-Datei (Binärdaten) – bitte in Excel als .xlsx oder "
                                        "„CSV UTF-8“ speichern"))])
    if not scan.bad_count:
        return UTF8
    if scan.multibyte:
        problems: list[tuple[int | None, str]] = [
            (line, _("Byte 0x{byte:02X} ist kein gültiges UTF-8 – der Rest der Datei ist UTF-8; bitte das "
                     "Zeichen an dieser Stelle neu eingeben und die Datei als „CSV UTF-8“ speichern")
             .format(byte=byte)) for line, byte in scan.bad]
        if scan.bad_count > len(scan.bad):
            problems.append((None, _("und {count} weitere ungültige Bytes; nichts wurde als Windows-1252 "
                                     "umgedeutet").format(count=scan.bad_count - len(scan.bad))))
        raise EncodingRefused(problems)
    if scan.cp1252_undefined:
        # cp1252 leaves five bytes undefined; meeting one means this is no text file in either encoding.
        raise EncodingRefused([(None, _("keine CSV- oder XLSX-Datei (Zeichenkodierung weder UTF-8 noch "
                                        "Windows-1252)"))])
    return CP1252


def _scan(path: Path) -> _Scan:
    scan = _Scan()
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    line = 1
    with path.open("rb") as fh:
        first = True
        while True:
            chunk = fh.read(_CHUNK)
            if first:
                scan.multibyte = chunk.startswith(_BOM)  # a BOM says: this is meant to be UTF-8
                first = False
            final = not chunk
            text = decoder.decode(chunk, final=final)
            scan.nul = scan.nul or b"\x00" in chunk
            scan.cp1252_undefined = scan.cp1252_undefined or _CP1252_UNDEFINED.search(chunk) is not None
            scan.multibyte = scan.multibyte or _MULTIBYTE.search(text) is not None
            start = 0
            for match in _ESCAPED.finditer(text):
                line += text.count("\n", start, match.start())
                start = match.start()
                scan.bad_count += 1
                if len(scan.bad) < _SHOWN:
                    scan.bad.append((line, ord(match.group()) - 0xDC00))
            line += text.count("\n", start)
            if final:
                return scan
