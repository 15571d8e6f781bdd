"""Line breaking on shaped widths, bidi reordering per line, and drawing with extractable text.

A paragraph is split into words at spaces; each word into pieces of one font and one bidi level, each piece
shaped on its own (Arabic joining never crosses a space, so this is exact). Lines are filled greedily with
whole words; a word longer than a line is cut by characters. Each line's pieces and spaces are then put in
visual order by rule L2 and placed from the left; right-to-left paragraphs are right-aligned.

Copying text out of the PDF gives the real letters: to_unicode.py maps the codes of contextual forms and
ligatures to the characters they stand for. (An /ActualText span per piece was tried first: pdftotext -bbox
then gives logical words, but plain pdftotext and pdfium – Chrome's viewer – reverse every Arabic word.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bildungskoordination.letters.fonts import FAMILIES, FontFamily, family_for, printable, register_fonts
from bildungskoordination.letters.shaping import bidi_levels, shape, visual_order

# Called with every piece as it is drawn: the tests check fonts, glyphs and positions of real letters through it.
DRAW_OBSERVERS: list[Callable[[Piece, float, float], None]] = []


@dataclass(frozen=True)
class TextStyle:
    size: float = 10.0
    leading: float = 13.0
    bold: bool = False
    color: tuple[float, float, float] = (0, 0, 0)
    align: str = "start"       # start | end | center (start = left for LTR, right for RTL)
    optical: bool = False      # Arabic-script and Ethiopic pieces at their family's optical size (fonts.py)


@dataclass
class Piece:
    text: str                  # logical text (tests read it through DRAW_OBSERVERS)
    font: str
    size: float
    level: int
    shaped: object             # ReportLab ShapedStr
    width: float
    glyph_ids: tuple[int, ...]
    x: float = 0.0


@dataclass
class Line:
    pieces: list[Piece] = field(default_factory=list)
    width: float = 0.0


@dataclass
class _Word:
    pieces: list[Piece]
    width: float


def layout(text: str, chain: tuple[FontFamily, ...], style: TextStyle, width: float, rtl: bool) -> list[Line]:
    """Break ``text`` into lines of at most ``width`` points, each in visual order with x positions set."""
    register_fonts()
    text = " ".join(printable(text, chain).split(" "))  # split(" "): a no-break space must stay
    text = " ".join(part for part in text.split(" ") if part)
    if not text:
        return []
    text, levels = bidi_levels(text, rtl)
    families = _families(text, chain)
    space = _space_piece(chain[0], style, 1 if rtl else 0)
    words: list[tuple[_Word, int]] = []  # (word, level of the space after it)
    start = 0
    for end in [i for i, c in enumerate(text) if c == " "] + [len(text)]:
        if end > start:
            gap_level = levels[end] if end < len(text) else (1 if rtl else 0)
            for word in _split_long(_make_word(text, start, end, levels, families, style), chain, style, width):
                words.append((word, gap_level))
        start = end + 1
    lines: list[list[tuple[_Word, int]]] = [[]]
    used = 0.0
    for word, gap in words:
        needed = word.width if not lines[-1] else used + space.width + word.width
        if lines[-1] and needed > width:
            lines.append([])
            needed = word.width
        lines[-1].append((word, gap))
        used = needed
    return [_place(line, space, style, width, rtl) for line in lines if line]


def _families(text: str, chain: tuple[FontFamily, ...]) -> list[FontFamily]:
    """Font per character; neutral characters keep the font of the character before them when it has them."""
    result: list[FontFamily] = []
    for char in text:
        own = family_for(char, chain) or chain[0]
        if result and not char.isalpha() and family_for(char, (result[-1],)) is not None:
            own = result[-1]
        result.append(own)
    return result


def _make_word(text: str, start: int, end: int, levels: list[int], families: list[FontFamily],
               style: TextStyle) -> _Word:
    pieces: list[Piece] = []
    i = start
    while i < end:
        j = i + 1
        while j < end and levels[j] == levels[i] and families[j] is families[i]:
            j += 1
        pieces.append(_piece(text[i:j], families[i], style, levels[i]))
        i = j
    return _Word(pieces, sum(p.width for p in pieces))


def _piece(text: str, family: FontFamily, style: TextStyle, level: int) -> Piece:
    font = family.name(style.bold)
    size = round(style.size * family.optical, 2) if style.optical else style.size
    shaped = shape(text, font, size, bool(level % 2))
    return Piece(text, font, size, level, shaped.text, shaped.width, shaped.glyph_ids)


def _space_piece(family: FontFamily, style: TextStyle, level: int) -> Piece:
    return _piece(" ", family, style, level)


def _break_points(text: str) -> list[int]:
    """Where an e-mail address, URL or compound may break: before "@" and ".", after "-", "/" and "_"."""
    points = [i for i, c in enumerate(text) if c in "@." and i > 0]
    points += [i + 1 for i, c in enumerate(text) if c in "-/_" and i + 1 < len(text)]
    return sorted(set(points))


def _split_at_points(word: _Word, style: TextStyle, width: float) -> list[_Word] | None:
    """A one-piece word cut at its sensible break points, or None when a part would still be too wide."""
    if len(word.pieces) != 1:
        return None
    piece = word.pieces[0]
    text, result, start = piece.text, [], 0
    points = [*_break_points(text), len(text)]
    while start < len(text):
        best = None
        for point in points:
            if point <= start:
                continue
            if _piece(text[start:point], _family_of(piece), style, piece.level).width <= width:
                best = point
            else:
                break
        if best is None:
            return None
        part = _piece(text[start:best], _family_of(piece), style, piece.level)
        result.append(_Word([part], part.width))
        start = best
    return result


def _family_of(piece: Piece) -> FontFamily:
    return next(f for f in FAMILIES.values() if piece.font in (f.regular, f.bold))


def _split_long(word: _Word, chain: tuple[FontFamily, ...], style: TextStyle, width: float) -> list[_Word]:
    """A word wider than the line is cut at a sensible point (e-mail addresses, URLs, compounds with "-"), else
    where it has to be (a 300-character name without spaces)."""
    if word.width <= width:
        return [word]
    sensible = _split_at_points(word, style, width)
    if sensible is not None:
        return sensible
    result: list[_Word] = []
    current: list[Piece] = []
    used = 0.0
    for piece in word.pieces:
        for char in piece.text:
            family = family_for(char, chain) or chain[0]
            part = _piece(char, family, style, piece.level)
            if current and used + part.width > width:
                result.append(_Word(current, used))
                current, used = [], 0.0
            current.append(part)
            used += part.width
    if current:
        result.append(_Word(current, used))
    return [_merge(w, style) for w in result]


def _merge(word: _Word, style: TextStyle) -> _Word:
    """Re-shape neighbouring single-character pieces of one font and level together."""
    merged: list[Piece] = []
    for piece in word.pieces:
        if merged and merged[-1].font == piece.font and merged[-1].level == piece.level:
            text = merged[-1].text + piece.text
            shaped = shape(text, piece.font, piece.size, bool(piece.level % 2))
            merged[-1] = Piece(text, piece.font, piece.size, piece.level, shaped.text, shaped.width, shaped.glyph_ids)
        else:
            merged.append(piece)
    return _Word(merged, sum(p.width for p in merged))


def _place(words: list[tuple[_Word, int]], space: Piece, style: TextStyle, width: float, rtl: bool) -> Line:
    units: list[Piece] = []
    for index, (word, gap_level) in enumerate(words):
        units.extend(word.pieces)
        if index < len(words) - 1:
            units.append(Piece(" ", space.font, space.size, gap_level, space.shaped, space.width, space.glyph_ids))
    ordered = [units[i] for i in visual_order([u.level for u in units])]
    line_width = sum(u.width for u in ordered)
    align = style.align
    if align == "start":
        align = "right" if rtl else "left"
    elif align == "end":
        align = "left" if rtl else "right"
    x = {"left": 0.0, "right": width - line_width, "center": (width - line_width) / 2}.get(align, 0.0)
    placed: list[Piece] = []
    for unit in ordered:
        if unit.text != " ":
            placed.append(Piece(unit.text, unit.font, unit.size, unit.level, unit.shaped, unit.width,
                                unit.glyph_ids, x))
        x += unit.width
    return Line(placed, line_width)


def draw_lines(canvas: object, lines: list[Line], x: float, y_top: float, style: TextStyle) -> None:
    """Draw ``lines`` with the first baseline one ``size`` below ``y_top``."""
    c = canvas
    c.saveState()  # type: ignore[attr-defined]
    c.setFillColorRGB(*style.color)  # type: ignore[attr-defined]
    baseline = y_top - max((p.size for p in lines[0].pieces), default=style.size) if lines else y_top
    for line in lines:
        for piece in line.pieces:
            for observer in DRAW_OBSERVERS:
                observer(piece, x + piece.x, baseline)
            text = c.beginText(x + piece.x, baseline)  # type: ignore[attr-defined]
            text.setFont(piece.font, piece.size)
            text.textOut(piece.shaped)
            c.drawText(text)  # type: ignore[attr-defined]
        baseline -= style.leading
    c.restoreState()  # type: ignore[attr-defined]
