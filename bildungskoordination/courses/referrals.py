"""Vermittlungen: a person referred to a course, followed through its statuses (resources/courses/
referral_statuses.toml). Every change keeps its day and an optional reason (ReferralEvent), has an audit
entry in the same unit of work, and is refused for a person whose processing is restricted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, func, select, true, update
from sqlalchemy.orm import Session

from bildungskoordination.courses.records import (
    ALL,
    CHANGED,
    NEEDING_ACTION,
    OPEN,
    REFERRED,
    ReferralEventRow,
    ReferralFilter,
    ReferralRecord,
)
from bildungskoordination.courses.service import free_places, occupancy
from bildungskoordination.domain.conflicts import ConflictError, FieldConflict
from bildungskoordination.domain.course_status import course_status_vocabulary, effective_course_status, is_closed
from bildungskoordination.domain.errors import FieldError, NotFound, ValidationError
from bildungskoordination.domain.names import clean_text
from bildungskoordination.domain.referral_status import INITIAL_STATUS, open_statuses, referral_statuses, status_label
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.privacy.audit import Action, add_event, os_user
from bildungskoordination.privacy.restriction import ensure_not_restricted
from bildungskoordination.privacy.retention import register_activity_source
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import Course, Person, Provider, Referral, ReferralEvent


def _latest_referral_change() -> Select:
    """Retention: a referral's latest status change counts as activity of the person."""
    return (select(Referral.person_id, func.max(ReferralEvent.at))
            .join(ReferralEvent, ReferralEvent.referral_id == Referral.id).group_by(Referral.person_id))


