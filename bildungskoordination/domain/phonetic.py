"""Phonetic keys of one name word, stable across German, English, French, ISO/scientific and national spellings.

A key keeps the consonants in classes that transliterations swap, and the vowels as three classes:

- consonants: b/p; d/t/th/dh; g/h/kh/gh/ch (German х), tsch/tch (ч); k/q/ck; s/z/ss/ts/tz (з, с, ц); sh/sch (ш, ж);
  f/ph; v/w; l; m; n; r; gh is also q (Persian Sadeghi = Sadeqi).
  j, y, dsch, dj, dzh (German й, English y, Arabic ǧ) are silent, so Julia = Yulia =
  Yuliia, Dschafari = Djafari = Jafari;
- letters that mean different sounds in different systems give several keys: ch (German х, English ч,
  French ш), x (ks, or Kurdish/Somali kh/ḥ), c (k, ISO ц, or Somali ʿ/Kurdish dʒ: silent), zh (ж, or silent);
- vowels: a cluster with i/y (ai, ei, ey, ie, ii) is 'i', with a is 'a', with o/u (ou, ue, oo) is 'u'; a lone 'e'
  stands for any of them (Mohammed = Muhammad, Youssef = Yusuf, Ebrahim = Ibrahim); a glide i/y/j before a
  vowel is dropped (Natalia = Natalja = Nataliia); a vowel at the end of a word is dropped (Hassane = Hassan);
- Arabic 'abd' + article is 'abd' (Abdul, Abdel, Abd al-, Abder-r…), a final h after a vowel is dropped
  (Abdallah = Abdalla); French 'ou' before a vowel is w (Oualid = Walid).
- German given-name forms on German papers count as the name they render (Andreas = Andrii, Waldemar =
  Volodymyr): ``GIVEN_NAME_FORMS``.

A word has at most ``MAX_KEYS`` keys. Nothing here knows about the database: people/search.py stores and
queries these keys.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

MAX_KEYS = 27
_WILDCARD_E = 2  # lone 'e' clusters that stand for any vowel; later ones count as 'a'

# German and other forms of one given name, first the one whose key stands for the group.
_GIVEN_NAME_GROUPS = [
    ("andrii", "andreas", "andrej", "andrei", "andrey", "andrij"),
    ("volodymyr", "waldemar", "wladimir", "vladimir", "wolodymyr"),
    ("ivan", "johann", "iwan"),
    ("yevhen", "eugen", "jewgeni", "jewgenij", "yevgeny", "evgeny", "evgenii", "yevgenii"),
    ("mykhailo", "michael", "michail", "mikhail", "mychajlo"),
    ("oleksandr", "alexander", "aleksandr", "olexandr", "alexandr"),
    ("olena", "elena", "jelena", "yelena", "helena"),
    ("kateryna", "katharina", "katerina", "jekaterina", "yekaterina", "ekaterina"),
    ("petro", "peter", "pjotr", "pyotr", "piotr"),
    ("mykola", "nikolai", "nikolaj", "nikolay", "mikola"),
    ("hryhorii", "grigori", "grigorij", "gregor", "hryhorij"),
    ("yosyp", "josef", "joseph", "iosif"),
]
GIVEN_NAME_FORMS = {form: group[0] for group in _GIVEN_NAME_GROUPS for form in group}

_ABD = re.compile(r"^c?abd[aeiou]+(?:l|(?=(sh|[rstnzd])\1))")
_OU_W = re.compile(r"ou(?=[aei])")
_SILENT = re.compile(r"dsch|dzh|dj")
_GLIDE = re.compile(r"[iyj]+(?=[aeou])")
_FINAL_H = re.compile(r"(?<=[aeiouy])h$")
# Longest first; each gives the classes it may stand for (upper case: consonant classes, "" = silent).
_CONSONANTS: list[tuple[str, tuple[str, ...]]] = [
    ("tsch", ("H",)), ("sch", ("C",)), ("tch", ("H",)), ("shch", ("CH",)), ("ch", ("H", "C")), ("kh", ("H",)),
    ("gh", ("H", "K")), ("sh", ("C",)), ("zh", ("C", "")), ("ph", ("F",)), ("th", ("T",)), ("dh", ("T",)),
    ("ck", ("K",)), ("ts", ("S",)), ("tz", ("S",)), ("x", ("KS", "H")), ("q", ("K",)), ("c", ("K", "S", "")),
    ("g", ("H",)), ("h", ("H",)), ("w", ("V",)), ("z", ("S",)), ("d", ("T",)), ("p", ("B",)), ("t", ("T",)),
    ("b", ("B",)), ("k", ("K",)), ("s", ("S",)), ("f", ("F",)), ("v", ("V",)), ("l", ("L",)), ("m", ("M",)),
    ("n", ("N",)), ("r", ("R",)),
]
_VOWEL_LETTERS = set("aeiouyj")
_CLUSTER = re.compile(r"[aeiouyj]+")
_REPEATS = re.compile(r"([A-Z])\1+")


def _pieces(word: str) -> list[tuple[str, ...]]:
    pieces: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        if word[i] in _VOWEL_LETTERS:
            pieces.append((word[i],))
            i += 1
            continue
        for pattern, classes in _CONSONANTS:
            if word.startswith(pattern, i):
                pieces.append(classes)
                i += len(pattern)
                break
        else:  # a digit or anything else: kept as it is
            pieces.append((word[i],))
            i += 1
    return pieces


def _vowel_class(cluster: str) -> str:
    if any(c in "iyj" for c in cluster):
        return "i"
    if "a" in cluster:
        return "a"
    if "o" in cluster or "u" in cluster:
        return "u"
    return "e"


def _vowel_variants(spelled: str) -> list[str]:
    """The keys of one consonant-resolved spelling: vowel clusters classed, the final one dropped."""
    spelled = _REPEATS.sub(r"\1", spelled)
    spelled = re.sub(r"[aeiouyj]+$", "", spelled)
    parts = _CLUSTER.split(spelled)
    clusters = [_vowel_class(c) for c in _CLUSTER.findall(spelled)]
    options: list[tuple[str, ...]] = []
    wild = 0
    for cls in clusters:
        if cls == "e" and wild < _WILDCARD_E:
            wild += 1
            options.append(("a", "i", "u"))
        else:
            options.append(("a" if cls == "e" else cls,))
    keys = []
    for choice in product(*options):
        out = parts[0]
        for vowel, rest in zip(choice, parts[1:], strict=True):
            out += vowel + rest
        keys.append(out.lower())
    return keys


@lru_cache(maxsize=65536)
def phonetic_keys(word: str) -> tuple[str, ...]:
    """The keys of one folded word (lower-case ASCII letters and digits); empty for an empty word."""
    if not word:
        return ()
    canonical = GIVEN_NAME_FORMS.get(word)
    w = _ABD.sub("abd", word)
    w = _OU_W.sub("w", w)
    w = _SILENT.sub("", w)
    w = _GLIDE.sub("", w)
    w = _FINAL_H.sub("", w)
    keys: dict[str, None] = {}
    for spelled in product(*_pieces(w)):
        for key in _vowel_variants("".join(spelled)):
            if key:
                keys[key] = None
            if len(keys) >= MAX_KEYS:
                break
        if len(keys) >= MAX_KEYS:
            break
    result = tuple(keys)
    if canonical is not None and canonical != word:
        result = tuple(dict.fromkeys(phonetic_keys(canonical) + result))
    return result


def consonants(key: str) -> int:
    """How many consonant classes a key has (its vowels are a, i, u)."""
    return sum(1 for c in key if c not in "aiu")
