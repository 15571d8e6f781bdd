"""Kurse und Träger: the course catalogue (create, update, delete, filter) with free places computed from
the provider's figure and the referrals."""

from __future__ import annotations

import builtins
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from bildungskoordination.courses.records import LEVELS, MODES, NO_LEVEL, WEEKDAYS, CourseData, CourseRecord
from bildungskoordination.domain.conflicts import check_version
from bildungskoordination.domain.course_status import course_statuses, effective_course_status
from bildungskoordination.domain.course_types import course_types
from bildungskoordination.domain.errors import FieldError, NotFound, ValidationError
from bildungskoordination.domain.names import clean_text
from bildungskoordination.domain.referral_status import active_statuses
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.privacy.audit import Action, add_event, changed_fields, filled_fields
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import Course, Provider, Referral

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class CourseFilter:
    course_type: str | None = None
    level: str | None = None  # courses whose entry level is at most this and whose target is above it
    municipality: str | None = None
    start_from: date | None = None
    start_to: date | None = None


def level_rank(level: str) -> int:
    """0 for "keine"/empty, 1..6 for A1..C2."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def normalise_course(data: CourseData) -> CourseData:
    for name in ("provider", "course_number", "course_type", "municipality", "address", "costs_note",
                 "contact_person", "phone", "email", "time_from", "time_to"):
        setattr(data, name, clean_text(getattr(data, name)))
    data.target_group = clean_text(data.target_group, multiline=True)
    # Empty stays empty: "not given by the provider", so the course type's own rule applies (domain.course_types).
    entry = (data.entry_level or "").strip()
    data.entry_level = NO_LEVEL if entry.casefold() == NO_LEVEL else entry.upper()
    target = data.target_level.strip()
    data.target_level = NO_LEVEL if target.casefold() == NO_LEVEL else target.upper()
    data.days = [d for d in WEEKDAYS if d in {x.strip().casefold() for x in data.days}] + \
        [d for d in dict.fromkeys(x.strip().casefold() for x in data.days) if d not in WEEKDAYS]
    return data


def validate_course(data: CourseData) -> list[FieldError]:
    errors: list[FieldError] = []

    def err(name: str, message: str) -> None:
        errors.append(FieldError(name, message))

    if not data.provider:
        err("provider", _("Träger fehlt"))
    if not data.course_number:
        err("course_number", _("Kursnummer fehlt"))
    if not data.course_type:
        err("course_type", _("Kursart fehlt"))
    elif data.course_type not in course_types():
        err("course_type", _("unbekannte Kursart „{value}“").format(value=data.course_type))
    if data.entry_level and data.entry_level not in (NO_LEVEL, *LEVELS):
        err("entry_level", _("unbekanntes Niveau „{value}“ (erlaubt: keine, A1 … C2)").format(value=data.entry_level))
    if data.target_level and data.target_level not in (NO_LEVEL, *LEVELS):
        err("target_level", _("unbekanntes Niveau „{value}“ (erlaubt: keine, A1 … C2)").format(value=data.target_level))
    elif data.target_level in LEVELS and level_rank(data.target_level) <= level_rank(data.entry_level):
        err("target_level", _("Das Zielniveau muss über dem Einstiegsniveau liegen"))
    if data.start and data.end and data.end < data.start:
        err("end", _("Das Kursende liegt vor dem Beginn"))
    if data.start and data.registration_deadline and data.registration_deadline > data.start:
        err("registration_deadline", _("Der Anmeldeschluss liegt nach dem Kursbeginn"))
    if data.teaching_units is not None and data.teaching_units <= 0:
        err("teaching_units", _("Die Unterrichtseinheiten müssen größer als 0 sein"))
    unknown = [d for d in data.days if d not in WEEKDAYS]
    if unknown:
        err("days", _("unbekannter Wochentag „{value}“ (erlaubt: Mo, Di, Mi, Do, Fr, Sa)").format(value=unknown[0]))
    for name in ("time_from", "time_to"):
        value = getattr(data, name)
        if value and not _TIME.match(value):
            err(name, _("„{value}“ ist keine Uhrzeit (HH:MM)").format(value=value))
    if bool(data.time_from) != bool(data.time_to):
        err("time_to", _("Beginn und Ende der Uhrzeit angeben"))
    elif data.time_from and _TIME.match(data.time_from) and _TIME.match(data.time_to) \
            and data.time_to <= data.time_from:
        err("time_to", _("Die Uhrzeit endet vor ihrem Beginn"))
    if data.mode not in MODES:
        err("mode", _("unbekannte Kursform „{value}“ (erlaubt: Präsenz, online, hybrid)").format(value=data.mode))
    if data.status not in course_statuses():
        err("status", _("unbekannter Kursstatus „{value}“").format(value=data.status))
    if data.places < 0:
        err("places", _("Die Zahl der Plätze darf nicht negativ sein"))
    if data.free_places is not None and data.free_places < 0:
        err("free_places", _("Die Zahl der freien Plätze darf nicht negativ sein"))
    elif data.free_places is not None and data.free_places > data.places:
        err("free_places", _("Mehr freie Plätze ({free}) als Plätze ({places})").format(
            free=data.free_places, places=data.places))
    if data.email and not _EMAIL.match(data.email):
        err("email", _("„{value}“ ist keine E-Mail-Adresse").format(value=data.email))
    return errors


def _course_fields(data: CourseData) -> dict[str, object]:
    values = asdict(data)
    values.pop("provider")
    return values


def _apply(data: CourseData, course: Course, provider_id: int, now: datetime) -> None:
    before_free = (course.free_places, course.places)
    for name, value in _course_fields(data).items():
        setattr(course, name, value)
    course.provider_id = provider_id
    if course.free_places_as_of is None or (course.free_places, course.places) != before_free:
        course.free_places_as_of = now


def provider_id_for(session: Session, name: str, now: datetime) -> int:
    """The provider of that name (ignoring case), added if new."""
    pid = session.scalar(select(Provider.id).where(func.lower(Provider.name) == name.lower()))
    if pid is None:
        provider = Provider(name=name, created_at=now, updated_at=now)
        session.add(provider)
        session.flush()
        pid = provider.id
    return pid


def occupancy(session: Session, course_ids: list[int] | None = None) -> dict[int, tuple[int, int, int]]:
    """course id → (active referrals, active referrals since the provider's figure, waiting list length)."""
    active = Referral.status.in_(active_statuses())
    query = (select(Referral.course_id,
                    func.sum(case((active, 1), else_=0)),
                    func.sum(case((active & (Course.free_places_as_of.is_(None)
                                             | (Referral.active_since >= Course.free_places_as_of)), 1), else_=0)),
                    func.sum(case((Referral.waiting_position.is_not(None), 1), else_=0)))
             .join(Course, Course.id == Referral.course_id)
             .group_by(Referral.course_id))
    if course_ids is not None:
        query = query.where(Referral.course_id.in_(course_ids))
    return {cid: (int(a or 0), int(n or 0), int(w or 0)) for cid, a, n, w in session.execute(query)}


def free_places(places: int, reported: int | None, active: int, active_since_report: int) -> int:
    """Free places: the provider's figure minus the referrals that took a place after it was reported;
    without a figure, all places minus the active referrals. Never more than places minus active, never < 0."""
    free = places - active
    if reported is not None:
        free = min(free, reported - active_since_report)
    return max(0, free)


def _record(course: Course, provider: str, occ: tuple[int, int, int]) -> CourseRecord:
    active, since, waiting = occ
    return CourseRecord(
        id=course.id, provider_id=course.provider_id, provider=provider, course_number=course.course_number,
        course_type=course.course_type, entry_level=course.entry_level, target_level=course.target_level,
        start=course.start, end=course.end, registration_deadline=course.registration_deadline,
        teaching_units=course.teaching_units, days=tuple(course.days or ()), time_from=course.time_from,
        time_to=course.time_to, mode=course.mode, municipality=course.municipality, address=course.address,
        childcare=course.childcare, places=course.places, reported_free_places=course.free_places,
        free_places=free_places(course.places, course.free_places, active, since), active_referrals=active,
        waiting=waiting, target_group=course.target_group, costs_note=course.costs_note,
        contact_person=course.contact_person, phone=course.phone, email=course.email,
        status=effective_course_status(course.status, course.start, course.end), created_at=course.created_at,
        updated_at=course.updated_at, stored_status=course.status, version=course.version)


def _data_of(course: Course, provider: str) -> CourseData:
    return CourseData(provider=provider, **{name: getattr(course, name) for name in _course_fields(CourseData())})


class CourseService:
    def __init__(self, store: Store, bus: ChangeBus | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()

    # --- writing ------------------------------------------------------------------------------------
    def check(self, data: CourseData) -> list[FieldError]:
        return validate_course(normalise_course(data))

    def create(self, data: CourseData) -> int:
        return self.save_many([data])[0][0]

    def save_many(self, items: list[CourseData], *, audit_action: str = Action.CREATE) -> list[tuple[int, bool]]:
        """Create or update every course by (provider, course number) in one transaction: (id, created) each.
        All or nothing; raises ValidationError (field names prefixed by the item's index when several)."""
        for i, data in enumerate(items):
            errors = self.check(data)
            if errors:
                if len(items) > 1:
                    errors = [FieldError(f"{i}.{e.field}", e.message) for e in errors]
                raise ValidationError(errors)
        now = _now()
        result: list[tuple[int, bool]] = []
        with self.store.unit_of_work() as s:
            for data in items:
                pid = provider_id_for(s, data.provider, now)
                course = s.scalar(select(Course).where(Course.provider_id == pid,
                                                       Course.course_number == data.course_number))
                if course is None:
                    course = Course(created_at=now, updated_at=now)
                    _apply(data, course, pid, now)
                    s.add(course)
                    s.flush()
                    add_event(s, audit_action, "course", course.id, None, filled_fields(data))
                    result.append((course.id, True))
                else:
                    before = _data_of(course, data.provider)
                    changed = changed_fields(before, data)
                    if changed:
                        _apply(data, course, pid, now)
                        course.updated_at = now
                        add_event(s, Action.UPDATE, "course", course.id, None, changed,
                                  detail="import" if audit_action == Action.IMPORT else "")
                    result.append((course.id, False))
        if result:
            self.bus.publish(Change("course", "imported" if len(items) > 1 else "created",
                                    tuple(i for i, _c in result)))
        return result

    def update(self, course_id: int, data: CourseData, *, expected_version: int | None = None) -> None:
        """Save ``data``. With ``expected_version`` (``CourseRecord.version``) a save over someone else's
        change raises ConflictError with both values per field, and writes nothing."""
        errors = self.check(data)
        if errors:
            raise ValidationError(errors)
        now = _now()
        with self.store.unit_of_work() as s:
            course = self._get(s, course_id)
            before = _data_of(course, s.get(Provider, course.provider_id).name)  # type: ignore[union-attr]
            check_version("course", course_id, course.version, expected_version, data, before)
            pid = provider_id_for(s, data.provider, now)
            clash = s.scalar(select(Course.id).where(Course.provider_id == pid, Course.course_number ==
                                                     data.course_number, Course.id != course_id))
            if clash is not None:
                raise ValidationError([FieldError("course_number", _(
                    "Dieser Träger hat schon einen Kurs mit der Nummer „{number}“").format(number=data.course_number))])
            changed = changed_fields(before, data)
            if changed:
                _apply(data, course, pid, now)
                course.updated_at = now
                add_event(s, Action.UPDATE, "course", course_id, None, changed)
        self.bus.publish(Change("course", "updated", (course_id,)))

    def delete(self, course_id: int) -> None:
        """Refused while referrals point to the course (their history would be lost): cancel it instead."""
        with self.store.unit_of_work() as s:
            course = self._get(s, course_id)
            if s.scalar(select(func.count(Referral.id)).where(Referral.course_id == course_id)):
                raise ValidationError([FieldError("course", _(
                    "Der Kurs hat Vermittlungen und kann nicht gelöscht werden – bitte als „abgesagt“ "
                    "markieren"))])
            s.delete(course)
            add_event(s, Action.DELETE, "course", course_id, None)
        self.bus.publish(Change("course", "deleted", (course_id,)))

    # --- reading ------------------------------------------------------------------------------------
    def get(self, course_id: int) -> CourseRecord:
        with self.store.read() as s:
            course = self._get(s, course_id)
            provider = s.get(Provider, course.provider_id)
            return _record(course, provider.name if provider else "", occupancy(s, [course_id]).get(course_id, (0, 0, 0)))

    def list(self, flt: CourseFilter | None = None, **kwargs: object) -> list[CourseRecord]:
        """Courses by start (undated last), then provider and number. Filters as a CourseFilter or keywords
        (course_type, level, municipality, start_from, start_to)."""
        flt = flt or CourseFilter(**kwargs)  # type: ignore[arg-type]
        with self.store.read() as s:
            rows = s.execute(self._query(flt)).all()
            occ = occupancy(s)
            return [_record(c, name, occ.get(c.id, (0, 0, 0))) for c, name in rows]

    @staticmethod
    def _query(flt: CourseFilter) -> Select:
        query = (select(Course, Provider.name).join(Provider, Provider.id == Course.provider_id)
                 .order_by(Course.start.is_(None), Course.start, Provider.name, Course.course_number))
        if flt.course_type:
            query = query.where(Course.course_type == flt.course_type)
        if flt.level:
            rank = level_rank(flt.level)
            fitting_entry = [NO_LEVEL, *LEVELS[:rank]]
            above = list(LEVELS[rank:])
            query = query.where(Course.entry_level.in_(fitting_entry),
                                or_(Course.target_level.in_(above), Course.target_level == ""))
        if flt.municipality:
            query = query.where(func.lower(Course.municipality) == flt.municipality.strip().lower())
        if flt.start_from:
            query = query.where(Course.start >= flt.start_from)
        if flt.start_to:
            query = query.where(Course.start <= flt.start_to)
        return query

    def resolve(self, ref: str | int) -> int:
        """A course's id from its id or course number, as typed on the command line."""
        text = str(ref).strip()
        with self.store.read() as s:
            ids = list(s.scalars(select(Course.id).where(func.lower(Course.course_number) == text.lower())))
            if not ids and text.isdigit():
                ids = list(s.scalars(select(Course.id).where(Course.id == int(text))))
        if len(ids) > 1:
            raise NotFound(_("Kursnummer „{ref}“ gibt es bei mehreren Trägern – bitte die Id angeben").format(ref=text))
        if not ids:
            raise NotFound(_("kein Kurs mit Id oder Kursnummer „{ref}“").format(ref=text))
        return ids[0]

    def providers(self) -> builtins.list[tuple[int, str]]:
        with self.store.read() as s:
            return [(r.id, r.name) for r in s.execute(select(Provider.id, Provider.name).order_by(Provider.name))]

    def existing_keys(self) -> set[tuple[str, str]]:
        """(lower-case provider name, course number) of every course, for an import preview."""
        with self.store.read() as s:
            return {(name.lower(), number) for name, number in s.execute(
                select(Provider.name, Course.course_number).join(Provider, Provider.id == Course.provider_id))}

    @staticmethod
    def _get(session: Session, course_id: int) -> Course:
        course = session.get(Course, course_id)
        if course is None:
            raise NotFound(_("Kurs {ref} nicht gefunden").format(ref=course_id))
        return course
