"""The course catalogue: create, update, delete, filters, resolve, checks."""

from datetime import date

import pytest

from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services


def course(number="IK-1", provider="VHS Konz", **kw) -> CourseData:
    values = dict(provider=provider, course_number=number, course_type="ik_allgemein", entry_level="keine",
                  target_level="B1", start=date(2026, 3, 2), end=date(2026, 12, 18),
                  registration_deadline=date(2026, 2, 20), teaching_units=700, days=["mo", "di", "mi", "do", "fr"],
                  time_from="08:30", time_to="12:45", municipality="Konz", places=20, status="offen")
    values.update(kw)
    return CourseData(**values)


@pytest.fixture
def services(memory_target):
    sv = Services.open(memory_target, unencrypted=True)
    yield sv
    sv.close()


def test_create_get_update_and_audit(services):
    cid = services.courses.create(course())
    rec = services.courses.get(cid)
    assert rec.provider == "VHS Konz" and rec.course_number == "IK-1" and rec.free_places == 20
    data = rec.data()
    data.places = 25
    data.municipality = "Saarburg"
    services.courses.update(cid, data)
    rec = services.courses.get(cid)
    assert (rec.places, rec.municipality, rec.free_places) == (25, "Saarburg", 25)
    events = [(e.action, e.entity, e.entity_id) for e in services.audit.list()]
    assert ("create", "course", cid) in events and ("update", "course", cid) in events
    update = next(e for e in services.audit.list() if e.action == "update" and e.entity == "course")
    assert set(update.fields) == {"places", "municipality"}


def test_same_number_at_another_provider_is_another_course(services):
    a = services.courses.create(course("K-7", "Träger A"))
    b = services.courses.create(course("K-7", "Träger B"))
    assert a != b
    with pytest.raises(NotFound, match="mehreren Trägern"):
        services.courses.resolve("K-7")
    assert services.courses.resolve(str(a)) == a
    with pytest.raises(ValidationError, match="schon einen Kurs"):
        services.courses.update(b, course("K-7", "Träger A"))


def test_resolve_by_number_or_id(services):
    cid = services.courses.create(course("BSK-9"))
    assert services.courses.resolve("bsk-9") == cid
    assert services.courses.resolve(cid) == cid
    with pytest.raises(NotFound, match="kein Kurs mit Id oder Kursnummer „XYZ“"):
        services.courses.resolve("XYZ")


def test_checks_have_german_messages(services):
    bad = course(entry_level="B2", target_level="B1", end=date(2026, 1, 1), time_from="8 Uhr", mode="brief",
                 places=5, free_places=6, days=["so"], email="kein-mail")
    with pytest.raises(ValidationError) as info:
        services.courses.create(bad)
    messages = {e.field: e.message for e in info.value.errors}
    assert messages["target_level"] == "Das Zielniveau muss über dem Einstiegsniveau liegen"
    assert messages["end"] == "Das Kursende liegt vor dem Beginn"
    assert messages["time_from"] == "„8 Uhr“ ist keine Uhrzeit (HH:MM)"
    assert messages["mode"] == "unbekannte Kursform „brief“ (erlaubt: Präsenz, online, hybrid)"
    assert messages["free_places"] == "Mehr freie Plätze (6) als Plätze (5)"
    assert messages["days"].startswith("unbekannter Wochentag „so“")
    assert messages["email"] == "„kein-mail“ ist keine E-Mail-Adresse"
    assert services.courses.list() == []


def test_filters(services):
    services.courses.create(course("IK-1"))
    services.courses.create(course("BSK-1", course_type="bsk_b2", entry_level="B1", target_level="B2",
                                   start=date(2026, 5, 4), end=date(2026, 9, 30), registration_deadline=None,
                                   municipality="Schweich"))
    services.courses.create(course("EOK-1", course_type="eok", target_level="A1", start=None, end=None,
                                   registration_deadline=None, municipality="Konz"))
    numbers = lambda **kw: [c.course_number for c in services.courses.list(**kw)]  # noqa: E731
    assert numbers() == ["IK-1", "BSK-1", "EOK-1"]  # by start, undated last
    assert numbers(course_type="bsk_b2") == ["BSK-1"]
    assert numbers(level="B1") == ["BSK-1"]  # entry ≤ B1 and target above B1
    assert numbers(level="A1") == ["IK-1"]
    assert numbers(municipality="konz") == ["IK-1", "EOK-1"]
    assert numbers(start_from=date(2026, 4, 1)) == ["BSK-1"]
    assert numbers(start_to=date(2026, 4, 1)) == ["IK-1"]


def test_delete_refused_while_referrals_exist(services):
    cid = services.courses.create(course())
    other = services.courses.create(course("IK-2"))
    pid = services.people.create(PersonData(family_name="Haddad", given_name="Lina"))
    services.referrals.refer(pid, cid)
    with pytest.raises(ValidationError, match="abgesagt"):
        services.courses.delete(cid)
    services.courses.delete(other)
    assert [c.id for c in services.courses.list()] == [cid]


def test_course_status_moves_with_the_calendar():
    from bildungskoordination.domain.course_status import effective_course_status

    today = date(2026, 12, 2)
    assert effective_course_status("offen", date(2026, 12, 1), date(2027, 6, 1), today) == "laufend"
    assert effective_course_status("voll", date(2026, 12, 2), None, today) == "laufend"
    assert effective_course_status("laufend", date(2026, 1, 5), date(2026, 12, 1), today) == "beendet"
    assert effective_course_status("offen", date(2027, 1, 4), date(2027, 6, 1), today) == "offen"
    assert effective_course_status("abgesagt", date(2026, 1, 5), date(2026, 6, 1), today) == "abgesagt"
    assert effective_course_status("geplant", None, None, today) == "geplant"
