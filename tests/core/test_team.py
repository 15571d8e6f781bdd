"""A team on one database (issue 15): two users save the same record – the second gets a ConflictError with
both values and nothing is overwritten; follow-ups belong to a coordinator; the change feed tells one app what
another committed. Two stores stand for two users: on one SQLite file, and on one PostgreSQL database
(``db_target``, tests/core/conftest.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.conflicts import ConflictError, merged
from bildungskoordination.events import Change
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services
from bildungskoordination.store.change_feed import ChangeFeed
from bildungskoordination.store.engine import Store
from bildungskoordination.store.identity import act_as


def _user(target) -> Services:
    if isinstance(target, str):  # a PostgreSQL URL
        return Services.open(target)
    # Two stores on one file (the instance lock is for the windows of one laptop, not for this test).
    return Services.on_store(Store.open(target))


@pytest.fixture
def team(db_target):
    anna, ben = _user(db_target), _user(db_target)
    act_as(anna.store, "anna")
    act_as(ben.store, "ben")
    yield anna, ben
    anna.store.close()
    ben.store.close()


def _person(services: Services) -> int:
    return services.people.create(PersonData(family_name="Haddad", given_name="Lina", phone="0651 1",
                                             consent_date=date(2026, 1, 5)))


def test_a_stale_save_is_a_conflict_with_both_values_and_overwrites_nothing(team):
    anna, ben = team
    pid = _person(anna)
    mine, version = anna.people.get_versioned(pid)
    theirs, their_version = ben.people.get_versioned(pid)
    theirs.phone = "0651 2"
    ben.people.update(pid, theirs, expected_version=their_version)

    mine.phone, mine.email = "0651 3", "lina@example.org"
    with pytest.raises(ConflictError) as caught:
        anna.people.update(pid, mine, expected_version=version)
    conflict = caught.value
    assert {f.field: (f.mine, f.theirs) for f in conflict.fields} == {
        "phone": ("0651 3", "0651 2"), "email": ("lina@example.org", "")}
    assert conflict.current_version == version + 1
    assert "nichts wurde überschrieben" in str(conflict)
    stored = anna.people.get(pid)
    assert (stored.phone, stored.email) == ("0651 2", "")

    # The user keeps their phone and takes the other's e-mail; the save against the new version goes through.
    chosen = merged(mine, conflict.theirs, {"email"})
    anna.people.update(pid, chosen, expected_version=conflict.current_version)
    stored = ben.people.get(pid)
    assert (stored.phone, stored.email) == ("0651 3", "")


def test_saving_against_an_older_version_with_equal_values_is_no_conflict(team):
    anna, ben = team
    pid = _person(anna)
    data, version = anna.people.get_versioned(pid)
    same, v2 = ben.people.get_versioned(pid)
    same.phone = "0651 9"
    ben.people.update(pid, same, expected_version=v2)
    data.phone = "0651 9"
    anna.people.update(pid, data, expected_version=version)  # both wanted the same: nothing to choose
    assert anna.people.get_versioned(pid)[1] == version + 1


def test_contacts_courses_and_referrals_are_versioned_too(team):
    anna, ben = team
    pid = _person(anna)
    cid = anna.contacts.add(pid, ContactData(topics=["sprachkurs"], contact_date=date.today(), next_step="Anruf"))
    row = anna.contacts.get(cid)
    other = ben.contacts.get(cid)
    ben.contacts.update(cid, dataclasses.replace(other.data, next_step="Brief"), expected_version=other.version)
    with pytest.raises(ConflictError) as caught:
        anna.contacts.update(cid, dataclasses.replace(row.data, next_step="Besuch"), expected_version=row.version)
    assert [(f.field, f.mine, f.theirs) for f in caught.value.fields] == [("next_step", "Besuch", "Brief")]
    assert anna.contacts.get(cid).data.next_step == "Brief"

    course = anna.courses.get(anna.courses.create(CourseData(
        provider="VHS", course_number="IK-1", course_type="ik_allgemein", target_level="B1", places=10,
        start=date.today() + timedelta(days=30), end=date.today() + timedelta(days=200), status="offen")))
    ben.courses.update(course.id, dataclasses.replace(course.data(), places=12), expected_version=course.version)
    with pytest.raises(ConflictError) as caught:
        anna.courses.update(course.id, dataclasses.replace(course.data(), places=15), expected_version=course.version)
    assert [(f.field, f.mine, f.theirs) for f in caught.value.fields] == [("places", 15, 12)]
    assert anna.courses.get(course.id).places == 12

    feed = ChangeFeed(ben.store)
    rid = anna.referrals.refer(pid, course.id)
    assert Change("course", "updated", (course.id,), ()) in feed.poll()  # free places: the course list refreshes
    loaded = anna.referrals.get(rid)
    ben.referrals.set_status(rid, "abgelehnt", "kein Platz", expected_version=loaded.version)
    with pytest.raises(ConflictError):
        anna.referrals.set_status(rid, "angemeldet", expected_version=loaded.version)
    assert anna.referrals.get(rid).status == "abgelehnt"


def test_follow_ups_belong_to_the_coordinator_who_created_them(team):
    anna, ben = team
    pid = _person(anna)
    due = date.today()
    mine = anna.contacts.add(pid, ContactData(topics=["sprachkurs"], contact_date=due, next_step="Anruf", followup_date=due))
    theirs = ben.contacts.add(pid, ContactData(topics=["sprachkurs"], contact_date=due, next_step="Brief", followup_date=due))
    assert [r.contact_id for r in anna.contacts.due_followups(owner=anna.contacts.me)] == [mine]
    assert {r.contact_id for r in anna.contacts.due_followups()} == {mine, theirs}
    assert anna.contacts.count_due(due, owner="anna") == 1
    anna.contacts.assign(theirs, "anna")
    assert {r.contact_id for r in ben.contacts.due_followups(owner="anna")} == {mine, theirs}
    assert ben.contacts.due_followups(owner="ben") == []


def test_the_change_feed_reports_what_others_committed_and_not_ones_own(team):
    anna, ben = team
    feed = ChangeFeed(anna.store)
    pid = _person(anna)
    assert feed.poll() == []  # anna's own change was published on her bus already
    data, version = ben.people.get_versioned(pid)
    data.phone = "0651 7"
    ben.people.update(pid, data, expected_version=version)
    cid = ben.contacts.add(pid, ContactData(topics=["sprachkurs"], contact_date=date.today(), next_step="Anruf"))
    changes = feed.poll()
    assert Change("person", "updated", (pid,), (pid,)) in changes
    assert Change("contact", "created", (cid,), (pid,)) in changes
    assert feed.poll() == []
    ben.contacts.set_followup_done(cid, True)  # a change the service does not flush itself
    assert feed.poll() == [Change("contact", "updated", (cid,), (pid,))]
    ben.people.delete(pid)
    assert feed.poll() == [Change("person", "deleted", (pid,), (pid,))]


def test_a_failed_unit_of_work_logs_no_change(team):
    anna, ben = team
    feed = ChangeFeed(anna.store)
    pid = _person(ben)
    feed.poll()
    with pytest.raises(RuntimeError), ben.store.unit_of_work() as s:
        from bildungskoordination.store.models import Person

        s.get(Person, pid).phone = "x"
        s.flush()
        raise RuntimeError("abgebrochen")
    assert feed.poll() == []
    assert anna.people.get(pid).phone == "0651 1"


def test_migration_gives_existing_follow_ups_the_coordinator_who_created_them(tmp_path):
    import sqlite3

    from bildungskoordination.store.engine import make_engine
    from bildungskoordination.store.migrate import upgrade

    db = tmp_path / "old.sqlite3"
    engine = make_engine(db)
    upgrade(engine, "0008")
    engine.dispose()
    raw = sqlite3.connect(db)
    raw.execute("INSERT INTO person (id, file_number, family_name, given_name, name_original, birth_date_written, "
                "gender, nationalities, residence_status, obligation, ik_final_level, languages, german_level, "
                "german_level_source, literacy, qualification, recognition, municipality, address, phone, email, "
                "needs_childcare, childcare_children, availability, weekdays, letter_language, consent_scope, "
                "consent_how, note, search_folded, search_skeleton, sort_name, created_at, updated_at) VALUES "
                "(1, 'TS-1', 'Haddad', 'Lina', '', '', 'x', '[]', '', '', '', '[]', '', '', '', '', '', '', '', "
                "'', '', 0, 0, '[]', '[]', 'de', '[]', '', '', '', '', '', '2026-01-01', '2026-01-01')")
    for cid in (1, 2):
        raw.execute("INSERT INTO contact (id, person_id, contact_date, channel, place, interpreter_language, "
                    "interpreter_kind, topics, note, outcome, next_step, followup_date, followup_done, created_at, "
                    f"updated_at) VALUES ({cid}, 1, '2026-01-02', 'persoenlich', '', '', '', '[]', '', '', '', "
                    "'2026-02-01', 0, '2026-01-02', '2026-01-02')")
    raw.execute("INSERT INTO audit_event (at, os_user, action, entity, entity_id, person_id, fields, detail) "
                "VALUES ('2026-01-02', 'anna', 'create', 'contact', 1, 1, '[]', '')")
    raw.commit()
    raw.close()
    services = Services.on_store(Store.open(db, backup_dir=tmp_path / "backups"))
    try:
        assert {r.contact_id: r.owner for r in services.contacts.due_followups()} == {1: "anna", 2: ""}
        assert services.people.get_versioned(1)[1] == 1
    finally:
        services.store.close()


def test_the_change_log_keeps_only_the_newest_rows(team, monkeypatch):
    from sqlalchemy import func, select

    from bildungskoordination.store import change_feed
    from bildungskoordination.store.models import ChangeLog

    anna, _ben = team
    monkeypatch.setattr(change_feed, "KEEP_ROWS", 3)
    monkeypatch.setattr(change_feed, "_PRUNE_EVERY", 1)
    pid = _person(anna)
    for n in range(6):
        data, version = anna.people.get_versioned(pid)
        data.phone = f"0651 {n}"
        anna.people.update(pid, data, expected_version=version)
    with anna.store.read() as s:
        assert s.scalar(select(func.count(ChangeLog.id))) == 3
