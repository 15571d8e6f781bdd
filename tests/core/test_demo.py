"""Synthetic demo data (people.demo): volume, validity, realism and determinism."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bildungskoordination.events import Change
from bildungskoordination.people.demo import generate_demo
from bildungskoordination.people.records import PersonData
from bildungskoordination.people.validation import validate_contact, validate_person
from bildungskoordination.services import Services
from bildungskoordination.store.models import Contact, Person

TODAY = date(2026, 5, 13)
N = 200


@pytest.fixture(scope="module")
def demo() -> Services:
    services = Services.open(None)
    changes: list[Change] = []
    services.bus.subscribe(changes.append)
    steps: list[int] = []
    created = generate_demo(services, N, seed=7, today=TODAY, progress=steps.append)
    assert created == N
    assert steps and steps[-1] == N
    assert [c.kind for c in changes] == ["imported"]
    yield services
    services.close()


def _people(services: Services) -> list[tuple[int, PersonData]]:
    return [(pid, services.people.get(pid)) for pid in services.people.search_ids("", sort="file_number")]


def _snapshot(services: Services) -> tuple[list, list]:
    with services.store.read() as s:
        people = [tuple(r) for r in s.execute(select(Person.__table__).order_by(Person.id))]
        contacts = [tuple(r) for r in s.execute(select(Contact.__table__).order_by(Contact.id))]
    return people, contacts


def test_creates_the_requested_number_with_unique_file_numbers(demo: Services) -> None:
    assert demo.people.count() == N
    people = _people(demo)
    numbers = [p.file_number for _, p in people]
    assert len(set(numbers)) == N
    years = set()
    for number in numbers:
        m = re.fullmatch(r"TS-(\d{4})-(\d{4,})", number)
        assert m, number
        years.add(int(m.group(1)))
    assert years <= {TODAY.year - 3, TODAY.year - 2, TODAY.year - 1, TODAY.year}
    assert len(years) >= 3


def test_every_person_is_valid(demo: Services) -> None:
    for pid, person in _people(demo):
        assert validate_person(person, today=TODAY) == [], (pid, person)
        assert person.arrival_date is not None and person.arrival_date <= TODAY
        assert person.arrival_date >= TODAY - timedelta(days=10 * 366)
        assert person.arrival_date >= person.birth.earliest
        if person.residence_expires:
            assert person.residence_issued and person.residence_issued <= TODAY


def test_every_contact_is_valid_and_after_arrival(demo: Services) -> None:
    counts = []
    for pid, person in _people(demo):
        contacts = demo.contacts.for_person(pid)
        counts.append(len(contacts))
        assert 1 <= len(contacts) <= 10
        for c in contacts:
            assert validate_contact(c.data, today=TODAY) == [], c
            assert person.arrival_date <= c.data.contact_date <= TODAY
            assert c.data.contact_date >= TODAY - timedelta(days=3 * 366)
    assert 3 <= sum(counts) / len(counts) <= 7


def test_derived_columns_and_timestamps_are_set(demo: Services) -> None:
    with demo.store.read() as s:
        missing = s.scalar(select(func.count(Person.id)).where(
            (Person.search_folded == "") | (Person.search_skeleton == "") | (Person.sort_name == "")
            | Person.created_at.is_(None) | Person.updated_at.is_(None)))
        assert missing == 0
        assert s.scalar(select(func.count(Contact.id)).where(Contact.created_at.is_(None))) == 0
        # The same as a save through the service would store.
        row = s.execute(select(Person.family_name, Person.given_name, Person.sort_name).limit(1)).one()
    pid = demo.people.create(PersonData(family_name=row.family_name, given_name=row.given_name))
    with demo.store.read() as s:
        assert s.scalar(select(Person.sort_name).where(Person.id == pid)) == row.sort_name
    demo.people.delete(pid)


def test_realistic_mix(demo: Services) -> None:
    people = [p for _, p in _people(demo)]
    written = [p.birth.display() for p in people]
    assert any(w.startswith("00.00.") for w in written)
    assert any(w.startswith("01.01.") for w in written)
    assert sum(1 for p in people if p.birth.day is not None) > N / 2
    assert any(p.name_original and re.search(r"[\u0600-\u06ff]", p.name_original) for p in people)
    assert any(p.name_original and re.search(r"[\u0400-\u04ff]", p.name_original) for p in people)
    nationalities = Counter(p.nationalities[0] for p in people)
    assert len(nationalities) >= 6
    assert any(p.consent_date is None for p in people)
    assert sum(1 for p in people if p.consent_date is not None) > 0.85 * N
    assert all(set(p.consent_scope) >= {"beratung", "vermittlung"} for p in people if p.consent_date)
    assert sum(1 for p in people if p.phone) > 0.8 * N
    assert all(p.email.endswith("@example.org") for p in people if p.email)
    statuses = Counter(p.residence_status for p in people)
    assert statuses["24"] > 0 and statuses["25_2"] > 0
    ages = [p.birth.age_on(TODAY) for p in people]
    assert sum(1 for a in ages if 16 <= a <= 65) > 0.85 * N


def test_followups_around_today(demo: Services) -> None:
    due = demo.contacts.due_followups()
    overdue = [f for f in due if f.followup_date < TODAY]
    this_week = [f for f in due if TODAY <= f.followup_date <= TODAY + timedelta(days=6)]
    later = [f for f in due if f.followup_date > TODAY + timedelta(days=6)]
    assert overdue and this_week and later
    with_open = {f.person_id for f in due}
    assert 0.15 * N <= len(with_open) <= 0.5 * N


def test_search_finds_transliteration_variants(demo: Services) -> None:
    rows = demo.people.search("Mohammed")
    spellings = {r.given_name for r in rows} | {r.family_name for r in rows}
    variants = spellings & {"Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad"}
    assert len(variants) >= 2, spellings


def test_same_seed_same_data() -> None:
    first, second = Services.open(None), Services.open(None)
    try:
        generate_demo(first, 60, seed=3, today=TODAY)
        generate_demo(second, 60, seed=3, today=TODAY)
        assert _snapshot(first) == _snapshot(second)
        other = Services.open(None)
        generate_demo(other, 60, seed=4, today=TODAY)
        assert _snapshot(other)[0] != _snapshot(first)[0]
        other.close()
    finally:
        first.close()
        second.close()


def test_continues_after_existing_file_numbers() -> None:
    services = Services.open(None)
    try:
        pid = services.people.create(PersonData(family_name="Muster", given_name="Erika",
                                                file_number=f"TS-{TODAY.year}-0500"))
        generate_demo(services, 300, seed=1, today=TODAY)
        generate_demo(services, 300, seed=1, today=TODAY)  # a second run adds, never collides
        assert services.people.count() == 601
        numbers = [services.people.get(i).file_number for i in services.people.search_ids("")]
        assert len(set(numbers)) == 601
        this_year = sorted(int(n.rsplit("-", 1)[1]) for n in numbers if n.startswith(f"TS-{TODAY.year}-"))
        assert this_year[0] == 500 and this_year[1] == 501
        assert services.people.get(pid).family_name == "Muster"
    finally:
        services.close()


def test_zero_persons() -> None:
    services = Services.open(None)
    try:
        assert generate_demo(services, 0) == 0
        assert services.people.count() == 0
    finally:
        services.close()


@pytest.mark.slow
def test_timing_5000(capsys: pytest.CaptureFixture[str]) -> None:
    """Manual check of speed (no assertion on time): pytest -m slow -s tests/core/test_demo.py."""
    services = Services.open(None)
    try:
        start = time.perf_counter()
        generate_demo(services, 5000, seed=1, today=TODAY)
        with capsys.disabled():
            print(f"\ndemo: 5000 persons in {time.perf_counter() - start:.2f} s")
        assert services.people.count() == 5000
    finally:
        services.close()
