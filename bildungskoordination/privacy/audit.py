"""Protokoll (audit log, Art. 5 Abs. 2 DSGVO): who changed, erased, exported or opened what, and when.

Entries hold the NAMES of changed fields only – never values, never note texts – so the log itself is no
second copy of the data. Services write their entry with ``add_event`` in the same unit of work as the
change: a committed change has exactly one entry, a rolled-back one none. The log is read-only; the only
way entries leave it is the retention purge.
"""

from __future__ import annotations

import builtins
import dataclasses
import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, Select, delete, func, select
from sqlalchemy.orm import Session

from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import N_, ngettext
from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS, default_audit_keep_days
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import AuditEvent

if TYPE_CHECKING:
    from bildungskoordination.privacy.settings import SettingsService

UNKNOWN_USER = "unbekannt"
_DETAIL_MAX = 200


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ERASE = "erase"
    IMPORT = "import"
    EXPORT = "export"
    PRINT = "print"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"
    RESTORE = "restore"
    RESTRICT = "restrict"
    UNRESTRICT = "unrestrict"
    PURGE = "purge"
    MERGE = "merge"
    REKEY = "rekey"


# For the log view; translated where shown.
ACTION_LABELS = {
    Action.CREATE: N_("angelegt"), Action.UPDATE: N_("geändert"), Action.DELETE: N_("gelöscht"),
    Action.ERASE: N_("endgültig gelöscht (Löschung)"), Action.IMPORT: N_("importiert"),
    Action.EXPORT: N_("exportiert"), Action.PRINT: N_("gedruckt"), Action.UNLOCK: N_("Datenbank geöffnet"),
    Action.UNLOCK_FAILED: N_("Öffnen fehlgeschlagen (falsche Passphrase)"),
    Action.RESTORE: N_("Sicherung wiederhergestellt"), Action.RESTRICT: N_("Verarbeitung eingeschränkt"),
    Action.UNRESTRICT: N_("Einschränkung aufgehoben"), Action.PURGE: N_("alte Protokolleinträge gelöscht"),
    Action.MERGE: N_("Akten zusammengeführt"), Action.REKEY: N_("Passphrase geändert"),
}


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    os_user: str
    action: str
    entity: str
    entity_id: int | None
    person_id: int | None
    fields: tuple[str, ...]
    detail: str


@cache
def os_user() -> str:
    """The login name of whoever runs the app; the log must not fail because the OS cannot tell."""
    try:
        return getpass.getuser() or UNKNOWN_USER
    except Exception:  # noqa: BLE001 – OSError/KeyError/ImportError depending on platform and Python
        return UNKNOWN_USER


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def add_event(session: Session, action: str, entity: str, entity_id: int | None = None,
              person_id: int | None = None, fields: Iterable[str] = (), detail: str = "") -> AuditEvent:
    """Add an entry to ``session``; it is committed (or rolled back) together with the change it describes."""
    # A team database (PostgreSQL): the database role that logged in, as the server knows it – not the laptop's
    # login name, which any user can choose.
    user: Any = func.current_user() if session.get_bind().dialect.name == "postgresql" else os_user()[:100]
    event = AuditEvent(at=_now(), os_user=user, action=str(action), entity=entity,
                       entity_id=entity_id, person_id=person_id, fields=list(dict.fromkeys(fields)),
                       detail=detail[:_DETAIL_MAX])
    session.add(event)
    return event


def changed_fields(before: Any, after: Any) -> list[str]:
    """Names of the dataclass fields whose values differ (the values themselves are not returned)."""
    return [f.name for f in dataclasses.fields(before) if getattr(before, f.name) != getattr(after, f.name)]


def filled_fields(data: Any) -> list[str]:
    """Names of the fields that hold something: what a new record collected."""
    return [f.name for f in dataclasses.fields(data) if getattr(data, f.name) not in (None, "", [], (), False)]


def count_text(n: int) -> str:
    return ngettext("{n} Person", "{n} Personen", n).format(n=n)


def _row(e: AuditEvent) -> AuditRow:
    return AuditRow(e.id, e.at, e.os_user, e.action, e.entity, e.entity_id, e.person_id,
                    tuple(e.fields or ()), e.detail)


def _since(since: datetime | date | None) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since
    return datetime.combine(since, time.min)


class AuditService:
    def __init__(self, store: Store, bus: ChangeBus | None = None,
                 settings: SettingsService | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()
        self.settings = settings

    def record(self, action: str, entity: str, entity_id: int | None = None, person_id: int | None = None,
               fields: Iterable[str] = (), detail: str = "") -> int | None:
        """An entry for something outside the services (unlock, failed unlock, export, print).

        Returns its id; None for a read-only database, which cannot take one (nothing else is possible there).
        """
        if self.store.read_only:
            return None
        with self.store.unit_of_work() as s:
            event = add_event(s, action, entity, entity_id, person_id, fields, detail)
            s.flush()
            event_id = event.id
        self.bus.publish(Change("audit", "created", (event_id,), (person_id,) if person_id else ()))
        return event_id

    def list(self, limit: int | None = 100, offset: int = 0, since: datetime | date | None = None,
             person_id: int | None = None) -> builtins.list[AuditRow]:
        """Entries, newest first; ``limit=None`` for all."""
        query = self._filtered(select(AuditEvent), since, person_id)
        query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.store.read() as s:
            return [_row(e) for e in s.scalars(query)]

    def count(self, since: datetime | date | None = None, person_id: int | None = None) -> int:
        with self.store.read() as s:
            return s.scalar(self._filtered(select(func.count(AuditEvent.id)), since, person_id)) or 0

    @staticmethod
    def _filtered(query: Select, since: datetime | date | None, person_id: int | None) -> Select:
        if (start := _since(since)) is not None:
            query = query.where(AuditEvent.at >= start)
        if person_id is not None:
            query = query.where(AuditEvent.person_id == person_id)
        return query

    def keep_days(self) -> int:
        """How long entries are kept: the setting, else resources/privacy/retention.toml."""
        if self.settings is not None:
            return self.settings.get_int(AUDIT_KEEP_DAYS, default_audit_keep_days())
        return default_audit_keep_days()

    def purge_older_than(self, days: int | None = None, *, now: datetime | None = None) -> int:
        """Delete entries older than ``days`` (default: the keep period); returns how many went.

        The purge itself is logged (with the number only), so gaps in the log are explained.
        """
        days = self.keep_days() if days is None else days
        if days < 1:
            raise ValueError("audit keep period must be at least one day")
        cutoff = (now or _now()) - timedelta(days=days)
        with self.store.unit_of_work() as s:
            result = cast(CursorResult, s.execute(delete(AuditEvent).where(AuditEvent.at < cutoff)))
            purged = int(result.rowcount or 0)
            if purged:
                add_event(s, Action.PURGE, "audit", detail=ngettext(
                    "{n} Eintrag älter als {days} Tage", "{n} Einträge älter als {days} Tage", purged
                ).format(n=purged, days=days))
        if purged:
            self.bus.publish(Change("audit", "deleted"))
        return purged
