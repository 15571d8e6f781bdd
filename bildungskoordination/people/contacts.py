"""Counselling contacts (Beratungskontakte) and follow-ups (Wiedervorlagen)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

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
            contact = Contact(person_id=person_id, created_at=now, updated_at=now)
            contact_to_row(data, contact)
            s.add(contact)
            s.flush()
            cid = contact.id
            add_event(s, Action.CREATE, "contact", cid, person_id, filled_fields(data))
        self.bus.publish(Change("contact", "created", (cid,), (person_id,)))
        return cid

    def update(self, contact_id: int, data: ContactData) -> None:
        errors = validate_contact(_clean(data))
        if errors:
            raise ValidationError(errors)
        with self.store.unit_of_work() as s:
            contact = self._get(s, contact_id)
            pid = contact.person_id
            ensure_not_restricted(s, pid)
            before = contact_from_row(contact)
            contact_to_row(data, contact)
            changed = changed_fields(before, contact_from_row(contact))
            if changed:  # a save without changes writes nothing
                contact.updated_at = datetime.now().replace(microsecond=0)
                add_event(s, Action.UPDATE, "contact", contact_id, pid, changed)
        self.bus.publish(Change("contact", "updated", (contact_id,), (pid,)))

    def delete(self, contact_id: int) -> None:
        with self.store.unit_of_work() as s:
            contact = self._get(s, contact_id)
            pid = contact.person_id
            # Allowed while processing is restricted: deleting is never refused (Art. 17/18).
            s.delete(contact)
            add_event(s, Action.DELETE, "contact", contact_id, pid)
        self.bus.publish(Change("contact", "deleted", (contact_id,), (pid,)))

    def set_followup_done(self, contact_id: int, done: bool = True) -> FollowUpState:
        """Mark the follow-up done (or open again); returns the state before, for ``restore_followup``."""
        with self.store.unit_of_work() as s:
            contact = self._get(s, contact_id)
            pid = contact.person_id
            ensure_not_restricted(s, pid)
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
            return ContactRow(contact.id, contact.person_id, contact_from_row(contact))

    def for_person(self, person_id: int) -> list[ContactRow]:
        """The person's contact history, newest first."""
        with self.store.read() as s:
            contacts = s.scalars(
                select(Contact).where(Contact.person_id == person_id)
                .order_by(Contact.contact_date.desc(), Contact.id.desc())
            )
            return [ContactRow(c.id, c.person_id, contact_from_row(c)) for c in contacts]

    def due_followups(self, until: date | None = None) -> list[FollowUpRow]:
        """Open follow-ups due up to ``until`` (default: everything open), oldest first."""
        query = (
            select(Contact.id, Contact.person_id, Person.file_number, Person.family_name, Person.given_name,
                   Contact.followup_date, Contact.topics, Contact.next_step, Contact.contact_date)
            .join(Person, Person.id == Contact.person_id)
            .where(Contact.followup_done.is_(False), Contact.followup_date.is_not(None),
                   Person.consent_withdrawn_at.is_(None))  # restricted: no reminders to act on the record
            .order_by(Contact.followup_date, Person.sort_name)
        )
        if until is not None:
            query = query.where(Contact.followup_date <= until)
        with self.store.read() as s:
            return [
                FollowUpRow(r.id, r.person_id, r.file_number, f"{r.family_name}, {r.given_name}",
                            r.followup_date, tuple(r.topics or ()), r.next_step, r.contact_date)
                for r in s.execute(query)
            ]

    def count_due(self, until: date) -> int:
        """How many open follow-ups are due up to ``until`` (the badge; no rows loaded)."""
        restricted = select(Person.id).where(Person.consent_withdrawn_at.is_not(None))  # ix_person_restricted
        query = (select(func.count(Contact.id))
                 .where(Contact.followup_done.is_(False), Contact.followup_date.is_not(None),
                        Contact.followup_date <= until, Contact.person_id.not_in(restricted)))
        with self.store.read() as s:
            return s.scalar(query) or 0

    @staticmethod
    def _get(session, contact_id: int) -> Contact:  # type: ignore[no-untyped-def]
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFound(_("Beratungskontakt {ref} nicht gefunden").format(ref=contact_id))
        return contact
