"""Plain facts the matching engine works on: a course, a reason, a match. No database, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

VERDICTS = ("eligible", "caveat", "not_eligible")
KINDS = ("ok", "caveat", "no")  # index = severity, as in VERDICTS


@dataclass(frozen=True)
class CourseFacts:
    """What the engine needs to know about one course (the course service builds these from its rows)."""

    course_id: int | str
    course_number: str = ""
    provider: str = ""
    course_type: str = ""  # code from resources/matching/course_types.toml
    entry_level: str = ""  # "keine", "A1" … ; empty: no requirement
    target_level: str = ""  # empty: no target (e.g. Sprachcafé)
    start: date | None = None
    end: date | None = None
    registration_deadline: date | None = None
    days: tuple[str, ...] = ()  # "mo", "di", "mi", "do", "fr", "sa", "so"
    time_from: str = ""  # "HH:MM"
    time_to: str = ""
    mode: str = "praesenz"  # "praesenz" | "online" | "hybrid"
    municipality: str = ""
    childcare: bool = False
    free_places: int | None = None  # None: unknown
    target_group: tuple[str, ...] | str = ()  # codes ("frauen") or provider text; a string is split at , and ;

    def __post_init__(self) -> None:
        # Lists are accepted for convenience; the facts stay hashable.
        if not isinstance(self.days, tuple):
            object.__setattr__(self, "days", tuple(self.days))
        if isinstance(self.target_group, str):
            parts = [p.strip() for p in self.target_group.replace(";", ",").split(",")]
            object.__setattr__(self, "target_group", tuple(p for p in parts if p))
        elif not isinstance(self.target_group, tuple):
            object.__setattr__(self, "target_group", tuple(self.target_group))


class Reason(NamedTuple):
    kind: str  # "ok" | "caveat" | "no"
    text: str  # a plain German sentence the coordinator can read out

    def __str__(self) -> str:
        return self.text


class Match(NamedTuple):
    """The outcome for one person and one course: verdict, score (higher is better) and reasons."""

    course: CourseFacts
    verdict: str  # "eligible" | "caveat" | "not_eligible"
    score: float
    parts: tuple[tuple[Reason, ...], ...]  # reasons in groups, as the engine produced them
    sort_key: float  # ascending = best first

    @property
    def reasons(self) -> list[Reason]:
        """Reasons, the excluding ones first, then caveats, then what fits."""
        flat = [r for part in self.parts for r in part]
        return sorted(flat, key=lambda r: -KINDS.index(r.kind))

    @property
    def course_id(self) -> int | str:
        return self.course.course_id

    def as_dict(self) -> dict:
        """The JSON shape of `match --json`."""
        c = self.course
        return {
            "course_id": c.course_id,
            "course_number": c.course_number,
            "provider": c.provider,
            "course_type": c.course_type,
            "verdict": self.verdict,
            "score": round(self.score, 2),
            "reasons": [r.text for r in self.reasons],
            "reason_kinds": [r.kind for r in self.reasons],
        }
