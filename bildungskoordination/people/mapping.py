"""Copying between ORM rows and records, and the derived search columns."""

from __future__ import annotations

from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.domain.names import fold, search_keys
from bildungskoordination.people.records import ContactData, LanguageSkill, PersonData
from bildungskoordination.store.models import Contact, Person

_PLAIN_PERSON_FIELDS = (
    "family_name", "given_name", "file_number", "name_original", "gender", "arrival_date",
    "residence_status", "residence_issued", "residence_expires", "obligation", "obliged_on", "bamf_admission_on",
    "ik_completed_on", "ik_final_level", "german_level", "german_level_date",
    "german_level_source", "literacy", "school_years", "qualification", "recognition", "municipality",
    "address", "phone", "email", "needs_childcare", "childcare_children", "letter_language",
    "consent_date", "consent_how", "note",
)
_LIST_PERSON_FIELDS = ("nationalities", "availability", "weekdays", "consent_scope")


def person_to_row(data: PersonData, person: Person) -> None:
    for name in _PLAIN_PERSON_FIELDS:
        setattr(person, name, getattr(data, name))
    for name in _LIST_PERSON_FIELDS:
        setattr(person, name, list(getattr(data, name)))
    person.languages = [{"code": s.code, "level": s.level} for s in data.languages]
    if data.birth is None:
        person.birth_year = person.birth_month = person.birth_day = None
        person.birth_date_written = ""
    else:
        person.birth_year, person.birth_month, person.birth_day = data.birth.year, data.birth.month, data.birth.day
        person.birth_date_written = data.birth.display()
    person.search_folded, person.search_skeleton = search_keys(
        data.family_name, data.given_name, data.name_original
    )
    person.sort_name = f"{fold(data.family_name)}\x1f{fold(data.given_name)}"


def person_from_row(person: Person) -> PersonData:
    data = PersonData()
    for name in _PLAIN_PERSON_FIELDS:
        setattr(data, name, getattr(person, name))
    for name in _LIST_PERSON_FIELDS:
        setattr(data, name, list(getattr(person, name) or []))
    data.languages = [LanguageSkill(s.get("code", ""), s.get("level", "")) for s in person.languages or []]
    if person.birth_year is not None:
        data.birth = PartialDate(person.birth_year, person.birth_month, person.birth_day,
                                 person.birth_date_written)
    return data


_CONTACT_FIELDS = (
    "contact_date", "duration_minutes", "channel", "place", "interpreter_language", "interpreter_kind",
    "note", "outcome", "next_step", "followup_date", "followup_done",
)


def contact_to_row(data: ContactData, contact: Contact) -> None:
    for name in _CONTACT_FIELDS:
        setattr(contact, name, getattr(data, name))
    contact.topics = list(data.topics)


def contact_from_row(contact: Contact) -> ContactData:
    data = ContactData()
    for name in _CONTACT_FIELDS:
        setattr(data, name, getattr(contact, name))
    data.topics = list(contact.topics or [])
    return data
