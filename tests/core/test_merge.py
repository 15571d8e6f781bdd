"""Merging two person files by hand (issue 11): everything moves, one audit entry, the old file number still
finds the person, the erasure and the Art. 15 export stay consistent; and the duplicate checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bildungskoordination.cli import main
from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services
from bildungskoordination.store.models import AuditEvent, ErasureLedger, Person, PersonStatus


@pytest.fixture
def services(db_target):  # type: ignore[no-untyped-def]
    s = Services.open(db_target, unencrypted=True)
    yield s
    s.close()


def person(family: str, given: str, birth: str = "", **kw) -> PersonData:  # type: ignore[no-untyped-def]
    return PersonData(family_name=family, given_name=given,
                      birth=parse_partial_date(birth) if birth else None, **kw)


def _audit(services: Services, pid: int) -> list[str]:
    with services.store.read() as s:
        return list(s.scalars(select(AuditEvent.action).where(AuditEvent.person_id == pid).order_by(AuditEvent.id)))


def test_duplicate_warning_without_birth_date(services: Services) -> None:
    pid = services.people.create(person("Shevchenko", "Kateryna", "12.03.1990"))
    services.people.create(person("Savchenko", "Kateryna"))
    found = services.people.duplicates_of(person("Schewtschenko", "Katerina"))
    assert [c.id for c in found] == [pid]
    assert found[0].reason == "gleicher Name in anderer Schreibweise, Geburtsdatum fehlt"
    exact = services.people.create(person("Schewtschenko", "Katerina"))
    found = services.people.duplicates_of(person("Schewtschenko", "Katerina"))
    assert [c.id for c in found][:2] == [exact, pid]  # the equal name first
    assert services.people.duplicates_of(person("Shevchenko", "Kateryna", "1975")) == [
        c for c in services.people.duplicates_of(person("Shevchenko", "Kateryna", "1975")) if c.id != pid]


def test_duplicate_pairs_and_import_marks(services: Services, tmp_path: Path) -> None:
    a = services.people.create(person("Jafari", "Ali"))
    b = services.people.create(person("Dschafari", "Ali"))
    services.people.create(person("Farid", "Ali"))
    pairs = services.people.duplicate_pairs()
    assert [(p.first_id, p.second_id) for p in pairs] == [(a, b)]
    marks = services.people.import_duplicates([person("Djafari", "Ali"), person("Novak", "Ivo")])
    assert {c.id for c in marks[0]} == {a, b} and marks[1] == []


def test_merge_moves_everything_and_leaves_one_audit_entry(services: Services) -> None:
    keep = services.people.create(person("Shevchenko", "Kateryna", "12.03.1990", residence_status="25_1"))
    other = services.people.create(person("Schewtschenko", "Katerina", phone="0761 123", municipality="Teningen",
                                          residence_status="25_2"))
    services.contacts.add(other, ContactData(contact_date=date(2026, 1, 5), topics=["sprachkurs"]))
    services.contacts.add(keep, ContactData(contact_date=date(2026, 2, 5), topics=["sprachkurs"]))
    course = services.courses.create(CourseData(
        provider="VHS Konz", course_number="IK-1", course_type="ik_allgemein", target_level="B1",
        start=date(2026, 3, 2), end=date(2026, 12, 18), places=20, status="offen"))
    referral = services.referrals.refer(other, course, on=date(2026, 1, 10))
    services.referrals.set_status(referral, "angemeldet", on=date(2026, 1, 15))
    other_number = services.people.get(other).file_number
    before = _audit(services, keep)
    before_other = _audit(services, other)
    plan = services.people.merge_plan(keep, other)
    assert {"phone", "municipality", "family_name"} <= {c.field for c in plan.differing}
    assert (plan.contacts, plan.statuses, plan.referrals) == (1, 1, 1)
    services.people.merge(keep, other, {"phone"})
    data = services.people.get(keep)
    assert (data.family_name, data.phone, data.municipality) == ("Shevchenko", "0761 123", "")
    assert len(services.contacts.for_person(keep)) == 2
    moved = services.referrals.for_person(keep)
    assert [r.id for r in moved] == [referral] and moved[0].status == "angemeldet"
    with pytest.raises(NotFound):
        services.people.get(other)
    with services.store.read() as s:
        assert s.scalar(select(func.count()).where(PersonStatus.person_id == keep)) == 2
        assert s.scalar(select(func.count()).where(Person.id == other)) == 0
    assert _audit(services, keep).count("merge") == 1
    # Both files' log entries (a letter printed for OTHER would be one too) and exactly one new one: the merge.
    assert len(_audit(services, keep)) == len(before) + len(before_other) + 1
    assert _audit(services, other) == []
    # The old file number still finds the person, in the search and on the command line.
    assert [r.id for r in services.people.search(other_number)] == [keep]
    assert services.people.resolve(other_number) == keep
    assert [r.id for r in services.people.search("Schewtschenko")] == [keep]
    # The Art. 15 export of the kept file holds the merged file's contacts, statuses and file number.
    answer = services.access_export.collect(keep)
    assert other_number in str(answer["technisch"]["zusammengefuehrte_akten"])
    assert len(answer["beratungskontakte"]) == 2
    assert "merge" in str(answer["protokoll"]) or len(answer["protokoll"]) >= 4


def test_merge_refuses_itself_and_unknown_fields(services: Services) -> None:
    a = services.people.create(person("Ahmadi", "Farid"))
    b = services.people.create(person("Ahmady", "Farid"))
    with pytest.raises(ValidationError):
        services.people.merge(a, a)
    with pytest.raises(ValidationError):
        services.people.merge(a, b, {"file_number"})
    assert services.people.count() == 2


def test_erasing_the_kept_person_also_ledgers_the_merged_id(services: Services) -> None:
    keep = services.people.create(person("Hussein", "Ali"))
    other = services.people.create(person("Husain", "Ali"))
    services.people.merge(keep, other)
    services.erasure.erase(keep, next(iter(__import__(
        "bildungskoordination.privacy.policy", fromlist=["ERASURE_REASONS"]).ERASURE_REASONS)))
    with services.store.read() as s:
        assert set(s.scalars(select(ErasureLedger.person_id))) == {keep, other}


def test_cli_merge_dry_run_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db.sqlite3"
    s = Services.open(db, unencrypted=True)
    keep = s.people.create(person("Jafari", "Ali", phone="0761 1"))
    other = s.people.create(person("Dschafari", "Ali", phone="0761 2"))
    numbers = s.people.get(keep).file_number, s.people.get(other).file_number
    s.close()
    assert main(["--db", str(db), "merge", numbers[0], numbers[1], "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Würde zusammenführen" in out and "phone: 0761 1 | 0761 2" in out and "nichts geschrieben" in out
    assert main(["--db", str(db), "merge", numbers[0], numbers[1], "--take", "phone"]) == 0
    s = Services.open(db, unencrypted=True)
    try:
        assert s.people.count() == 1 and s.people.get(keep).phone == "0761 2"
    finally:
        s.close()


def test_import_preview_marks_rows_that_look_like_existing_files(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from bildungskoordination.people.importer import import_persons

    db = tmp_path / "db.sqlite3"
    s = Services.open(db, unencrypted=True)
    try:
        pid = s.people.create(person("Shevchenko", "Kateryna"))
        number = s.people.get(pid).file_number
        source = tmp_path / "p.csv"
        source.write_text("Familienname;Vorname\nSchewtschenko;Katerina\nNovak;Ivo\n", encoding="utf-8")
        report = import_persons(s, source, dry_run=True)
        assert report.problems == [] and list(report.duplicates) == [2]
        assert [c.file_number for c in report.duplicates[2]] == [number]
    finally:
        s.close()
    assert main(["--db", str(db), "import-persons", str(source), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"p.csv:2: schon erfasst? {number} Shevchenko, Kateryna (gleicher Name in anderer Schreibweise" in out
