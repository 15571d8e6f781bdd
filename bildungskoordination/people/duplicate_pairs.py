"""Likely duplicate pairs among everyone recorded (the app's list "Mögliche Doppelerfassungen"), and the
duplicate marks of an import preview. Pairs are only shown; merging is always a person's decision.

Pairs are looked for only among people who share a phonetic key of a family-name word and one of a given-name
word, in either order (a 'block'), then judged like the check before creating someone (people/duplicates.judge).
Blocks larger than ``_BLOCK_LIMIT`` (a name that very many people share) are skipped: they would compare
thousands of pairs and say little.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.domain.names import phonetic_words
from bildungskoordination.domain.phonetic import phonetic_keys
from bildungskoordination.people.duplicates import DuplicateCandidate, find_duplicates, judge
from bildungskoordination.people.records import PersonData
from bildungskoordination.store.models import Person

_BLOCK_LIMIT = 400


@dataclass(frozen=True)
class DuplicatePair:
    first_id: int
    first_file_number: str
    first_name: str
    second_id: int
    second_file_number: str
    second_name: str
    score: float
    reason: str


def _birth(r: Any) -> PartialDate | None:
    return None if r.birth_year is None else PartialDate(r.birth_year, r.birth_month, r.birth_day, "")


def _keys(name: str) -> set[str]:
    return {k for w in phonetic_words(name) for k in phonetic_keys(w)[:3]}


def _candidate_pairs(members: list[Any]) -> Iterator[tuple[Any, Any]]:
    """Pairs in a block that a birth date does not rule out: the same birth year, or one of them without."""
    by_year: dict[int | None, list[Any]] = defaultdict(list)
    for r in members:
        by_year[r.birth_year].append(r)
    unknown = by_year.pop(None, [])
    for group in by_year.values():
        yield from combinations(group, 2)
    yield from combinations(unknown, 2)
    for r in unknown:
        for group in by_year.values():
            for other in group:
                yield r, other


def likely_pairs(session: Session, *, limit: int = 500) -> list[DuplicatePair]:
    rows = session.execute(select(Person.id, Person.file_number, Person.family_name, Person.given_name,
                                  Person.birth_year, Person.birth_month, Person.birth_day)).all()
    births = {r.id: _birth(r) for r in rows}
    blocks: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for r in rows:
        family, given = _keys(r.family_name), _keys(r.given_name) or {""}
        for block in {(f, g) for f in family for g in given} | {(g, f) for f in family for g in given}:
            blocks[block].append(r)
    seen: set[tuple[int, int]] = set()
    pairs: list[DuplicatePair] = []
    for members in blocks.values():
        if len(members) < 2 or len(members) > _BLOCK_LIMIT:
            continue
        for a, b in _candidate_pairs(members):
            key = (min(a.id, b.id), max(a.id, b.id))
            if key in seen:
                continue
            seen.add(key)
            verdict = judge(a.family_name, a.given_name, births[a.id], b.family_name, b.given_name, births[b.id])
            if verdict is not None:
                first, second = (a, b) if a.id < b.id else (b, a)
                pairs.append(DuplicatePair(first.id, first.file_number, f"{first.family_name}, {first.given_name}",
                                           second.id, second.file_number,
                                           f"{second.family_name}, {second.given_name}", *verdict))
    pairs.sort(key=lambda p: (-p.score, p.first_name, p.first_id, p.second_id))
    return pairs[:limit]


def import_marks(session: Session, people: list[PersonData]) -> list[list[DuplicateCandidate]]:
    """Per imported row (in order): the existing files it looks like, best first."""
    return [find_duplicates(session, data, limit=3) for data in people]


__all__ = ["DuplicatePair", "import_marks", "likely_pairs"]
