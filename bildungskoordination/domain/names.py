"""Names: cleaning on input, and folded/phonetic keys for tolerant search and duplicate checks.

What matches (documented in the README): case, diacritics and script are ignored (Müller = Muller,
Олена = Olena); vowels are ignored and consonants that transliterations swap are merged, so
Mohammed = Muhammad = Mohamed, Sergii = Serhii = Sergey, Müller = Mueller, Ahmad = Achmed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from anyascii import anyascii

from bildungskoordination.domain.phonetic import consonants, phonetic_keys

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
# Apostrophes and the ʿain/hamza signs are part of a word (Jaʿfar, O'Brien), not a break.
_INNER_MARKS = dict.fromkeys(map(ord, "'’ʿʾ`´ʹʺ"), None)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text.translate(_INNER_MARKS)))


# Letters whose plain-ASCII form loses what transliterations keep apart (ISO 9 / DMG / scientific): š = sh,
# ž = zh, č = ch, ŝ = shch, ǧ = dsch, ḫ = kh, ġ = gh. Turkish ş and ç stay s and c: German papers drop the marks.
_PHONETIC = str.maketrans({"š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh", "č": "ch", "Č": "Ch", "ŝ": "shch",
                           "Ŝ": "Shch", "ǧ": "dsch", "Ǧ": "Dsch", "ḫ": "kh", "Ḫ": "Kh", "ẖ": "kh", "ġ": "gh",
                           "Ġ": "Gh"})


def phonetic_words(text: str) -> list[str]:
    """Words as for :func:`words`, with the letters above spelled out; same count and order as ``words``."""
    return words(text.translate(_PHONETIC))


# Articles and particles that may stand alone before a name ("El Hassan", "Abd al-Qadir"): in a query of several
# words they narrow nothing down (the joined form still counts).
ARTICLES = frozenset({"al", "el", "ul", "ad", "ar", "as", "at", "an", "az", "ash", "ed", "es", "er", "abd"})
MIN_KEY = 2  # shorter keys ('l' for 'Ali') say too little to count as a variant spelling
PREFIX_CONSONANTS = 5  # a key with this many consonants is also a prefix: 'Schewtschenk' finds 'Shevchenko'


def skeleton(word: str) -> str:
    """The first phonetic key of one folded word (see domain.phonetic)."""
    keys = phonetic_keys(word)
    return keys[0] if keys else ""


def _name_words(names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    folded: list[str] = []
    spelled: list[str] = []
    for name in names:
        ws, ps = words(name), phonetic_words(name)
        folded.extend(ws)
        spelled.extend(ps)
        if len(ws) > 1:
            folded.append("".join(ws))
            spelled.append("".join(ps))
    return folded, spelled


def search_keys(*names: str) -> tuple[str, str]:
    """(folded words, phonetic keys) of all names, each space-prefixed so `LIKE '% x%'` is a word-prefix match.

    Every name also contributes its words joined, so 'Al-Hassan' is found as 'Alhassan' and vice versa.
    """
    folded, spelled = _name_words(names)
    unique = list(dict.fromkeys(w for w in folded if w))
    keys = list(dict.fromkeys(k for w in dict.fromkeys(spelled) for k in phonetic_keys(w) if len(k) >= MIN_KEY))
    return " " + " ".join(unique), " " + " ".join(keys)


@dataclass(frozen=True)
class QueryTerm:
    """One typed word: its folded form, its phonetic keys, and which of them may also match as a prefix."""

    folded: str
    keys: tuple[str, ...]
    prefix_keys: tuple[str, ...]


def _term(folded: str, spelled: str) -> QueryTerm:
    keys = tuple(k for k in phonetic_keys(spelled) if len(k) >= MIN_KEY)
    return QueryTerm(folded, keys, tuple(k for k in keys if consonants(k) >= PREFIX_CONSONANTS))


def query_terms(text: str) -> list[QueryTerm]:
    """One term per typed word; a standalone article before another word is left out ('El Hassan'); the last
    word always counts (it may be the start of a name being typed: 'Muhamad Al…')."""
    pairs = list(zip(words(text), phonetic_words(text), strict=True))
    kept = [(w, p) for w, p in pairs[:-1] if w not in ARTICLES] + pairs[-1:]
    return [_term(w, p) for w, p in kept]


def joined_term(text: str) -> QueryTerm | None:
    """The typed words as one ('Abdul Rahman' → 'abdulrahman'), when there are several."""
    ws = words(text)
    if len(ws) < 2:
        return None
    return _term("".join(ws), "".join(phonetic_words(text)))


class Kind(IntEnum):
    """How well a name matches typed text; lower is better (the order of search results)."""

    EXACT = 0
    PREFIX = 1
    VARIANT = 2
    PARTIAL = 3


def _term_kind(term: QueryTerm, folded: list[str], keys: frozenset[str]) -> Kind | None:
    if term.folded in folded:
        return Kind.EXACT
    if any(w.startswith(term.folded) for w in folded):
        return Kind.PREFIX
    if keys.intersection(term.keys):
        return Kind.VARIANT
    if any(k.startswith(p) for p in term.prefix_keys for k in keys):
        return Kind.PARTIAL
    return None


@lru_cache(maxsize=16384)
def _stored(names: tuple[str, ...]) -> tuple[list[str], frozenset[str]]:
    folded, spelled = _name_words(names)
    return folded, frozenset(k for w in spelled for k in phonetic_keys(w))


@lru_cache(maxsize=1024)
def _typed(text: str) -> tuple[list[QueryTerm], QueryTerm | None]:
    return query_terms(text), joined_term(text)


def match_kind(text: str, *names: str) -> Kind | None:
    """How ``text`` (as typed in the search) matches a person with these names; None: not found.

    The same rule as the search (people/search.py turns it into an FTS query): every typed word must match a
    name word – equal, a prefix, a phonetic key, or a prefix of a key when that has 5 consonants – or the typed
    words joined must."""
    folded, keys = _stored(names)
    terms, joined = _typed(text)
    kinds = [_term_kind(t, folded, keys) for t in terms]
    best = max(kinds) if kinds and None not in kinds else None  # type: ignore[type-var]
    if joined is not None:
        kind = _term_kind(joined, folded, keys)
        if kind is not None:
            kind = max(kind, Kind.VARIANT)
            best = kind if best is None else min(best, kind)
    return best


def name_key(family: str, given: str) -> str:
    """A comparable form of a full name for fuzzy duplicate checks."""
    return " ".join(skeleton(w) or w for w in words(f"{family} {given}"))
