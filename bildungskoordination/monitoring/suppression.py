"""Disclosure control over CountTables: pure functions, no database.

* Primary suppression: a count from 1 to k-1 identifies people and is hidden ("."); 0 stays 0.
* Secondary suppression: in every line that adds up (the cells of a column plus its total row, the cells of a
  row plus its total column) a single hidden entry could be recovered as total minus the rest, so a second one
  is hidden – the smallest non-zero published inner cell of that line (a 0 is never hidden: it carries no
  information, and hiding it would not protect anything), else the line's total.
* A line whose hidden entries add up to no more than their number (beside a published total) gets one more
  hidden entry the same way: zeros are published, so every hidden entry is ≥ 1 and "1 + 1 = 2" would tell.
* The same population has one status everywhere: statuses are kept per cell ``key`` across all tables of a
  report, so a cell hidden in one table is hidden in every other table that shows the same key.
* Finally the whole linear system of all tables is checked (audit.determined): a hidden cell that a combination
  of several lines still fixes gets a partner in one of its lines.
Everything is repeated until nothing changes (a fixpoint: statuses only ever go from shown to suppressed, so it
ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from bildungskoordination.i18n import _
from bildungskoordination.monitoring import audit
from bildungskoordination.monitoring.model import MIN_K, Cell, CellStatus, CountTable, Row

Key = tuple[str, ...]
Position = tuple[int, int]   # (row index, column index) in one table


def check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise ValueError(_("Mindestfallzahl k = {k} ist nicht erlaubt: kleinere Werte als {min_k} würden "
                           "einzelne Personen erkennbar machen.").format(k=k, min_k=MIN_K))
    return k


def cell_key(table: CountTable, row: int, col: int) -> Key:
    """The cell's key, or a key of its own position when the table gave it none."""
    key = table.rows[row].cells[col].key
    return key or ("cell", table.id, str(row), str(col))


def additive_lines(table: CountTable) -> list[list[Position]]:
    """Every line that adds up, as positions with the total last."""
    lines: list[list[Position]] = []
    rows = table.rows
    if not rows:
        return lines
    width = len(rows[0].cells)
    has_total_row = rows[-1].is_total
    if table.rows_additive and has_total_row:
        inner = range(len(rows) - 1)
        for col in range(width):
            if col not in table.nonadditive_columns:
                lines.append([(r, col) for r in inner] + [(len(rows) - 1, col)])
    if table.columns_additive and table.total_column and width > 1:
        for r in range(len(rows)):
            lines.append([(r, c) for c in range(width)])
    return lines


def suppress(tables: Sequence[CountTable], k: int) -> tuple[CountTable, ...]:
    """The tables with every cell's status set (values unchanged); see the module docstring."""
    check_k(k)
    status: dict[Key, CellStatus] = {}
    values: dict[Key, int] = {}
    for table in tables:
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                key = cell_key(table, r, c)
                if values.setdefault(key, cell.value) != cell.value:
                    raise ValueError(f"Zelle {key} hat in Tabelle {table.id} einen anderen Wert als anderswo")
                if 0 < cell.value < k:
                    status[key] = CellStatus.PRIMARY
    lines = [[cell_key(t, r, c) for r, c in line] for t in tables for line in additive_lines(t)]
    while True:
        _close_lines(lines, status, values)
        exposed = audit.determined(lines, status)
        if not exposed:
            break
        extra = next((p for key in exposed if (p := _partner(key, lines, status, values)) is not None), None)
        if extra is None:   # nothing left to hide: violations() reports it and the export is refused
            break
        status[extra] = CellStatus.SECONDARY
    return tuple(_with_status(t, status) for t in tables)


def _close_lines(lines: list[list[Key]], status: dict[Key, CellStatus], values: dict[Key, int]) -> None:
    """Hide partners until no line has exactly one hidden entry and none pins its hidden entries to 1."""
    changed = True
    while changed:
        changed = False
        ones = set(audit.ones_lines(lines, status, values))
        for n, line in enumerate(lines):
            hidden = [key for key in line if key in status]
            if len(hidden) != 1 and n not in ones:
                continue
            extra = _second_cell(line, status, values)
            if extra is not None:
                status[extra] = CellStatus.SECONDARY
                changed = True
                ones = set(audit.ones_lines(lines, status, values))


