"""Löschvorschläge: who is due for erasure under the retention rules, and why (in plain German).

Nothing is erased here; the coordinator confirms each proposal and ``ErasureService.erase`` does it.
A person's last activity is the latest of: creation, last change of the record, and the newest date each
registered *activity source* reports (contacts now). Later modules add their own source with
``register_activity_source`` – e.g. referrals (Vermittlungen) register
``select(Referral.person_id, func.max(Referral.referred_on)).group_by(Referral.person_id)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bildungskoordination.domain.errors import FieldError, ValidationError
from bildungskoordination.i18n import _
from bildungskoordination.privacy.policy import (
    BASIS_WITHDRAWAL,
    RULE_REASONS,
    RetentionRule,
    default_rules,
    retention_key,
    with_overrides,
)
from bildungskoordination.privacy.settings import SettingsService
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import Contact, Person

# A source of activity dates: a query returning rows (person_id, latest date) – one per person.
ActivitySource = Callable[[], Select]
_ACTIVITY_SOURCES: dict[str, ActivitySource] = {}


def register_activity_source(name: str, source: ActivitySource) -> None:
    """Hook for later tables that count as activity (referrals, letters, …); registering twice replaces."""
    _ACTIVITY_SOURCES[name] = source


def _latest_contacts() -> Select:
    return select(Contact.person_id, func.max(Contact.contact_date)).group_by(Contact.person_id)


register_activity_source("contacts", _latest_contacts)
# HOOK referrals: register_activity_source("referrals", …) in the referrals module (see module docstring).


@dataclass(frozen=True)
class ErasureProposal:
    person_id: int
    file_number: str
    name: str  # "Familienname, Vorname" for the list the coordinator confirms; never logged
    rule_id: str
    erasure_reason: str  # a key of policy.ERASURE_REASONS, to hand to ErasureService.erase
    reason: str  # plain German: why, since when
    last_activity: date
    due: date


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


class RetentionService:
    def __init__(self, store: Store, settings: SettingsService) -> None:
        self.store = store
        self.settings = settings

    # --- rules --------------------------------------------------------------------------------------
    def rules(self) -> list[RetentionRule]:
        """The rules in force: resources/privacy/retention.toml with the coordinator's settings applied."""
        result = []
        for rule in default_rules():
            years = self.settings.get(retention_key(rule.id, "years"))
            days = self.settings.get(retention_key(rule.id, "days"))
            result.append(with_overrides(rule, years if isinstance(years, int) else None,
                                         days if isinstance(days, int) else None))
        return result

    def rule(self, rule_id: str) -> RetentionRule:
        for rule in self.rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def set_period(self, rule_id: str, *, years: int, days: int = 0) -> None:
        """The coordinator's own period for a rule (overrides the resource default)."""
        self.rule(rule_id)  # KeyError for an unknown rule
        if years < 0 or days < 0 or years * 366 + days < 1:
            raise ValidationError([FieldError("retention", _("Die Frist muss mindestens einen Tag betragen"))])
        self.settings.set(retention_key(rule_id, "years"), years)
        self.settings.set(retention_key(rule_id, "days"), days)

    def reset_period(self, rule_id: str) -> None:
        self.settings.reset(retention_key(rule_id, "years"))
        self.settings.reset(retention_key(rule_id, "days"))

    # --- proposals ----------------------------------------------------------------------------------
    def last_activity(self, person_id: int) -> date | None:
        with self.store.read() as s:
            return _last_activities(s, person_id).get(person_id)

    def proposals(self, today: date | None = None) -> list[ErasureProposal]:
        """Everyone whose period has run out on ``today``, earliest due first; one proposal per person
        (the rule that fell due first)."""
        today = today or date.today()
        rules = self.rules()
        with self.store.read() as s:  # one transaction: the people and their activity agree
            activity = _last_activities(s)
            people = s.execute(select(Person.id, Person.file_number, Person.family_name, Person.given_name,
                                      Person.consent_withdrawn_at, Person.sort_name)).all()
        found: list[tuple[date, str, ErasureProposal]] = []
        for p in people:
            last = activity[p.id]
            best: ErasureProposal | None = None
            for rule in rules:
                start = p.consent_withdrawn_at if rule.basis == BASIS_WITHDRAWAL else last
                if start is None or rule.due(start) > today:
                    continue
                due = rule.due(start)
                if best is None or due < best.due:
                    best = ErasureProposal(
                        person_id=p.id, file_number=p.file_number, name=f"{p.family_name}, {p.given_name}",
                        rule_id=rule.id, erasure_reason=RULE_REASONS.get(rule.id, "frist"),
                        reason=self._reason(rule, start, due), last_activity=last, due=due)
            if best is not None:
                found.append((best.due, p.sort_name, best))
        found.sort(key=lambda t: (t[0], t[1]))
        return [t[2] for t in found]

    @staticmethod
    def _reason(rule: RetentionRule, start: date, due: date) -> str:
        if rule.basis == BASIS_WITHDRAWAL:
            return _("Einwilligung am {date} widerrufen; Frist ({period}) abgelaufen am {due}").format(
                date=_fmt(start), period=rule.period, due=_fmt(due))
        return _("Letzte Aktivität (Kontakt, Änderung oder Anlage) am {date}; Frist ({period}) abgelaufen "
                 "am {due}").format(date=_fmt(start), period=rule.period, due=_fmt(due))


def _last_activities(session: Session, person_id: int | None = None) -> dict[int, date]:
    """person id → latest of created, updated and every activity source."""
    query = select(Person.id, Person.created_at, Person.updated_at)
    if person_id is not None:
        query = query.where(Person.id == person_id)
    latest = {r.id: max(r.created_at, r.updated_at).date() for r in session.execute(query)}
    for source in _ACTIVITY_SOURCES.values():
        sub = source().subquery()
        pid_col, day_col = list(sub.c)[:2]
        rows = select(pid_col, day_col)
        if person_id is not None:
            rows = rows.where(pid_col == person_id)
        for pid, day in session.execute(rows):
            if pid in latest and day is not None:
                day = day.date() if isinstance(day, datetime) else day
                latest[pid] = max(latest[pid], day)
    return latest
