"""Plain records that cross the course and referral services' boundary, and the fixed value sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bildungskoordination.domain.course_types import LEVELS as ALL_LEVELS
from bildungskoordination.i18n import N_

NO_LEVEL, *_CEFR = ALL_LEVELS  # one order of levels: domain.course_types
LEVELS = tuple(_CEFR)
WEEKDAYS = ("mo", "di", "mi", "do", "fr", "sa")
MODES = {"praesenz": N_("Präsenz"), "online": N_("online"), "hybrid": N_("hybrid")}
@dataclass
class CourseData:
    """What the coordinator (or an import row) enters; the provider is named, the service finds or adds it."""

    provider: str = ""
    course_number: str = ""
    course_type: str = ""
    entry_level: str = ""  # empty: not given; the course type's rule applies
    target_level: str = ""
    start: date | None = None
    end: date | None = None
    registration_deadline: date | None = None
    teaching_units: int | None = None
    days: list[str] = field(default_factory=list)
    time_from: str = ""
    time_to: str = ""
    mode: str = "praesenz"
    municipality: str = ""
    address: str = ""
    childcare: bool = False
    places: int = 0
    free_places: int | None = None  # the provider's figure; None: not reported (all places minus referrals)
    target_group: str = ""
    costs_note: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    status: str = "geplant"


@dataclass(frozen=True)
class CourseRecord:
    id: int
    provider_id: int
    provider: str
    course_number: str
    course_type: str
    entry_level: str
    target_level: str
    start: date | None
    end: date | None
    registration_deadline: date | None
    teaching_units: int | None
    days: tuple[str, ...]
    time_from: str
    time_to: str
    mode: str
    municipality: str
    address: str
    childcare: bool
    places: int
    reported_free_places: int | None
    free_places: int  # computed: see CourseService / courses.places
    active_referrals: int
    waiting: int  # referrals on the waiting list
    target_group: str
    costs_note: str
    contact_person: str
    phone: str
    email: str
    status: str  # as it stands today (domain.course_status.effective_course_status): what lists and matching use
    created_at: datetime
    updated_at: datetime
    stored_status: str = ""  # as entered; what the editor shows and saves back
    version: int = 0  # pass to CourseService.update (optimistic locking)

    def data(self) -> CourseData:
        """An editable copy for ``CourseService.update``."""
        return CourseData(
            provider=self.provider, course_number=self.course_number, course_type=self.course_type,
            entry_level=self.entry_level, target_level=self.target_level, start=self.start, end=self.end,
            registration_deadline=self.registration_deadline, teaching_units=self.teaching_units,
            days=list(self.days), time_from=self.time_from, time_to=self.time_to, mode=self.mode,
            municipality=self.municipality, address=self.address, childcare=self.childcare, places=self.places,
            free_places=self.reported_free_places, target_group=self.target_group, costs_note=self.costs_note,
            contact_person=self.contact_person, phone=self.phone, email=self.email,
            status=self.stored_status or self.status)


@dataclass(frozen=True)
class ReferralEventRow:
    status: str
    at: date
    reason: str
    user: str = ""  # login name of whoever made the change; "" when unknown (before it was recorded)
    status_label: str = ""


# The referral list's status choices besides the single statuses: every open one, the open ones the
# coordinator has to act on, and all.
OPEN, NEEDING_ACTION, ALL = "open", "needing_action", "all"
# What a period applies to: the day of the referral, or the day of its last status change.
REFERRED, CHANGED = "referred", "changed"


@dataclass(frozen=True)
class ReferralFilter:
    """Which referrals the list shows; the default is every open one."""

    status: str = OPEN  # OPEN, NEEDING_ACTION, ALL or a status code
    course_id: int | None = None
    period: str = ""  # "", REFERRED or CHANGED
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class ReferralRecord:
    id: int
    person_id: int
    person_name: str  # "Familienname, Vorname"
    file_number: str
    course_id: int
    course_number: str
    provider: str
    course_type: str
    course_start: date | None
    course_end: date | None
    status: str
    status_label: str
    waiting_position: int | None
    created_at: datetime
    history: tuple[ReferralEventRow, ...]  # oldest first
    action: str = ""  # for open_needing_action: what the coordinator has to do, in German
    unsuitable_reason: str = ""  # why referred although the matching said "not suitable" (✗)
    version: int = 0  # pass to ReferralService.set_status (optimistic locking)

    @property
    def since(self) -> date:
        """The day of the last status change."""
        return self.history[-1].at if self.history else self.created_at.date()
