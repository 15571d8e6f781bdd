"""Vermittlungen as a coordinator expects them: filters, each change with day, user and note, and a referral
to a course the matching marks unsuitable (✗) only with a reason that is stored and audited."""

from datetime import date

import pytest
from sqlalchemy import text

from bildungskoordination.courses.records import ALL, CHANGED, NEEDING_ACTION, REFERRED, CourseData, ReferralFilter
from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.audit import os_user
from bildungskoordination.services import Services
from bildungskoordination.store import migrate


def course(number: str, **kw) -> CourseData:
    values = dict(provider="VHS Konz", course_number=number, course_type="ik_allgemein", target_level="B1",
                  start=date(2026, 3, 2), end=date(2026, 12, 18), places=20, status="offen")
    values.update(kw)
    return CourseData(**values)


@pytest.fixture
def services(tmp_path):
    sv = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    yield sv
    sv.close()


def person(services, name="Haddad", **kw) -> int:
    return services.people.create(PersonData(family_name=name, given_name="Lina", consent_date=date(2026, 1, 5),
                                             **kw))


def test_filters_open_all_status_course_and_period(services):
    ik1, ik2 = services.courses.create(course("IK-1")), services.courses.create(course("IK-2"))
    a, b, c = person(services, "Haddad"), person(services, "Nowak"), person(services, "Ahmadi")
    open_one = services.referrals.refer(a, ik1, on=date(2026, 1, 10))
    registered = services.referrals.refer(b, ik2, on=date(2026, 2, 1))
    services.referrals.set_status(registered, "angemeldet", on=date(2026, 2, 20))
    closed = services.referrals.refer(c, ik1, on=date(2026, 1, 12))
    services.referrals.set_status(closed, "abgelehnt", "kein Interesse", on=date(2026, 1, 30))
    search = services.referrals.search

    def ids(**kw) -> set[int]:
        return {r.id for r in search(ReferralFilter(**kw), today=date(2026, 2, 25))}

    assert ids() == {open_one, registered}  # default: every open referral
    assert ids(status=ALL) == {open_one, registered, closed}
    assert ids(status="abgelehnt") == {closed}
    assert ids(status=NEEDING_ACTION) == {open_one}  # the course has not started: nothing to do for "angemeldet"
    assert ids(status=ALL, course_id=ik1) == {open_one, closed}
    assert ids(status=ALL, period=REFERRED, start=date(2026, 1, 1), end=date(2026, 1, 31)) == {open_one, closed}
    assert ids(status=ALL, period=CHANGED, start=date(2026, 2, 1)) == {registered}
    assert ids(status=ALL, period=CHANGED, end=date(2026, 1, 30)) == {open_one, closed}
    rows = {r.id: r for r in search(ReferralFilter(status=ALL), today=date(2026, 2, 25))}
    assert rows[open_one].action == "anmelden oder Vermittlung abschließen" and rows[closed].action == ""
    with pytest.raises(ValidationError, match="unbekannter Status „weg“"):
        search(ReferralFilter(status="weg"))


def test_history_keeps_day_user_and_note(services):
    pid, cid = person(services), services.courses.create(course("IK-1"))
    rid = services.referrals.refer(pid, cid, on=date(2026, 1, 10))
    services.referrals.set_status(rid, "abgelehnt", "Kursträger hat abgesagt", on=date(2026, 1, 20))
    history = services.referrals.get(rid).history
    assert [(e.status_label, e.at, e.user, e.reason) for e in history] == [
        ("vorgeschlagen", date(2026, 1, 10), os_user(), ""),
        ("abgelehnt", date(2026, 1, 20), os_user(), "Kursträger hat abgesagt")]


def _unsuitable_course(services) -> int:
    """A B1 course: the matching marks it ✗ for a person who already speaks German at C1."""
    return services.courses.create(course("IK-B1"))


def test_refer_to_unsuitable_course_needs_a_reason_kept_and_audited(services):
    pid = person(services, german_level="C1")
    cid = _unsuitable_course(services)
    assert services.matching.for_course(pid, cid).verdict == "not_eligible"
    with pytest.raises(ValidationError, match="nur mit Begründung"):
        services.matching.refer(pid, cid)
    with pytest.raises(ValidationError, match="nur mit Begründung"):
        services.matching.refer(pid, cid, unsuitable_reason="   ")
    assert services.referrals.for_person(pid) == []  # nothing stored
    rid = services.matching.refer(pid, cid, unsuitable_reason="Auffrischung auf Wunsch der Person")
    record = services.referrals.get(rid)
    assert record.unsuitable_reason == "Auffrischung auf Wunsch der Person"
    assert record.history[0].reason == "Auffrischung auf Wunsch der Person"
    entry = next(e for e in services.audit.list() if e.entity == "referral" and e.entity_id == rid)
    assert "unsuitable_reason" in entry.fields and entry.detail == "not_eligible"
    assert "Auffrischung" not in entry.detail  # the log names the field, never its text
    [exported] = services.access_export.collect(pid)["vermittlungen"]  # Art. 15: the person learns it
    assert exported["begruendung_trotz_nicht_geeignet"] == "Auffrischung auf Wunsch der Person"


def test_refer_to_suitable_course_takes_no_reason(services):
    pid = person(services, german_level="A2")
    cid = services.courses.create(course("IK-B1"))
    assert services.matching.for_course(pid, cid).verdict != "not_eligible"
    rid = services.matching.refer(pid, cid, unsuitable_reason="ignoriert")
    assert services.referrals.get(rid).unsuitable_reason == ""


def test_migration_0010_takes_the_user_of_old_changes_from_the_audit_log(tmp_path):
    from alembic import command
    from alembic.config import Config

    db = tmp_path / "db.sqlite3"
    sv = Services.open(db, unencrypted=True)
    pid, cid = person(sv), sv.courses.create(course("IK-1"))
    rid = sv.referrals.refer(pid, cid, on=date(2026, 1, 10))
    with sv.store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET os_user = 'k.mueller' WHERE entity = 'referral'"))
    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS_DIR))
    with sv.store.engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # as store.migrate does
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
        conn.commit()
    sv.close()
    sv = Services.open(db, unencrypted=True)  # migrates to the head again
    try:
        assert [e.user for e in sv.referrals.get(rid).history] == ["k.mueller"]
    finally:
        sv.close()
