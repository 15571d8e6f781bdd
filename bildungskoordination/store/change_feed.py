"""The change feed: what other users changed, without a restart (issue 15).

Every unit of work that changes a person, contact, course, referral or provider writes one ``change_log``
row per entity and kind in the same transaction (session events below: ORM flushes, and DELETE/UPDATE
statements). Each app polls ``ChangeFeed.poll`` every few seconds (gui/change_poller.py, off the GUI
thread) and publishes the rows other stores wrote as the same typed ``Change`` events the services publish
for their own actions. Rows hold ids only; rows older than ``KEEP_ROWS`` are pruned as new ones arrive.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import BinaryExpression, delete, event, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from bildungskoordination.events import Change
from bildungskoordination.store.models import ChangeLog, Person, Referral

KEEP_ROWS = 5000  # rows kept for apps that were asleep for a while; older ones are pruned
_PRUNE_EVERY = 500

# entity name per tracked table; the person ids a row of that table concerns
_ENTITIES: dict[str, str] = {"person": "person", "contact": "contact", "course": "course",
                             "referral": "referral", "provider": "provider"}
_KEY = "change_feed"  # session.info key: {(entity, kind): (ids, person_ids)}


def new_origin() -> str:
    return secrets.token_hex(8)


def _person_ids(obj: object) -> tuple[int, ...]:
    if isinstance(obj, Person):
        return (obj.id,) if obj.id is not None else ()
    pid = getattr(obj, "person_id", None)
    return (pid,) if isinstance(pid, int) else ()


def _note(session: Session, entity: str, kind: str, ids: Iterable[int], person_ids: Iterable[int]) -> None:
    pending: dict[tuple[str, str], tuple[set[int], set[int]]] = session.info.setdefault(_KEY, {})
    found = pending.setdefault((entity, kind), (set(), set()))
    found[0].update(i for i in ids if i is not None)
    found[1].update(i for i in person_ids if i is not None)


def _after_flush(session: Session, _context: Any) -> None:
    for objects, kind in ((session.new, "created"), (session.dirty, "updated"), (session.deleted, "deleted")):
        for obj in objects:
            table = getattr(obj, "__tablename__", "")
            if table in _ENTITIES and (kind != "updated" or session.is_modified(obj)):
                oid = getattr(obj, "id", None)
                _note(session, _ENTITIES[table], kind, [oid] if isinstance(oid, int) else [], _person_ids(obj))
                if isinstance(obj, Referral) and isinstance(obj.course_id, int):  # free places change with it
                    _note(session, "course", "updated", [obj.course_id], [])


def _where_ids(statement: Any) -> tuple[list[int], list[int]]:
    """Ids from ``WHERE id = …`` or ``WHERE person_id = …``, the statements the services run; else none."""
    clause = getattr(statement, "whereclause", None)
    if isinstance(clause, BinaryExpression) and hasattr(clause.right, "value"):
        key, value = getattr(clause.left, "key", ""), clause.right.value
        if isinstance(value, int):
            return ([value], []) if key == "id" else ([], [value]) if key == "person_id" else ([], [])
    return [], []


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_delete or state.is_update):
        return
    table = getattr(getattr(state.statement, "table", None), "name", "")
    if table in _ENTITIES:
        ids, person_ids = _where_ids(state.statement)
        if table == "person":
            person_ids = person_ids or ids
        _note(state.session, _ENTITIES[table], "deleted" if state.is_delete else "updated", ids, person_ids)


def _before_commit(session: Session) -> None:
    origin = session.info.get("origin")
    if origin is None:
        return
    session.flush()  # what was changed since the last flush is noted by _after_flush first
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    now = datetime.now().replace(microsecond=0)
    rows = [{"at": now, "origin": origin, "entity": entity, "kind": kind, "ids": sorted(ids),
             "person_ids": sorted(pids)} for (entity, kind), (ids, pids) in pending.items()]
    conn = session.connection()
    last = max(conn.execute(insert(ChangeLog).returning(ChangeLog.id), rows).scalars())
    if last % _PRUNE_EVERY < len(rows):
        conn.execute(delete(ChangeLog).where(ChangeLog.id <= last - KEEP_ROWS))


def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


def install(sessions: sessionmaker[Session], origin: str) -> None:
    """Log the changes of every session ``sessions`` makes (call once per sessionmaker)."""
    sessions.configure(info={"origin": origin})
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _on_execute)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_soft_rollback", lambda session, _tx: _after_rollback(session))


class ChangeFeed:
    """Reads the changes other stores committed since the last poll (no Qt; the GUI polls off its thread).

    On PostgreSQL a row's id comes from a sequence when it is inserted, so a transaction that commits later
    can hold a lower id than one already seen: each poll looks ``LOOKBACK`` ids behind the highest seen and
    skips the rows it has seen already."""

    LOOKBACK = 200

    def __init__(self, store: Any) -> None:
        self._store = store
        self._last = 0
        self._seen: set[int] = set()
        self._read()  # what is there already is no news

    def _read(self) -> list[Any]:
        floor = max(0, self._last - self.LOOKBACK)
        with self._store.read() as s:
            rows = s.execute(select(ChangeLog.id, ChangeLog.origin, ChangeLog.entity, ChangeLog.kind,
                                    ChangeLog.ids, ChangeLog.person_ids)
                             .where(ChangeLog.id > floor).order_by(ChangeLog.id)).all()
        fresh = [r for r in rows if r.id not in self._seen]
        self._seen.update(r.id for r in fresh)
        if rows:
            self._last = max(self._last, rows[-1].id)
        floor = self._last - self.LOOKBACK
        self._seen = {i for i in self._seen if i > floor}
        return fresh

    def poll(self) -> list[Change]:
        """The changes of other stores since the last poll, oldest first; own changes were published already."""
        return [Change(r.entity, r.kind, tuple(r.ids or ()), tuple(r.person_ids or ()))
                for r in self._read() if r.origin != self._store.origin]
