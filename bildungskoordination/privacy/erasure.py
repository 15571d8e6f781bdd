"""Löschung (Art. 17 DSGVO): a person and everything about them goes, only an erasure ledger row stays.

What makes the erasure real on disk: the engine sets ``PRAGMA secure_delete=ON`` on every connection (freed
cells and pages are overwritten with zeros), and after the commit the WAL is checkpointed and truncated, so
no copy of the old pages remains in ``-wal``.

Why a sidecar file ``<db>.erasures``: a restored backup carries the *old* in-database ledger and the erased
person again. The sidecar lives beside the database and is never restored, so ``replay_ledger`` – called
after a restore and at every start – erases everyone listed there again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from bildungskoordination.domain.errors import NotFound
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _
from bildungskoordination.privacy.audit import Action, add_event
from bildungskoordination.privacy.ledger import (  # noqa: F401 – read_sidecar re-exported
    SIDECAR_SUFFIX,
    LedgerEntry,
    append_sidecar,
    ledger_key,
    read_sidecar,
    read_sidecar_content,
    rewrite_sidecar,
    set_aside_refused,
)
from bildungskoordination.privacy.policy import ERASURE_REASONS
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import AuditEvent, Base, ErasureLedger, Person, PersonAlias
from bildungskoordination.store.server import raise_sequence, sequence_value

if TYPE_CHECKING:
    from bildungskoordination.services import Services

# Tables with a person_id that must outlive the person: the log (pseudonymous, field names only) and the ledger.
_KEEP_TABLES = {AuditEvent.__tablename__, ErasureLedger.__tablename__}


def sidecar_path(store: Store) -> Path | None:
    return None if store.path is None else store.path.with_name(store.path.name + SIDECAR_SUFFIX)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def next_person_id(session: Session) -> int:
    """The next id that was never used – for bulk writers that set ids themselves (``max(id)+1`` is not
    enough: the highest id may belong to an erased person)."""
    if session.get_bind().dialect.name != "sqlite":
        seq = sequence_value(session, "person")
    else:
        seq = session.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'person'")).scalar() or 0
    highest = session.scalar(select(func.max(Person.id))) or 0
    erased = session.scalar(select(func.max(ErasureLedger.person_id))) or 0
    return max(seq, highest, erased) + 1


def _raise_sequence(session: Session, at_least: int) -> None:
    """Make sure AUTOINCREMENT never hands out an id up to ``at_least`` (a restored backup has an old
    sqlite_sequence; without this a new person could get an erased person's id – and the sidecar would
    then erase the new person at the next replay). PostgreSQL: the same for the serial's sequence, which a
    restored server backup (pg_dump) also brings back at its old value."""
    if session.get_bind().dialect.name != "sqlite":
        raise_sequence(session, "person", at_least)
        return
    seq = session.execute(text("SELECT seq FROM sqlite_sequence WHERE name = 'person'")).scalar()
    if seq is None:
        session.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES ('person', :n)"), {"n": at_least})
    elif seq < at_least:
        session.execute(text("UPDATE sqlite_sequence SET seq = :n WHERE name = 'person'"), {"n": at_least})


def _person_tables() -> tuple[str, ...]:
    """The tables an erasure deletes from (person last): every table with a person_id but the kept ones."""
    return (*(t.name for t in Base.metadata.sorted_tables if "person_id" in t.c and t.name not in _KEEP_TABLES),
            Person.__tablename__)


class ErasureService:
    def __init__(self, store: Store, bus: ChangeBus | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()
        self.warnings: list[str] = []  # refused side-file lines, for the user (GUI dialog, CLI stderr)

    @property
    def _key(self) -> bytes:
        return ledger_key(self.store.key)

    @property
    def sidecar(self) -> Path | None:
        return sidecar_path(self.store)

    def erase(self, person_id: int, reason: str) -> None:
        """Erase the person and everything linked to them. ``reason`` is a key of policy.ERASURE_REASONS
        (not free text, which could name the person in the log)."""
        if reason not in ERASURE_REASONS:
            raise ValueError(f"unknown erasure reason {reason!r}; one of {sorted(ERASURE_REASONS)}")
        entry = LedgerEntry(person_id, _now())
        with self.store.unit_of_work() as s:
            # Files merged into this person (people/merge.py): a backup from before the merge still has them, so
            # their ids go into the ledger too. Read first: the aliases go with the person.
            merged = [LedgerEntry(pid, entry.erased_at) for pid in s.scalars(
                select(PersonAlias.merged_person_id).where(PersonAlias.person_id == person_id))]
            self._erase_in(s, entry, reason)
            for old in merged:
                if s.scalar(select(ErasureLedger.id).where(ErasureLedger.person_id == old.person_id)) is None:
                    s.add(ErasureLedger(person_id=old.person_id, erased_at=old.erased_at))
            s.flush()  # any database error surfaces before the sidecar line is written
            # Sidecar before commit: if the commit then fails, the next replay finishes the erasure the user
            # asked for; the other order could leave an erased person without a line, revived by a restore.
            for line in [entry, *merged]:
                append_sidecar(self.sidecar, line, self._key)
        self.store.checkpoint()
        self.store.reclaim_erased(_person_tables())
        self.bus.publish(Change("person", "deleted", (person_id,), (person_id,)))

    def ledger(self) -> list[LedgerEntry]:
        with self.store.read() as s:
            return [LedgerEntry(r.person_id, r.erased_at)
                    for r in s.scalars(select(ErasureLedger).order_by(ErasureLedger.erased_at, ErasureLedger.id))]

    def replay_ledger(self) -> int:
        """Erase again everyone in the side file (lines that pass their check) or the database ledger who
        is (back) in the database, record every entry in both; returns how many people were erased.

        A side-file line that fails its check is never applied; unless the database ledger confirms it, it
        is moved to ``<db>.erasures.abgelehnt`` and reported in ``warnings``."""
        if self.store.read_only:
            return 0
        content = read_sidecar_content(self.sidecar, self._key)
        in_db = self.ledger()
        confirmed = set(in_db)
        unconfirmed = [line for line, claim in content.refused if claim not in confirmed]
        wanted: dict[int, datetime] = {}
        for entry in [*content.entries, *in_db]:
            if entry.person_id not in wanted or entry.erased_at < wanted[entry.person_id]:
                wanted[entry.person_id] = entry.erased_at
        if unconfirmed:
            self._refuse(unconfirmed)
        erased = self._apply(wanted) if wanted else []
        sidecar = self.sidecar
        if sidecar is not None and (content.refused or content.torn_tail or not confirmed <= set(content.entries)):
            rewrite_sidecar(sidecar, [*content.entries, *in_db], self._key)
        if erased:
            self.store.checkpoint()
            self.store.reclaim_erased(_person_tables())
            self.bus.publish(Change("person", "deleted", tuple(erased), tuple(erased)))
        return len(erased)

    def _refuse(self, lines: list[str]) -> None:
        assert self.sidecar is not None
        rejected = set_aside_refused(self.sidecar, lines)
        for line in lines:
            self.warnings.append(_(
                "Ein Eintrag der Löschliste {file} hat die Echtheitsprüfung nicht bestanden und wurde NICHT "
                "angewandt: {line}. Die Datei wurde verändert oder ist beschädigt. Der Eintrag liegt jetzt in "
                "{rejected}; bitte prüfen, ob diese Person gelöscht werden muss.").format(
                file=self.sidecar.name, line=line, rejected=rejected.name))
        with self.store.unit_of_work() as s:
            add_event(s, Action.UPDATE, "erasure_ledger", fields=["abgelehnt"],
                      detail=_("{n} Eintrag/Einträge der Löschliste abgelehnt").format(n=len(lines)))

    def _apply(self, wanted: dict[int, datetime]) -> list[int]:
        erased: list[int] = []
        with self.store.unit_of_work() as s:
            created = {r.id: r.created_at
                       for r in s.execute(select(Person.id, Person.created_at).where(Person.id.in_(list(wanted))))}
            in_ledger = set(s.scalars(select(ErasureLedger.person_id)))
            for pid, erased_at in sorted(wanted.items()):
                # A record created after the erasure is not the erased person (only possible with ids set by
                # hand); it is left alone rather than destroyed.
                if pid in created and created[pid] <= erased_at:
                    self._erase_in(s, LedgerEntry(pid, erased_at), "wiederholt")
                    erased.append(pid)
                elif pid not in in_ledger:
                    s.add(ErasureLedger(person_id=pid, erased_at=erased_at))
            _raise_sequence(s, max(wanted))
        return erased

    @staticmethod
    def _erase_in(s: Session, entry: LedgerEntry, reason: str) -> None:
        pid = entry.person_id
        if s.get(Person, pid) is None:
            raise NotFound(_("Person {ref} nicht gefunden").format(ref=pid))
        s.expunge_all()  # no ORM copy of the person may be flushed back or linger in the identity map
        # Every table that refers to a person, children before parents – also later tables (referrals,
        # letters, …) even if a foreign key without ON DELETE CASCADE was forgotten there.
        for table in reversed(Base.metadata.sorted_tables):
            if "person_id" in table.c and table.name not in _KEEP_TABLES:
                s.execute(delete(table).where(table.c.person_id == pid))
        s.execute(delete(Person).where(Person.id == pid))
        if s.scalar(select(ErasureLedger.id).where(ErasureLedger.person_id == pid)) is None:
            s.add(ErasureLedger(person_id=pid, erased_at=entry.erased_at))
        add_event(s, Action.ERASE, "person", pid, pid, detail=_(ERASURE_REASONS[reason]))


def replay_ledger(services: Services) -> int:
    """After a restore (and at start): erase again whoever was erased after the backup was taken."""
    return services.erasure.replay_ledger()
