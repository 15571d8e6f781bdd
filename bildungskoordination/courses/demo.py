"""Invented providers, courses and referrals for the demo data (called by people.demo.generate_demo).

Courses come from templates in ``resources/demo/courses.toml`` with a start every few months over the last
three years and half a year ahead. About a third of the people get a referral a few days after their first
contact, to a course that suits their German level and starts after it; its status history follows the calendar
(proposed and registered before the start; started, completed, dropped out or no-show afterwards). Written with
Core inserts like the people, so the 50 000-person demo stays fast. Restricted people are never referred.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta
from random import Random
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Table, insert, select

from bildungskoordination.domain.course_status import effective_course_status
from bildungskoordination.people.demo_profiles import _add_months
from bildungskoordination.resources import load_toml
from bildungskoordination.store.models import Contact, Course, Person, Provider, Referral, ReferralEvent

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

REFERRED_SHARE = 0.35
# Which course templates (by course type) suit which German level (literacy "nein" → literacy course).
_BY_LEVEL = {
    "": ("ik_allgemein", "ik_intensiv", "eok", "ik_eltern"),
    "keine": ("ik_allgemein", "eok", "ik_eltern", "sprachcafe"),
    "A1": ("ik_allgemein", "ik_intensiv", "ik_eltern"),
    "A2": ("ik_allgemein", "sprachcafe"),
    "B1": ("bsk_b2",),
    "B2": ("bsk_b2", "sprachcafe"),
}


def generate_demo_courses(session: Session, rng: Random, today: date, person_ids: list[int]) -> tuple[int, int]:
    """Add providers and courses (once per database) and referrals for some of ``person_ids``."""
    data = load_toml("demo", "courses.toml")
    now = datetime.combine(today, time(12, 0))
    courses = _courses(session, data, today, now)
    if not courses or not person_ids:
        return len(courses), 0
    by_type: dict[str, list[tuple[date, int, date | None]]] = {}
    for course_id, course_type, start, end in courses:
        by_type.setdefault(course_type, []).append((start, course_id, end))
    for items in by_type.values():
        items.sort()
    facts = _person_facts(session, person_ids)
    referrals: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    next_id = (session.scalar(select(Referral.id).order_by(Referral.id.desc()).limit(1)) or 0) + 1
    for person_id, first_contact, level, literacy in facts:
        if rng.random() >= REFERRED_SHARE:
            continue
        types = ("ik_alpha",) if literacy == "nein" else _BY_LEVEL.get(level, ("sprachcafe",))
        options = [t for t in types if t in by_type]
        if not options:
            continue
        proposed = first_contact + timedelta(days=rng.randint(0, 21))
        if proposed > today:
            continue
        starts = by_type[rng.choice(options)]
        index = bisect_left(starts, (proposed + timedelta(days=7), 0, None))
        if index >= len(starts):
            continue
        start, course_id, end = starts[min(index + rng.randint(0, 1), len(starts) - 1)]
        history = _history(rng, proposed, start, end, today)
        status, since = history[-1][0], history[-1][1]
        active = since if status in ("angemeldet", "begonnen") else None
        referrals.append({"id": next_id, "person_id": person_id, "course_id": course_id, "status": status,
                          "waiting_position": None,
                          "active_since": datetime.combine(active, time(10, 0)) if active else None,
                          "created_at": datetime.combine(proposed, time(10, 0)),
                          "updated_at": datetime.combine(since, time(10, 0))})
        for code, at in history:
            events.append({"referral_id": next_id, "status": code, "at": at, "reason": "",
                           "created_at": datetime.combine(at, time(10, 0))})
        next_id += 1
    if referrals:
        session.execute(insert(cast(Table, Referral.__table__)), referrals)
        session.execute(insert(cast(Table, ReferralEvent.__table__)), events)
    return len(courses), len(referrals)


def _history(rng: Random, proposed: date, start: date, end: date | None, today: date) -> list[tuple[str, date]]:
    history = [("vorgeschlagen", proposed)]
    registered = min(proposed + timedelta(days=rng.randint(2, 20)), start - timedelta(days=1))
    if registered > today or rng.random() < 0.12:
        if start <= today and rng.random() < 0.6:
            history.append(("abgelehnt", min(today, start)))
        return history
    history.append(("angemeldet", registered))
    if start > today:
        return history
    if rng.random() < 0.08:
        history.append(("nicht_erschienen", start))
        return history
    history.append(("begonnen", start))
    if end is None:
        return history
    if rng.random() < 0.15:
        dropped = start + timedelta(days=rng.randint(10, max(11, (end - start).days - 1)))
        if dropped <= today:
            history.append(("abgebrochen", dropped))
            return history
    if end < today:
        history.append(("abgeschlossen", end))
    return history


def _courses(session: Session, data: dict[str, Any], today: date, now: datetime) -> list[tuple[int, str, date, date | None]]:
    """The demo courses: created on the first call, read back on later ones (the demo can be run twice)."""
    existing = session.execute(select(Course.id, Course.course_type, Course.start, Course.end)
                               .join(Provider, Provider.id == Course.provider_id)
                               .where(Provider.name.in_([p["name"] for p in data["provider"]]))).all()
    if existing:
        return [(cid, ctype, start, end) for cid, ctype, start, end in existing if start is not None]
    provider_ids = []
    for provider in data["provider"]:
        result = session.execute(insert(cast(Table, Provider.__table__)), [{**provider, "created_at": now,
                                                                            "updated_at": now}])
        key = cast("CursorResult[Any]", result).inserted_primary_key
        assert key is not None  # a one-row INSERT always reports its primary key
        provider_ids.append(key[0])
    rows = []
    first = date(today.year - 3, today.month, 1)
    for template in data["template"]:
        month, number = first, 1
        while month <= today + timedelta(days=183):
            start = month + timedelta(days=(7 - month.weekday()) % 7)  # the first Monday
            end = start + timedelta(weeks=template["weeks"]) - timedelta(days=3)
            status = effective_course_status("offen", start, end, today)
            rows.append({
                "provider_id": provider_ids[template["provider"]],
                "course_number": f"{template['prefix']}-{start:%y%m}-{number:02d}",
                "course_type": template["course_type"], "entry_level": template["entry_level"],
                "target_level": template["target_level"], "start": start, "end": end,
                "registration_deadline": start - timedelta(days=7), "teaching_units": None,
                "days": template["days"], "time_from": template["time_from"], "time_to": template["time_to"],
                "mode": "praesenz", "municipality": template["municipality"], "address": template["address"],
                "childcare": template["childcare"], "places": template["places"], "free_places": None,
                "free_places_as_of": None, "target_group": "", "costs_note": "", "contact_person": "", "phone": "",
                "email": "", "status": status, "created_at": now, "updated_at": now})
            number += 1
            month = _add_months(month, template["every_months"])
    session.execute(insert(cast(Table, Course.__table__)), rows)
    return [(cid, ctype, start, end) for cid, ctype, start, end in session.execute(
        select(Course.id, Course.course_type, Course.start, Course.end).where(Course.provider_id.in_(provider_ids)))
        if start is not None]


def _person_facts(session: Session, person_ids: list[int]) -> list[tuple[int, date, str, str]]:
    result = []
    for chunk_start in range(0, len(person_ids), 900):
        chunk = person_ids[chunk_start:chunk_start + 900]
        rows = session.execute(
            select(Person.id, Person.german_level, Person.literacy, Person.consent_withdrawn_at)
            .where(Person.id.in_(chunk))).all()
        firsts = dict(session.execute(select(Contact.person_id, Contact.contact_date).where(Contact.person_id.in_(chunk))
                                      .order_by(Contact.person_id, Contact.contact_date.desc())).all())
        for pid, level, literacy, withdrawn in rows:
            if withdrawn is None and pid in firsts:
                result.append((pid, firsts[pid], level or "", literacy or ""))
    return result
