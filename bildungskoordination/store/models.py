"""ORM tables. Only the store and the services use these; widgets see service records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_number: Mapped[str] = mapped_column(String(40), unique=True)
    family_name: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str] = mapped_column(String(200))
    name_original: Mapped[str] = mapped_column(String(400), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer)
    birth_month: Mapped[int | None] = mapped_column(Integer)
    birth_day: Mapped[int | None] = mapped_column(Integer)
    birth_date_written: Mapped[str] = mapped_column(String(20), default="")
    gender: Mapped[str] = mapped_column(String(2), default="x")
    nationalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    arrival_date: Mapped[date | None] = mapped_column(Date)
    residence_status: Mapped[str] = mapped_column(String(40), default="")
    residence_issued: Mapped[date | None] = mapped_column(Date)
    residence_expires: Mapped[date | None] = mapped_column(Date)
    # Integration-course law (migration 0007): obligation (§ 44a AufenthG, § 5b AsylbLG), BAMF admission,
    # integration course finished and its result. residence_issued is "Status seit".
    obligation: Mapped[str] = mapped_column(String(20), default="")
    obliged_on: Mapped[date | None] = mapped_column(Date)
    bamf_admission_on: Mapped[date | None] = mapped_column(Date)
    ik_completed_on: Mapped[date | None] = mapped_column(Date)
    ik_final_level: Mapped[str] = mapped_column(String(10), default="")
    # [{"code": "ar", "level": "muttersprache"}, …]
    languages: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    german_level: Mapped[str] = mapped_column(String(8), default="")
    german_level_date: Mapped[date | None] = mapped_column(Date)
    german_level_source: Mapped[str] = mapped_column(String(40), default="")
    literacy: Mapped[str] = mapped_column(String(20), default="")
    school_years: Mapped[int | None] = mapped_column(Integer)
    qualification: Mapped[str] = mapped_column(String(40), default="")
    recognition: Mapped[str] = mapped_column(String(40), default="")
    municipality: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    needs_childcare: Mapped[bool] = mapped_column(Boolean, default=False)
    childcare_children: Mapped[int] = mapped_column(Integer, default=0)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    weekdays: Mapped[list[str]] = mapped_column(JSON, default=list)
    letter_language: Mapped[str] = mapped_column(String(10), default="de")
    consent_date: Mapped[date | None] = mapped_column(Date)
    consent_scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_how: Mapped[str] = mapped_column(String(40), default="")
    # Set only by PersonService.withdraw_consent: from then on processing is restricted (Art. 18 DSGVO).
    consent_withdrawn_at: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # Derived keys for tolerant search (see domain.names); rebuilt on every save.
    search_folded: Mapped[str] = mapped_column(Text, default="")
    search_skeleton: Mapped[str] = mapped_column(Text, default="")
    sort_name: Mapped[str] = mapped_column(String(400), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Optimistic locking (migration 0011, store/versioning.py): every ORM update checks and bumps it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )

    # AUTOINCREMENT: plain INTEGER PRIMARY KEY hands out max(id)+1, so after erasing the newest person the
    # next one would get the erased id – and the erasure ledger (and its sidecar file) would then point at an
    # innocent person. With AUTOINCREMENT SQLite never reuses an id (sqlite_sequence keeps the highest).
    __table_args__ = (Index("ix_person_birth", "birth_year", "birth_month", "birth_day"),
                      # Covering index for the search as you type by LIKE scan (until migration 0004 brought the
                      # FTS5 index, see people/search.py); now it serves only the list order by name, which
                      # ix_person_sort_name serves as well – a candidate to drop.
                      Index("ix_person_search", "sort_name", "id", "search_folded", "search_skeleton",
                            "file_number"),
                      # The few people whose processing is restricted (migration 0013): counts of follow-ups
                      # leave them out without reading any person row.
                      # (On PostgreSQL the migration makes it partial too; a postgresql_where here would load
                      # SQLAlchemy's PostgreSQL dialect and asyncio into every start, ≈ 0.1 s.)
                      Index("ix_person_restricted", "id", sqlite_where=text("consent_withdrawn_at IS NOT NULL")),
                      {"sqlite_autoincrement": True})
    __mapper_args__ = {"version_id_col": version}


class PersonStatus(Base):
    """The history of a person's residence statuses with the date each was issued (migration 0007)."""

    __tablename__ = "person_status"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(40))
    since: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class PersonAlias(Base):
    """A file number of a person file merged into this one (issue 11): still finds the person; the merged
    file's id, so an erasure of this person also erases that id again after a restored backup."""

    __tablename__ = "person_alias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    file_number: Mapped[str] = mapped_column(String(40), unique=True)
    merged_person_id: Mapped[int] = mapped_column(Integer)
    merged_at: Mapped[datetime] = mapped_column(DateTime)


