"""Löschung, Löschliste (ledger + sidecar), Wiederholung nach Wiederherstellung, Löschvorschläge,
Einschränkung nach Widerruf."""

import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.privacy.erasure import next_person_id, read_sidecar, replay_ledger
from bildungskoordination.privacy.ledger import LedgerEntry, encode_line, ledger_key
from bildungskoordination.privacy.policy import add_years
from bildungskoordination.privacy.restriction import ProcessingRestricted
from bildungskoordination.services import DatabaseDamaged, Services
from bildungskoordination.store import migrate
from bildungskoordination.store.engine import Store, make_engine
from bildungskoordination.store.models import Contact, Person

NAME_CANARY = "Zquorvallin"
NOTE_CANARY = "Kanariennotiz-88X"


def person(family=NAME_CANARY, given="Rania", **kw) -> PersonData:
    return PersonData(family_name=family, given_name=given, birth=parse_partial_date("1990"), **kw)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db.sqlite3"


@pytest.fixture
def services(db: Path):
    sv = Services.open(db, unencrypted=True)
    yield sv
    sv.close()


@pytest.fixture
def memory(memory_target):
    sv = Services.open(memory_target, unencrypted=True)
    yield sv
    sv.close()


def file_bytes(db: Path) -> bytes:
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def canaries_in(data: bytes) -> list[str]:
    return [c for c in (NAME_CANARY, NAME_CANARY.lower(), NOTE_CANARY) if c.encode() in data]


def test_erasure_leaves_only_the_ledger_and_no_bytes_on_disk(services, db):
    pid = services.people.create(person(note=NOTE_CANARY))
    services.contacts.add(pid, ContactData(topics=["arbeit"], note=NOTE_CANARY))
    other = services.people.create(person("Kovalenko", "Olena"))
    services.store.checkpoint()
    assert canaries_in(file_bytes(db)), "test set-up: the canary must be on disk before the erasure"

    services.erasure.erase(pid, "antrag")

    with pytest.raises(NotFound):
        services.people.get(pid)
    assert services.contacts.for_person(pid) == []
    assert [e.person_id for e in services.erasure.ledger()] == [pid]
    erase_event = services.audit.list(limit=1)[0]
    assert (erase_event.action, erase_event.person_id, erase_event.fields) == ("erase", pid, ())
    assert services.people.get(other).family_name == "Kovalenko"
    with services.store.read() as s:
        assert s.scalar(text("SELECT count(*) FROM contact")) == 0
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated
    assert canaries_in(file_bytes(db)) == []
    sidecar = db.with_name(db.name + ".erasures")
    lines = [json.loads(line) for line in sidecar.read_text(encoding="utf-8").splitlines()]
    assert [{k: v for k, v in line.items() if k != "mac"} for line in lines] == [
        {"person_id": pid, "erased_at": services.erasure.ledger()[0].erased_at.isoformat()}]
    assert len(lines[0]["mac"]) == 64  # HMAC-SHA256 (privacy/ledger.py)


def test_erase_needs_a_known_reason_and_an_existing_person(memory):
    pid = memory.people.create(person())
    with pytest.raises(ValueError):
        memory.erasure.erase(pid, "weil Frau Al-Hassan es wollte")  # free text could name the person
    with pytest.raises(NotFound):
        memory.erasure.erase(pid + 1, "antrag")
    assert memory.erasure.ledger() == []
    assert [e.action for e in memory.audit.list()] == ["create"]


def test_ids_are_never_reused_after_erasure(services):
    first = services.people.create(person("A", "A"))
    last = services.people.create(person("B", "B"))
    services.erasure.erase(last, "irrtum")
    new = services.people.create(person("C", "C"))
    assert new > last > first
    with services.store.read() as s:
        assert next_person_id(s) == new + 1


