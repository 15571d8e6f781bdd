"""Likely duplicates: before creating a person, on import, and as a list of pairs. Shown, never merged automatically.

A candidate is someone whose family name and given name both match (either order) by the search's rules
(domain.names.match_kind: equal, variant spelling, or a longer form of it) and whose birth date does not rule
them out – or someone with the same full birth date and a fairly similar name. Without a birth date the name
alone decides (issue 11: 'Schewtschenko, Katerina' is 'Shevchenko, Kateryna'). Ranked: equal names before
variant spellings before longer forms; the same birth date before the same year before an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.domain.names import Kind, match_kind, name_key
from bildungskoordination.i18n import _
from bildungskoordination.people.records import PersonData
from bildungskoordination.people.search import search_plan
from bildungskoordination.store.models import Person

_CANDIDATE_LIMIT = 3000  # name hits looked at; more only for a name of one or two letters
_NAME_SCORES = {Kind.EXACT: 100.0, Kind.PREFIX: 80.0, Kind.VARIANT: 92.0, Kind.PARTIAL: 80.0}


@dataclass(frozen=True)
class DuplicateCandidate:
    id: int
    file_number: str
    family_name: str
    given_name: str
    birth_date_written: str
    score: float
    reason: str


def name_match(family: str, given: str, other_family: str, other_given: str) -> Kind | None:
    """How well two full names match: both parts (either order), the worse of the two; None if one fails."""
    best: Kind | None = None
    for f, g in ((family, given), (given, family)):
        kf = match_kind(f, other_family) if f else None
        if kf is None:
            continue
        kg = match_kind(g, other_given) if g and other_given else (Kind.PARTIAL if not g else None)
        if kg is None:
            continue
        kind = max(kf, kg)
        best = kind if best is None else min(best, kind)
    return best


def _birth(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    return None if year is None else PartialDate(year, month, day, "")


def birth_relation(a: PartialDate | None, b: PartialDate | None) -> str:
    """'same' (full dates equal), 'year' (years equal, no full date contradicts), 'unknown' (one missing),
    'different'."""
    if a is None or b is None:
        return "unknown"
    if a.year != b.year:
        return "different"
    if a.day is not None and b.day is not None:
        return "same" if (a.month, a.day) == (b.month, b.day) else "different"
    if a.month is not None and b.month is not None and a.month != b.month:
        return "different"
    return "year"


def judge(family: str, given: str, birth: PartialDate | None, other_family: str, other_given: str,
          other_birth: PartialDate | None) -> tuple[float, str] | None:
    """(score, reason) when two people look like the same one, else None."""
    relation = birth_relation(birth, other_birth)
    if relation == "different":  # cheap, and rules out most pairs: first
        return None
    kind = name_match(family, given, other_family, other_given)
    if kind is None:
        if relation != "same":
            return None
        fuzzy = fuzz.ratio(name_key(family, given), name_key(other_family, other_given))
        if fuzzy < 50:
            return None
        return 60.0 + fuzzy / 10, _("gleiches Geburtsdatum, ähnlicher Name")
    name = {Kind.EXACT: _("gleicher Name"), Kind.VARIANT: _("gleicher Name in anderer Schreibweise")}.get(
        kind, _("ähnlicher Name"))
    birth_text = {"same": _("gleiches Geburtsdatum"), "year": _("gleiches Geburtsjahr"),
                  "unknown": _("Geburtsdatum fehlt")}[relation]
    bonus = {"same": 8.0, "year": 4.0, "unknown": 0.0}[relation]
    return _NAME_SCORES[kind] + bonus - 8.0, f"{name}, {birth_text}"


def _name_hits(session: Session, family: str, given: str) -> set[int]:
    if session.get_bind().dialect.name != "sqlite":  # a team database: no FTS5 (people/search_like.py)
        from bildungskoordination.people.search_like import name_hits

        return name_hits(session, family, _CANDIDATE_LIMIT)
    plan = search_plan(family)
    if plan.match is None or plan.everyone:
        return set()
    rows = session.execute(text("SELECT rowid FROM person_fts WHERE person_fts MATCH :m LIMIT :n"),
                           {"m": plan.match, "n": _CANDIDATE_LIMIT})
    return {r[0] for r in rows}


_COLUMNS = (Person.id, Person.file_number, Person.family_name, Person.given_name, Person.birth_year,
            Person.birth_month, Person.birth_day, Person.birth_date_written)


def find_duplicates(session: Session, data: PersonData, *, exclude_id: int | None = None,
                    limit: int = 10) -> list[DuplicateCandidate]:
    if not data.family_name and data.birth is None:
        return []
    ids = _name_hits(session, data.family_name, data.given_name) if data.family_name else set()
    if data.given_name:  # either order: the given name typed as family name
        ids |= _name_hits(session, data.given_name, data.family_name)
    rows: list[Any] = []
    for start in range(0, len(ids), 500):
        chunk = sorted(ids)[start:start + 500]
        rows.extend(session.execute(select(*_COLUMNS).where(Person.id.in_(chunk))))
    if data.birth is not None and data.birth.day is not None:
        rows.extend(session.execute(select(*_COLUMNS).where(
            Person.birth_year == data.birth.year, Person.birth_month == data.birth.month,
            Person.birth_day == data.birth.day)))
    found: dict[int, DuplicateCandidate] = {}
    for r in rows:
        if r.id == exclude_id or r.id in found:
            continue
        verdict = judge(data.family_name, data.given_name, data.birth, r.family_name, r.given_name,
                        _birth(r.birth_year, r.birth_month, r.birth_day))
        if verdict is not None:
            found[r.id] = DuplicateCandidate(r.id, r.file_number, r.family_name, r.given_name,
                                             r.birth_date_written, *verdict)
    return sorted(found.values(), key=lambda c: (-c.score, c.family_name, c.given_name, c.id))[:limit]


__all__ = ["DuplicateCandidate", "birth_relation", "find_duplicates", "judge", "name_match"]