class Contact(Base):
    """Beratungskontakt."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    contact_date: Mapped[date] = mapped_column(Date, index=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20), default="persoenlich")
    place: Mapped[str] = mapped_column(String(200), default="")
    interpreter_language: Mapped[str] = mapped_column(String(10), default="")
    interpreter_kind: Mapped[str] = mapped_column(String(20), default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(40), default="")
    next_step: Mapped[str] = mapped_column(String(400), default="")
    followup_date: Mapped[date | None] = mapped_column(Date)
    followup_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # The coordinator the follow-up belongs to (migration 0011): who created it or was assigned it – the OS
    # user on SQLite, the database role on PostgreSQL (store/identity.py). "" = nobody (older entries).
    owner: Mapped[str] = mapped_column(String(100), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    person: Mapped[Person] = relationship(back_populates="contacts")
    __mapper_args__ = {"version_id_col": version}

    # Due follow-ups and their count (with person_id the count never reads a table row; migration 0013).
    __table_args__ = (Index("ix_contact_due", "followup_done", "followup_date", "person_id"),
                      # A person's next open follow-up (person list column) is the first entry here.
                      Index("ix_contact_person_followup", "person_id", "followup_done", "followup_date"))


class AuditEvent(Base):
    """Protokoll: who did what to which record, when. Field NAMES only – never values or note texts."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    os_user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    # No foreign key on purpose: the entries about a person must survive the person's erasure.
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    detail: Mapped[str] = mapped_column(String(200), default="")


class ErasureLedger(Base):
    """What is left of an erased person: the id and when (so a restored backup can be erased again)."""

    __tablename__ = "erasure_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, unique=True)
    erased_at: Mapped[datetime] = mapped_column(DateTime)


class AppSetting(Base):
    """Settings the coordinator changes in the app (retention periods, …); defaults live in resources/."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


class PersonVersion(Base):
    """One row whose stamp SQL triggers on ``person`` set to a new random value on every insert, update and
    delete (migration 0004): the person list's order cached by the search (people/search.py) is current while
    the stamp is unchanged."""

    __tablename__ = "person_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[int] = mapped_column(Integer)


class ChangeLog(Base):
    """The change feed (migration 0011, store/change_feed.py): one row per "what changed" of a committed unit
    of work, written in that unit of work; other users' apps poll for rows after the last one they saw. Ids
    only, never values; old rows are pruned."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    origin: Mapped[str] = mapped_column(String(32))  # the writing Store's token: its own rows are skipped
    entity: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    person_ids: Mapped[list[int]] = mapped_column(JSON, default=list)

    __table_args__ = ({"sqlite_autoincrement": True},)


class Provider(Base):
    """Kursträger."""

    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Course(Base):
    """Kurs eines Trägers; free places are computed by courses/service.py from ``free_places`` (the provider's
    figure as of ``free_places_as_of``) and the referrals that became active since."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    course_number: Mapped[str] = mapped_column(String(60), index=True)
    course_type: Mapped[str] = mapped_column(String(40), index=True)
    entry_level: Mapped[str] = mapped_column(String(8), default="keine")
    target_level: Mapped[str] = mapped_column(String(8), default="")
    start: Mapped[date | None] = mapped_column(Date, index=True)
    end: Mapped[date | None] = mapped_column(Date)
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    teaching_units: Mapped[int | None] = mapped_column(Integer)
    days: Mapped[list[str]] = mapped_column(JSON, default=list)
    time_from: Mapped[str] = mapped_column(String(5), default="")
    time_to: Mapped[str] = mapped_column(String(5), default="")
    mode: Mapped[str] = mapped_column(String(20), default="praesenz")
    municipality: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    childcare: Mapped[bool] = mapped_column(Boolean, default=False)
    places: Mapped[int] = mapped_column(Integer, default=0)
    free_places: Mapped[int | None] = mapped_column(Integer)
    free_places_as_of: Mapped[datetime | None] = mapped_column(DateTime)
    target_group: Mapped[str] = mapped_column(Text, default="")
    costs_note: Mapped[str] = mapped_column(String(400), default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="geplant")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (UniqueConstraint("provider_id", "course_number", name="uq_course_provider_number"),)
    __mapper_args__ = {"version_id_col": version}


class Referral(Base):
    """Vermittlung: a person referred to a course; the history of its status is in ReferralEvent."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    waiting_position: Mapped[int | None] = mapped_column(Integer)
    # When the referral last entered a status that takes a place (angemeldet, begonnen); None otherwise.
    active_since: Mapped[datetime | None] = mapped_column(DateTime)
    # Why the person was referred although the matching marked the course unsuitable (✗); "" otherwise.
    unsuitable_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class ReferralEvent(Base):
    """One status change of a referral, with the day it happened and an optional reason."""

    __tablename__ = "referral_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    os_user: Mapped[str] = mapped_column(String(100), default="", server_default="")  # who made the change
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LetterText(Base):
    """A letter text the coordinator replaced in the app (letters/): ``key`` is the text's msgid in the
    letter catalog, ``language`` a CLDR code; without a row the catalog's text is used."""

    __tablename__ = "letter_text"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("language", "key", name="uq_letter_text_language_key"),)


class ExportLog(Base):
    """One anonymised-counts export (monitoring/): when, which period and tables, with which k and category
    merges, and which cells were suppressed – never the counts themselves. Lets a new export be checked for
    differencing against earlier ones."""

    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    tables: Mapped[list[str]] = mapped_column(JSON, default=list)
    k: Mapped[int] = mapped_column(Integer)
    file_format: Mapped[str] = mapped_column(String(10))
    # Category merges and other options, plus the keys of suppressed cells (no values).
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


# Not mapped: the full-text index of the person search (migration 0004), an FTS5 virtual table with shadow
# tables PERSON_FTS + "_data", "_idx", "_docsize", "_config", filled and kept current by SQL triggers on
# ``person``. SQLAlchemy's metadata cannot describe virtual tables; compare against the migrations without them
# (tests/core/test_store.py).
PERSON_FTS = "person_fts"


def is_person_fts_table(name: str) -> bool:
    return name == PERSON_FTS or name.startswith(PERSON_FTS + "_")
