"""CSV: ';', UTF-8 with BOM and CRLF, so Excel (German locale) opens it right with a double click.

A header block (report, district, period, created, k, rule, legend, merges, notes), then one block per table:
title line, header line, rows, blank line. Counts are written as bare numbers, "." as text; every text cell
that a spreadsheet could read as a formula gets a leading '.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from bildungskoordination.i18n import _
from bildungskoordination.monitoring.model import CountsReport, CountTable
from bildungskoordination.monitoring.writers import texts

if TYPE_CHECKING:
    from _csv import Writer


def render_csv(report: CountsReport) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def text_row(*cells: str) -> None:
        writer.writerow([texts.neutralise(c) for c in cells])

    for label, value in texts.info_pairs(report):
        text_row(label, value)
    for n, (symbol, meaning) in enumerate(texts.legend()):
        text_row(_(texts.LEGEND_TITLE) if n == 0 else "", symbol, meaning)
    for n, (category, merged) in enumerate(texts.merges(report)):
        text_row(_("Zusammengefasst") if n == 0 else "", category, merged)
    for n, (title, note) in enumerate(texts.table_notes(report)):
        text_row(_("Hinweise") if n == 0 else "", title, note)
    writer.writerow([])
    for table in report.tables:
        _write_table(writer, table)
    # The BOM tells Excel the file is UTF-8 (otherwise it guesses Windows-1252 and garbles umlauts).
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _write_table(writer: Writer, table: CountTable) -> None:
    title = [table.title] + ([table.note] if table.note else [])
    writer.writerow([texts.neutralise(t) for t in title])
    writer.writerow([texts.neutralise(h) for h in texts.header_row(table)])
    for row in table.rows:
        # published_value is None exactly for a suppressed cell: only then is the symbol written.
        values: list[str | int] = [texts.neutralise(row.label)]
        values += [c.published if c.published_value is None else c.published_value for c in row.cells]
        writer.writerow(values)
    writer.writerow([])
