"""Reading a table the user keeps in Excel (CSV or XLSX) into named columns of strings.

Generic on purpose: the person import and, later, the course-list import share it. Every problem is an
``ImportProblem`` that prints as ``FILE:ROW: COLUMN: reason``, so the user can find the cell; nothing in
here raises on a bad file.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from bildungskoordination.i18n import _

# Row number of the header as the user sees it; data rows follow from HEADER_ROW + 1.
HEADER_ROW = 1

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls (and .doc): openpyxl cannot read it
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        if self.column:
            return f"{where}: {self.column}: {self.message}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TableSpec:
    """The columns a table must have and may have, by their canonical header text."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class TableRow:
    number: int  # as the user sees it: the header is row 1
    values: dict[str, str]  # canonical column name -> trimmed cell text ("" when empty or absent)

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Table:
    file: str
    rows: list[TableRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    present: tuple[str, ...] = ()  # canonical columns found in the header


@dataclass
class ImportReport:
    """What an import did or would do; subclasses add what is special to their table (updates, previews)."""

    created_ids: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (empty rows are not counted)

    @property
    def ok(self) -> bool:
        return not self.problems


def start_import(table: Table, report: ImportReport, empty_message: str) -> bool:
    """Copy what reading found into ``report``; False when there is nothing to map (a file without rows
    is itself a problem)."""
    report.problems.extend(table.problems)
    report.warnings.extend(table.warnings)
    report.rows = len(table.rows)
    if not table.rows:
        if not table.problems:
            report.problems.append(ImportProblem(table.file, None, None, empty_message))
        return False
    return True


class TableReadError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


# --- reading raw rows ---------------------------------------------------------------------------------
def read_rows(path: Path | str) -> tuple[list[tuple[int, list[str]]], bool]:
    """(row number, cells) of every row, and whether the source was CSV. Raises TableReadError."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise TableReadError(_("Datei nicht gefunden")) from None
    except IsADirectoryError:
        raise TableReadError(_("ist ein Ordner, keine Datei")) from None
    except OSError as exc:
        raise TableReadError(_("Datei kann nicht gelesen werden ({reason})").format(reason=exc.strerror)) from None
    suffix = p.suffix.lower()
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise TableReadError(_("altes Excel-Format (.xls) wird nicht unterstützt – bitte in Excel als "
                               ".xlsx oder „CSV UTF-8“ speichern"))
    if data.startswith(_ZIP_MAGIC) or suffix in _XLSX_SUFFIXES:
        return _xlsx_rows(data), False
    return _csv_rows(data), True


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes strictly, else Windows-1252 (what German Excel writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; meeting one means this is no text file in either encoding.
        raise TableReadError(_("keine CSV- oder XLSX-Datei (Zeichenkodierung weder UTF-8 noch Windows-1252)")) \
            from None


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


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(data)
    # NUL never occurs in a CSV; UTF-16 exports ("Unicode-Text") and binary files are full of it.
    if "\x00" in text:
        raise TableReadError(_("keine CSV- oder XLSX-Datei (Binärdaten) – bitte in Excel als .xlsx oder "
                               "„CSV UTF-8“ speichern"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(text), quotechar='"')
    try:
        # Records, not physical lines, are counted: that is the row number Excel shows.
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise TableReadError(_("CSV-Datei fehlerhaft in Zeile {row}: {reason}")
                             .format(row=reader.line_num, reason=exc)) from None


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        # From memory, not by path: openpyxl would otherwise refuse names not ending in .xlsx/.xlsm.
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
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
        return [(number, [cell_text(v) for v in values])
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1)]
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


# --- matching the header -------------------------------------------------------------------------------
def header_key(text: str) -> str:
    """Headers match ignoring case, surrounding and repeated spaces, and Unicode composition."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def read_table(path: Path | str, spec: TableSpec) -> Table:
    """The rows of ``path`` by canonical column name; problems instead of rows if the file is unusable."""
    table = Table(file=str(path))
    try:
        raw, is_csv = read_rows(path)
    except TableReadError as exc:
        table.problems.append(ImportProblem(table.file, None, None, str(exc)))
        return table
    raw = [(n, [c.strip() for c in cells]) for n, cells in raw]
    raw = [(n, cells) for n, cells in raw if any(cells)]
    if not raw:
        table.problems.append(ImportProblem(table.file, None, None, _("die Datei ist leer")))
        return table
    header_number, header = raw[0]
    index = _match_header(table, header_number, header, spec)
    if table.problems:
        return table
    table.present = tuple(c for c in spec.columns if c in index)
    width = len(header)
    for number, cells in raw[1:]:
        # In a CSV, filled cells past the header mean the row was split at a separator inside a value.
        if is_csv and any(cells[width:]):
            table.problems.append(ImportProblem(table.file, number, None, _(
                "{found} Felder, die Kopfzeile hat nur {expected} – enthält ein Wert das Trennzeichen? "
                "Dann den Wert in Anführungszeichen setzen").format(found=len(cells), expected=width)))
            continue
        values = {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}
        table.rows.append(TableRow(number, values))
    return table


def _match_header(table: Table, number: int, header: list[str], spec: TableSpec) -> dict[str, int]:
    wanted = {header_key(c): c for c in spec.columns}
    index: dict[str, int] = {}
    unknown: list[str] = []
    for i, text in enumerate(header):
        if not text:
            continue
        name = wanted.get(header_key(text))
        if name is None:
            unknown.append(text)
        elif name in index:
            # Two columns of the same name: which one the user means cannot be guessed.
            table.problems.append(ImportProblem(table.file, number, name, _("die Spalte kommt mehrfach vor")))
        else:
            index[name] = i
    missing = [c for c in spec.required if c not in index]
    if missing:
        names = ", ".join(f"„{c}“" for c in missing)
        message = (_("Pflichtspalte {names} fehlt") if len(missing) == 1 else _("Pflichtspalten {names} fehlen"))
        table.problems.append(ImportProblem(table.file, number, None, message.format(names=names)))
    if unknown:
        table.warnings.append(_("{file}: unbekannte Spalten werden ignoriert: {names}").format(
            file=table.file, names=", ".join(f"„{c}“" for c in unknown)))
    return index
