"""Course status: the one owner of the statuses (resources/courses/course_statuses.toml) and of the one
function that says how a course stands on a day – the course service, referrals, matching, import and GUI
all ask here ("Is this course closed?" is answered in one place)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from bildungskoordination.domain.vocab import Term, Vocabulary
from bildungskoordination.resources import load_toml

CANCELLED, ENDED, RUNNING = "abgesagt", "beendet", "laufend"
_MOVES_WITH_THE_CALENDAR = ("geplant", "offen", "voll")


@dataclass(frozen=True)
class CourseStatus:
    code: str
    label: str
    label_en: str
    closed: bool


@cache
def course_statuses() -> dict[str, CourseStatus]:
    return {s["code"]: CourseStatus(s["code"], s["label"], s.get("label_en", ""), bool(s["closed"]))
            for s in load_toml("courses", "course_statuses.toml")["status"]}


@cache
def course_status_vocabulary() -> Vocabulary:
    """Labels and the spellings in providers' lists, for the import and the GUI."""
    rows = load_toml("courses", "course_statuses.toml")["status"]
    return Vocabulary("course_status", [Term(r["code"], r["label"], r.get("label_en", ""),
                                             aliases=tuple(r.get("aliases", ()))) for r in rows])


def effective_course_status(stored: str, start: date | None, end: date | None, today: date | None = None) -> str:
    """The status as it stands on ``today``: a course whose end has passed is "beendet", one that has begun is
    "laufend" – nobody has to move it by hand. A cancelled course stays cancelled; without dates nothing moves."""
    today = today or date.today()
    if stored == CANCELLED:
        return stored
    if end is not None and end < today:
        return ENDED
    if start is not None and start <= today and stored in _MOVES_WITH_THE_CALENDAR:
        return RUNNING
    return stored


def is_closed(stored: str, start: date | None, end: date | None, on: date | None = None) -> bool:
    """Does the course take nobody any more on ``on`` (ended or cancelled)?"""
    status = course_statuses().get(effective_course_status(stored, start, end, on))
    return bool(status and status.closed)
