"""The first page's fixed parts, laid out from measured text: letterhead (top right), fold and hole marks, the
address field (address.py) and the information block (DIN 5008 form B: 125 mm from the left, from 50 mm below
the top). Long values wrap; nothing is cut. When a letterhead or an information block is longer than its room,
the letterhead is set smaller and the information block starts lower – and the body moves down by what the block
needs (``FirstPage.overflow``), so the date never overprints the subject."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.units import mm

from bildungskoordination.letters.address import AddressBlock
from bildungskoordination.letters.content import LetterData, Letterhead, LetterTexts
from bildungskoordination.letters.fonts import chain_for
from bildungskoordination.letters.layout import Line, TextStyle, draw_lines, layout
from bildungskoordination.letters.style import BODY_TOP, LABEL, PAGE_H, RETURN_LINE, VALUE

HEAD_X, HEAD_W, HEAD_TOP = 110 * mm, 80 * mm, 12 * mm
HEAD_BOTTOM = 47 * mm          # the letterhead ends above the information block
INFO_X, INFO_W, INFO_TOP = 125 * mm, 65 * mm, 50 * mm
GAP = 5 * mm                   # at least this between the information block and the subject
_HEAD_SIZES = ((12, 15, 9.5, 12), (11, 13.5, 8.5, 10.5), (10, 12, 8, 9.6))


@dataclass
class Placed:
    lines: list[Line]
    style: TextStyle
    top: float                 # distance from the top of the page

    @property
    def bottom(self) -> float:
        return self.top + len(self.lines) * self.style.leading


@dataclass
class FirstPage:
    letterhead: list[Placed]
    info: list[Placed]
    overflow: float            # points the body must move down (0 when the block ends above the subject)


def _measure(text: str, style: TextStyle, width: float, top: float) -> Placed:
    return Placed(layout(text, chain_for("de"), style, width, False), style, top)


def info_rows(data: LetterData, german: LetterTexts) -> list[tuple[str, str]]:
    """Label and value of each line of the information block ("Unser Zeichen": the authority's own file number)."""
    head = data.letterhead
    rows = [("Unser Zeichen", data.file_number), ("Ansprechperson", head.coordinator), ("Telefon", head.phone),
            ("E-Mail", head.email), ("Datum", german.date(data.on))]
    return [(label, value) for label, value in rows if value]


@lru_cache(maxsize=128)  # measured once per letter, though a letter may be built up to three times
def first_page(data: LetterData, german: LetterTexts) -> FirstPage:
    head = data.letterhead
    placed: list[Placed] = []
    for big, big_leading, small, small_leading in _HEAD_SIZES:
        placed, y = [], HEAD_TOP
        for text, style in ((head.office, TextStyle(big, big_leading, bold=True)),
                            (head.department, TextStyle(small, small_leading))):
            if text:
                placed.append(_measure(text, style, HEAD_W, y))
                y = placed[-1].bottom
        if y <= HEAD_BOTTOM:
            break
    y = max(INFO_TOP, (placed[-1].bottom + 2 * mm) if placed else INFO_TOP)
    info: list[Placed] = []
    for label, value in info_rows(data, german):
        info.append(_measure(label, LABEL, INFO_W, y))
        info.append(_measure(value, VALUE, INFO_W, info[-1].bottom))
        y = info[-1].bottom + 1.5
    return FirstPage(placed, info, max(0.0, y + GAP - BODY_TOP))


def draw_first_page(c: object, data: LetterData, german: LetterTexts, address: AddressBlock) -> None:
    page = first_page(data, german)
    for item in [*page.letterhead, *page.info]:
        draw_lines(c, item.lines, HEAD_X if item in page.letterhead else INFO_X, PAGE_H - item.top, item.style)
    # Fold marks (105 mm, 210 mm) and hole mark (148.5 mm) of form B, at the left edge.
    c.setStrokeColor(colors.Color(0.6, 0.6, 0.6))  # type: ignore[attr-defined]
    c.setLineWidth(0.3)  # type: ignore[attr-defined]
    for from_top, length in ((105 * mm, 4 * mm), (210 * mm, 4 * mm), (148.5 * mm, 6 * mm)):
        c.line(3 * mm, PAGE_H - from_top, 3 * mm + length, PAGE_H - from_top)  # type: ignore[attr-defined]
    _draw_address(c, data.letterhead, address)


def _draw_address(c: object, head: Letterhead, block: AddressBlock) -> None:
    """Address field: 20 mm from the left, 45 mm from the top, 85 × 45 mm; the first 17.7 mm hold the return
    line (one line, set smaller while it is too long) and the notes zone."""
    x, top = 25 * mm, PAGE_H - 45 * mm
    for size in (7, 6.5, 6):
        style = TextStyle(size, size * 1.2, color=RETURN_LINE.color, align="left")
        lines = layout(head.return_address(), chain_for("de"), style, 80 * mm, False)
        if len(lines) <= 1:
            break
    rule = top - 13 * mm
    draw_lines(c, lines, x, rule + 0.8 * mm + len(lines) * style.leading, style)
    c.line(x, rule, x + 75 * mm, rule)  # type: ignore[attr-defined]
    y = top - 17.7 * mm
    for item in block.lines:
        styled = TextStyle(block.style.size, block.style.leading, align="left")
        draw_lines(c, item.lines, x, y, styled)
        y -= len(item.lines) * block.style.leading
