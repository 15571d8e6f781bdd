"""Page geometry, colours and text styles of the referral letter (shared by document.py and parts.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from bildungskoordination.letters.fonts import chain_for
from bildungskoordination.letters.layout import TextStyle

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 25 * mm, 20 * mm
BODY_W = PAGE_W - LEFT - RIGHT
TINT = colors.Color(0.94, 0.95, 0.97)
BAR = colors.Color(0.35, 0.45, 0.6)
GREY = (0.35, 0.35, 0.35)
TRANSLATION_MIN = 10.0      # a translation's body text is never smaller (also when a long letter is set smaller)
TRANSLATION_SMALL_MIN = 8.5

BODY = TextStyle(size=9.5, leading=12.4)
BODY_BOLD = TextStyle(size=9.5, leading=12.4, bold=True)
SUBJECT = TextStyle(size=11, leading=14, bold=True)
SMALL = TextStyle(size=8.5, leading=10.8, color=(0.25, 0.25, 0.25))  # hints and labels: not smaller than 8.5 pt
TINY = TextStyle(size=7, leading=8.5, color=GREY)
FOOTER = TextStyle(size=7.5, leading=9, color=GREY)
HEAD = TextStyle(size=12, leading=15, bold=True)
LABEL = TextStyle(size=7.5, leading=9, color=GREY)       # information block: label …
VALUE = TextStyle(size=9, leading=11)                    # … and value
RETURN_LINE = TextStyle(size=7, leading=8.4, color=GREY)
BODY_TOP = 98.5 * mm  # the first page's body (the subject) starts this far below the top
MAX_PAGES = 2
COURSE_TABLE_MIN = 55 * mm  # the course table starts on a new page when less than this is left
SCALES = (1.0, 0.92, 0.85)  # text size of the body, tried in turn while a letter has more than MAX_PAGES pages


@dataclass(frozen=True)
class Styles:
    scale: float
    body: TextStyle
    body_bold: TextStyle
    subject: TextStyle
    small: TextStyle


def styles_at(scale: float) -> Styles:
    def scaled(style: TextStyle) -> TextStyle:
        return replace(style, size=round(style.size * scale, 2), leading=round(style.leading * scale, 2))

    return Styles(scale, scaled(BODY), scaled(BODY_BOLD), scaled(SUBJECT), scaled(SMALL))


def readable(style: TextStyle, language: str) -> TextStyle:
    """``style`` for a paragraph in ``language``: a translation's body at least 10 pt (hints 8.5 pt), and
    Arabic-script and Ethiopic text at their optical size with the leading to match (fonts.FontFamily.optical)."""
    if language == "de":
        return style
    hint = style.color != BODY.color  # grey: the translation marker and notes
    floor = TRANSLATION_SMALL_MIN if hint else TRANSLATION_MIN
    if style.size < floor:
        style = replace(style, size=floor, leading=round(style.leading * floor / style.size, 2))
    factor = chain_for(language)[0].optical
    if factor > 1 and not style.optical:
        style = replace(style, optical=True, leading=round(style.leading * factor, 2))
    return style
