"""Counselling contacts (Beratungskontakte) and follow-ups (Wiedervorlagen)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm.exc import StaleDataError

from bildungskoordination.domain.conflicts import ConflictError, FieldConflict, check_version
from bildungskoordination.domain.errors import FieldError, NotFound, ValidationError
from bildungskoordination.domain.names import clean_text
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.people.mapping import contact_from_row, contact_to_row
from bildungskoordination.people.records import ContactData, ContactRow, FollowUpRow, FollowUpState
from bildungskoordination.people.validation import validate_contact
from bildungskoordination.privacy.audit import Action, add_event, changed_fields, filled_fields
from bildungskoordination.privacy.restriction import ensure_not_restricted
from bildungskoordination.store.engine import Store
from bildungskoordination.store.identity import current_user
from bildungskoordination.store.models import Contact, Person


def _clean(data: ContactData) -> ContactData:
    data.place = clean_text(data.place)
    data.next_step = clean_text(data.next_step)
    data.note = clean_text(data.note, multiline=True)
    data.topics = list(dict.fromkeys(data.topics))
    return data


class ContactService:
    def __init__(self, store: Store, bus: ChangeBus | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()

    def add(self, person_id: int, data: ContactData) -> int:
        errors = validate_contact(_clean(data))
        if errors:
            raise ValidationError(errors)
        now = datetime.now().replace(microsecond=0)
        with self.store.unit_of_work() as s:
            if s.get(Person, person_id) is None:
                raise NotFound(_("Person {ref} nicht gefunden").format(ref=person_id))
            ensure_not_restricted(s, person_id)
            contact = Contact(person_id=person_id, created_at=now, updated_at=now, owner=self.me)
            contact_to_row(data, contact)
            s.add(contact)
            s.flush()
            cid = contact.id
            add_event(s, Action.CREATE, "contact", cid, person_id, filled_fields(data))
        self.bus.publish(Change("contact", "created", (cid,), (person_id,)))
        return cid

    @property
    def me(self) -> str:
        """The coordinator working here (store/identity.py): new follow-ups belong to them."""
        return current_user(self.store)

    def update(self, contact_id: int, data: ContactData, *, expected_version: int | None = None) -> int:
        """Save ``data``; returns the new version. With ``expected_version`` (``ContactRow.version``) a save
        over someone else's change raises ConflictError with both values per field, and writes nothing."""
        errors = validate_contact(_clean(data))
        if errors:
            raise ValidationError(errors)
        try:
            with self.store.unit_of_work() as s:
                contact = self._get(s, contact_id)
                pid = contact.person_id
                ensure_not_restricted(s, pid)
                before = contact_from_row(contact)
                check_version("contact", contact_id, contact.version, expected_version, data, before)
                contact_to_row(data, contact)
                changed = changed_fields(before, contact_from_row(contact))
                if changed:  # a save without changes writes nothing
                    contact.updated_at = datetime.now().replace(microsecond=0)
                    add_event(s, Action.UPDATE, "contact", contact_id, pid, changed)
                    s.flush()
                version = contact.version
        except StaleDataError:
            row = self.get(contact_id)
            check_version("contact", contact_id, row.version, -1, data, row.data)
            return self.update(contact_id, data)
        self.bus.publish(Change("contact", "updated", (contact_id,), (pid,)))
        return version

    def assign(self, contact_id: int, owner: str) -> None:
        """Hand the follow-up over to another coordinator (their "Meine Wiedervorlagen")."""
        with self.store.unit_of_work() as s:
            contact = self._get(s, contact_id)
            pid = contact.person_id
            if contact.owner != owner.strip()[:100]:
                contact.owner = owner.strip()[:100]
                add_event(s, Action.UPDATE, "contact", contact_id, pid, ["owner"])
        self.bus.publish(Change("contact", "updated", (contact_id,), (pid,)))

    def owners(self) -> list[str]:
        """Everyone follow-ups belong to, and the coordinator working here: whom one can hand one over to."""
        with self.store.read() as s:
            names = set(s.scalars(select(Contact.owner).where(Contact.owner != "").distinct()))
        return sorted(names | {self.me}, key=str.casefold)

    def delete(self, contact_id: int) -> None:
        with self.store.unit_of_work() as s:
            contact = self._get(s, contact_id)
            pid = contact.person_id
            # Allowed while processing is restricted: deleting is never refused (Art. 17/18).
            s.delete(contact)
            add_event(s, Action.DELETE, "contact", contact_id, pid)
        self.bus.publish(Change("contact", "deleted", (contact_id,), (pid,)))

    def set_followup_done(self, contact_id: int, done: bool = True, *,
                          expected_version: int | None = None) -> FollowUpState:
        """Mark the follow-up done (or open again); returns the state before, for ``restore_followup``."""
        with self.store.unit_of_work() as s:
            contact = self._get(s, contact_id)
            pid = contact.person_id
            ensure_not_restricted(s, pid)
            if expected_version is not None and contact.version != expected_version and contact.followup_done != done:
                raise ConflictError("contact", contact_id, expected_version, contact.version,
                                    (FieldConflict("followup_done", done, contact.followup_done),))
            before = FollowUpState(contact_id, contact.followup_done, contact.updated_at)
            if contact.followup_done != done:
                contact.followup_done = done
                contact.updated_at = datetime.now().replace(microsecond=0)
                add_event(s, Action.UPDATE, "contact", contact_id, pid, ["followup_done"])
        self.bus.publish(Change("contact", "updated", (contact_id,), (pid,)))
        return before

    def restore_followup(self, before: FollowUpState) -> None:
        """Undo ``set_followup_done``: the mark and the contact's change time as they were, in one unit of
        work (with its audit entry)."""
        with self.store.unit_of_work() as s:
            contact = self._get(s, before.contact_id)
            pid = contact.person_id
            ensure_not_restricted(s, pid)
            if contact.followup_done != before.done:
                contact.followup_done = before.done
                contact.updated_at = before.updated_at
                add_event(s, Action.UPDATE, "contact", before.contact_id, pid, ["followup_done"], detail="undo")
        self.bus.publish(Change("contact", "updated", (before.contact_id,), (pid,)))

    def check(self, data: ContactData) -> list[FieldError]:
        """Every problem with ``data`` as it would be saved (without saving)."""
        return validate_contact(_clean(data))

    def get(self, contact_id: int) -> ContactRow:
        with self.store.read() as s:
            contact = self._get(s, contact_id)
            return ContactRow(contact.id, contact.person_id, contact_from_row(contact), contact.version, contact.owner)

    def for_person(self, person_id: int) -> list[ContactRow]:
        """The person's contact history, newest first."""
        with self.store.read() as s:
            contacts = s.scalars(
                select(Contact).where(Contact.person_id == person_id)
                .order_by(Contact.contact_date.desc(), Contact.id.desc())
            )
            return [ContactRow(c.id, c.person_id, contact_from_row(c), c.version, c.owner) for c in contacts]

    def due_followups(self, until: date | None = None, *, owner: str | None = None) -> list[FollowUpRow]:
        """Open follow-ups due up to ``until`` (default: everything open), oldest first; ``owner``: only
        those of this coordinator ("Meine Wiedervorlagen"; ``me`` is the one working here)."""
        query = (
            select(Contact.id, Contact.person_id, Person.file_number, Person.family_name, Person.given_name,
                   Contact.followup_date, Contact.topics, Contact.next_step, Contact.contact_date, Contact.owner)
            .join(Person, Person.id == Contact.person_id)
            .where(Contact.followup_done.is_(False), Contact.followup_date.is_not(None),
                   Person.consent_withdrawn_at.is_(None))  # restricted: no reminders to act on the record
            .order_by(Contact.followup_date, Person.sort_name)
        )
        if until is not None:
            query = query.where(Contact.followup_date <= until)
        query = _owned_by(query, owner)
        with self.store.read() as s:
            return [
                FollowUpRow(r.id, r.person_id, r.file_number, f"{r.family_name}, {r.given_name}",
                            r.followup_date, tuple(r.topics or ()), r.next_step, r.contact_date, r.owner)
                for r in s.execute(query)
            ]

    def count_due(self, until: date, *, owner: str | None = None) -> int:
        """How many open follow-ups are due up to ``until`` (the badge; no rows loaded)."""
        restricted = select(Person.id).where(Person.consent_withdrawn_at.is_not(None))  # ix_person_restricted
        query = (select(func.count(Contact.id))
                 .where(Contact.followup_done.is_(False), Contact.followup_date.is_not(None),
                        Contact.followup_date <= until, Contact.person_id.not_in(restricted)))
        query = _owned_by(query, owner)
        with self.store.read() as s:
            return s.scalar(query) or 0

    @staticmethod
    def _get(session, contact_id: int) -> Contact:  # type: ignore[no-untyped-def]
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFound(_("Beratungskontakt {ref} nicht gefunden").format(ref=contact_id))
        return contact


def _owned_by(query: Select, owner: str | None) -> Select:
    return query if owner is None else query.where(Contact.owner == owner)
