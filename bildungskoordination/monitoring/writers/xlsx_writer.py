"""XLSX (openpyxl): a first sheet "Erläuterungen", then one sheet per table.

Each table sheet: title, period line, note, then the header row (bold, frozen with the label column), the rows
(counts as numbers, "." as right-aligned text) and the total row in bold. Text that looks like a formula is
stored as a string with Excel's quote prefix, so it is never evaluated – not even after editing the cell.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bildungskoordination.i18n import _
from bildungskoordination.monitoring.model import CountsReport, CountTable
from bildungskoordination.monitoring.writers import texts

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_SMALL = Font(size=9, italic=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_RIGHT = Alignment(horizontal="right")
_WRAP = Alignment(wrap_text=True, vertical="top")
_RULE = Border(bottom=Side(style="thin", color="808080"))
_NUMBER_FORMAT = "#,##0"
# Excel forbids these in sheet names; 31 characters at most.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
FIRST_TABLE_ROW = 5  # 1 title, 2 period, 3 note, 4 header


def render_xlsx(report: CountsReport) -> bytes:
    wb = Workbook()
    _explanations(wb.active, report)
    used = {_(texts.EXPLANATION_TITLE).lower()}
    for table in report.tables:
        name = sheet_name(table.id or table.title, used)
        used.add(name.lower())
        _table_sheet(wb.create_sheet(name), table, report)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet_name(wanted: str, used: set[str]) -> str:
    """A legal sheet name (≤ 31 characters, no []:*?/\\, not blank), unique ignoring case as Excel demands."""
    base = _SHEET_FORBIDDEN.sub("_", texts.clean(wanted)).strip().strip("'") or _("Tabelle")
    base = base[:_SHEET_MAX]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:_SHEET_MAX - len(suffix)] + suffix, n + 1
    return name


def _put(ws: Worksheet, row: int, col: int, value: str | int, font: Font | None = None):  # type: ignore[no-untyped-def]
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = texts.clean(value)
        cell.value = text
        if texts.looks_like_formula(text):
            # openpyxl would store "=…" as a formula; a string with quote prefix is shown as typed.
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    return cell


def _explanations(ws: Worksheet, report: CountsReport) -> None:
    ws.title = _(texts.EXPLANATION_TITLE)
    _put(ws, 1, 1, _(texts.REPORT_TITLE), _TITLE)
    row = 3
    for label, value in texts.info_pairs(report)[1:]:
        _put(ws, row, 1, label, _BOLD)
        _put(ws, row, 2, value).alignment = _WRAP
        row += 1
    row += 1
    _put(ws, row, 1, _(texts.LEGEND_TITLE), _BOLD)
    for symbol, meaning in texts.legend():
        _put(ws, row, 2, symbol).alignment = _RIGHT
        _put(ws, row, 3, meaning)
        row += 1
    if report.merges:
        row += 1
        _put(ws, row, 1, _("Zusammengefasste Kategorien"), _BOLD)
        for category, merged in texts.merges(report):
            _put(ws, row, 2, category)
            _put(ws, row, 3, merged)
            row += 1
    if notes := texts.table_notes(report):
        row += 1
        _put(ws, row, 1, _("Hinweise zu Tabellen"), _BOLD)
        for title, note in notes:
            _put(ws, row, 2, title)
            _put(ws, row, 3, note)
            row += 1
    row += 1
    _put(ws, row, 1, _("Tabellen"), _BOLD)
    for n, table in enumerate(report.tables, start=2):
        _put(ws, row, 2, _("Blatt {n}").format(n=n))
        _put(ws, row, 3, table.title)
        row += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 60


def _table_sheet(ws: Worksheet, table: CountTable, report: CountsReport) -> None:
    _put(ws, 1, 1, table.title, _TITLE)
    district = f" · {report.district}" if report.district else ""
    period = _("Berichtszeitraum: {period}").format(period=texts.period_text(report))
    _put(ws, 2, 1, f"{period}{district} · k = {report.k}", _SMALL)
    if table.note:
        _put(ws, 3, 1, table.note, _SMALL)
    header = FIRST_TABLE_ROW - 1
    for col, text in enumerate(texts.header_row(table), start=1):
        cell = _put(ws, header, col, text, _BOLD)
        cell.fill, cell.border = _HEADER_FILL, _RULE
        if col > 1:
            cell.alignment = Alignment(horizontal="right", wrap_text=True)
    row_no = FIRST_TABLE_ROW
    for row in table.rows:
        font = _BOLD if row.is_total else None
        label = _put(ws, row_no, 1, row.label, font)
        if row.is_total:
            label.fill = _TOTAL_FILL
        for col, c in enumerate(row.cells, start=2):
            # Never c.value for a suppressed cell: published_value is None exactly then.
            value = c.published_value
            cell = _put(ws, row_no, col, c.published if value is None else value, font)
            cell.alignment = _RIGHT
            if value is not None:
                cell.number_format = _NUMBER_FORMAT
            if row.is_total:
                cell.fill = _TOTAL_FILL
        row_no += 1
    row_no += 1
    _put(ws, row_no, 1, f"{_(texts.LEGEND_TITLE)}: " + "; ".join(f"{s} = {m}" for s, m in texts.legend()), _SMALL)
    _put(ws, row_no + 1, 1, texts.rule_text(report.k), _SMALL)
    ws.freeze_panes = ws.cell(row=FIRST_TABLE_ROW, column=2)
    labels = [row.label for row in table.rows] + [table.row_title]
    ws.column_dimensions["A"].width = min(60, max(14, *(len(s) + 2 for s in labels)))
    for col, title in enumerate(table.columns, start=2):
        ws.column_dimensions[get_column_letter(col)].width = min(30, max(10, len(title) + 2))
