"""Shaping (HarfBuzz via uharfbuzz) and bidi levels (python-bidi) for one run of text in one font.

Why not ReportLab's Paragraph with ``shaping=1``: it joins Arabic letters but, without the GPL ``rlbidi``
(not on PyPI), leaves right-to-left words in left-to-right order after wrapping, and its inline markup breaks
in RTL paragraphs. So lines are broken here on shaped widths (layout.py), each line is reordered by the
Unicode bidi algorithm, and each run is shaped with an explicit direction and drawn as glyphs.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from bildungskoordination.letters import to_unicode

_FEATURES = {"kern": True, "liga": True}
_JOINERS = "\u200c\u200d"
_NO_JOINERS = str.maketrans("", "", _JOINERS)
_EXPLICIT = "\u202a\u202b\u202c\u202d\u202e"  # removed by rule X9; only LRE … PDF ever get here


@dataclass(frozen=True)
class Shaped:
    text: ShapedStr     # ReportLab's glyph string (one char per glyph, in visual order) with positions
    width: float        # in points
    glyph_ids: tuple[int, ...]


@lru_cache(maxsize=64)
def _hb_font(font_name: str) -> uharfbuzz.Font:
    ttf = pdfmetrics.getFont(font_name)
    return ttf.hbFont(1000)  # positions come back in font units scaled to 1000/em (ReportLab's convention)


@lru_cache(maxsize=20000)
def shape(text: str, font_name: str, size: float, rtl: bool) -> Shaped:
    """Shape ``text`` (logical order, one font, one direction) into glyphs in visual order."""
    ttf = pdfmetrics.getFont(font_name)
    hb_font = _hb_font(font_name)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"  # the bidi level decides, not a guess from the script
    uharfbuzz.shape(hb_font, buf, _FEATURES)
    chars: list[str] = []
    data: list[ShapeData] = []
    gids: list[int] = []
    total = 0.0
    face = ttf.face
    texts = _cluster_texts(text, [info.cluster for info in buf.glyph_infos])
    for info, pos, cluster_text in zip(buf.glyph_infos, buf.glyph_positions, texts, strict=True):
        gid = info.codepoint
        gids.append(gid)
        mapped = face.glyphToChar.get(gid)
        if mapped:
            uchar = mapped[0]
        else:  # a contextual form or ligature without a cmap entry: ReportLab gives it a private code point
            uchar = ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, pos.x_advance)
        if cluster_text and _stands_for_other_text(uchar):
            to_unicode.remember(face.name, uchar, cluster_text)
        x_advance = ttf.pdfScale(pos.x_advance)
        data.append(ShapeData(info.cluster, x_advance, ttf.pdfScale(pos.y_advance), ttf.pdfScale(pos.x_offset),
                              ttf.pdfScale(pos.y_offset), face.charWidths[uchar]))
        chars.append(chr(uchar))
        total += x_advance
    return Shaped(ShapedStr("".join(chars), shapeData=data), total * size / 1000, tuple(gids))


def _cluster_texts(text: str, clusters: list[int]) -> list[str]:
    """For each glyph, the characters of its cluster (for the first glyph of a cluster; "" for the others)."""
    starts = sorted(set(clusters))
    end_of = {start: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)}
    seen: set[int] = set()
    result = []
    for cluster in clusters:
        result.append("" if cluster in seen else text[cluster:end_of[cluster]])
        seen.add(cluster)
    return result


def _stands_for_other_text(code: int) -> bool:
    """A private code point (contextual form, ligature), a Latin ligature with a code point of its own ("ﬂ"
    U+FB02 in "Verpﬂichtung") or an Arabic presentation form: copying the text out of the PDF must give the
    letters the glyph stands for, not this code."""
    return 0xE000 <= code <= 0xF8FF or 0xFB00 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def bidi_levels(text: str, rtl: bool) -> tuple[str, list[int]]:
    """``text`` without its explicit embedding marks, and the resolved level of each remaining character
    (rules up to I2 of UAX #9), for the given paragraph direction.

    The only explicit marks that reach here are LRE … PDF that content.py puts around a left-to-right value
    (a phone number, an e-mail address) inside right-to-left text, so "0651 715-0" keeps its order.
    """
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    # The joiners are BN, which python-bidi deletes (rule X9) – but ZWNJ is spelling in Persian (می‌خواهم) and
    # must reach the shaper. So they are left out here and put back with their neighbour's level (as X9 says).
    algorithm.get_embedding_levels(text.translate(_NO_JOINERS), storage, False, False)
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    resolved = iter(storage["chars"])
    chars: list[str] = []
    levels: list[int] = []
    pending = 0  # joiners at the very start take the level of the character after them
    for char in text:
        if char in _JOINERS:
            chars.append(char)
            if levels:
                levels.append(levels[-1])
            else:
                pending += 1
        elif char not in _EXPLICIT:
            item = next(resolved)
            chars.append(item["ch"])
            levels.extend([int(item["level"])] * (pending + 1))
            pending = 0
    levels.extend([1 if rtl else 0] * pending)
    text = "".join(chars)
    return text, _pair_brackets(text, levels, rtl)


_OPENING = {"(": ")", "[": "]", "{": "}"}
_STRONG = ("L", "R", "AL", "EN", "AN")


def _pair_brackets(text: str, levels: list[int], rtl: bool) -> list[int]:
    """Rule N0 of UAX #9 (python-bidi's algorithm stops before it): both brackets of a pair get one direction –
    the paragraph's when the enclosed text has a letter of it, else the enclosed text's when the text before
    the pair runs that way too ("IK-2703-01 (Aufenthaltsgestattung)" in Arabic: one left-to-right run), else
    the paragraph's. Without it, "(" joins the Latin word and ")" the Arabic text, and both point the wrong way."""
    base = 1 if rtl else 0

    def direction(index: int) -> int | None:  # 0 = left to right, 1 = right to left, None = neutral
        if unicodedata.bidirectional(text[index]) in _STRONG or levels[index] > base + 1:
            return levels[index] % 2
        return None

    stack: list[int] = []
    for close, char in enumerate(text):
        if char in _OPENING:
            stack.append(close)
            continue
        if not stack or char != _OPENING.get(text[stack[-1]]):
            continue
        open_ = stack.pop()
        inside = {direction(k) for k in range(open_ + 1, close)} - {None}
        if not inside:
            continue
        if base in inside:
            level = base
        else:
            before = next((d for k in range(open_ - 1, -1, -1) if (d := direction(k)) is not None), base)
            level = base + 1 if before != base else base
        levels[open_] = levels[close] = level
    return levels


def visual_order(levels: list[int]) -> list[int]:
    """Rule L2: indices of ``levels``' items in visual (left-to-right) order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(level for level in levels if level % 2) if any(level % 2 for level in levels) else highest + 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
