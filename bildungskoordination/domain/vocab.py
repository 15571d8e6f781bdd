"""Vocabularies as data (resources/vocabularies/*.toml), country and language names from CLDR."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from bildungskoordination import i18n
from bildungskoordination.resources import load_toml, resource_path


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    label_en: str = ""
    group: str = ""
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def display(self, language: str | None = None) -> str:
        lang = language or i18n.current_language()
        return self.label_en if lang == "en" and self.label_en else self.label


class Vocabulary:
    def __init__(self, name: str, terms: list[Term]) -> None:
        self.name = name
        self.terms = terms
        self._by_code = {t.code: t for t in terms}
        self._lookup: dict[str, str] = {}
        for t in terms:
            for key in (t.code, t.label, t.label_en, *t.aliases):
                if key is not None:
                    self._lookup.setdefault(_key(key), t.code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.terms)

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str | None, language: str | None = None) -> str:
        if not code:
            return ""
        term = self._by_code.get(code)
        return term.display(language) if term else code

    def term(self, code: str) -> Term | None:
        return self._by_code.get(code)

    def parse(self, text: str) -> str | None:
        """The code for a label, code or alias as people write it; None if unknown."""
        return self._lookup.get(_key(text))


def level_short(code: str | None, language: str | None = None) -> str:
    """A German level where a narrow column or line shows it: A1 … C2 as they are, "keine" as the code in German
    and as its English label ("none") in English (vocabulary german_level)."""
    if not code:
        return ""
    term = vocabulary("german_level").term(code)
    if term is None or term.label == code or (language or i18n.current_language()) != "en":
        return code
    return term.label_en or code


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("§", "§ ").split())


def _terms(rows: list[dict]) -> list[Term]:
    return [
        Term(
            code=str(r["code"]),
            label=r.get("label", str(r["code"])),
            label_en=r.get("label_en", ""),
            group=r.get("group", ""),
            aliases=tuple(r.get("aliases", ())),
        )
        for r in rows
    ]


@cache
def vocabulary(name: str) -> Vocabulary:
    """Named vocabularies: a file of its own (`topics`) or a table in person_fields.toml (`gender`)."""
    if name in {"residence_status", "topics", "channels", "outcomes"}:
        return Vocabulary(name, _terms(load_toml("vocabularies", f"{name}.toml")["entry"]))
    if name == "countries":
        return _countries()
    if name == "languages":
        return _languages()
    table = load_toml("vocabularies", "person_fields.toml")
    if name not in table:
        raise KeyError(f"unknown vocabulary {name!r}")
    return Vocabulary(name, _terms(table[name]))


def _countries() -> Vocabulary:
    data = load_toml("vocabularies", "countries.toml")
    de, en = _cldr_names()["territory"]["de"], _cldr_names()["territory"]["en"]
    terms = _terms(data["extra"])
    main = [c for c in data["main"] if c in de]
    others = sorted((c for c in de if c not in main), key=lambda c: de[c])
    for code in main + others:
        terms.append(Term(code=code, label=de[code], label_en=en.get(code, code), group="main" if code in main else ""))
    return Vocabulary("countries", terms)


def territories_from_cldr(in_language: str) -> dict[str, str]:
    """Country names (two-letter codes) in German or English, straight from CLDR (tools/build_language_names.py)."""
    from babel import Locale

    names = Locale(in_language).territories
    return {c: str(names[c]) for c in names if isinstance(c, str) and len(c) == 2 and c.isalpha()
            and c not in {"ZZ", "EU", "EZ", "UN", "QO"}}


def _languages() -> Vocabulary:
    data = load_toml("vocabularies", "languages.toml")
    terms = []
    seen: set[str] = set()
    for code in data["codes"]:
        if code in seen:
            continue
        seen.add(code)
        terms.append(Term(code=code, label=language_name(code, "de"), label_en=language_name(code, "en"),
                          aliases=(language_name(code, "native"),)))
    return Vocabulary("languages", terms)


@cache
def language_name(code: str, in_language: str = "de") -> str:
    """German (or English, or the language's own) name of a CLDR language code."""
    names = load_toml("vocabularies", "languages.toml").get("names", {})
    if code in names.get(in_language, {}):
        return names[in_language][code]
    stored = _cldr_names()["language"].get(in_language, {})
    return stored[code] if code in stored else _cldr_name(code, in_language)


@cache
def _cldr_names() -> dict[str, dict[str, dict[str, str]]]:
    """Names from CLDR, precomputed by tools/build_language_names.py: loading Babel's locale data at start-up
    costs ≈ 25 ms for the person form alone (and a third of a second for every language's own name); the names
    change only with CLDR, so they are data. ``{"language": {"de"|"en"|"native": {code: name}},
    "territory": {"de"|"en": {code: name}}}``; tests/core/test_vocabularies.py checks the file is current."""
    import json

    return json.loads(resource_path("vocabularies", "cldr_names.json").read_text(encoding="utf-8"))


def _cldr_name(code: str, in_language: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        if in_language == "native":
            loc = Locale.parse(code)
            return loc.get_display_name(loc) or code
        return Locale.parse(code).get_display_name(Locale(in_language)) or code
    except (UnknownLocaleError, ValueError):
        fallback = Locale("en" if in_language == "native" else in_language).languages
        return str(fallback.get(code, code))


def cldr_names_from_babel() -> dict[str, dict[str, dict[str, str]]]:
    """What ``cldr_names.json`` holds, straight from CLDR (for tools/build_language_names.py and its test):
    every picker language's name in German, English and in itself, and every country's in German and English."""
    from babel import Locale

    codes = list(dict.fromkeys(load_toml("vocabularies", "languages.toml")["codes"]))
    languages = {}
    for in_language in ("de", "en"):
        table = Locale(in_language).languages
        languages[in_language] = {c: str(table[c]) if c in table else _cldr_name(c, in_language) for c in codes}
    languages["native"] = {c: _cldr_name(c, "native") for c in codes}
    return {"language": languages, "territory": {lang: territories_from_cldr(lang) for lang in ("de", "en")}}


def letter_languages() -> list[str]:
    return list(load_toml("vocabularies", "languages.toml")["letter"])


def district() -> dict:
    return load_toml("vocabularies", "district.toml")
