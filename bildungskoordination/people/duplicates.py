"""Likely duplicates of a person about to be created: shown to the user, never merged automatically.

A candidate is someone with the same full birth date, or with the same birth year and a similar name
(fuzzy ratio on the transliteration-tolerant name key, either name order).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bildungskoordination.domain.names import name_key
from bildungskoordination.i18n import _
from bildungskoordination.people.records import PersonData
from bildungskoordination.store.models import Person

NAME_THRESHOLD = 82.0


@dataclass(frozen=True)
class DuplicateCandidate:
    id: int
    file_number: str
    family_name: str
    given_name: str
    birth_date_written: str
    score: float
    reason: str


def find_duplicates(session: Session, data: PersonData, *, exclude_id: int | None = None,
                    limit: int = 10) -> list[DuplicateCandidate]:
    if data.birth is None and not data.family_name:
        return []
    key = name_key(data.family_name, data.given_name)
    key_swapped = name_key(data.given_name, data.family_name)
    conditions = []
    if data.birth is not None:
        conditions.append(Person.birth_year == data.birth.year)
    else:
        # Without a birth date only a very similar name counts; narrow by the family name's first letter.
        conditions.append(Person.sort_name.like(f"{data.family_name[:1].lower()}%"))
    query = select(Person.id, Person.file_number, Person.family_name, Person.given_name,
                   Person.birth_year, Person.birth_month, Person.birth_day,
                   Person.birth_date_written).where(or_(*conditions))
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    found: list[DuplicateCandidate] = []
    for r in session.execute(query):
        same_full_date = (
            data.birth is not None and data.birth.day is not None
            and (r.birth_year, r.birth_month, r.birth_day) == (data.birth.year, data.birth.month, data.birth.day)
        )
        other = name_key(r.family_name, r.given_name)
        score = max(fuzz.ratio(key, other), fuzz.ratio(key_swapped, other))
        if same_full_date and score >= 50:
            reason = _("gleiches Geburtsdatum, ähnlicher Name")
        elif same_full_date:
            reason = _("gleiches Geburtsdatum")
        elif score >= NAME_THRESHOLD and data.birth is not None:
            reason = _("ähnlicher Name, gleiches Geburtsjahr")
        elif score >= 95:
            reason = _("sehr ähnlicher Name")
        else:
            continue
        found.append(DuplicateCandidate(r.id, r.file_number, r.family_name, r.given_name,
                                        r.birth_date_written, score, reason))
    found.sort(key=lambda c: -c.score)
    return found[:limit]


__all__ = ["DuplicateCandidate", "find_duplicates"]