def _partner(key: Key, lines: list[list[Key]], status: dict[Key, CellStatus], values: dict[Key, int]) -> Key | None:
    """The smallest shown non-zero cell (inner cells before totals) of a line through ``key``; when those lines
    have none, of the lines linked to them by hidden cells, and so on (a new unknown there frees ``key``)."""
    reached, seen_lines = {key}, set()
    while True:
        through = [n for n, line in enumerate(lines) if n not in seen_lines and reached.intersection(line)]
        if not through:
            return None
        seen_lines.update(through)
        for pool in ([k for n in through for k in lines[n][:-1]], [lines[n][-1] for n in through]):
            candidates = [k for k in pool if k not in status and values[k] > 0]
            if candidates:
                return min(candidates, key=lambda k: (values[k], k))
        reached.update(k for n in through for k in lines[n] if k in status)


def _second_cell(line: list[Key], status: dict[Key, CellStatus], values: dict[Key, int]) -> Key | None:
    inner, total = line[:-1], line[-1]
    candidates = [key for key in inner if key not in status and values[key] > 0]
    if candidates:
        return min(candidates, key=lambda key: values[key])   # min keeps the first of equal values
    if total not in status and values[total] > 0:
        return total
    return None


def _with_status(table: CountTable, status: dict[Key, CellStatus]) -> CountTable:
    rows = []
    for r, row in enumerate(table.rows):
        cells = tuple(replace(cell, status=status.get(cell_key(table, r, c), CellStatus.SHOWN))
                      for c, cell in enumerate(row.cells))
        rows.append(Row(row.label, cells, row.is_total))
    return replace(table, rows=tuple(rows))


def violations(tables: Iterable[CountTable], k: int) -> list[str]:
    """What is unsafe in already suppressed tables (empty when safe): a published count from 1 to k-1, a line
    with exactly one hidden entry, a line of hidden ones, a hidden cell that several lines together fix, or one
    key with two statuses. Used before every export."""
    tables = list(tables)
    problems: list[str] = []
    seen: dict[Key, bool] = {}
    for table in tables:
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                if not cell.suppressed and 0 < cell.value < k:
                    problems.append(f"{table.id}: „{row.label}“, Spalte {c + 1}: kleine Zahl veröffentlicht")
                key = cell_key(table, r, c)
                if seen.setdefault(key, cell.suppressed) != cell.suppressed:
                    problems.append(f"{table.id}: „{row.label}“, Spalte {c + 1}: anders geheim gehalten als anderswo")
        for line in additive_lines(table):
            if sum(table.rows[r].cells[c].suppressed for r, c in line) == 1:
                r, c = line[-1]
                problems.append(f"{table.id}: eine Summenzeile/-spalte („{table.rows[r].label}“, Spalte {c + 1}) "
                                f"hat genau eine geheim gehaltene Zahl")
    lines = [[cell_key(t, r, c) for r, c in line] for t in tables for line in additive_lines(t)]
    hidden = {key for key, suppressed in seen.items() if suppressed}
    values = {cell_key(t, r, c): x.value for t in tables for r, row in enumerate(t.rows) for c, x in enumerate(row.cells)}
    for n in audit.ones_lines(lines, hidden, values):
        problems.append(f"Summe {'/'.join(lines[n][-1])}: die geheim gehaltenen Zahlen sind rückrechenbar (alle 1)")
    for key in audit.determined(lines, hidden):
        problems.append(f"Zelle {'/'.join(key)}: aus mehreren Summen zusammen rückrechenbar")
    return problems


def cell(value: int, *key: str) -> Cell:
    """Shorthand for the table builders: an unsuppressed cell with its population key."""
    return Cell(value=value, key=tuple(key))
