"""The glossary of official terms in the letters (resources/letters/glossary.toml): one word per language for
each term, and whether the German term stands in brackets beside it in every translation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bildungskoordination.resources import load_toml


@dataclass(frozen=True)
class Term:
    german: str
    note: str
    german_in_brackets: bool
    translations: dict[str, str]


@cache
def glossary() -> tuple[Term, ...]:
    terms = []
    for entry in load_toml("letters", "glossary.toml").get("term", []):
        fixed = {"german", "note", "german_in_brackets"}
        terms.append(Term(entry["german"], entry.get("note", ""), bool(entry.get("german_in_brackets", False)),
                          {k: str(v) for k, v in entry.items() if k not in fixed}))
    return tuple(terms)
