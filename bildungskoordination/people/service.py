"""Person service: every user action on a person is one call here and one transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Select, String, Text, delete, func, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bildungskoordination.domain.conflicts import check_version
from bildungskoordination.domain.errors import FieldError, NotFound, ValidationError
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.people import search_like
from bildungskoordination.people.file_numbers import FileNumbers, next_file_number
from bildungskoordination.people.mapping import person_from_row, person_to_row
from bildungskoordination.people.records import PersonData, PersonRow
from bildungskoordination.people.search import ListOrder, current_stamp, matching_ids, rank_ids, search_plan
from bildungskoordination.people.status_history import StatusEntry, record_status, status_history
from bildungskoordination.people.validation import normalise_person, validate_person
from bildungskoordination.privacy.audit import Action, add_event, changed_fields, count_text, filled_fields
from bildungskoordination.privacy.restriction import ProcessingRestricted
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import Contact, Person, PersonVersion

if TYPE_CHECKING:  # loaded on first use: the start and a CLI search need neither matching nor merging
    from bildungskoordination.people.duplicate_pairs import DuplicatePair
    from bildungskoordination.people.duplicates import DuplicateCandidate
    from bildungskoordination.people.merge import MergePlan

_BATCH = 500  # people inserted per statement by create_many
_NOT_EDITED = ("consent_withdrawn_at",)  # changed only by withdraw_consent/renew_consent, never by update

# Sort keys of the person list, by column name; the list is sorted in SQL so it never loads every row.
SORT_COLUMNS = {
    "name": (Person.sort_name, Person.id),
    "file_number": (Person.file_number,),
    "birth": (Person.birth_year, Person.birth_month, Person.birth_day, Person.sort_name),
    "municipality": (Person.municipality, Person.sort_name),
    "german_level": (Person.german_level, Person.sort_name),
    "created": (Person.created_at, Person.id),
}


_ORDER_SQL: dict[tuple[str, bool], str] = {}


def _order_select(sort: str, descending: bool) -> Select[Any]:
    """PostgreSQL: text columns in byte order (``COLLATE "C"``), as SQLite sorts them – the same list and the same
    ranking within a tier whatever locale the server's database was created with."""
    columns = [c.collate("C") if isinstance(c.type, String | Text) else c for c in SORT_COLUMNS[sort]]
    return select(Person.id).order_by(*[c.desc() if descending else c.asc() for c in columns])


