"""What the engine's rules share: a rule's outcome (Part), a column of them, the prepared course, the person's
key facts and the small texts the reasons are built from. No database, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bildungskoordination.domain.course_types import CourseType
from bildungskoordination.domain.dates import format_date
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.matching.facts import CourseFacts, Reason
from bildungskoordination.matching.legal import NO, OK, LegalFacts

_KIND = ("ok", "caveat", "no")
NOT_ELIGIBLE_MALUS = 100.0
Part = tuple[int, float, tuple[Reason, ...]]  # severity, score, reasons
Column = tuple[list[int], list[float], list[tuple[Reason, ...]]]
NOTHING: Part = (OK, 0.0, ())
SLOTS = (("vormittags", 0, 12 * 60), ("nachmittags", 12 * 60, 17 * 60), ("abends", 17 * 60, 24 * 60))
WEEKDAY_ORDER = ("mo", "di", "mi", "do", "fr", "sa", "so")


def make_part(items: list[tuple[int, float, str]]) -> Part:
    """Severity, score and reasons of one rule; every excluding reason costs NOT_ELIGIBLE_MALUS points."""
    if not items:
        return NOTHING
    severity = 0
    score = 0.0
    for s, sc, _t in items:
        severity = s if s > severity else severity
        score += sc - (NOT_ELIGIBLE_MALUS if s == NO else 0.0)
    return (severity, score, tuple(Reason(_KIND[s], t) for s, _sc, t in items))


def minutes_of(hhmm: str) -> int | None:
    try:
        h, m = hhmm.strip().split(":")
        return int(h) * 60 + int(m)
    except (ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class Prepared:
    """Per-course facts computed once per Matcher."""

    course: CourseFacts
    ctype: CourseType | None
    label: str
    family: str
    entry: int | None  # index in the level order; None: no requirement
    target: int | None
    entry_from_type: bool  # the provider left the entry level empty; the course type's rule applies
    target_from_type: bool
    slots: frozenset[str]
    days: frozenset[str]
    groups: tuple[str, ...]  # target groups: codes, or the provider's text when unknown
    judged_on: date  # ages and course types are judged at the course start (or today, if it is unknown)
    legal: Part  # what does not depend on the person: course type valid at the start, ended, review
    schedule: Part  # start, registration deadline, free places, costs


@dataclass(frozen=True)
class PersonKey:
    level: str  # the best of the recorded level and the integration course's result
    literacy: str
    legal: LegalFacts
    gender: str
    born: int  # the birth date's place among the course's age limits (see Matcher._born); -1: unknown
    availability: frozenset[str]
    weekdays: frozenset[str]
    childcare: bool
    municipality: str




def years_before(d: date, years: int) -> date:
    """The latest birth date of someone who is ``years`` old on ``d`` (29 February counts as 28 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def validity_text(t: CourseType) -> str:
    if t.valid_until and t.valid_from:
        return _("vom {start} bis zum {end}").format(start=format_date(t.valid_from), end=format_date(t.valid_until))
    if t.valid_until:
        return _("bis zum {date}").format(date=format_date(t.valid_until))
    return _("ab dem {date}").format(date=format_date(t.valid_from))


def level_text(level: str) -> str:
    return _("keine Deutschkenntnisse") if level == "keine" else level


def entry_text(level: str) -> str:
    return _("ohne Vorkenntnisse") if level == "keine" else level


def literacy_text(code: str) -> str:
    return {
        "nein": _("noch nicht lesen und schreiben kann"),
        "funktional": _("die lateinische Schrift kennt, aber nicht ausreichend liest und schreibt"),
        "andere_schrift": _("in einer anderen als der lateinischen Schrift liest und schreibt"),
        "lateinisch": _("in lateinischer Schrift liest und schreibt"),
    }.get(code, code)


def days_text(days: frozenset[str]) -> str:
    names = vocabulary("weekday")
    return ", ".join(names.label(d) for d in WEEKDAY_ORDER if d in days) or ", ".join(sorted(days))
