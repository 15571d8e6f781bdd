"""Reading a table the user keeps in Excel (CSV or XLSX) into named columns of strings.

Generic on purpose: the person import and, later, the course-list import share it. Every problem is an
``ImportProblem`` that prints as ``FILE:ROW: COLUMN: reason``, so the user can find the cell; nothing in
here raises on a bad file.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bildungskoordination.domain.table_limits import DEFAULT_LIMITS, Limits
from bildungskoordination.domain.table_sources import (  # noqa: F401 – re-exported for the importers
    FormulaCell,
    TableReadError,
    cell_text,
    detect_separator,
    raw_rows,
)
from bildungskoordination.i18n import _

# Row number of the header as the user sees it; data rows follow from HEADER_ROW + 1.
HEADER_ROW = 1
_INTERN_CHARS = 24


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


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row, compact: the cells of the known columns in a tuple, their names shared by all rows."""

    number: int  # as the user sees it: the header is row 1
    cells: tuple[str, ...]  # trimmed cell text ("" when empty or absent), in the order of ``index``
    index: Mapping[str, int]  # canonical column name -> position in ``cells`` (one dict for the table)

    @property
    def values(self) -> dict[str, str]:
        return {name: self.cells[i] for name, i in self.index.items()}

    def get(self, column: str) -> str:
        i = self.index.get(column)
        return "" if i is None else self.cells[i]


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


# --- matching the header -------------------------------------------------------------------------------
def header_key(text: str) -> str:
    """Headers match ignoring case, surrounding and repeated spaces, and Unicode composition."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def read_table(path: Path | str, spec: TableSpec, limits: Limits = DEFAULT_LIMITS) -> Table:
    """The rows of ``path`` by canonical column name; problems instead of rows if the file is unusable.
    Rows are read one at a time; a refusal on the way (a cap, a bad byte, an open quote) drops all rows."""
    table = Table(file=str(path))
    header: list[str] = []
    try:
        rows, is_csv = raw_rows(Path(path), limits)
        for number, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            if not header:
                header = [c.strip() for c in cells]
                index = _match_header(table, number, header, spec)
                if table.problems:
                    return table
                table.present = tuple(c for c in spec.columns if c in index)
                columns = [(name, index[name]) for name in table.present]
                shared = {name: i for i, (name, _col) in enumerate(columns)}
                continue
            _add_row(table, number, cells, columns, shared, len(header) if is_csv else None)
    except TableReadError as exc:
        table.rows.clear()
        column = None
        if exc.column is not None:
            known = exc.column < len(header) and header[exc.column]
            column = header[exc.column] if known else _("Spalte {n}").format(n=exc.column + 1)
        table.problems.append(ImportProblem(table.file, exc.row, column, str(exc)))
        table.problems.extend(ImportProblem(table.file, row, None, message) for row, message in exc.more)
        return table
    if not header:
        table.problems.append(ImportProblem(table.file, None, None, _("die Datei ist leer")))
    return table


def _add_row(table: Table, number: int, cells: list[str], columns: list[tuple[str, int]],
             shared: Mapping[str, int], csv_width: int | None) -> None:
    # In a CSV, filled cells past the header mean the row was split at a separator inside a value.
    if csv_width is not None and any(c.strip() for c in cells[csv_width:]):
        table.problems.append(ImportProblem(table.file, number, None, _(
            "{found} Felder, die Kopfzeile hat nur {expected} – enthält ein Wert das Trennzeichen? "
            "Dann den Wert in Anführungszeichen setzen").format(found=len(cells), expected=csv_width)))
        return
    values: list[str] = []
    for name, i in columns:
        cell = cells[i] if i < len(cells) else ""
        if isinstance(cell, FormulaCell):
            # Without Excel's cached result the cell would read as empty ("Familienname fehlt"): say why.
            table.problems.append(ImportProblem(table.file, number, name, _(
                "Zelle enthält eine Formel – bitte Werte einfügen (in Excel: Kopieren, Einfügen als Werte)")))
            cell = ""
        values.append(_shared_text(cell.strip()))
    table.rows.append(TableRow(number, tuple(values), shared))


def _shared_text(text: str) -> str:
    """One string object for short values: lists repeat the same few words ("ja", "Syrien", "A1") on each row."""
    return sys.intern(text) if len(text) <= _INTERN_CHARS else text


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
