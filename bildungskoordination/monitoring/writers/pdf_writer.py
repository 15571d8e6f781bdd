"""PDF (ReportLab platypus, A4): title, period and secrecy rule, legend, every table as a real table (header
repeated on each page, totals bold, "." shown), a bar chart after the first few tables, page footer.

Only ``cell.published`` / ``published_value`` is ever read, so a suppressed count cannot reach the file.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bildungskoordination.i18n import _
from bildungskoordination.monitoring.model import CountsReport, CountTable
from bildungskoordination.monitoring.writers import charts, texts
from bildungskoordination.privacy.access_pdf import fonts

_MARGIN = 18 * mm
_WIDTH = A4[0] - 2 * _MARGIN
_HEADER_BG = colors.HexColor("#DDE4EE")
_TOTAL_BG = colors.HexColor("#F2F2F2")
_LINE = colors.HexColor("#808080")
# Stand-ins for characters the embedded font may lack (the bundled Noto Sans has no arrows or minus sign).
_FALLBACK = {"→": "->", "−": "-", "‑": "-", "\u202f": "\u00a0", "≤": "<=", "≥": ">="}


class _Styles:
    def __init__(self) -> None:
        self.regular, self.bold = fonts()
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("m-body", parent=base["BodyText"], fontName=self.regular, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("m-small", parent=self.body, fontSize=7.5, leading=9.5, textColor=colors.dimgrey)
        self.cell = ParagraphStyle("m-cell", parent=self.body, fontSize=8, leading=9.5)
        self.cell_bold = ParagraphStyle("m-cell-b", parent=self.cell, fontName=self.bold)
        self.head = ParagraphStyle("m-head", parent=self.cell_bold, alignment=2)
        self.head_left = ParagraphStyle("m-head-l", parent=self.cell_bold)
        self.title = ParagraphStyle("m-title", parent=base["Title"], fontName=self.bold, fontSize=15, leading=19,
                                    alignment=0)
        self.h2 = ParagraphStyle("m-h2", parent=base["Heading2"], fontName=self.bold, fontSize=11, leading=14,
                                 spaceBefore=8, spaceAfter=4)
        self.h3 = ParagraphStyle("m-h3", parent=self.h2, fontSize=9, leading=12, spaceBefore=6, spaceAfter=2)
        face = pdfmetrics.getFont(self.regular).face
        self._glyphs: set[int] | None = set(face.charToGlyph) if hasattr(face, "charToGlyph") else None

    def safe(self, text: str) -> str:
        """Text the font can draw: a missing character gets a plain stand-in instead of an empty box."""
        return "".join(_FALLBACK.get(ch, ch) if not self._has(ch) else ch for ch in text)

    def _has(self, ch: str) -> bool:
        if self._glyphs is not None:  # an embedded TrueType font
            return ord(ch) in self._glyphs or ch in "\n\r\t"
        try:  # a standard PDF font (Helvetica): WinAnsi only
            ch.encode("cp1252")
            return True
        except UnicodeEncodeError:
            return False

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(self.safe(text)).replace("\n", "<br/>"), style or self.body)


def render_pdf(report: CountsReport, *, compress: bool = True) -> bytes:
    st = _Styles()
    story: list[Any] = [st.para(_(texts.REPORT_TITLE), st.title), Spacer(0, 2 * mm)]
    story.append(_pairs(st, texts.info_pairs(report)[1:]))
    story += [st.para(_(texts.LEGEND_TITLE), st.h3), _pairs(st, texts.legend(), first_width=12 * mm)]
    if report.merges:
        story += [st.para(_("Zusammengefasste Kategorien"), st.h3), _pairs(st, texts.merges(report), first_width=70 * mm)]
    picked = charts.pick_charts(report.tables)
    for number, table in enumerate(report.tables, start=1):
        story.append(CondPageBreak(45 * mm))  # never a lone table title at the foot of a page
        story.append(st.para(_("Tabelle {number}: {title}").format(number=number, title=table.title), st.h2))
        story.append(_table(st, table))
        if table.note:
            story.append(st.para(table.note, st.small))
        for data in picked.get(table.id, []):
            story.append(KeepTogether([
                Spacer(0, 3 * mm), st.para(_("Abbildung: {title}").format(title=data.title), st.h3),
                charts.draw(data, _WIDTH, st.regular, st.safe), st.para(charts.caption(data), st.small)]))
    buffer = io.BytesIO()
    footer_text = f"{_(texts.REPORT_TITLE)} · {texts.period_text(report)}"

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(st.regular, 7.5)
        canvas.setFillColor(colors.dimgrey)
        canvas.drawString(_MARGIN, 10 * mm, st.safe(footer_text))
        canvas.drawRightString(A4[0] - _MARGIN, 10 * mm, _("Seite {page}").format(page=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"{_(texts.REPORT_TITLE)} – {report.period.label}",
                            author=report.district, pageCompression=1 if compress else 0)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _pairs(st: _Styles, pairs: list[tuple[str, str]], first_width: float = 40 * mm) -> Table:
    table = Table([[st.para(a, st.cell_bold), st.para(b, st.cell)] for a, b in pairs],
                  colWidths=[first_width, _WIDTH - first_width], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


_PAD = 3  # left and right padding of every table cell
_MIN_LABEL = 40 * mm


def _layout(st: _Styles, table: CountTable) -> tuple[float, list[float]]:
    """(header font size, column widths): each count column as wide as the longest word of its header, so no
    word is split; the largest font from 8 pt down to 6 pt that leaves the label column at least 40 mm."""
    widths: list[float] = []
    for size in (8.0, 7.5, 7.0, 6.5, 6.0):
        numbers = [max(13 * mm, 2 * _PAD + 1 + max(pdfmetrics.stringWidth(st.safe(w), st.bold, size)
                                                    for w in (c.split() or [""]))) for c in table.columns]
        label = min(80 * mm, _WIDTH - sum(numbers))
        widths = [label, *numbers]
        if label >= _MIN_LABEL:
            return size, widths
    scale = (_WIDTH - _MIN_LABEL) / sum(widths[1:])  # still too wide: narrower columns, words may break
    return 6.0, [_MIN_LABEL, *(w * scale for w in widths[1:])]


def _table(st: _Styles, table: CountTable) -> Table:
    size, widths = _layout(st, table)
    head = ParagraphStyle("m-head-n", parent=st.head, fontSize=size, leading=size + 1.5)
    rows: list[list[Any]] = [[st.para(table.row_title, st.head_left)] + [st.para(c, head) for c in table.columns]]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), st.regular, 8), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, _LINE), ("LINEBELOW", (0, -1), (-1, -1), 0.6, _LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
    ]
    for n, row in enumerate(table.rows, start=1):
        label_style = st.cell_bold if row.is_total else st.cell
        # published is "." for a suppressed cell; the true value is never looked at here.
        rows.append([st.para(row.label, label_style)]
                    + [c.published if c.published_value is None else texts.thousands(c.published_value)
                       for c in row.cells])
        if row.is_total:
            style += [("FONT", (1, n), (-1, n), st.bold, 8), ("BACKGROUND", (0, n), (-1, n), _TOTAL_BG),
                      ("LINEABOVE", (0, n), (-1, n), 0.6, _LINE)]
    result = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(style))
    return result
