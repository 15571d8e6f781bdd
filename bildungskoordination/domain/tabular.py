"""Reading a table the user keeps in Excel (CSV or XLSX) into named columns of strings.

Generic on purpose: the person import and, later, the course-list import share it. Every problem is an
``ImportProblem`` that prints as ``FILE:ROW: COLUMN: reason``, so the user can find the cell; nothing in
here raises on a bad file.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Mapping, Sequence
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


# A source column the user chose not to import ("nicht übernehmen").
SKIP = "skip"


@dataclass(frozen=True)
class TableSpec:
    """The columns a table must have and may have, by their canonical header text; ``aliases`` maps the
    ``header_key`` of other usual spellings to a canonical column, ``joined`` names the columns that several
    source columns may fill (their values joined with the given text)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    joined: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def known(self, text: str) -> str | None:
        """The canonical column a header means by its own spelling (without a mapping), or None."""
        key = header_key(text)
        for column in self.columns:
            if header_key(column) == key:
                return column
        return self.aliases.get(key)


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
    header_row: int = HEADER_ROW
    skipped: tuple[str, ...] = ()  # source headers the mapping says not to import
    unknown: tuple[str, ...] = ()  # source headers neither known nor mapped (the importer decides)


@dataclass
class ImportReport:
    """What an import did or would do; subclasses add what is special to their table (updates, previews)."""

    created_ids: list[int] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # data rows read (empty rows are not counted)
    skipped: list[str] = field(default_factory=list)  # source columns not imported (shown to the user)
    unknown: list[str] = field(default_factory=list)  # source columns without a field: they stopped the import

    @property
    def ok(self) -> bool:
        return not self.problems


def start_import(table: Table, report: ImportReport, empty_message: str, *, skip_unknown: bool = False) -> bool:
    """Copy what reading found into ``report``; False when there is nothing to map (a file without rows
    is itself a problem). A column without a field is a problem unless ``skip_unknown``: nothing is dropped
    that the user did not choose to drop, and every dropped column is named in the warnings."""
    report.problems.extend(table.problems)
    if table.unknown and not skip_unknown:
        report.unknown = list(table.unknown)
        report.problems.append(ImportProblem(table.file, table.header_row, None, _(
            "Spalten ohne Zuordnung: {names} – bitte einem Feld zuordnen oder ausdrücklich nicht übernehmen")
            .format(names=quoted(table.unknown))))
    report.skipped = list(table.skipped) + (list(table.unknown) if skip_unknown else [])
    if report.skipped:
        report.warnings.append(_("{file}: nicht übernommene Spalten: {names}").format(
            file=table.file, names=quoted(report.skipped)))
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


def quoted(names: Sequence[str]) -> str:
    return ", ".join(f"„{n}“" for n in names)


def read_table(path: Path | str, spec: TableSpec, limits: Limits = DEFAULT_LIMITS,
               mapping: Mapping[str, str] | None = None) -> Table:
    """The rows of ``path`` by canonical column name; problems instead of rows if the file is unusable.
    ``mapping`` (source header → canonical column or SKIP) wins over the spellings the spec knows.
    Rows are read one at a time; a refusal on the way (a cap, a bad byte, an open quote) drops all rows."""
    table = Table(file=str(path))
    header: list[str] = []
    unnamed: list[int] = []  # positions without a header text
    filled: set[int] = set()  # … and those of them (or past the header, in an XLSX) with a value: named as skipped
    try:
        rows, is_csv = raw_rows(Path(path), limits)
        for number, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            if not header:
                header = [c.strip() for c in cells]
                table.header_row = number
                index = _match_header(table, number, header, spec, mapping or {})
                if table.problems:
                    return table
                table.present = tuple(c for c in spec.columns if c in index)
                columns = [(name, index[name], spec.joined.get(name, "")) for name in table.present]
                shared = {name: i for i, name in enumerate(table.present)}
                unnamed = [i for i, text in enumerate(header) if not text]
                continue
            _add_row(table, number, cells, columns, shared, len(header) if is_csv else None)
            filled.update(i for i in unnamed if i < len(cells) and cells[i].strip())
            if not is_csv and len(cells) > len(header):
                filled.update(i for i in range(len(header), len(cells)) if cells[i].strip())
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
    table.skipped += tuple(_("Spalte {n} (ohne Überschrift)").format(n=i + 1) for i in sorted(filled))
    return table


