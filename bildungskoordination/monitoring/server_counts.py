"""The monitoring counts on a team database (PostgreSQL): the same numbers as monitoring/tables.py counts in
SQLite, from the SECURITY DEFINER functions of migration 0012. They return aggregated counts only, so the role
``monitoring`` can produce every table without the right to read a person, contact or referral
(store/roles.py); the app uses them for every role, so all roles see the same numbers."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import text
from sqlalchemy.orm import Session

from bildungskoordination.monitoring.categories import UNKNOWN, Categories
from bildungskoordination.monitoring.model import Period
from bildungskoordination.monitoring.tables import NO_INTERPRETER, PERSON_DIMENSIONS, PersonCodes, RawCounts


def _pairs(session: Session, sql: str, params: dict[str, object]) -> dict[str, tuple[int, int]]:
    return {str(code or ""): (int(a), int(b)) for code, a, b in session.execute(text(sql), params)}


def count_on_server(session: Session, period: Period, cats: Categories) -> RawCounts:
    params: dict[str, object] = {"start": period.start, "end": period.end}
    raw = RawCounts()
    raw.by_topic = _pairs(session, "SELECT * FROM bk_count_topics(:start, :end)", params)
    raw.by_channel = _pairs(session, "SELECT * FROM bk_count_channels(:start, :end, :codes, :unknown)",
                            {**params, "codes": [c.code for c in cats.channels], "unknown": UNKNOWN})
    raw.by_interpreter = _pairs(session, "SELECT * FROM bk_count_interpreters(:start, :end, :codes, :none, :unknown)",
                                {**params, "codes": [c.code for c in cats.interpreter_kinds],
                                 "none": NO_INTERPRETER, "unknown": UNKNOWN})
    raw.persons_by = {d: Counter() for d in PERSON_DIMENSIONS}
    codes = PersonCodes(cats, period.end)
    # One margin per dimension (migration 0012): each code depends only on its own value, so the others are
    # left empty when it is computed.
    position = {d: n for n, d in enumerate(PERSON_DIMENSIONS)}
    for dimension, value, n in session.execute(text("SELECT * FROM bk_count_persons(:start, :end)"), params):
        if dimension == "total":
            raw.persons = int(n)
            continue
        given: dict[str, object] = {"gender": "", "age": None, "nationality": None, "residence": "", "german": "",
                                    "area": ""}
        if dimension == "age":
            given["age"] = None if value is None else int(value)
        else:
            given[dimension] = value or ""
        code = codes.with_age(given["gender"], given["age"], given["nationality"] or None,  # type: ignore[arg-type]
                              given["residence"], given["german"], given["area"])[position[dimension]]  # type: ignore[arg-type]
        raw.persons_by[dimension][code] += int(n)
    raw.contacts = sum(n for n, _persons in raw.by_channel.values())
    for course_type, status, n in session.execute(text("SELECT * FROM bk_count_referrals(:start, :end)"), params):
        raw.referrals[(course_type, status)] += n
    for days, n in session.execute(text("SELECT * FROM bk_count_start_days(:start, :end)"), params):
        raw.start_days.extend([days] * n)
    return raw


def months_on_server(session: Session, period: Period) -> dict[str, tuple[int, int]]:
    """Contacts and people counselled per month ('YYYY-MM')."""
    return _pairs(session, "SELECT * FROM bk_count_months(:start, :end)", {"start": period.start, "end": period.end})
