"""Restriction of processing (Art. 18 DSGVO) after consent was withdrawn.

A restricted record is only stored: it may be read, exported to the person (Art. 15) and erased, but not
extended or changed. Every service that writes something about a person (contacts now; letters and
referrals later) calls ``ensure_not_restricted`` inside its unit of work.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bildungskoordination.domain.errors import FieldError, ValidationError
from bildungskoordination.i18n import _
from bildungskoordination.store.models import Person


class ProcessingRestricted(ValidationError):
    """A ValidationError, so every caller that shows validation errors shows this one too."""

    def __init__(self, withdrawn_on: date) -> None:
        super().__init__([FieldError("consent_withdrawn_at", restriction_message(withdrawn_on))])
        self.withdrawn_on = withdrawn_on


def restriction_message(withdrawn_on: date) -> str:
    return _("Verarbeitung eingeschränkt: Einwilligung am {date} widerrufen").format(
        date=withdrawn_on.strftime("%d.%m.%Y"))


def ensure_not_restricted(session: Session, person_id: int) -> None:
    """Raise ProcessingRestricted if the person withdrew consent; unknown ids are the caller's business."""
    withdrawn = session.scalar(select(Person.consent_withdrawn_at).where(Person.id == person_id))
    if withdrawn is not None:
        raise ProcessingRestricted(withdrawn)
