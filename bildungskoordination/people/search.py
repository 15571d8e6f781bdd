"""Person search as you type: every typed word must match a name word (prefix), its skeleton, or the file number.

What matches (domain.names defines fold, skeleton and query_terms), written as the SQL it is equivalent to:

- input that looks like a file number ('TS-2025-00', '2025-0001', '0001'): ``lower(file_number) LIKE '%input%'``;
- else, for every typed word w (folded) with phonetic keys k1, k2, … (domain.phonetic), all of them ANDed:
  ``search_folded LIKE '% w%' OR ' ' || search_skeleton || ' ' LIKE '% k1 %' OR … OR lower(file_number) LIKE
  '%w%'`` – a key matches a whole key; a key with 5 consonants also as a prefix (``LIKE '% k1%'``); standalone
  articles ('al', 'el') are left out when other words remain; with several words, the words joined also match
  on their own (``OR`` the same condition for 'abdulrahman' when 'Abdul Rahman' was typed);
- a single typed word with '-' or '/' ('Al-Hassan', 'TS-') matches also as a whole: ``OR lower(file_number) LIKE
  '%word%'``; input without any word (empty, or only characters such as '%' or '?') matches everyone.

tests/core/test_search_index.py checks the index below against exactly these LIKE conditions.

Those LIKE conditions scan all people (~30 ms per keystroke at 50 000). Instead ``person_fts`` (an FTS5 table,
migration 0004, kept current by SQL triggers on person) indexes per person:

- ``folded``, ``skeleton``: the words of search_folded and search_skeleton ('% w%' is a prefix query "w"*);
- ``file_number``: every suffix of lower(file_number) as one token ('ts-2025-0007', 's-2025-0007', …, '7'), so a
  substring of the file number is a prefix of one of them. Tokens end only at whitespace and at ASCII punctuation
  other than - . / _ , so typed text without such characters is matched exactly; text with one (never part of
  a file number the app accepts) is matched with LIKE instead (``SearchPlan.file_number_like``);
- ``everyone``: the same token in every row, for "everyone except …" queries.

User input always goes into FTS5 inside double quotes (with quotes doubled), so it never becomes query syntax.

A team database (PostgreSQL) has no FTS5: it runs the LIKE conditions above as they are, on trigram indexes
(people/search_like.py), with the same list order and the same ranking tiers.

Order: SQL would have to sort every hit (50 000 for 'T', which every 'TS-…' file number contains). Instead the
ids of everyone in list order are read once and kept (``ListOrder``) until ``person_version.stamp`` changes (SQL
triggers give it a new random value on every insert, update and delete of a person); a search only counts its
hits, reads the smaller of hits and non-hits, and picks them out of that list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bildungskoordination.domain.names import QueryTerm, joined_term, query_terms


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_FILE_NUMBER_LIKE = re.compile(r"^[A-Za-z]{0,6}[-/]?\d[\w./-]*$|^\d+$")
# Text that person_fts's tokenizer (ascii, tokenchars '-./_') keeps as one token: no ASCII character other than
# letters, digits and - . / _ (every non-ASCII character is a token character).
_ONE_TOKEN = re.compile(r"[A-Za-z0-9./_\-\u0080-\U0010ffff]+")


def looks_like_file_number(text: str) -> bool:
    """'TS-2025-00', '2025-0001', '0001': names have no digits, so such input is only a file number."""
    return bool(_FILE_NUMBER_LIKE.match(text)) and any(c.isdigit() for c in text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class SearchPlan:
    """Who matches a typed text: everyone, or the hits of ``match`` (an FTS5 query on person_fts) together with
    the people whose ``lower(file_number) LIKE file_number_like`` (rare: input with characters that end tokens)."""

    everyone: bool = False
    match: str | None = None
    file_number_like: str | None = None
    # File numbers of merged files (person_alias, a small table): ``lower(file_number) LIKE alias_like``.
    alias_like: str | None = None


def _file_number_part(text: str) -> tuple[str | None, str | None]:
    """(FTS query, LIKE pattern) for ``lower(file_number) LIKE '%text%'`` – exactly one of them is set."""
    if _ONE_TOKEN.fullmatch(text):
        return f"file_number : {_quoted(text)}*", None
    return None, f"%{_like_escape(text)}%"


def _term_query(term: QueryTerm) -> str:
    """FTS5 query for one typed word: [a-z0-9]+ each, so safe inside quotes."""
    options = [f"folded : {_quoted(term.folded)}*"]
    options += [f"skeleton : {_quoted(k)}" for k in term.keys if k not in term.prefix_keys]
    options += [f"skeleton : {_quoted(k)}*" for k in term.prefix_keys]
    options.append(f"file_number : {_quoted(term.folded)}*")
    return "(" + " OR ".join(options) + ")"


def search_plan(text: str) -> SearchPlan:
    text = text.strip()
    if looks_like_file_number(text):
        match, like = _file_number_part(text.lower())
        return SearchPlan(match=match, file_number_like=like, alias_like=f"%{_like_escape(text.lower())}%")
    raw_words = text.split()
    if not raw_words:
        return SearchPlan(everyone=True)
    parts = [_term_query(t) for t in query_terms(text)]
    names = " AND ".join(parts) or None
    joined = joined_term(text)
    if names is not None and joined is not None:
        names = f"({names}) OR {_term_query(joined)}"
    # A file number typed whole ('TS-2025-0001') also matches as one string.
    whole = text.lower()
    if len(raw_words) == 1 and ("-" in whole or "/" in whole):
        match, like = _file_number_part(whole)
        if names is not None:
            match = f"({names}) OR {match}" if match else names
        return SearchPlan(match=match, file_number_like=like, alias_like=f"%{_like_escape(whole)}%")
    if names is None:  # only characters that are no letters or digits: nothing to narrow down by
        return SearchPlan(everyone=True)
    return SearchPlan(match=names)


class ListOrder:
    """The ids of everyone in one list order, read at one person_version stamp."""

    __slots__ = ("stamp", "ids", "_rank")

    def __init__(self, stamp: int | None, ids: list[int]) -> None:
        self.stamp = stamp
        self.ids = ids
        self._rank: dict[int, int] | None = None

    def pick(self, wanted: set[int]) -> list[int]:
        """The ids in ``wanted``, in list order."""
        if len(wanted) * 10 < len(self.ids):  # few: sort them by position rather than walk the whole list
            if self._rank is None:
                self._rank = {pid: n for n, pid in enumerate(self.ids)}
            rank = self._rank
            return sorted((pid for pid in wanted if pid in rank), key=rank.__getitem__)
        return [pid for pid in self.ids if pid in wanted]

    def without(self, unwanted: set[int]) -> list[int]:
        """The ids not in ``unwanted``, in list order."""
        if not unwanted:
            return list(self.ids)
        return [pid for pid in self.ids if pid not in unwanted]


def current_stamp(cursor: Any) -> int | None:
    row = cursor.execute("SELECT stamp FROM person_version WHERE id = 1").fetchone()
    return None if row is None else row[0]


def _ids(cursor: Any, sql: str, params: Iterable[Any] = ()) -> set[int]:
    return {pid for (pid,) in cursor.execute(sql, tuple(params))}


def matching_ids(cursor: Any, plan: SearchPlan, order: ListOrder) -> list[int]:
    """The people matching ``plan``, in ``order``. ``cursor`` is a DB-API cursor inside the read transaction
    ``order`` was read (or checked) in; ids go through it without ORM row processing."""
    if plan.everyone:
        return list(order.ids)
    wanted: set[int] = set()
    unwanted: set[int] | None = None  # set: the result is everyone except these
    if plan.match is not None:
        hits = cursor.execute("SELECT count(*) FROM person_fts WHERE person_fts MATCH ?", (plan.match,)).fetchone()[0]
        if hits >= len(order.ids):
            unwanted = set()
        elif hits * 2 > len(order.ids):  # most people: read those who do not match
            unwanted = _ids(cursor, "SELECT rowid FROM person_fts WHERE person_fts MATCH ?",
                            (f"everyone : x NOT ({plan.match})",))
        elif hits:
            wanted = _ids(cursor, "SELECT rowid FROM person_fts WHERE person_fts MATCH ?", (plan.match,))
    if plan.file_number_like is not None:
        also = _ids(cursor, "SELECT id FROM person WHERE lower(file_number) LIKE ? ESCAPE '\\'",
                    (plan.file_number_like,))
        if unwanted is not None:
            unwanted -= also
        else:
            wanted |= also
    if plan.alias_like is not None:
        aliased = _ids(cursor, "SELECT person_id FROM person_alias WHERE lower(file_number) LIKE ? ESCAPE '\\'",
                       (plan.alias_like,))
        if unwanted is not None:
            unwanted -= aliased
        else:
            wanted |= aliased
    return order.without(unwanted) if unwanted is not None else order.pick(wanted)


RANK_LIMIT = 5000  # more hits (one or two letters typed): kept in list order, ranking would say little


def _tier_queries(text: str) -> list[str]:
    """FTS queries for the better tiers: every word equal, every word a prefix, every word equal or a key."""
    terms = query_terms(text)
    if not terms:
        return []
    exact = " AND ".join(f"folded : {_quoted(t.folded)}" for t in terms)
    prefix = " AND ".join(f"folded : {_quoted(t.folded)}*" for t in terms)
    variant = " AND ".join(
        "(" + " OR ".join([f"folded : {_quoted(t.folded)}*"] + [f"skeleton : {_quoted(k)}" for k in t.keys]) + ")"
        for t in terms)
    joined = joined_term(text)
    if joined is not None:
        variant = f"({variant}) OR " + "(" + " OR ".join(
            [f"folded : {_quoted(joined.folded)}*"] + [f"skeleton : {_quoted(k)}" for k in joined.keys]) + ")"
    return [exact, prefix, variant]


def rank_ids(cursor: Any, text: str, ids: list[int],
             tier_sets: Callable[[str, list[int]], list[set[int]]] | None = None) -> list[int]:
    """``ids`` (the hits of ``text`` in list order) with the best matches first: every typed word equal to a name
    word, then a prefix of one, then a variant spelling (phonetic key), then the rest (longer key prefixes, file
    numbers); list order within each. Input that looks like a file number, and more than RANK_LIMIT hits, stay
    as they are."""
    text = text.strip()
    if not ids or len(ids) > RANK_LIMIT or looks_like_file_number(text):
        return ids
    remaining = set(ids)
    tiers: list[set[int]] = []
    if tier_sets is not None:  # PostgreSQL: the same tiers by LIKE (people/search_like.py)
        candidates = tier_sets(text, ids)
    else:
        candidates = [_ids(cursor, "SELECT rowid FROM person_fts WHERE person_fts MATCH ?", (query,))
                      for query in _tier_queries(text)]
    for hits in candidates:
        found = hits & remaining
        tiers.append(found)
        remaining -= found
    if not tiers:
        return ids
    tiers.append(remaining)
    tier_of = {pid: n for n, tier in enumerate(tiers) for pid in tier}
    return sorted(ids, key=tier_of.__getitem__)  # stable: list order within a tier
