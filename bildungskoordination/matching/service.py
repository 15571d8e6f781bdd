"""Matching against the stored catalogue: course rows become CourseFacts, people are ranked per course.

The engine itself (matching/engine.py) knows no database; this service feeds it what is stored today.
"""

from __future__ import annotations

from datetime import date

from bildungskoordination.courses.records import CourseRecord
from bildungskoordination.courses.referrals import ReferralService
from bildungskoordination.courses.service import CourseService
from bildungskoordination.domain.course_status import is_closed
from bildungskoordination.matching.engine import Matcher, rank
from bildungskoordination.matching.facts import CourseFacts, Match
from bildungskoordination.matching.rules import RuleSet, default_rules
from bildungskoordination.people.service import PersonService


def course_facts(course: CourseRecord) -> CourseFacts:
    return CourseFacts(
        course_id=course.id, course_number=course.course_number, provider=course.provider,
        course_type=course.course_type, entry_level=course.entry_level, target_level=course.target_level,
        start=course.start, end=course.end, registration_deadline=course.registration_deadline,
        days=course.days, time_from=course.time_from, time_to=course.time_to, mode=course.mode,
        municipality=course.municipality, childcare=course.childcare, free_places=course.free_places,
        target_group=course.target_group,
    )


class MatchingService:
    def __init__(self, people: PersonService, courses: CourseService, rules: RuleSet | None = None,
                 referrals: ReferralService | None = None) -> None:
        self.people = people
        self.courses = courses
        self._rules = rules
        self.referrals = referrals

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = default_rules()
        return self._rules

    def catalogue(self) -> list[CourseFacts]:
        # The status as entered: dates are judged by the rules against the matching day (which may be another
        # than today), not by the calendar-driven display status.
        # A course entered as cancelled or ended is not offered at all; one whose end date has passed stays in
        # and the rules say so ("zu Ende gegangen"). The closed statuses are domain.course_status's.
        return [course_facts(c) for c in self.courses.list() if not is_closed(c.stored_status or c.status, None, None)]

    def for_person(self, person_id: int, on: date | None = None) -> list[Match]:
        """Every open course for this person, best first, each with its reasons."""
        return rank(self.people.get(person_id), self.catalogue(), on or date.today(), self.rules)

    def candidates(self, course_id: int, on: date | None = None, *, limit: int | None = None) -> list[tuple[int, Match]]:
        """(person id, match) for everyone, best first (not-eligible people last)."""
        facts = course_facts(self.courses.get(course_id))
        matcher = Matcher([facts], on or date.today(), self.rules)
        results = []
        for pid in self.people.search_ids(""):
            results.append((pid, matcher.evaluate_all(self.people.get(pid))[0]))
        results.sort(key=lambda pm: pm[1].sort_key)
        return results[:limit] if limit else results

    def for_course(self, person_id: int, course_id: int, on: date | None = None) -> Match:
        """How this one course fits this person today (also for a course no longer in the catalogue)."""
        facts = course_facts(self.courses.get(course_id))
        return Matcher([facts], on or date.today(), self.rules).evaluate_all(self.people.get(person_id))[0]

    def refer(self, person_id: int, course_id: int, *, unsuitable_reason: str = "", on: date | None = None) -> int:
        """Refer the person to the course; to one the matching marks not suitable (✗) only with a reason
        (``unsuitable_reason``), which is kept with the referral and named in the audit log."""
        if self.referrals is None:
            raise RuntimeError("MatchingService without a ReferralService cannot refer")
        unsuitable = self.for_course(person_id, course_id, on).verdict == "not_eligible"
        return self.referrals.refer(person_id, course_id, on=on, unsuitable=unsuitable,
                                    unsuitable_reason=unsuitable_reason if unsuitable else "")