def test_replay_erases_a_person_brought_back_by_a_restored_backup(db, tmp_path):
    sv = Services.open(db, unencrypted=True)
    pid = sv.people.create(person(note=NOTE_CANARY))
    sv.contacts.add(pid, ContactData(topics=["arbeit"], note=NOTE_CANARY))
    keep = sv.people.create(person("Kovalenko", "Olena"))
    old_copy = tmp_path / "sicherung.sqlite3"
    migrate.copy_database(db, old_copy)
    sv.erasure.erase(pid, "frist")
    sv.close()

    shutil.copyfile(old_copy, db)  # "restore": the old file, with the old (empty) ledger
    restored = Services.on_store(Store.open(db))  # without the replay Services.open does by itself
    try:
        assert restored.people.get(pid).family_name == NAME_CANARY
        assert restored.erasure.ledger() == []
        assert replay_ledger(restored) == 1
        with pytest.raises(NotFound):
            restored.people.get(pid)
        assert restored.contacts.for_person(pid) == []
        assert [e.person_id for e in restored.erasure.ledger()] == [pid]
        assert restored.people.get(keep).family_name == "Kovalenko"
        assert replay_ledger(restored) == 0
        assert len(read_sidecar(restored.erasure.sidecar)) == 1  # the replay wrote no new line
        # The restored sqlite_sequence was older than the erasure: ids must still not come back.
        assert restored.people.create(person("Neu", "Neu")) > max(pid, keep)
        assert canaries_in(file_bytes(db)) == []
    finally:
        restored.close()


def test_opening_replays_the_ledger_by_itself(db, tmp_path):
    sv = Services.open(db, unencrypted=True)
    pid = sv.people.create(person())
    migrate.copy_database(db, tmp_path / "alt.sqlite3")
    sv.erasure.erase(pid, "antrag")
    sv.close()
    shutil.copyfile(tmp_path / "alt.sqlite3", db)
    # A file copied back by hand is older than its last confirmed save: refused, never opened as if nothing
    # happened (issue 16) – restores go through the app. Whoever really wants this old file removes the lock.
    with pytest.raises(DatabaseDamaged, match="älter als ihre zuletzt bestätigte Speicherung"):
        Services.open(db, unencrypted=True)
    db.with_name(db.name + ".lock").unlink()
    sv = Services.open(db, unencrypted=True)
    try:
        assert sv.people.count() == 0
        assert sv.audit.list(limit=1)[0].action == "erase"
    finally:
        sv.close()


def test_replay_tolerates_a_torn_sidecar_line_and_records_the_ledger(services, db):
    sidecar = services.erasure.sidecar
    key = ledger_key(None)
    sidecar.write_text(encode_line(key, LedgerEntry(41, datetime(2026, 1, 1, 10))) + '{"person_id": 4',
                       encoding="utf-8")
    assert services.erasure.replay_ledger() == 0
    assert [e.person_id for e in services.erasure.ledger()] == [41]
    assert services.people.create(person()) > 41
    pid = services.people.create(person("X", "Y"))
    services.erasure.erase(pid, "antrag")
    assert [e.person_id for e in read_sidecar(sidecar)] == [41, pid]


def test_migration_keeps_old_rows_and_stops_id_reuse(db):
    engine = make_engine(db)
    migrate.upgrade(engine, "0001")
    now = "2025-01-01 10:00:00"
    with engine.begin() as conn:
        for pid in (1, 2):
            conn.execute(text(
                "INSERT INTO person (id, file_number, family_name, given_name, name_original, birth_date_written,"
                " gender, nationalities, residence_status, languages, german_level, german_level_source, literacy,"
                " qualification, recognition, municipality, address, phone, email, needs_childcare,"
                " childcare_children, availability, weekdays, letter_language, consent_scope, consent_how, note,"
                " search_folded, search_skeleton, sort_name, created_at, updated_at) VALUES (:id, :nr, 'A', 'B',"
                " '', '', 'x', '[]', '', '[]', '', '', '', '', '', '', '', '', '', 0, 0, '[]', '[]', 'de', '[]', '',"
                " '', '', '', '', :now, :now)"), {"id": pid, "nr": f"TS-{pid}", "now": now})
        conn.execute(text("INSERT INTO contact (person_id, contact_date, channel, place, interpreter_language,"
                          " interpreter_kind, topics, note, outcome, next_step, followup_done, created_at,"
                          " updated_at) VALUES (2, '2025-01-01', 'telefon', '', '', '', '[\"arbeit\"]', '', '', '',"
                          " 0, :now, :now)"), {"now": now})
    engine.dispose()
    sv = Services.open(db, unencrypted=True)
    try:
        assert len(sv.contacts.for_person(2)) == 1  # rebuilding person did not cascade into contact
        sv.erasure.erase(2, "antrag")
        assert sv.people.create(person()) == 3
    finally:
        sv.close()
    raw = sqlite3.connect(db)
    assert "AUTOINCREMENT" in raw.execute("SELECT sql FROM sqlite_master WHERE name = 'person'").fetchone()[0]
    raw.close()


