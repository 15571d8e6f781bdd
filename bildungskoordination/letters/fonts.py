"""The bundled Noto fonts (resources/fonts/), registered with ReportLab once, and the choice of font per character.

Every character of a letter is drawn by the first font of the language's chain that has it in its cmap; a
character that no bundled font has is replaced by U+FFFD's stand-in "?" (never an empty .notdef box), so that
"no glyph is ever missing" holds for any input, including names in scripts we do not bundle.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

from bildungskoordination.resources import resource_path

REPLACEMENT = "?"
# Format characters that survive: (non-)joiners shape Persian and Kurdish words; LRE … PDF are only ever put
# there by content.py around left-to-right values in right-to-left text (all data is cleaned of them first).
KEPT_FORMAT_CHARS = "\u200c\u200d\u202a\u202c"


@dataclass(frozen=True)
class FontFamily:
    key: str            # "latin", "arabic", "ethiopic"
    regular: str        # ReportLab font names
    bold: str
    files: tuple[str, ...]  # regular[, bold]
    # Optical size against Noto Sans: Naskh's letter bodies are lower than Latin's x-height (the body of "ه" is
    # 408 units against "x" 536, both 1000/em – measured with HarfBuzz's glyph extents), Ethiopic's detailed
    # letters read small at the same size. Text in a translation is set this much larger (layout.TextStyle.optical).
    optical: float = 1.0

    def name(self, bold: bool) -> str:
        return self.bold if bold else self.regular


FAMILIES: dict[str, FontFamily] = {
    "latin": FontFamily("latin", "NotoSans", "NotoSans-Bold", ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")),
    "arabic": FontFamily("arabic", "NotoNaskhArabic", "NotoNaskhArabic-Bold",
                         ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"), 1.2),
    "ethiopic": FontFamily("ethiopic", "NotoSansEthiopic", "NotoSansEthiopic-Bold",
                           ("NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"), 1.1),
    # Last resort for arrows, check boxes and other signs (→ in course type names); regular weight only.
    "symbols": FontFamily("symbols", "NotoSansSymbols", "NotoSansSymbols", ("NotoSansSymbols-Regular.ttf",)),
    "symbols2": FontFamily("symbols2", "NotoSansSymbols2", "NotoSansSymbols2", ("NotoSansSymbols2-Regular.ttf",)),
}
# The language's own script first; Latin carries digits, punctuation and Latin words inside other scripts.
_ARABIC_SCRIPT = ("ar", "fa", "fa_AF", "ps", "ckb", "ur")
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab (idempotent, thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from bildungskoordination.letters import to_unicode

        to_unicode.install()
        for family in FAMILIES.values():
            for name, filename in zip((family.regular, family.bold), family.files, strict=False):
                path = resource_path("fonts", filename)
                pdfmetrics.registerFont(TTFont(name, str(path), shapable=True))
        _registered = True


def chain_for(language: str) -> tuple[FontFamily, ...]:
    """Font families in the order they are tried for a letter in ``language``."""
    base = language.split("_")[0]
    if language in _ARABIC_SCRIPT or base in _ARABIC_SCRIPT:
        order = ("arabic", "latin", "ethiopic", "symbols", "symbols2")
    elif base in ("ti", "am"):
        order = ("ethiopic", "latin", "arabic", "symbols", "symbols2")
    else:
        order = ("latin", "arabic", "ethiopic", "symbols", "symbols2")
    return tuple(FAMILIES[key] for key in order)


@cache
def _cmap(family_key: str) -> frozenset[int]:
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(FAMILIES[family_key].regular)
    return frozenset(font.face.charToGlyph)


def covers(family: FontFamily, char: str) -> bool:
    return ord(char) in _cmap(family.key)


def family_for(char: str, chain: tuple[FontFamily, ...]) -> FontFamily | None:
    for family in chain:
        if covers(family, char):
            return family
    return None


def printable(text: str, chain: tuple[FontFamily, ...]) -> str:
    """``text`` with every character no font of ``chain`` can draw replaced; controls and format characters
    (bidi marks, zero-width joiners other than ZWNJ/ZWJ) are dropped – they are never wanted on paper."""
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char in KEPT_FORMAT_CHARS:
            out.append(char)
        elif category in ("Cc", "Cf", "Zl", "Zp"):
            out.append(" " if char in "\t\n\r\u2028\u2029" else "")
        elif category == "Zs":
            # A no-break space stays one (content.py binds phone numbers with it); others become spaces.
            out.append(char if char == "\u00a0" and family_for(char, chain) is not None else " ")
        elif family_for(char, chain) is None:
            out.append(REPLACEMENT)
        else:
            out.append(char)
    return "".join(out)


def fully_covered(text: str, chain: tuple[FontFamily, ...]) -> bool:
    """True when every visible character of ``text`` has a glyph in some font of ``chain``."""
    return REPLACEMENT not in printable(text.replace(REPLACEMENT, ""), chain)
