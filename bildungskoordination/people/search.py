"""Person search as SQL: every typed word must match a name word (prefix), its skeleton, or the file number.

See domain.names for what counts as the same name. Runs as a scan of the covering index ix_person_search
in list order (no table rows are read); benchmarks/bench_search.py measures it at 50 000 people.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, func, or_, true

from bildungskoordination.domain.names import query_terms
from bildungskoordination.store.models import Person


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_FILE_NUMBER_LIKE = re.compile(r"^[A-Za-z]{0,6}[-/]?\d[\w./-]*$|^\d+$")


def looks_like_file_number(text: str) -> bool:
    """'TS-2025-00', '2025-0001', '0001': names have no digits, so such input is only a file number."""
    return bool(_FILE_NUMBER_LIKE.match(text)) and any(c.isdigit() for c in text)


def search_condition(text: str) -> ColumnElement[bool]:
    text = text.strip()
    if looks_like_file_number(text):
        return func.lower(Person.file_number).like(f"%{_like_escape(text.lower())}%", escape="\\")
    terms = query_terms(text)
    raw_words = [w for w in text.split() if w]
    if not terms and not raw_words:
        return true()
    conditions = []
    for folded, skel in terms:
        options = [Person.search_folded.like(f"% {_like_escape(folded)}%", escape="\\")]
        if skel:
            options.append(Person.search_skeleton.like(f"% {_like_escape(skel)}%", escape="\\"))
        options.append(func.lower(Person.file_number).like(f"%{_like_escape(folded)}%", escape="\\"))
        conditions.append(or_(*options))
    # A file number typed whole ('TS-2025-0001') also matches as one string.
    whole = text.strip().lower()
    if len(raw_words) == 1 and ("-" in whole or "/" in whole):
        return or_(and_(*conditions), func.lower(Person.file_number).like(f"%{_like_escape(whole)}%", escape="\\"))
    return and_(*conditions)
