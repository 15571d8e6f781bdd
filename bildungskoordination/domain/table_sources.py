"""Raw rows of a CSV or XLSX file, one at a time, with the caps of ``table_limits`` checked as they come.

Nothing here holds the whole file: the CSV is decoded and split while it is read from disk, the XLSX is
opened read-only (openpyxl streams the sheet XML) after the zip's declared sizes were checked – a zip
bomb is refused before a byte of it is inflated. Every refusal is a ``TableReadError`` for the user.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

from bildungskoordination.domain.table_limits import Limits, megabytes, thousands
from bildungskoordination.domain.text_encoding import EncodingRefused, detect_encoding
from bildungskoordination.i18n import _

RawRow = tuple[int, list[str]]  # (row number as the user sees it, cells)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls (and .doc): openpyxl cannot read it
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_HEAD = 1 << 16  # characters looked at to find the separator


class TableReadError(Exception):
    """The file cannot be read (as a whole, or from ``row`` on); the message is for the user."""

    def __init__(self, message: str, row: int | None = None, column: int | None = None,
                 more: list[tuple[int | None, str]] | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.column = column  # 0-based index of the cell, when one cell is meant
        self.more = more or []  # further (row, message) pairs of the same refusal


class FormulaCell(str):
    """The text of a formula cell: the importers report it instead of reading an empty or stale value."""


def raw_rows(path: Path, limits: Limits) -> tuple[Iterator[RawRow], bool]:
    """An iterator over the rows of ``path`` and whether it is a CSV. Raises TableReadError for a file
    that cannot be opened at all; the iterator raises it for a problem found on the way."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise TableReadError(_("Datei nicht gefunden")) from None
    except IsADirectoryError:
        raise TableReadError(_("ist ein Ordner, keine Datei")) from None
    except OSError as exc:
        raise TableReadError(_("Datei kann nicht gelesen werden ({reason})").format(reason=exc.strerror)) from None
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise TableReadError(_("altes Excel-Format (.xls) wird nicht unterstützt – bitte in Excel als "
                               ".xlsx oder „CSV UTF-8“ speichern"))
    if head.startswith(_ZIP_MAGIC) or suffix in _XLSX_SUFFIXES:
        _check_zip(path, limits)
        return _capped(_xlsx_rows(path), limits), False
    try:
        encoding = detect_encoding(path)
    except EncodingRefused as exc:
        (row, first), *more = exc.problems
        raise TableReadError(first, row, more=more) from None
    return _capped(_csv_rows(path, encoding), limits), True


def _capped(rows: Iterator[RawRow], limits: Limits) -> Iterator[RawRow]:
    """Rows, refused at the first one beyond a cap (rows, filled columns, characters in a cell)."""
    filled = 0
    for number, cells in rows:
        if len(cells) > limits.columns:
            if any(cells[limits.columns:]):
                raise TableReadError(_("mehr als {limit} Spalten – so breite Listen werden nicht eingelesen")
                                     .format(limit=limits.columns), number)
            del cells[limits.columns:]  # formatted but empty cells to the right
        for i, cell in enumerate(cells):
            if len(cell) > limits.cell_chars:
                raise TableReadError(_("Zelle hat {length} Zeichen, höchstens {limit} sind erlaubt").format(
                    length=thousands(len(cell)), limit=thousands(limits.cell_chars)), number, i)
        if any(cells):
            filled += 1
            if filled > limits.rows + 1:  # + the header
                raise TableReadError(_("mehr als {limit} Zeilen – bitte die Liste aufteilen")
                                     .format(limit=thousands(limits.rows)), number)
        yield number, cells


# --- CSV ------------------------------------------------------------------------------------------------
def detect_separator(text: str) -> str:
    """';' or ',' – whichever occurs more often outside quotes in the header line; ';' on a tie."""
    counts = {";": 0, ",": 0}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            if counts[";"] or counts[","]:
                break  # the header line ends here; blank lines before it are skipped
        elif not quoted and ch in counts:
            counts[ch] += 1
    return "," if counts[","] > counts[";"] else ";"


