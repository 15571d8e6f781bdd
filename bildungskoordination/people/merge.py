"""Merging two person files by hand (issue 11): never automatic, always one person's decision.

The coordinator keeps one file (KEEP) and chooses per field whether KEEP's or the OTHER file's value stays.
In one transaction: the chosen values are written to KEEP; the OTHER file's contacts, referrals (with their
events), residence-status history (person_status) and log entries (audit_event: letters printed, exports,
changes – so the Art. 15 export of KEEP is complete) move to KEEP – every table with a ``person_id`` but the
erasure ledger, so a table added later moves too; OTHER's file number, and the aliases OTHER
had, become aliases of KEEP (person_alias: they still find the person, and ``resolve`` accepts them); OTHER is
deleted (the FTS triggers drop it from the search index); one audit entry ``merge`` names the fields taken from
OTHER. The erasure of KEEP later also erases OTHER's id (privacy/erasure.py reads the aliases), so a restored
backup from before the merge cannot bring OTHER back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bildungskoordination.domain.errors import FieldError, NotFound, ValidationError
from bildungskoordination.i18n import _
from bildungskoordination.people.mapping import person_from_row, person_to_row
from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.audit import Action, add_event
from bildungskoordination.privacy.restriction import ProcessingRestricted
from bildungskoordination.store.models import (
    AuditEvent,
    Base,
    Contact,
    ErasureLedger,
    Person,
    PersonAlias,
    PersonStatus,
    Referral,
)

# Fields the coordinator chooses between; the file number is KEEP's (OTHER's becomes an alias), consent
# withdrawal is changed only by its own action.
MERGE_FIELDS = tuple(f.name for f in dataclasses.fields(PersonData)
                     if f.name not in ("file_number", "consent_withdrawn_at"))


@dataclass(frozen=True)
class FieldChoice:
    field: str
    keep_value: Any
    other_value: Any


@dataclass(frozen=True)
class MergePlan:
    """What a merge of ``other`` into ``keep`` would change (the dry run)."""

    keep_id: int
    keep_file_number: str
    other_id: int
    other_file_number: str
    differing: tuple[FieldChoice, ...]  # fields whose values differ: the coordinator chooses
    contacts: int
    referrals: int
    statuses: int
    log_entries: int
    aliases: tuple[str, ...]  # file numbers that will find KEEP afterwards (OTHER's and its own aliases)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(_("Person {ref} nicht gefunden").format(ref=person_id))
    if person.consent_withdrawn_at is not None:
        raise ProcessingRestricted(person.consent_withdrawn_at)
    return person


def _count(session: Session, column: Any, person_id: int) -> int:
    return session.scalar(select(func.count()).where(column == person_id)) or 0


def plan_merge(session: Session, keep_id: int, other_id: int) -> MergePlan:
    if keep_id == other_id:
        raise ValidationError([FieldError("other", _("Eine Akte kann nicht mit sich selbst zusammengeführt werden"))])
    keep, other = _person(session, keep_id), _person(session, other_id)
    a, b = person_from_row(keep), person_from_row(other)
    differing = tuple(FieldChoice(name, getattr(a, name), getattr(b, name)) for name in MERGE_FIELDS
                      if getattr(a, name) != getattr(b, name))
    aliases = (other.file_number,) + tuple(session.scalars(
        select(PersonAlias.file_number).where(PersonAlias.person_id == other_id).order_by(PersonAlias.id)))
    return MergePlan(
        keep_id, keep.file_number, other_id, other.file_number, differing,
        contacts=_count(session, Contact.person_id, other_id),
        referrals=_count(session, Referral.person_id, other_id),
        statuses=_count(session, PersonStatus.person_id, other_id),
        log_entries=_count(session, AuditEvent.person_id, other_id),
        aliases=aliases,
    )


def merge(session: Session, keep_id: int, other_id: int, take_from_other: set[str], now: datetime) -> MergePlan:
    """Merge ``other`` into ``keep`` inside ``session``'s unit of work; returns the plan it carried out."""
    unknown = take_from_other - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError([FieldError(name, _("Feld {field} kann nicht übernommen werden").format(field=name))
                               for name in sorted(unknown)])
    plan = plan_merge(session, keep_id, other_id)
    keep, other = session.get(Person, keep_id), session.get(Person, other_id)
    assert keep is not None and other is not None  # checked by plan_merge
    merged: PersonData = person_from_row(keep)
    source = person_from_row(other)
    differing = {c.field for c in plan.differing}
    taken = sorted(name for name in take_from_other if name in differing)
    for name in taken:
        setattr(merged, name, getattr(source, name))
    merged.file_number = keep.file_number
    # Every table that refers to a person (like the erasure: also tables added later), except the ledger.
    for table in Base.metadata.sorted_tables:
        if "person_id" in table.c and table.name != ErasureLedger.__tablename__:
            session.execute(update(table).where(table.c.person_id == other_id).values(person_id=keep_id))
    other_number = other.file_number
    session.delete(other)
    session.flush()  # OTHER's file number is free before it becomes an alias
    session.add(PersonAlias(person_id=keep_id, file_number=other_number, merged_person_id=other_id, merged_at=now))
    person_to_row(merged, keep)
    keep.updated_at = now
    add_event(session, Action.MERGE, "person", keep_id, keep_id, taken,
              detail=_("Akte {other} übernommen").format(other=other_number))
    return plan


def merged_ids(session: Session, person_id: int) -> list[int]:
    """Ids of the files merged into this person (for the erasure)."""
    return list(session.scalars(select(PersonAlias.merged_person_id).where(PersonAlias.person_id == person_id)))


def alias_owner(session: Session, file_number: str) -> int | None:
    return session.scalar(select(PersonAlias.person_id).where(PersonAlias.file_number == file_number))


__all__ = ["MERGE_FIELDS", "FieldChoice", "MergePlan", "alias_owner", "merge", "merged_ids", "plan_merge"]