def _add_row(table: Table, number: int, cells: list[str], columns: list[tuple[str, list[int], str]],
             shared: Mapping[str, int], csv_width: int | None) -> None:
    # In a CSV, filled cells past the header mean the row was split at a separator inside a value.
    if csv_width is not None and any(c.strip() for c in cells[csv_width:]):
        table.problems.append(ImportProblem(table.file, number, None, _(
            "{found} Felder, die Kopfzeile hat nur {expected} – enthält ein Wert das Trennzeichen? "
            "Dann den Wert in Anführungszeichen setzen").format(found=len(cells), expected=csv_width)))
        return
    values: list[str] = []
    for name, positions, joiner in columns:
        parts: list[str] = []
        for i in positions:
            cell = cells[i] if i < len(cells) else ""
            if isinstance(cell, FormulaCell):
                # Without Excel's cached result the cell would read as empty ("Familienname fehlt"): say why.
                table.problems.append(ImportProblem(table.file, number, name, _(
                    "Zelle enthält eine Formel – bitte Werte einfügen (in Excel: Kopieren, Einfügen als Werte)")))
                cell = ""
            if cell.strip():
                parts.append(cell.strip())
        values.append(_shared_text(joiner.join(parts)))
    table.rows.append(TableRow(number, tuple(values), shared))


def _shared_text(text: str) -> str:
    """One string object for short values: lists repeat the same few words ("ja", "Syrien", "A1") on each row."""
    return sys.intern(text) if len(text) <= _INTERN_CHARS else text


def _match_header(table: Table, number: int, header: list[str], spec: TableSpec,
                  mapping: Mapping[str, str]) -> dict[str, list[int]]:
    chosen = {header_key(source): target for source, target in mapping.items()}
    index: dict[str, list[int]] = {}
    sources: dict[str, str] = {}
    skipped: list[str] = []
    unknown: list[str] = []
    for i, text in enumerate(header):
        if not text:
            continue
        name = chosen.get(header_key(text)) or spec.known(text)
        if name == SKIP:
            skipped.append(text)
        elif name is None:
            unknown.append(text)
        elif name not in spec.columns:
            table.problems.append(ImportProblem(table.file, number, text, _(
                "zugeordnet zu „{target}“, das ist kein Feld dieser Liste").format(target=name)))
        elif name in index and name not in spec.joined:
            # Two columns for one field: which one the user means cannot be guessed.
            if header_key(sources[name]) == header_key(text):
                message = _("die Spalte kommt mehrfach vor")
            else:
                message = _("„{first}“ und „{second}“ sind beide diesem Feld zugeordnet").format(
                    first=sources[name], second=text)
            table.problems.append(ImportProblem(table.file, number, name, message))
        else:
            index.setdefault(name, []).append(i)
            sources.setdefault(name, text)
    missing = [c for c in spec.required if c not in index]
    if missing:
        names = quoted(missing)
        message = (_("Pflichtspalte {names} fehlt") if len(missing) == 1 else _("Pflichtspalten {names} fehlen"))
        table.problems.append(ImportProblem(table.file, number, None, message.format(names=names)))
    table.skipped, table.unknown = tuple(skipped), tuple(unknown)
    return index


def read_header(path: Path | str, samples: int = 3, limits: Limits = DEFAULT_LIMITS) -> tuple[list[str], list[list[str]]]:
    """The header of ``path`` and the first ``samples`` data rows (for the mapping step); TableReadError
    if the file cannot be read."""
    header: list[str] = []
    rows: list[list[str]] = []
    raw, _is_csv = raw_rows(Path(path), limits)
    try:
        for _number, cells in raw:
            if not any(c.strip() for c in cells):
                continue
            if not header:
                header = [c.strip() for c in cells]
                continue
            rows.append([c.strip() for c in cells])
            if len(rows) >= samples:
                break
    finally:
        getattr(raw, "close", lambda: None)()  # an XLSX stays open until its reader is closed
    return header, rows
