"""Names: cleaning on input, and folded/phonetic keys for tolerant search and duplicate checks.

What matches (documented in the README): case, diacritics and script are ignored (Müller = Muller,
Олена = Olena); vowels are ignored and consonants that transliterations swap are merged, so
Mohammed = Muhammad = Mohamed, Sergii = Serhii = Sergey, Müller = Mueller, Ahmad = Achmed.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# Bidi embeddings/overrides/isolates, zero-width characters and BOM: invisible, and able to make a name
# print or sort differently from what the user sees. ZWNJ (U+200C) is kept: Persian spelling needs it.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x061C, 0x00AD]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A)),
    None,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """NFC, without bidi and zero-width controls; single-line fields also lose line breaks."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    if multiline:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower-case ASCII rendering of any script: 'Yılmaz' → 'yilmaz', 'Олена' → 'olena'."""
    return anyascii(unicodedata.normalize("NFC", text)).lower()


_WORD = re.compile(r"[a-z0-9]+")
# Order matters: multi-letter spellings before single letters.
_SKELETON_RULES = [
    ("sch", "s"), ("tch", "c"), ("ch", "h"), ("kh", "h"), ("gh", "h"), ("sh", "s"), ("zh", "j"),
    ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("ks", "x"),
    ("q", "k"), ("c", "k"), ("g", "h"), ("w", "v"), ("z", "s"), ("d", "t"), ("x", "ks"), ("p", "b"),
]
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def skeleton(word: str) -> str:
    """Consonant skeleton of one folded word, stable across common transliterations."""
    w = word
    for old, new in _SKELETON_RULES:
        w = w.replace(old, new)
    w = _VOWELS.sub("", w)
    return _REPEATS.sub(r"\1", w)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def search_keys(*names: str) -> tuple[str, str]:
    """(folded words, skeletons) of all names, each space-prefixed so `LIKE '% x%'` is a word-prefix match.

    Every name also contributes its words joined, so 'Al-Hassan' is found as 'Alhassan' and vice versa.
    """
    folded: list[str] = []
    for name in names:
        ws = words(name)
        folded.extend(ws)
        if len(ws) > 1:
            folded.append("".join(ws))
    unique = list(dict.fromkeys(w for w in folded if w))
    skeletons = list(dict.fromkeys(s for s in (skeleton(w) for w in unique) if s))
    return " " + " ".join(unique), " " + " ".join(skeletons)


def query_terms(text: str) -> list[tuple[str, str]]:
    """(folded, skeleton) per word the user typed; a skeleton shorter than 2 letters is left empty."""
    terms = []
    for w in words(text):
        s = skeleton(w)
        terms.append((w, s if len(s) >= 2 else ""))
    return terms


def name_key(family: str, given: str) -> str:
    """A comparable form of a full name for fuzzy duplicate checks."""
    return " ".join(skeleton(w) or w for w in words(f"{family} {given}"))