def _order_sql(sort: str, descending: bool) -> str:
    """``SELECT id FROM person ORDER BY …`` for a key of SORT_COLUMNS."""
    sql = _ORDER_SQL.get((sort, descending))
    if sql is None:
        order = [c.desc() if descending else c.asc() for c in SORT_COLUMNS[sort]]
        sql = _ORDER_SQL[(sort, descending)] = str(select(Person.id).order_by(*order).compile(dialect=sqlite.dialect()))
    return sql


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class PersonService:
    def __init__(self, store: Store, bus: ChangeBus | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()
        # The list order of everyone per (sort, descending), kept while person_version's stamp is unchanged.
        self._orders: dict[tuple[str, bool], ListOrder] = {}

    # --- reading -------------------------------------------------------------------------------
    def get(self, person_id: int) -> PersonData:
        with self.store.read() as s:
            person = _person(s, person_id)
            data = person_from_row(person)
            data.consent_withdrawn_at = person.consent_withdrawn_at
            return data

    def get_versioned(self, person_id: int) -> tuple[PersonData, int]:
        """The person as ``get`` returns it, and the version to pass to ``update`` (optimistic locking)."""
        with self.store.read() as s:
            person = _person(s, person_id)
            data = person_from_row(person)
            data.consent_withdrawn_at = person.consent_withdrawn_at
            return data, person.version

    def status_history(self, person_id: int) -> list[StatusEntry]:
        """The person's residence statuses with their dates, oldest first."""
        with self.store.read() as s:
            _person(s, person_id)
            return status_history(s, person_id)

    def count(self) -> int:
        with self.store.read() as s:
            return s.scalar(select(func.count(Person.id))) or 0

    def search_ids(self, text: str = "", *, sort: str = "name", descending: bool = False,
                   limit: int | None = None, ranked: bool = False) -> list[int]:
        """Ids of matching people in list order; rows are fetched page by page with ``rows``. ``ranked``: the best
        matches of the typed text first (equal name, prefix, variant spelling, partial), list order within each.

        Runs per keystroke: the index and the cached list order are explained in people/search.py."""
        plan = search_plan(text)
        key = (sort if sort in SORT_COLUMNS else "name", descending)
        with self.store.read() as s:
            if self.store.on_server:
                found = self._search_ids_on_server(s, text, key, ranked)
                return found[:limit] if limit else found
            # The DB-API cursor inside the session's transaction: up to one id per person comes back, and
            # SQLAlchemy's per-row result processing would cost more than the query.
            cursor = s.connection().connection.cursor()
            try:
                stamp = current_stamp(cursor)
                order = self._orders.get(key)
                if order is None or stamp is None or order.stamp != stamp:
                    order = ListOrder(stamp, [pid for (pid,) in cursor.execute(_order_sql(*key))])
                    if stamp is not None:
                        self._orders = {k: o for k, o in self._orders.items() if o.stamp == stamp} | {key: order}
                ids = matching_ids(cursor, plan, order)
                if ranked and text.strip():
                    ids = rank_ids(cursor, text, ids)
            finally:
                cursor.close()
        return ids[:limit] if limit else ids

    def _search_ids_on_server(self, s: Session, text: str, key: tuple[str, bool], ranked: bool) -> list[int]:
        """PostgreSQL: the LIKE conditions on trigram indexes (people/search_like.py), the same cached order."""
        stamp = s.scalar(select(PersonVersion.stamp).where(PersonVersion.id == 1))
        order = self._orders.get(key)
        if order is None or stamp is None or order.stamp != stamp:
            order = ListOrder(stamp, list(s.scalars(_order_select(*key))))
            if stamp is not None:
                self._orders = {k: o for k, o in self._orders.items() if o.stamp == stamp} | {key: order}
        ids = search_like.matching_ids(s, text, order)
        if ranked and text.strip():
            ids = rank_ids(None, text, ids, lambda t, hits: search_like.tier_ids(s, t, hits))
        return ids

    def rows(self, ids: list[int]) -> list[PersonRow]:
        """List rows for the given ids, in the same order; ids that no longer exist are skipped."""
        if not ids:
            return []
        # Correlated per row: served by ix_contact_person_followup (first open follow-up of the person).
        next_followup = (
            select(func.min(Contact.followup_date))
            .where(Contact.person_id == Person.id, Contact.followup_done.is_(False),
                   Contact.followup_date.is_not(None))
            .scalar_subquery()
            .label("due")
        )
        query = (
            select(Person.id, Person.file_number, Person.family_name, Person.given_name,
                   Person.name_original, Person.birth_date_written, Person.birth_year, Person.birth_month,
                   Person.birth_day, Person.municipality, Person.german_level, Person.consent_date,
                   Person.consent_withdrawn_at, next_followup)
            .where(Person.id.in_(ids))
        )
        with self.store.read() as s:
            found = {}
            for r in s.execute(query):
                birth_sort = f"{r.birth_year or 0:04d}-{r.birth_month or 0:02d}-{r.birth_day or 0:02d}"
                found[r.id] = PersonRow(
                    id=r.id, file_number=r.file_number, family_name=r.family_name, given_name=r.given_name,
                    name_original=r.name_original, birth_date_written=r.birth_date_written,
                    birth_sort=birth_sort, municipality=r.municipality, german_level=r.german_level,
                    has_consent=r.consent_date is not None and r.consent_withdrawn_at is None,
                    next_followup=r.due, consent_withdrawn_at=r.consent_withdrawn_at,
                )
        return [found[i] for i in ids if i in found]

    def search(self, text: str, *, limit: int | None = None) -> list[PersonRow]:
        """Matching people, best matches first (the CLI's ``search``)."""
        return self.rows(self.search_ids(text, limit=limit, ranked=True))

    def resolve(self, ref: str | int) -> int:
        """A person's id from an id or a file number, as typed on the command line."""
        text = str(ref).strip()
        with self.store.read() as s:
            pid = s.scalar(select(Person.id).where(Person.file_number == text))
            if pid is None:  # the file number of a file merged into another one
                from bildungskoordination.people.merge import alias_owner

                pid = alias_owner(s, text)
            if pid is None and text.isdigit():
                pid = s.scalar(select(Person.id).where(Person.id == int(text)))
        if pid is None:
            raise NotFound(_("keine Person mit Id oder Aktenzeichen „{ref}“").format(ref=text))
        return pid

    def duplicates_of(self, data: PersonData, *, exclude_id: int | None = None) -> list[DuplicateCandidate]:
        """People who look like ``data`` (also without a birth date: the name alone), best first, with reasons."""
        from bildungskoordination.people.duplicates import find_duplicates

        with self.store.read() as s:
            return find_duplicates(s, data, exclude_id=exclude_id)

    def duplicate_pairs(self, *, limit: int = 500) -> list[DuplicatePair]:
        """Likely duplicate pairs among everyone recorded, best first. Nothing is merged."""
        from bildungskoordination.people.duplicate_pairs import likely_pairs

        with self.store.read() as s:
            return likely_pairs(s, limit=limit)

    def import_duplicates(self, people: list[PersonData]) -> list[list[DuplicateCandidate]]:
        """Per row of an import preview: the existing files it looks like."""
        from bildungskoordination.people.duplicate_pairs import import_marks

        with self.store.read() as s:
            return import_marks(s, people)

    def merge_plan(self, keep_id: int, other_id: int) -> MergePlan:
        """What merging ``other_id`` into ``keep_id`` would change (nothing is written)."""
        from bildungskoordination.people.merge import plan_merge

        with self.store.read() as s:
            return plan_merge(s, keep_id, other_id)

    # --- writing -------------------------------------------------------------------------------
    def merge(self, keep_id: int, other_id: int, take_from_other: set[str] | frozenset[str] = frozenset()) -> MergePlan:
        """Merge two files by hand: ``take_from_other`` names the fields whose value comes from ``other_id``;
        everything linked moves to ``keep_id``; one audit entry (people/merge.py)."""
        from bildungskoordination.people.merge import merge

        with self.store.unit_of_work() as s:
            plan = merge(s, keep_id, other_id, set(take_from_other), _now())
        self.bus.publish(Change("person", "deleted", (other_id,), (other_id,)))
        self.bus.publish(Change("person", "updated", (keep_id,), (keep_id,)))
        return plan

    def check(self, data: PersonData, *, person_id: int | None = None,
              lookup_file_number: bool = True) -> list[FieldError]:
        """All problems with ``data`` as it would be saved (without saving). ``lookup_file_number=False``
        for a caller that looked the numbers of many records up at once (the import)."""
        normalise_person(data)
        errors = validate_person(data)
        if data.file_number and lookup_file_number:
            with self.store.read() as s:
                other = s.scalar(select(Person.id).where(Person.file_number == data.file_number))
            if other is not None and other != person_id:
                errors.append(FieldError("file_number", _("Aktenzeichen {value} ist schon vergeben")
                                         .format(value=data.file_number)))
        return errors

    def create(self, data: PersonData) -> int:
        errors = self.check(data)
        if errors:
            raise ValidationError(errors)
        now = _now()
        with self.store.unit_of_work() as s:
            if not data.file_number:
                data.file_number = next_file_number(s)
            person = Person(created_at=now, updated_at=now)
            person_to_row(data, person)
            s.add(person)
            s.flush()
            pid = person.id
            record_status(s, pid, data.residence_status, data.residence_issued, now)
            add_event(s, Action.CREATE, "person", pid, pid, filled_fields(data))
        self.bus.publish(Change("person", "created", (pid,), (pid,)))
        return pid

    def update(self, person_id: int, data: PersonData, *, expected_version: int | None = None) -> int:
        """Save ``data``; returns the new version. ``expected_version``: the version the user loaded
        (``get_versioned``) – when someone else saved different values since, ConflictError with both values
        per field, and nothing is written. The version column makes even a race between check and write fail."""
        errors = self.check(data, person_id=person_id)
        if errors:
            raise ValidationError(errors)
        try:
            return self._update(person_id, data, expected_version)
        except StaleDataError:  # another transaction committed between our read and our write
            stored, version = self.get_versioned(person_id)
            check_version("person", person_id, version, -1, _canonical(data), stored, skip=_NOT_EDITED)
            return self._update(person_id, data, None)  # nothing differs any more

    def _update(self, person_id: int, data: PersonData, expected_version: int | None) -> int:
        with self.store.unit_of_work() as s:
            person = _person(s, person_id)
            if person.consent_withdrawn_at is not None:
                raise ProcessingRestricted(person.consent_withdrawn_at)
            if not data.file_number:
                data.file_number = person.file_number
            # Compare what is stored before and after (both read back from the row), so only real changes
            # count; a save without changes writes nothing and leaves updated_at (the retention clock) alone.
            before = person_from_row(person)
            check_version("person", person_id, person.version, expected_version, _canonical(data), before,
                          skip=_NOT_EDITED)
            person_to_row(data, person)
            changed = changed_fields(before, person_from_row(person))
            if changed:
                person.updated_at = _now()
                record_status(s, person_id, person.residence_status, person.residence_issued, person.updated_at,
                              (before.residence_status, before.residence_issued))
                add_event(s, Action.UPDATE, "person", person_id, person_id, changed)
                s.flush()
            version = person.version
        self.bus.publish(Change("person", "updated", (person_id,), (person_id,)))
        return version

    def delete(self, person_id: int) -> None:
        with self.store.unit_of_work() as s:
            result = cast("CursorResult[Any]", s.execute(delete(Person).where(Person.id == person_id)))
            if result.rowcount == 0:
                raise NotFound(_("Person {ref} nicht gefunden").format(ref=person_id))
            add_event(s, Action.DELETE, "person", person_id, person_id)
        self.bus.publish(Change("person", "deleted", (person_id,), (person_id,)))

    def create_many(self, people: list[PersonData]) -> list[int]:
        """All or nothing: used by the import after every row was checked."""
        now = _now()
        ids: list[int] = []
        with self.store.unit_of_work() as s:
            numbers = FileNumbers(s)
            for data in people:
                normalise_person(data)
                if data.file_number:
                    numbers.note(data.file_number)
            for data in people:
                if not data.file_number:
                    data.file_number = numbers.next()
            numbers.save()
            count = count_text(len(people))
            for start in range(0, len(people), _BATCH):  # one INSERT per batch; the ids are needed for the log
                batch = people[start:start + _BATCH]
                rows = [Person(created_at=now, updated_at=now) for _data in batch]
                for data, person in zip(batch, rows, strict=True):
                    person_to_row(data, person)
                s.add_all(rows)
                s.flush()
                for data, person in zip(batch, rows, strict=True):
                    ids.append(person.id)
                    record_status(s, person.id, data.residence_status, data.residence_issued, now)
                    # One entry per created person (one per change); the count says which import it was part of.
                    add_event(s, Action.IMPORT, "person", person.id, person.id, filled_fields(data), count)
        if ids:
            self.bus.publish(Change("person", "imported", tuple(ids), tuple(ids)))
        return ids

    def withdraw_consent(self, person_id: int, on: date | None = None) -> None:
        """Consent withdrawn on ``on`` (default today): from now on the record is only stored (Art. 18)."""
        on = on or date.today()
        if on > date.today():
            raise ValidationError([FieldError("consent_withdrawn_at", _("Widerruf liegt in der Zukunft"))])
        with self.store.unit_of_work() as s:
            person = _person(s, person_id)
            if person.consent_withdrawn_at is not None:
                raise ProcessingRestricted(person.consent_withdrawn_at)
            person.consent_withdrawn_at = on
            person.updated_at = _now()
            add_event(s, Action.RESTRICT, "person", person_id, person_id, ["consent_withdrawn_at"])
        self.bus.publish(Change("person", "updated", (person_id,), (person_id,)))

    def renew_consent(self, person_id: int, on: date | None = None) -> None:
        """The person consents again (on ``on``): the restriction ends, processing may resume."""
        on = on or date.today()
        if on > date.today():
            raise ValidationError([FieldError("consent_date", _("Einwilligung liegt in der Zukunft"))])
        with self.store.unit_of_work() as s:
            person = _person(s, person_id)
            person.consent_withdrawn_at = None
            person.consent_date = on
            person.updated_at = _now()
            add_event(s, Action.UNRESTRICT, "person", person_id, person_id, ["consent_date", "consent_withdrawn_at"])
        self.bus.publish(Change("person", "updated", (person_id,), (person_id,)))

    def existing_file_numbers(self, numbers: list[str]) -> set[str]:
        if not numbers:
            return set()
        with self.store.read() as s:
            found: set[str] = set()
            for i in range(0, len(numbers), 500):
                found.update(s.scalars(select(Person.file_number).where(Person.file_number.in_(numbers[i:i + 500]))))
            return found


def _canonical(data: PersonData) -> PersonData:
    """``data`` as it would read back once stored, so a conflict shows only real differences."""
    row = Person()
    person_to_row(data, row)
    return person_from_row(row)


def _person(session, person_id: int) -> Person:  # type: ignore[no-untyped-def]
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(_("Person {ref} nicht gefunden").format(ref=person_id))
    return person
