"""A save based on an older state of a record than the one stored (optimistic locking, issue 15).

Raised by the services instead of overwriting what another user saved in between: it carries, per field
where the two differ, the value being saved (``mine``) and the stored one (``theirs``), so the user can
choose per field and save again against ``current_version``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from bildungskoordination.i18n import N_, _

ENTITY_LABELS = {"person": N_("Person"), "contact": N_("Beratungskontakt"), "course": N_("Kurs"),
                 "referral": N_("Vermittlung")}


@dataclass(frozen=True)
class FieldConflict:
    field: str
    mine: Any
    theirs: Any


class ConflictError(Exception):
    """Someone else saved ``entity`` ``record_id`` after it was loaded; nothing was written."""

    def __init__(self, entity: str, record_id: int, expected_version: int | None, current_version: int,
                 fields: tuple[FieldConflict, ...], theirs: Any = None) -> None:
        self.entity, self.record_id = entity, record_id
        self.expected_version, self.current_version = expected_version, current_version
        self.fields, self.theirs = fields, theirs
        super().__init__(_("Der Datensatz ({what}) wurde inzwischen von jemand anderem geändert; nichts wurde "
                           "überschrieben. Unterschiedlich: {fields}.").format(
            what=_(ENTITY_LABELS.get(entity, entity)), fields=", ".join(f.field for f in fields) or "–"))


def differing_fields(mine: Any, theirs: Any, *, skip: tuple[str, ...] = ()) -> tuple[FieldConflict, ...]:
    """Per dataclass field where the two records differ: both values."""
    return tuple(FieldConflict(f.name, getattr(mine, f.name), getattr(theirs, f.name))
                 for f in dataclasses.fields(mine)
                 if f.name not in skip and getattr(mine, f.name) != getattr(theirs, f.name))


def check_version(entity: str, record_id: int, stored_version: int, expected_version: int | None,
                  mine: Any, theirs: Any, *, skip: tuple[str, ...] = ()) -> None:
    """Raise ConflictError when the record moved on since ``expected_version`` and the values differ.

    ``None`` means the caller loaded nothing to compare against (a one-shot CLI command). When the versions
    differ but every value is equal there is nothing to overwrite, and the save goes on."""
    if expected_version is None or stored_version == expected_version:
        return
    fields = differing_fields(mine, theirs, skip=skip)
    if fields:
        raise ConflictError(entity, record_id, expected_version, stored_version, fields, theirs)


def merged(mine: Any, theirs: Any, take_theirs: set[str] | frozenset[str]) -> Any:
    """``mine`` with the fields named in ``take_theirs`` taken from ``theirs``: what the conflict dialog saves."""
    return dataclasses.replace(mine, **{name: getattr(theirs, name) for name in take_theirs})
