"""German names of the stored fields and the vocabulary behind each coded field – for the Art. 15 export
and the log view, which both must say in words what a field is and what a code means."""

from __future__ import annotations

from typing import Any

from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import N_, _

PERSON_FIELDS = {
    "file_number": N_("Aktenzeichen"), "family_name": N_("Familienname"), "given_name": N_("Vorname"),
    "name_original": N_("Name in Originalschrift"), "birth": N_("Geburtsdatum"), "gender": N_("Geschlecht"),
    "nationalities": N_("Staatsangehörigkeit"), "arrival_date": N_("Einreise nach Deutschland"),
    "residence_status": N_("Aufenthaltsstatus"), "residence_issued": N_("Status seit (Titel erteilt am)"),
    "residence_expires": N_("Aufenthaltstitel gültig bis"), "obligation": N_("Verpflichtung zum Integrationskurs"),
    "obliged_on": N_("verpflichtet am"), "bamf_admission_on": N_("Zulassung BAMF am"),
    "ik_completed_on": N_("Integrationskurs abgeschlossen am"), "ik_final_level": N_("Abschlussniveau"),
    "status_history": N_("Verlauf des Aufenthaltsstatus"), "languages": N_("gesprochene Sprachen"),
    "german_level": N_("Deutschniveau"), "german_level_date": N_("Deutschniveau festgestellt am"),
    "german_level_source": N_("Deutschniveau laut"), "literacy": N_("Alphabetisierung"),
    "school_years": N_("Schulbesuch (Jahre)"), "qualification": N_("höchster Abschluss"),
    "recognition": N_("Anerkennung"), "municipality": N_("Wohnort"), "address": N_("Anschrift"),
    "phone": N_("Telefon"), "email": N_("E-Mail"), "needs_childcare": N_("braucht Kinderbetreuung"),
    "childcare_children": N_("Kinder in Betreuung"), "availability": N_("verfügbar"),
    "weekdays": N_("an Tagen"), "letter_language": N_("Briefsprache"), "consent_date": N_("Einwilligung am"),
    "consent_scope": N_("Umfang der Einwilligung"), "consent_how": N_("Einwilligung erteilt"),
    "consent_withdrawn_at": N_("Einwilligung widerrufen am"), "note": N_("Notiz"),
}

CONTACT_FIELDS = {
    "contact_date": N_("Datum"), "duration_minutes": N_("Dauer (Minuten)"), "channel": N_("Kontaktweg"),
    "place": N_("Ort"), "interpreter_language": N_("Sprache der Dolmetschung"),
    "interpreter_kind": N_("Art der Dolmetschung"), "topics": N_("Themen"), "note": N_("Notiz"),
    "outcome": N_("Ergebnis"), "next_step": N_("Nächster Schritt"), "followup_date": N_("Wiedervorlage"),
    "followup_done": N_("Wiedervorlage erledigt"),
}

# What an audit entry is about (AuditEvent.entity).
ENTITY_LABELS = {
    "person": N_("Person"), "contact": N_("Beratungskontakt"), "setting": N_("Einstellung"),
    "database": N_("Datenbank"), "audit": N_("Protokoll"),
}

# Field → vocabulary whose labels explain its codes.
PERSON_VOCABULARIES = {
    "gender": "gender", "nationalities": "countries", "residence_status": "residence_status",
    "obligation": "obligation", "ik_final_level": "ik_final_level",
    "german_level": "german_level", "german_level_source": "level_source", "literacy": "literacy",
    "qualification": "qualification", "recognition": "recognition", "availability": "availability",
    "weekdays": "weekday", "letter_language": "languages", "consent_scope": "consent_scope",
    "consent_how": "consent_how",
}
CONTACT_VOCABULARIES = {
    "channel": "channels", "topics": "topics", "outcome": "outcomes", "interpreter_language": "languages",
    "interpreter_kind": "interpreter_kind",
}


def field_label(name: str) -> str:
    return _(PERSON_FIELDS.get(name) or CONTACT_FIELDS.get(name) or name)


def code_label(vocab: str, code: str) -> str:
    try:
        return vocabulary(vocab).label(code, "de")
    except KeyError:  # a vocabulary a later version renamed: the code is still better than nothing
        return code


def plain_text_of(vocab: str | None, value: Any) -> str | list[str] | None:
    """The words for a coded value (one code or a list of codes); None when the field is not coded."""
    if vocab is None or value in (None, "", []):
        return None
    if isinstance(value, list):
        return [code_label(vocab, str(v)) for v in value]
    return code_label(vocab, str(value))


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity
