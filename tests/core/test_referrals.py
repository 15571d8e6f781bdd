"""Vermittlungen: lifecycle with dates and reasons, waiting list, free places, restriction, erasure, audit."""

import dataclasses
from datetime import date

import pytest

from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.domain.referral_status import referral_statuses
from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.restriction import ProcessingRestricted
from bildungskoordination.services import Services
from bildungskoordination.store.models import Referral, ReferralEvent


def course(number="IK-1", places=20, free=None, **kw) -> CourseData:
    return CourseData(provider="VHS Konz", course_number=number, course_type="ik_allgemein", target_level="B1",
                      start=date(2026, 3, 2), end=date(2026, 12, 18), places=places, free_places=free, status="offen",
                      **kw)


@pytest.fixture
def services(db_target):
    sv = Services.open(db_target, unencrypted=True)
    yield sv
    sv.close()


def person(services, name="Haddad") -> int:
    return services.people.create(PersonData(family_name=name, given_name="Lina", consent_date=date(2026, 1, 5)))


def test_lifecycle_keeps_every_date_and_reason(services):
    pid, cid = person(services), services.courses.create(course())
    rid = services.referrals.refer(pid, cid, on=date(2026, 1, 10))
    services.referrals.set_status(rid, "angemeldet", on=date(2026, 1, 15))
    services.referrals.set_status(rid, "begonnen", on=date(2026, 3, 2))
    services.referrals.set_status(rid, "abgebrochen", "Umzug nach Köln", on=date(2026, 5, 8))
    rec = services.referrals.get(rid)
    assert rec.status == "abgebrochen" and rec.status_label == "abgebrochen"
    assert [(e.status, e.at, e.reason) for e in rec.history] == [
        ("vorgeschlagen", date(2026, 1, 10), ""), ("angemeldet", date(2026, 1, 15), ""),
        ("begonnen", date(2026, 3, 2), ""), ("abgebrochen", date(2026, 5, 8), "Umzug nach Köln")]
    assert rec.since == date(2026, 5, 8)
    assert [r.id for r in services.referrals.for_person(pid)] == [rid]
    audit = [(e.action, e.entity_id, e.person_id) for e in services.audit.list() if e.entity == "referral"]
    assert len(audit) == 4 and all(a[1] == rid and a[2] == pid for a in audit)


def test_invalid_transition_is_refused_with_a_clear_message(services):
    rid = services.referrals.refer(person(services), services.courses.create(course()))
    with pytest.raises(ValidationError) as info:
        services.referrals.set_status(rid, "abgeschlossen")
    assert str(info.value.errors[0].message) == (
        "Von „vorgeschlagen“ kann nicht zu „abgeschlossen“ gewechselt werden "
        "(möglich: „angemeldet“, „abgelehnt“, „abgebrochen“)")
    services.referrals.set_status(rid, "abgelehnt", "kein Interesse")
    with pytest.raises(ValidationError, match="„abgelehnt“ ist ein Endstatus"):
        services.referrals.set_status(rid, "angemeldet")
    with pytest.raises(ValidationError, match="unbekannter Status"):
        services.referrals.set_status(rid, "irgendwas")
    assert services.referrals.get(rid).status == "abgelehnt"


def test_a_referral_to_a_course_that_has_ended_is_refused(services):
    """Closed is decided in one place (domain.course_status): the stored "offen" does not keep an ended course open."""
    pid = person(services)
    old = services.courses.create(CourseData(provider="VHS Konz", course_number="IK-2024", course_type="ik_allgemein",
                                             target_level="B1", start=date(2024, 2, 5), end=date(2024, 11, 29),
                                             places=20, status="offen"))
    with pytest.raises(ValidationError, match="Der Kurs ist beendet; keine Vermittlung möglich"):
        services.referrals.refer(pid, old, on=date(2026, 12, 7))
    assert services.referrals.refer(pid, old, on=date(2024, 3, 1))  # while it ran, it could


def test_statuses_are_data_with_a_closed_lifecycle():
    statuses = referral_statuses()
    assert list(statuses)[:3] == ["vorgeschlagen", "angemeldet", "begonnen"]
    assert statuses["nicht_erschienen"].label == "nicht erschienen"
    for status in statuses.values():
        assert set(status.next) <= set(statuses)
        assert status.open == bool(status.next)


def test_duplicate_open_referral_refused_but_a_new_one_after_closing_allowed(services):
    pid, cid = person(services), services.courses.create(course())
    rid = services.referrals.refer(pid, cid)
    with pytest.raises(ValidationError, match="schon vermittelt"):
        services.referrals.refer(pid, cid)
    services.referrals.set_status(rid, "abgelehnt")
    assert services.referrals.refer(pid, cid) != rid