# --- retention proposals ----------------------------------------------------------------------------------
def _backdate(sv: Services, pid: int, when: datetime) -> None:
    with sv.store.unit_of_work() as s:
        s.execute(update(Person).where(Person.id == pid).values(created_at=when, updated_at=when))
        s.execute(update(Contact).where(Contact.person_id == pid).values(contact_date=when.date()))


def test_retention_proposals_with_a_fixed_today(memory):
    now = date.today()
    today = now + timedelta(days=400)  # the day the proposals are asked for
    three_years_ago = add_years(now, -3)
    idle = memory.people.create(person("Idle", "A"))
    _backdate(memory, idle, datetime.combine(three_years_ago, datetime.min.time()))
    active = memory.people.create(person("Active", "B"))
    memory.contacts.add(active, ContactData(topics=["arbeit"]))
    _backdate(memory, active, datetime.combine(three_years_ago, datetime.min.time()))
    with memory.store.unit_of_work() as s:  # a recent contact keeps the file, whatever the file's age
        s.execute(update(Contact).where(Contact.person_id == active).values(contact_date=now))
    withdrawn = memory.people.create(person("Withdrawn", "C"))
    memory.people.withdraw_consent(withdrawn, on=now)

    proposals = memory.retention.proposals(today=today)
    assert [(p.person_id, p.rule_id, p.erasure_reason) for p in proposals] == [
        (idle, "inaktiv", "frist"), (withdrawn, "widerruf", "widerruf")]
    first = proposals[0]
    assert first.last_activity == three_years_ago and first.due == now
    assert f"{three_years_ago:%d.%m.%Y}" in first.reason and "3 Jahre" in first.reason
    assert f"Einwilligung am {now:%d.%m.%Y} widerrufen" in proposals[1].reason
    assert proposals[1].due == now + timedelta(days=30)
    assert first.name == "Idle, A"
    assert memory.retention.proposals(today=now - timedelta(days=1)) == []

    memory.retention.set_period("inaktiv", years=5)
    assert [p.person_id for p in memory.retention.proposals(today=today)] == [withdrawn]
    assert "5 Jahre" in memory.retention.rule("inaktiv").description
    with pytest.raises(ValidationError):
        memory.retention.set_period("inaktiv", years=0, days=0)
    memory.retention.reset_period("inaktiv")
    assert memory.retention.rule("inaktiv").years == 3


# --- restriction after withdrawn consent ----------------------------------------------------------------
def test_withdrawn_consent_restricts_processing(memory):
    pid = memory.people.create(person(consent_date=date.today() - timedelta(days=100)))
    cid = memory.contacts.add(pid, ContactData(topics=["arbeit"], followup_date=date.today()))
    assert memory.people.rows([pid])[0].has_consent
    memory.people.withdraw_consent(pid, on=date.today() - timedelta(days=2))
    stored = memory.people.get(pid)
    assert stored.is_restricted and not stored.has_consent
    assert memory.people.rows([pid])[0].is_restricted
    message = f"Verarbeitung eingeschränkt: Einwilligung am {stored.consent_withdrawn_at:%d.%m.%Y} widerrufen"
    for attempt in (lambda: memory.contacts.add(pid, ContactData(topics=["arbeit"])),
                    lambda: memory.contacts.update(cid, ContactData(topics=["schule"])),
                    lambda: memory.contacts.set_followup_done(cid),
                    lambda: memory.people.update(pid, person(phone="0651 1")),
                    lambda: memory.people.withdraw_consent(pid)):
        with pytest.raises(ValidationError) as info:
            attempt()
        assert isinstance(info.value, ProcessingRestricted)
        assert info.value.errors[0].message == message
    assert memory.contacts.due_followups() == []  # no reminders to act on a restricted record
    restrict = memory.audit.list(person_id=pid, limit=1)[0]
    assert (restrict.action, restrict.fields) == ("restrict", ("consent_withdrawn_at",))
    memory.contacts.delete(cid)  # erasing is always allowed
    memory.people.renew_consent(pid)
    assert not memory.people.get(pid).is_restricted
    memory.contacts.add(pid, ContactData(topics=["arbeit"]))
    memory.erasure.erase(pid, "widerruf")
