"""Checks of a person or contact before it is stored; messages name the field and are German."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bildungskoordination.domain.errors import FieldError
from bildungskoordination.domain.names import clean_text
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.people.records import ContactData, PersonData

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+0-9 ()/\-.]{3,40}$")
_FILE_NUMBER = re.compile(r"^[\w./\-]{1,40}$")


def normalise_person(data: PersonData) -> PersonData:
    """Clean every text field in place (NFC, no bidi/zero-width controls) and return it."""
    # An address keeps its lines as ", " (a cell or a pasted address may bring line breaks; letters split at both).
    lines = [line.strip(" ,") for line in clean_text(data.address, multiline=True).split("\n")]
    data.address = ", ".join(line for line in lines if line)
    for name in ("family_name", "given_name", "file_number", "name_original", "municipality", "address",
                 "phone", "email"):
        setattr(data, name, clean_text(getattr(data, name)))
    data.note = clean_text(data.note, multiline=True)
    data.email = data.email.strip()
    return data


def validate_person(data: PersonData, *, today: date | None = None) -> list[FieldError]:
    today = today or date.today()
    errors: list[FieldError] = []

    def err(field: str, message: str) -> None:
        errors.append(FieldError(field, message))

    if not data.family_name:
        err("family_name", _("Familienname fehlt"))
    if not data.given_name:
        err("given_name", _("Vorname fehlt"))
    if data.file_number and not _FILE_NUMBER.match(data.file_number):
        err("file_number", _("Aktenzeichen darf nur Buchstaben, Ziffern, „-“, „/“ und „.“ enthalten"))
    if data.gender not in vocabulary("gender"):
        err("gender", _("unbekanntes Geschlecht „{value}“").format(value=data.gender))
    for code in data.nationalities:
        if code not in vocabulary("countries"):
            err("nationalities", _("unbekannte Staatsangehörigkeit „{value}“").format(value=code))
    if data.residence_status and data.residence_status not in vocabulary("residence_status"):
        err("residence_status", _("unbekannter Aufenthaltsstatus „{value}“").format(value=data.residence_status))
    if data.german_level and data.german_level not in vocabulary("german_level"):
        err("german_level", _("unbekanntes Sprachniveau „{value}“").format(value=data.german_level))
    if data.literacy and data.literacy not in vocabulary("literacy"):
        err("literacy", _("unbekannter Wert „{value}“").format(value=data.literacy))
    for skill in data.languages:
        if skill.code not in vocabulary("languages"):
            err("languages", _("unbekannte Sprache „{value}“").format(value=skill.code))
    if data.letter_language and data.letter_language not in vocabulary("languages"):
        err("letter_language", _("unbekannte Sprache „{value}“").format(value=data.letter_language))
    for code in data.availability:
        if code not in vocabulary("availability"):
            err("availability", _("unbekannte Verfügbarkeit „{value}“").format(value=code))
    if data.birth is not None and data.birth.earliest > today:
        err("birth", _("Geburtsdatum liegt in der Zukunft"))
    if data.arrival_date is not None:
        if data.arrival_date > today:
            err("arrival_date", _("Einreisedatum liegt in der Zukunft"))
        elif data.birth is not None and data.arrival_date < data.birth.earliest:
            err("arrival_date", _("Einreise liegt vor der Geburt"))
    if data.obligation and data.obligation not in vocabulary("obligation"):
        err("obligation", _("unbekannte Verpflichtung „{value}“").format(value=data.obligation))
    if data.ik_final_level and data.ik_final_level not in vocabulary("ik_final_level"):
        err("ik_final_level", _("unbekanntes Abschlussniveau „{value}“").format(value=data.ik_final_level))
    if data.obliged_on is not None and data.obligation in ("", "keine"):
        err("obligation", _("Verpflichtet am ist angegeben, aber keine verpflichtende Stelle"))
    if data.ik_final_level and data.ik_completed_on is None:
        err("ik_completed_on", _("Abschlussniveau ohne Datum des Abschlusses"))
    for name, label in (("residence_issued", _("Status seit")), ("obliged_on", _("Verpflichtet am")),
                        ("bamf_admission_on", _("Zulassung BAMF am")),
                        ("ik_completed_on", _("Integrationskurs abgeschlossen am"))):
        value = getattr(data, name)
        if value is not None and value > today:
            err(name, _("{field} liegt in der Zukunft").format(field=label))
    if data.residence_issued and data.residence_expires and data.residence_expires < data.residence_issued:
        err("residence_expires", _("Gültig bis liegt vor dem Ausstellungsdatum"))
    if data.consent_date is not None and data.consent_date > today:
        err("consent_date", _("Einwilligung liegt in der Zukunft"))
    if data.email and not _EMAIL.match(data.email):
        err("email", _("keine gültige E-Mail-Adresse"))
    if data.phone and not _PHONE.match(data.phone):
        err("phone", _("Telefonnummer enthält unzulässige Zeichen"))
    if data.school_years is not None and not 0 <= data.school_years <= 25:
        err("school_years", _("Schuljahre zwischen 0 und 25"))
    if data.childcare_children < 0 or data.childcare_children > 20:
        err("childcare_children", _("Anzahl Kinder zwischen 0 und 20"))
    return errors


def validate_contact(data: ContactData, *, today: date | None = None) -> list[FieldError]:
    today = today or date.today()
    errors: list[FieldError] = []
    if data.contact_date is None:
        errors.append(FieldError("contact_date", _("Datum fehlt")))
    elif data.contact_date > today + timedelta(days=1):
        errors.append(FieldError("contact_date", _("Kontaktdatum liegt in der Zukunft")))
    if data.channel not in vocabulary("channels"):
        errors.append(FieldError("channel", _("unbekannter Kontaktweg „{value}“").format(value=data.channel)))
    for code in data.topics:
        if code not in vocabulary("topics"):
            errors.append(FieldError("topics", _("unbekanntes Thema „{value}“").format(value=code)))
    if not data.topics:
        errors.append(FieldError("topics", _("mindestens ein Thema wählen")))
    if data.outcome and data.outcome not in vocabulary("outcomes"):
        errors.append(FieldError("outcome", _("unbekanntes Ergebnis „{value}“").format(value=data.outcome)))
    if data.duration_minutes is not None and not 0 < data.duration_minutes <= 600:
        errors.append(FieldError("duration_minutes", _("Dauer zwischen 1 und 600 Minuten")))
    if data.followup_date is not None and data.contact_date and data.followup_date < data.contact_date:
        errors.append(FieldError("followup_date", _("Wiedervorlage liegt vor dem Kontaktdatum")))
    if data.interpreter_kind and not data.interpreter_language:
        errors.append(FieldError("interpreter_language", _("Sprache der Dolmetschung fehlt")))
    return errors