def test_free_places_drop_when_a_referral_becomes_registered(services):
    cid = services.courses.create(course(places=20, free=4))
    rid = services.referrals.refer(person(services), cid)
    assert services.courses.get(cid).free_places == 4  # a proposal takes no place
    services.referrals.set_status(rid, "angemeldet")
    assert services.courses.get(cid).free_places == 3
    services.referrals.set_status(rid, "begonnen")
    assert services.courses.get(cid).free_places == 3
    services.referrals.set_status(rid, "abgebrochen")
    assert services.courses.get(cid).free_places == 4
    unreported = services.courses.create(course("IK-2", places=2))
    services.referrals.set_status(services.referrals.refer(person(services, "B"), unreported), "angemeldet")
    assert services.courses.get(unreported).free_places == 1


def test_waiting_list_when_no_place_is_free(services):
    cid = services.courses.create(course(places=15, free=1))
    first = services.referrals.refer(person(services, "A"), cid)
    services.referrals.set_status(first, "angemeldet")
    assert services.courses.get(cid).free_places == 0
    second = services.referrals.refer(person(services, "B"), cid)
    third = services.referrals.refer(person(services, "C"), cid)
    assert [services.referrals.get(r).waiting_position for r in (first, second, third)] == [None, 1, 2]
    assert services.courses.get(cid).waiting == 2
    assert [r.id for r in services.referrals.for_course(cid)] == [first, second, third]
    needing = {r.id: r.action for r in services.referrals.open_needing_action(date(2026, 1, 20))}
    assert needing[second] == "Warteliste Platz 1: nachfragen, ob ein Platz frei wird"
    assert first not in needing  # registered, course not yet started
    services.referrals.set_status(second, "abgelehnt", "Platz anderweitig gefunden")
    assert services.referrals.get(second).waiting_position is None
    assert services.referrals.get(third).waiting_position == 1
    services.referrals.set_status(first, "abgebrochen")
    services.referrals.set_status(third, "angemeldet")
    assert services.referrals.get(third).waiting_position is None
    assert services.courses.get(cid).waiting == 0


def test_open_needing_action(services):
    cid = services.courses.create(course())
    a = services.referrals.refer(person(services, "A"), cid)
    b = services.referrals.refer(person(services, "B"), cid)
    services.referrals.set_status(b, "angemeldet")
    c = services.referrals.refer(person(services, "C"), cid)
    services.referrals.set_status(c, "angemeldet")
    services.referrals.set_status(c, "begonnen")
    actions = {r.id: r.action for r in services.referrals.open_needing_action(date(2026, 3, 10))}
    assert actions == {a: "anmelden oder Vermittlung abschließen",
                       b: "Kurs hat am 02.03.2026 begonnen: Teilnahme bestätigen"}
    actions = {r.id: r.action for r in services.referrals.open_needing_action(date(2027, 1, 4))}
    assert actions[c] == "Kurs endete am 18.12.2026: Ergebnis eintragen"


def test_restricted_person_is_refused(services):
    pid, cid = person(services), services.courses.create(course())
    rid = services.referrals.refer(pid, cid)
    services.people.withdraw_consent(pid, on=date(2026, 2, 1))
    with pytest.raises(ProcessingRestricted):
        services.referrals.refer(pid, services.courses.create(course("IK-2")))
    with pytest.raises(ProcessingRestricted):
        services.referrals.set_status(rid, "angemeldet")
    assert services.referrals.open_needing_action() == []  # no reminders to act on a restricted record


def test_erasure_removes_the_persons_referrals_and_keeps_the_audit(services):
    pid, cid = person(services), services.courses.create(course())
    other = person(services, "Andere")
    rid = services.referrals.refer(pid, cid)
    services.referrals.set_status(rid, "angemeldet", "per Telefon")
    kept = services.referrals.refer(other, cid)
    services.erasure.erase(pid, "antrag")
    with services.store.read() as s:
        assert s.query(Referral).filter_by(person_id=pid).count() == 0
        assert s.query(ReferralEvent).filter_by(referral_id=rid).count() == 0
    assert [r.id for r in services.referrals.for_course(cid)] == [kept]
    assert services.courses.get(cid).free_places == 20
    entries = [(e.action, e.entity) for e in services.audit.list() if e.person_id == pid]
    assert ("create", "referral") in entries and ("update", "referral") in entries and ("erase", "person") in entries


def test_referrals_count_as_activity_for_retention(services):
    later = dataclasses.replace(course(), start=date(2030, 3, 4), end=date(2030, 12, 20))
    pid, cid = person(services), services.courses.create(later)
    rid = services.referrals.refer(pid, cid, on=date(2030, 1, 1))
    assert services.retention.last_activity(pid) == date(2030, 1, 1)
    services.referrals.set_status(rid, "angemeldet", on=date(2030, 6, 1))
    assert services.retention.last_activity(pid) == date(2030, 6, 1)
