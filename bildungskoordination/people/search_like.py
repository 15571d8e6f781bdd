"""The person search on PostgreSQL (a team database): the LIKE conditions that define the search (people/search.py)
run as they are, on trigram indexes (``pg_trgm``, migration 0004) instead of an FTS5 table.

Same rules, same ranking as on SQLite: the conditions are built from the same ``query_terms``/``joined_term`` and
``looks_like_file_number``; tests/core/test_search_index.py checks both engines against the definition.
A whole phonetic key is matched as ``search_skeleton LIKE '% k %' OR search_skeleton LIKE '% k'`` (the keys are
space-prefixed, domain.names.search_keys), so the column itself stays indexable.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from bildungskoordination.domain.names import QueryTerm, joined_term, query_terms
from bildungskoordination.people.search import ListOrder, looks_like_file_number, search_plan
from bildungskoordination.store.models import Person, PersonAlias


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(column: Any, pattern: str) -> ColumnElement[bool]:
    return column.like(pattern, escape="\\")


def _file_number(value: str) -> ColumnElement[bool]:
    return _like(func.lower(Person.file_number), f"%{_escape(value)}%")


def _whole_word(column: Any, word: str) -> ColumnElement[bool]:
    """``word`` is one of the space-separated words of ``column`` (which starts with a space)."""
    w = _escape(word)
    return or_(_like(column, f"% {w} %"), _like(column, f"% {w}"))


def _term(term: QueryTerm) -> ColumnElement[bool]:
    options = [_like(Person.search_folded, f"% {_escape(term.folded)}%")]
    for key in term.keys:
        options.append(_like(Person.search_skeleton, f"% {_escape(key)}%") if key in term.prefix_keys
                       else _whole_word(Person.search_skeleton, key))
    options.append(_file_number(term.folded))
    return or_(*options)


def condition(text: str) -> ColumnElement[bool]:
    """Who matches ``text`` (people/search.py's module docstring, point by point)."""
    text = text.strip()
    if looks_like_file_number(text):
        return _file_number(text.lower())
    raw_words = text.split()
    parts = [_term(t) for t in query_terms(text)]
    joined = joined_term(text)
    names = and_(*parts) if parts else None
    if names is not None and joined is not None:
        names = or_(names, _term(joined))
    whole = text.lower()
    if len(raw_words) == 1 and ("-" in whole or "/" in whole):
        return or_(names, _file_number(whole)) if names is not None else _file_number(whole)
    return names if names is not None else true()


def _alias_like(text: str) -> str | None:
    """Merged files' numbers also find the person: the file-number cases of search_plan."""
    text = text.strip()
    whole = text.lower()
    if looks_like_file_number(text) or (len(text.split()) == 1 and ("-" in whole or "/" in whole)):
        return f"%{_escape(whole)}%"
    return None


def matching_ids(session: Session, text: str, order: ListOrder) -> list[int]:
    if not text.strip():
        return list(order.ids)
    cond = condition(text)
    wanted = set(session.scalars(select(Person.id).where(cond)))
    alias = _alias_like(text)
    if alias is not None:
        wanted |= set(session.scalars(select(PersonAlias.person_id)
                                      .where(_like(func.lower(PersonAlias.file_number), alias))))
    return order.pick(wanted)


def _tiers(text: str) -> list[ColumnElement[bool]]:
    """Every word equal, every word a prefix, every word equal or a key (people/search.py's _tier_queries)."""
    terms = query_terms(text)
    if not terms:
        return []
    exact = and_(*(_whole_word(Person.search_folded, t.folded) for t in terms))
    prefix = and_(*(_like(Person.search_folded, f"% {_escape(t.folded)}%") for t in terms))

    def variant_of(t: QueryTerm) -> ColumnElement[bool]:
        return or_(_like(Person.search_folded, f"% {_escape(t.folded)}%"),
                   *(_whole_word(Person.search_skeleton, k) for k in t.keys))

    variant: ColumnElement[bool] = and_(*(variant_of(t) for t in terms))
    joined = joined_term(text)
    if joined is not None:
        variant = or_(variant, variant_of(joined))
    return [exact, prefix, variant]


def tier_ids(session: Session, text: str, ids: list[int]) -> list[set[int]]:
    """The ids of each better tier among ``ids`` (people/search.rank_ids puts them in order)."""
    tiers = _tiers(text)
    if not tiers:
        return []
    wanted = set(ids)
    found: list[set[int]] = [set() for _tier in tiers]
    # One scan for all tiers (the first that holds), intersected here: an IN list of up to RANK_LIMIT ids would
    # cost more than the scan. rank_ids takes each person's best tier, so the first is enough.
    best = case(*((tier, n) for n, tier in enumerate(tiers)), else_=None)
    for pid, n in session.execute(select(Person.id, best).where(or_(*tiers))):
        if pid in wanted and n is not None:
            found[n].add(pid)
    return found


def name_hits(session: Session, family: str, limit: int) -> set[int]:
    """people/duplicates.py's candidates by name: the hits of ``family`` as typed into the search."""
    plan = search_plan(family)
    if plan.match is None or plan.everyone:
        return set()
    return set(session.scalars(select(Person.id).where(condition(family)).limit(limit)))
