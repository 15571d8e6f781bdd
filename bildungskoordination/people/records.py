"""Plain records that cross the service boundary (no ORM objects leave a unit of work)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bildungskoordination.domain.dates import PartialDate


@dataclass(slots=True)
class LanguageSkill:
    code: str
    level: str = ""


@dataclass(slots=True)
class PersonData:
    family_name: str = ""
    given_name: str = ""
    file_number: str = ""  # empty: the service assigns the next one
    name_original: str = ""
    birth: PartialDate | None = None
    gender: str = "x"
    nationalities: list[str] = field(default_factory=list)
    arrival_date: date | None = None
    residence_status: str = ""
    residence_issued: date | None = None
    residence_expires: date | None = None
    # What the integration-course law asks (§§ 44, 44a AufenthG, § 5b AsylbLG, DeuFöV); codes from
    # person_fields.toml (obligation, ik_final_level). residence_issued is "Status seit".
    obligation: str = ""  # "", "keine", "auslaenderbehoerde", "jobcenter", "sozialamt"
    obliged_on: date | None = None
    bamf_admission_on: date | None = None  # "Zulassung BAMF am": admission or certificate of entitlement
    ik_completed_on: date | None = None
    ik_final_level: str = ""  # "", "unter_a2", "A2", "B1"
    languages: list[LanguageSkill] = field(default_factory=list)
    german_level: str = ""
    german_level_date: date | None = None
    german_level_source: str = ""
    literacy: str = ""
    school_years: int | None = None
    qualification: str = ""
    recognition: str = ""
    municipality: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    needs_childcare: bool = False
    childcare_children: int = 0
    availability: list[str] = field(default_factory=list)
    weekdays: list[str] = field(default_factory=list)
    letter_language: str = "de"
    consent_date: date | None = None
    consent_scope: list[str] = field(default_factory=list)
    consent_how: str = ""
    note: str = ""
    # Read-only here: only PersonService.withdraw_consent / renew_consent change it (update ignores it).
    consent_withdrawn_at: date | None = None

    @property
    def has_consent(self) -> bool:
        return self.consent_date is not None and self.consent_withdrawn_at is None

    @property
    def is_restricted(self) -> bool:
        """Consent withdrawn: the record is only stored, not processed (Art. 18 DSGVO)."""
        return self.consent_withdrawn_at is not None


@dataclass(frozen=True)
class PersonRow:
    """One line of the person list."""

    id: int
    file_number: str
    family_name: str
    given_name: str
    name_original: str
    birth_date_written: str
    birth_sort: str
    municipality: str
    german_level: str
    has_consent: bool
    next_followup: date | None = None
    consent_withdrawn_at: date | None = None

    @property
    def is_restricted(self) -> bool:
        return self.consent_withdrawn_at is not None


@dataclass
class ContactData:
    contact_date: date = field(default_factory=date.today)
    duration_minutes: int | None = None
    channel: str = "persoenlich"
    place: str = ""
    interpreter_language: str = ""
    interpreter_kind: str = ""
    topics: list[str] = field(default_factory=list)
    note: str = ""
    outcome: str = ""
    next_step: str = ""
    followup_date: date | None = None
    followup_done: bool = False


@dataclass(frozen=True)
class ContactRow:
    id: int
    person_id: int
    data: ContactData
    version: int = 0  # pass to ContactService.update (optimistic locking)
    owner: str = ""  # the coordinator the follow-up belongs to


@dataclass(frozen=True)
class FollowUpState:
    """A follow-up's "done" mark as it was before a change: what undoing the change puts back."""

    contact_id: int
    done: bool
    updated_at: datetime


@dataclass(frozen=True)
class FollowUpRow:
    contact_id: int
    person_id: int
    file_number: str
    person_name: str
    followup_date: date
    topics: tuple[str, ...]
    next_step: str
    contact_date: date
    owner: str = ""