register_activity_source("referrals", _latest_referral_change)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _fmt(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


class ReferralService:
    def __init__(self, store: Store, bus: ChangeBus | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()

    def refer(self, person_id: int, course_id: int, *, on: date | None = None, reason: str = "",
              unsuitable: bool = False, unsuitable_reason: str = "") -> int:
        """A new referral in status "vorgeschlagen"; on the waiting list (next position) when the course has
        no free place. Refused for a restricted person and while the same person has an open referral to the
        same course. ``unsuitable``: the matching marked the course not suitable for the person (✗, decided by
        matching.service); then ``unsuitable_reason`` must say why, and is kept with the referral and audited."""
        on = on or date.today()
        unsuitable_reason = clean_text(unsuitable_reason).strip()
        now = _now()
        with self.store.unit_of_work() as s:
            if s.get(Person, person_id) is None:
                raise NotFound(_("Person {ref} nicht gefunden").format(ref=person_id))
            ensure_not_restricted(s, person_id)
            course = s.get(Course, course_id)
            if course is None:
                raise NotFound(_("Kurs {ref} nicht gefunden").format(ref=course_id))
            if is_closed(course.status, course.start, course.end, on):
                raise ValidationError([FieldError("course", _("Der Kurs ist {status}; keine Vermittlung möglich")
                                                  .format(status=course_status_vocabulary().label(
                                                      effective_course_status(course.status, course.start, course.end, on))))])
            existing = s.scalar(select(Referral.id).where(Referral.person_id == person_id,
                                                          Referral.course_id == course_id,
                                                          Referral.status.in_(open_statuses())))
            if existing is not None:
                raise ValidationError([FieldError("course", _(
                    "Die Person ist für diesen Kurs schon vermittelt (Vermittlung {ref}, noch offen)")
                    .format(ref=existing))])
            if unsuitable and not unsuitable_reason:
                raise ValidationError([FieldError("unsuitable_reason", _(
                    "Der Kurs ist laut Abgleich für diese Person nicht geeignet; eine Vermittlung ist nur mit "
                    "Begründung möglich"))])
            position = None
            if _free(s, course) <= 0:
                last = s.scalar(select(func.max(Referral.waiting_position)).where(Referral.course_id == course_id))
                position = (last or 0) + 1
            referral = Referral(person_id=person_id, course_id=course_id, status=INITIAL_STATUS,
                                waiting_position=position, unsuitable_reason=unsuitable_reason,
                                created_at=now, updated_at=now)
            s.add(referral)
            s.flush()
            rid = referral.id
            s.add(ReferralEvent(referral_id=rid, status=INITIAL_STATUS, at=on,
                                reason=clean_text(reason) or unsuitable_reason, os_user=os_user()[:100],
                                created_at=now))
            add_event(s, Action.CREATE, "referral", rid, person_id, ["course_id", "status"]
                      + (["waiting_position"] if position else [])
                      + (["unsuitable_reason"] if unsuitable_reason else []),
                      detail="not_eligible" if unsuitable_reason else "")
        self.bus.publish(Change("referral", "created", (rid,), (person_id,)))
        self.bus.publish(Change("course", "updated", (course_id,)))
        return rid

    def set_status(self, referral_id: int, status: str, reason: str | None = None, on: date | None = None, *,
                   expected_version: int | None = None) -> None:
        """Move the referral to ``status`` on ``on`` (default today), if the lifecycle allows it. With
        ``expected_version`` (``ReferralRecord.version``): ConflictError when someone else changed it since."""
        statuses = referral_statuses()
        if status not in statuses:
            raise ValidationError([FieldError("status", _("unbekannter Status „{value}“ (erlaubt: {allowed})")
                                              .format(value=status, allowed=", ".join(statuses)))])
        on = on or date.today()
        now = _now()
        with self.store.unit_of_work() as s:
            referral = self._get(s, referral_id)
            pid, cid = referral.person_id, referral.course_id
            ensure_not_restricted(s, pid)
            if expected_version is not None and referral.version != expected_version:
                raise ConflictError("referral", referral_id, expected_version, referral.version,
                                    (FieldConflict("status", status, referral.status),))
            current = statuses[referral.status]
            if status not in current.next:
                allowed = ", ".join(f"„{statuses[c].display()}“" for c in current.next)
                message = (_("Von „{old}“ kann nicht zu „{new}“ gewechselt werden (möglich: {allowed})")
                           .format(old=current.display(), new=statuses[status].display(), allowed=allowed)
                           if current.next else
                           _("„{old}“ ist ein Endstatus; die Vermittlung kann nicht mehr geändert werden")
                           .format(old=current.display()))
                raise ValidationError([FieldError("status", message)])
            last_day = s.scalar(select(func.max(ReferralEvent.at)).where(ReferralEvent.referral_id == referral_id))
            if last_day is not None and on < last_day:
                raise ValidationError([FieldError("on", _("Das Datum liegt vor der letzten Änderung ({date})")
                                                  .format(date=_fmt(last_day)))])
            fields = ["status"]
            new = statuses[status]
            if new.takes_place and not current.takes_place:
                referral.active_since = now
            elif not new.takes_place:
                referral.active_since = None
            if referral.waiting_position is not None and (new.takes_place or not new.open):
                _leave_waiting_list(s, referral)
                fields.append("waiting_position")
            referral.status = status
            referral.updated_at = now
            s.add(ReferralEvent(referral_id=referral_id, status=status, at=on, reason=clean_text(reason or ""),
                                os_user=os_user()[:100], created_at=now))
            add_event(s, Action.UPDATE, "referral", referral_id, pid, fields, detail=status)
        self.bus.publish(Change("referral", "updated", (referral_id,), (pid,)))
        self.bus.publish(Change("course", "updated", (cid,)))

    def delete(self, referral_id: int) -> None:
        """A referral entered by mistake; allowed while processing is restricted (deleting is never refused)."""
        with self.store.unit_of_work() as s:
            referral = self._get(s, referral_id)
            pid, cid = referral.person_id, referral.course_id
            if referral.waiting_position is not None:
                _leave_waiting_list(s, referral)
            s.delete(referral)
            add_event(s, Action.DELETE, "referral", referral_id, pid)
        self.bus.publish(Change("referral", "deleted", (referral_id,), (pid,)))
        self.bus.publish(Change("course", "updated", (cid,)))

    # --- reading ------------------------------------------------------------------------------------
    def get(self, referral_id: int) -> ReferralRecord:
        with self.store.read() as s:
            self._get(s, referral_id)
            return self._records(s, Referral.id == referral_id)[0]

    def for_person(self, person_id: int) -> list[ReferralRecord]:
        """The person's referrals, newest first, each with its history."""
        with self.store.read() as s:
            return self._records(s, Referral.person_id == person_id, newest_first=True)

    def for_course(self, course_id: int) -> list[ReferralRecord]:
        """The course's referrals: active first, then the waiting list in order, then the rest."""
        with self.store.read() as s:
            records = self._records(s, Referral.course_id == course_id)
        statuses = referral_statuses()
        return sorted(records, key=lambda r: (not statuses[r.status].takes_place, r.waiting_position is None,
                                              r.waiting_position or 0, not statuses[r.status].open, r.id))

    def open_needing_action(self, today: date | None = None) -> list[ReferralRecord]:
        """Open referrals the coordinator has to follow up, with what to do (restricted people left out):
        proposed ones (register or close), registered ones whose course has started, started ones whose
        course has ended. Oldest change first."""
        return self.search(ReferralFilter(status=NEEDING_ACTION), today)

    def search(self, wanted: ReferralFilter = ReferralFilter(), today: date | None = None) -> list[ReferralRecord]:  # noqa: B008
        """The referrals ``wanted`` asks for, oldest change first; an open one that needs the coordinator
        carries what to do (``action``; never for a person whose processing is restricted)."""
        today = today or date.today()
        where = _conditions(wanted)
        with self.store.read() as s:
            rows = self._records(s, where)
            restricted = set(s.scalars(select(Person.id).where(Person.id.in_(sorted({r.person_id for r in rows})),
                                                               Person.consent_withdrawn_at.is_not(None))))
        result = []
        for r in rows:
            action = "" if r.person_id in restricted else _action(r, today)
            if wanted.status == NEEDING_ACTION and not action:
                continue
            result.append(_with_action(r, action) if action else r)
        result.sort(key=lambda r: (r.since, r.id))
        return result

    def _records(self, s: Session, where, *, newest_first: bool = False) -> list[ReferralRecord]:  # type: ignore[no-untyped-def]
        query = (select(Referral, Person.family_name, Person.given_name, Person.file_number, Course.course_number,
                        Course.course_type, Course.start, Course.end, Provider.name)
                 .join(Person, Person.id == Referral.person_id).join(Course, Course.id == Referral.course_id)
                 .join(Provider, Provider.id == Course.provider_id).where(where)
                 .order_by(Referral.created_at.desc() if newest_first else Referral.created_at,
                           Referral.id.desc() if newest_first else Referral.id))
        rows = s.execute(query).all()
        ids = [r[0].id for r in rows]
        history: dict[int, list[ReferralEventRow]] = {i: [] for i in ids}
        if ids:
            for e in s.scalars(select(ReferralEvent).where(ReferralEvent.referral_id.in_(ids))
                               .order_by(ReferralEvent.at, ReferralEvent.id)):
                history[e.referral_id].append(ReferralEventRow(e.status, e.at, e.reason, e.os_user,
                                                               status_label(e.status)))
        return [ReferralRecord(
            id=ref.id, person_id=ref.person_id, person_name=f"{family}, {given}", file_number=file_number,
            course_id=ref.course_id, course_number=number, provider=provider, course_type=ctype, course_start=start,
            course_end=end, status=ref.status, status_label=status_label(ref.status),
            waiting_position=ref.waiting_position, created_at=ref.created_at, history=tuple(history[ref.id]),
            unsuitable_reason=ref.unsuitable_reason,

            version=ref.version)
            for ref, family, given, file_number, number, ctype, start, end, provider in rows]

    @staticmethod
    def _get(session: Session, referral_id: int) -> Referral:
        referral = session.get(Referral, referral_id)
        if referral is None:
            raise NotFound(_("Vermittlung {ref} nicht gefunden").format(ref=referral_id))
        return referral


def _free(s: Session, course: Course) -> int:
    active, since, _waiting = occupancy(s, [course.id]).get(course.id, (0, 0, 0))
    return free_places(course.places, course.free_places, active, since)


def _leave_waiting_list(s: Session, referral: Referral) -> None:
    """Take the referral off its course's waiting list; everyone behind it moves up one place."""
    position = referral.waiting_position
    referral.waiting_position = None
    s.flush()
    s.execute(update(Referral).where(Referral.course_id == referral.course_id,
                                     Referral.waiting_position > position)
              .values(waiting_position=Referral.waiting_position - 1))


def _conditions(wanted: ReferralFilter) -> ColumnElement[bool]:
    """The SQL conditions of a filter (the "needs action" part is decided per record afterwards)."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.status in (OPEN, NEEDING_ACTION):
        conditions.append(Referral.status.in_(open_statuses()))
    elif wanted.status != ALL:
        if wanted.status not in referral_statuses():
            raise ValidationError([FieldError("status", _("unbekannter Status „{value}“ (erlaubt: {allowed})")
                                              .format(value=wanted.status, allowed=", ".join(referral_statuses())))])
        conditions.append(Referral.status == wanted.status)
    if wanted.course_id is not None:
        conditions.append(Referral.course_id == wanted.course_id)
    if wanted.period in (REFERRED, CHANGED) and (wanted.start or wanted.end):
        day = func.min(ReferralEvent.at) if wanted.period == REFERRED else func.max(ReferralEvent.at)
        having: list[ColumnElement[bool]] = []
        if wanted.start:
            having.append(day >= wanted.start)
        if wanted.end:
            having.append(day <= wanted.end)
        conditions.append(Referral.id.in_(select(ReferralEvent.referral_id).group_by(ReferralEvent.referral_id)
                                          .having(*having)))
    return and_(true(), *conditions)


def _action(r: ReferralRecord, today: date) -> str:
    """What the coordinator has to do about an open referral today; "" when nothing."""
    if r.status == "vorgeschlagen":
        return (_("Warteliste Platz {n}: nachfragen, ob ein Platz frei wird").format(n=r.waiting_position)
                if r.waiting_position else _("anmelden oder Vermittlung abschließen"))
    if r.status == "angemeldet" and r.course_start is not None and r.course_start <= today:
        return _("Kurs hat am {date} begonnen: Teilnahme bestätigen").format(date=_fmt(r.course_start))
    if r.status == "begonnen" and r.course_end is not None and r.course_end < today:
        return _("Kurs endete am {date}: Ergebnis eintragen").format(date=_fmt(r.course_end))
    return ""


def _with_action(record: ReferralRecord, action: str) -> ReferralRecord:
    from dataclasses import replace

    return replace(record, action=action)
