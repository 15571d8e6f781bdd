"""The history of a person's residence statuses: a row whenever the status or its date ("Status seit")
changes, so the matching and the coordinator can see what applied when (rules are judged at given dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bildungskoordination.store.models import PersonStatus


@dataclass(frozen=True)
class StatusEntry:
    status: str
    since: date | None
    recorded_at: datetime


def record_status(s: Session, person_id: int, status: str, since: date | None, now: datetime,
                  before: tuple[str, date | None] | None = None) -> None:
    """Add a history row if (status, since) differs from ``before`` (None: a new person)."""
    if not status or (before is not None and before == (status, since)):
        return
    s.add(PersonStatus(person_id=person_id, status=status, since=since, recorded_at=now))


def status_history(s: Session, person_id: int) -> list[StatusEntry]:
    """Oldest first."""
    rows = s.scalars(select(PersonStatus).where(PersonStatus.person_id == person_id)
                     .order_by(PersonStatus.recorded_at, PersonStatus.id))
    return [StatusEntry(r.status, r.since, r.recorded_at) for r in rows]
