"""Protokoll: one entry per committed change, field names only, nothing for a rolled-back change."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.privacy.audit import Action, changed_fields
from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS, default_audit_keep_days
from bildungskoordination.services import Services
from bildungskoordination.store.models import AuditEvent

NOTE_CANARY = "Notizkanarienvogel-7Q3"


@pytest.fixture
def services(memory_target):
    sv = Services.open(memory_target, unencrypted=True)
    yield sv
    sv.close()


def person(family="Al-Hassan", given="Rania", **kw) -> PersonData:
    return PersonData(family_name=family, given_name=given, birth=parse_partial_date("14.03.1994"), **kw)


def events(sv: Services) -> list:
    return list(reversed(sv.audit.list(limit=None)))  # oldest first, easier to read in asserts


def audit_table_text(sv: Services) -> str:
    """Every cell of the audit table as text (what an attacker with the file would read there)."""
    with sv.store.read() as s:
        rows = s.execute(text("SELECT * FROM audit_event")).all()
    return "\n".join(repr(tuple(r)) for r in rows)


def test_create_update_delete_each_leave_one_entry_with_field_names(services):
    pid = services.people.create(person(nationalities=["SY"], note=NOTE_CANARY))
    services.people.update(pid, person(nationalities=["SY"], phone="0651 12345", note=NOTE_CANARY + " neu"))
    services.people.delete(pid)
    log = events(services)
    assert [(e.action, e.entity, e.entity_id, e.person_id) for e in log] == [
        ("create", "person", pid, pid), ("update", "person", pid, pid), ("delete", "person", pid, pid)]
    assert {"family_name", "given_name", "birth", "nationalities", "note"} <= set(log[0].fields)
    assert set(log[1].fields) == {"phone", "note"}
    assert log[2].fields == ()
    assert all(e.os_user for e in log)
    assert NOTE_CANARY not in audit_table_text(services)
    assert "0651" not in audit_table_text(services)


def test_saving_without_changes_writes_no_entry(services):
    pid = services.people.create(person())
    before = services.audit.count()
    services.people.update(pid, person())
    services.people.update(pid, person(file_number=""))  # empty number keeps the stored one
    assert services.audit.count() == before


def test_failed_or_rolled_back_change_leaves_no_entry(services):
    pid = services.people.create(person())
    before = services.audit.count()
    with pytest.raises(ValidationError):
        services.people.update(pid, person(family=""))
    with pytest.raises(NotFound):
        services.people.delete(pid + 100)
    with pytest.raises(NotFound):
        services.contacts.add(pid + 100, ContactData(topics=["arbeit"]))
    # The second person collides inside the unit of work, after the first one's entry was added: all of it
    # is rolled back, the entry too.
    with pytest.raises(IntegrityError):
        services.people.create_many([person("A", "B", file_number="X-1"), person("C", "D", file_number="X-1")])
    assert services.audit.count() == before
    assert services.people.count() == 1


def test_import_writes_one_entry_per_person(services):
    ids = services.people.create_many([person("A", "B"), person("C", "D"), person("E", "F")])
    log = events(services)
    assert [(e.action, e.person_id) for e in log] == [("import", i) for i in ids]
    assert all(e.detail == "3 Personen" for e in log)


def test_contact_changes_are_logged_without_note_text(services):
    pid = services.people.create(person())
    cid = services.contacts.add(pid, ContactData(topics=["arbeit"], note=NOTE_CANARY,
                                                 followup_date=date.today() + timedelta(days=7)))
    services.contacts.update(cid, ContactData(topics=["arbeit", "schule"], note=NOTE_CANARY + "!",
                                              followup_date=date.today() + timedelta(days=7)))
    services.contacts.set_followup_done(cid)
    services.contacts.set_followup_done(cid)  # already done: no change, no entry
    services.contacts.delete(cid)
    log = [e for e in events(services) if e.entity == "contact"]
    assert [(e.action, e.entity_id, e.person_id) for e in log] == [
        ("create", cid, pid), ("update", cid, pid), ("update", cid, pid), ("delete", cid, pid)]
    assert {"topics", "note", "followup_date", "channel"} <= set(log[0].fields)
    assert set(log[1].fields) == {"topics", "note"}
    assert log[2].fields == ("followup_done",)
    assert NOTE_CANARY not in audit_table_text(services)


def test_record_list_filters_and_paging(services):
    pid = services.people.create(person())
    other = services.people.create(person("Kovalenko", "Olena"))
    services.audit.record(Action.UNLOCK, "database")
    services.audit.record("print", "person", pid, pid, detail="Anschreiben")
    assert [e.action for e in services.audit.list(limit=2)] == ["print", "unlock"]
    assert [e.action for e in services.audit.list(limit=2, offset=2)] == ["create", "create"]
    assert {e.action for e in services.audit.list(person_id=pid)} == {"create", "print"}
    assert [e.person_id for e in services.audit.list(person_id=other)] == [other]
    assert services.audit.count(since=date.today() + timedelta(days=1)) == 0
    assert services.audit.count(since=date.today()) == 4
    row = services.audit.list(limit=1)[0]
    with pytest.raises(AttributeError):
        row.detail = "changed"  # frozen: the log is read-only for its readers too


def test_purge_removes_old_entries_and_logs_itself(services):
    services.audit.record(Action.UNLOCK, "database")
    services.audit.record(Action.UNLOCK_FAILED, "database")
    with services.store.unit_of_work() as s:
        first = s.scalar(select(AuditEvent.id).order_by(AuditEvent.id))
        s.execute(update(AuditEvent).where(AuditEvent.id == first).values(at=datetime.now() - timedelta(days=800)))
    assert services.audit.keep_days() == default_audit_keep_days() == 730
    assert services.audit.purge_older_than() == 1
    assert [e.action for e in services.audit.list()] == ["purge", "unlock_failed"]
    assert services.audit.purge_older_than() == 0
    services.settings.set(AUDIT_KEEP_DAYS, 30)
    assert services.audit.keep_days() == 30
    with pytest.raises(ValueError):
        services.audit.purge_older_than(0)


def test_settings_get_set_reset_and_are_logged(services):
    assert services.settings.get("retention.inaktiv.years") is None
    services.settings.set("retention.inaktiv.years", 5)
    services.settings.set("retention.inaktiv.years", 5)  # unchanged: no entry
    assert services.settings.get("retention.inaktiv.years") == 5
    assert services.settings.get_int("retention.inaktiv.years", 3) == 5
    services.settings.set("monitoring.k", "kein int")
    assert services.settings.get_int("monitoring.k", 3) == 3
    services.settings.reset("retention.inaktiv.years")
    assert services.settings.get("retention.inaktiv.years", "default") == "default"
    log = events(services)
    assert [(e.action, e.entity, e.fields) for e in log] == [
        ("update", "setting", ("retention.inaktiv.years",)), ("update", "setting", ("monitoring.k",)),
        ("delete", "setting", ("retention.inaktiv.years",))]


def test_changed_fields_compares_names_only():
    a, b = ContactData(topics=["arbeit"], note="x"), ContactData(topics=["arbeit"], note="y")
    b.contact_date = a.contact_date
    assert changed_fields(a, b) == ["note"]


def test_entries_survive_the_persons_deletion(tmp_path):
    sv = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    try:
        pid = sv.people.create(person())
        sv.people.delete(pid)
        assert [e.action for e in sv.audit.list(person_id=pid)] == ["delete", "create"]
    finally:
        sv.close()


def test_unlocks_and_failed_unlocks_are_logged(tmp_path):
    import pytest

    from bildungskoordination.services import Services, WrongPassphrase

    db = tmp_path / "db.sqlite3"
    Services.open(db, passphrase="richtige lange passphrase", fast_kdf=True).close()
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Services.open(db, passphrase="falsche lange passphrase")
    services = Services.open(db, passphrase="richtige lange passphrase")
    actions = [e.action for e in services.audit.list(limit=None)]
    services.close()
    assert actions.count("unlock_failed") == 2
    assert actions.count("unlock") == 2  # the first open and this one