def _csv_rows(path: Path, encoding: str) -> Iterator[RawRow]:
    with path.open(encoding=encoding, newline="") as fh:
        separator = detect_separator(fh.read(_HEAD))
    with path.open(encoding=encoding, newline="") as fh:
        # strict: an unclosed quote is an error at the end of the file instead of one endless cell.
        reader = csv.reader(fh, delimiter=separator, quotechar='"', strict=True)
        number = 0  # records, not physical lines, are counted: that is the row number Excel shows
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_error(str(exc), number + 1, line, reader.line_num) from None
            number += 1
            yield number, cells


def _csv_error(reason: str, row: int, line: int, last_line: int) -> TableReadError:
    if reason.startswith("unexpected end of data") or (reason.startswith("field larger") and last_line > line):
        return TableReadError(_("das Anführungszeichen in dieser Zeile (Textzeile {line}) wird nie geschlossen – "
                                "bitte das fehlende \" ergänzen").format(line=line), row)
    if reason.startswith("field larger"):
        return TableReadError(_("Zelle ist zu lang"), row)
    if "expected after" in reason:
        return TableReadError(_("nach einem schließenden Anführungszeichen muss das Trennzeichen oder das "
                                "Zeilenende folgen"), row)
    return TableReadError(_("CSV-Datei fehlerhaft in Zeile {row}: {reason}").format(row=row, reason=reason))


# --- XLSX -----------------------------------------------------------------------------------------------
def _check_zip(path: Path, limits: Limits) -> None:
    """Refuse a workbook whose parts would inflate beyond the cap; zipfile never inflates a member beyond
    its declared size (it stops there and fails the CRC), so the declared sizes are a real bound."""
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableReadError(_("keine lesbare XLSX-Datei ({reason})").format(reason=type(exc).__name__)) from None
    if declared > limits.xlsx_uncompressed:
        raise TableReadError(_("die Excel-Datei wäre entpackt {size} MB groß, höchstens {limit} MB sind erlaubt – "
                               "bitte die Liste aufteilen oder als CSV speichern").format(
                                   size=megabytes(declared), limit=megabytes(limits.xlsx_uncompressed)))


def _xlsx_rows(path: Path) -> Iterator[RawRow]:
    from openpyxl import load_workbook

    with path.open("rb") as fh:
        try:
            # From a file object, not by path: openpyxl would refuse names not ending in .xlsx/.xlsm.
            # data_only=False: a formula cell must be recognised as one, not read as an empty cell.
            wb = load_workbook(fh, read_only=True, data_only=False)
        except Exception as exc:  # noqa: BLE001 – openpyxl reports a damaged or foreign zip (e.g. a .docx)
            # with a whole range of exception types (BadZipFile, KeyError, InvalidFileException, …).
            raise TableReadError(_("keine lesbare XLSX-Datei ({reason})").format(reason=type(exc).__name__)) from None
        try:
            if not wb.worksheets:
                raise TableReadError(_("die Excel-Datei enthält kein Tabellenblatt"))
            ws = wb.worksheets[0]
            if hasattr(ws, "reset_dimensions"):
                # Files written by other tools often carry a wrong size record; read what is really there.
                ws.reset_dimensions()
            for number, cells in enumerate(ws.iter_rows(), start=1):
                yield number, [FormulaCell(c.value) if c.data_type == "f" else cell_text(c.value) for c in cells]
        except TableReadError:
            raise
        except Exception as exc:  # noqa: BLE001 – a damaged sheet may fail anywhere inside openpyxl
            raise TableReadError(_("XLSX-Datei beschädigt ({reason})").format(reason=type(exc).__name__)) from None
        finally:
            wb.close()  # read-only workbooks keep the file open until closed


def cell_text(value: object) -> str:
    """An Excel cell as the user would type it: dates as TT.MM.JJJJ, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, date):  # datetime is a date too
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
