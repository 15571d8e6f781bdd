"""Text that copies out of the letters right: the ToUnicode maps of the embedded font subsets.

ReportLab gives a glyph without a cmap entry (Arabic contextual forms, ligatures like lam-alef or "fi") a
private code point and writes that code point into the font's ToUnicode map, so copying, searching or a screen
reader gets private-use characters. shaping.py remembers which text each such glyph stands for (its HarfBuzz
cluster), and ReportLab's map writer is wrapped once to map those codes to that text. The glyphs stay in
visual order, as in any PDF from a word processor; PDF readers put right-to-left text back in reading order.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_texts: dict[bytes, dict[int, str]] = {}  # font face PostScript name → code → the text the glyph stands for
_installed = False


def remember(face_name: bytes, code: int, text: str) -> None:
    with _lock:
        _texts.setdefault(face_name, {})[code] = text


def install() -> None:
    """Wrap ReportLab's ToUnicode writer (idempotent)."""
    global _installed
    if _installed:
        return
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        face = fontname.split("+", 1)[-1].encode("latin-1", "replace") if "+" in fontname else b""
        with _lock:
            known = dict(_texts.get(face, {}))
        if not known or not any(code in known for code in subset):
            return original(fontname, subset)
        cmap = original(fontname, subset).split("\n")
        start = cmap.index(f"{len(subset)} beginbfchar") + 1
        for i, code in enumerate(subset):
            if code in known:
                cmap[start + i] = f"<{i:02X}> <{known[code].encode('utf-16-be').hex().upper()}>"
        return "\n".join(cmap)

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
    _installed = True
