"""The facts of one referral letter, read in the LetterService's transaction: LetterData and the person's
letter language."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bildungskoordination.domain.errors import NotFound
from bildungskoordination.domain.names import clean_text
from bildungskoordination.i18n import _
from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.content import LetterData, Letterhead
from bildungskoordination.store.models import Course, Person, Provider, Referral


def person_language(s: Session, referral_id: int) -> str:
    """The person's letter language when we have a catalog for it, else German."""
    person_id = referral(s, referral_id).person_id
    language = s.scalar(select(Person.letter_language).where(Person.id == person_id)) or "de"
    return language if language in catalog.LETTER_LANGUAGES else "de"


def letter_data(s: Session, referral_id: int, on: date, head: Letterhead) -> LetterData:
    found = referral(s, referral_id)
    person = s.get(Person, found.person_id)
    course = s.get(Course, found.course_id)
    assert person is not None and course is not None  # foreign keys
    provider = s.get(Provider, course.provider_id)
    assert provider is not None
    data = LetterData(
        referral_id=found.id, file_number=person.file_number, family_name=person.family_name,
        given_name=person.given_name, name_original=person.name_original, address=person.address,
        municipality=person.municipality, course_type=course.course_type, course_number=course.course_number,
        provider=provider.name, provider_address=provider.address, course_address=course.address,
        start=course.start, end=course.end, registration_deadline=course.registration_deadline,
        days=tuple(course.days or ()), time_from=course.time_from, time_to=course.time_to,
        entry_level=course.entry_level, target_level=course.target_level, mode=course.mode,
        childcare=course.childcare, provider_contact=course.contact_person or provider.contact_person,
        provider_phone=course.phone or provider.phone, provider_email=course.email or provider.email,
        letterhead=head, on=on)
    # Every text field without control and bidi format characters (hostile or pasted input).
    texts = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    cleaned: dict[str, Any] = {name: clean_text(value, multiline=True) for name, value in texts.items()
                               if isinstance(value, str)}  # exactly the str fields, each replaced by a str
    return dataclasses.replace(data, **cleaned)


def referral(s: Session, referral_id: int) -> Referral:
    found = s.get(Referral, referral_id)
    if found is None:
        raise NotFound(_("Vermittlung {ref} nicht gefunden").format(ref=referral_id))
    return found
