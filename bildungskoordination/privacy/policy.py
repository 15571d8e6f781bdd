"""Retention periods as data (resources/privacy/retention.toml), overridable by settings.

Kept apart from the services so that the audit log, the settings and the retention service can all read
the defaults without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from bildungskoordination.i18n import N_, current_language, ngettext
from bildungskoordination.resources import load_toml

BASIS_ACTIVITY = "aktivitaet"
BASIS_WITHDRAWAL = "widerruf"

# Setting keys (table app_setting); a setting, when present, wins over the resource default.
AUDIT_KEEP_DAYS = "audit.keep_days"


def retention_key(rule_id: str, unit: str) -> str:
    """``retention.inaktiv.years`` / ``retention.inaktiv.days``."""
    return f"retention.{rule_id}.{unit}"


@dataclass(frozen=True)
class RetentionRule:
    id: str
    basis: str
    years: int
    days: int
    description_template: str

    def due(self, start: date) -> date:
        return add_years(start, self.years) + timedelta(days=self.days)

    @property
    def period(self) -> str:
        """'3 Jahre', '30 Tage', '1 Jahr und 30 Tage'."""
        return period_text(self.years, self.days)

    @property
    def description(self) -> str:
        return self.description_template.replace("{frist}", self.period)


def period_text(years: int, days: int) -> str:
    parts = []
    if years:
        parts.append(ngettext("{n} Jahr", "{n} Jahre", years).format(n=years))
    if days or not years:
        parts.append(ngettext("{n} Tag", "{n} Tage", days).format(n=days))
    return " + ".join(parts)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def _config() -> dict[str, Any]:
    return load_toml("privacy", "retention.toml")


def _described(entry: dict[str, Any]) -> str:
    """``description`` of a retention entry, or its ``description_en`` in the English UI."""
    return str(entry.get(f"description_{current_language()}") or entry.get("description", ""))


def default_rules() -> list[RetentionRule]:
    return [
        RetentionRule(id=str(r["id"]), basis=str(r.get("basis", BASIS_ACTIVITY)), years=int(r.get("years", 0)),
                      days=int(r.get("days", 0)), description_template=_described(r))
        for r in _config().get("rule", [])
    ]


def with_overrides(rule: RetentionRule, years: int | None, days: int | None) -> RetentionRule:
    return replace(rule, years=rule.years if years is None else years, days=rule.days if days is None else days)


def default_audit_keep_days() -> int:
    return int(_config().get("audit", {}).get("keep_days", 730))


def audit_description(keep_days: int) -> str:
    template = _described(_config().get("audit", {})) or "{frist}"
    return template.replace("{frist}", period_text(0, keep_days))


# Why a person was erased; the audit entry stores the German label, never free text (which could name
# the person). A proposal of the retention rule ``id`` uses the reason ``RULE_REASONS[id]``.
ERASURE_REASONS = {
    "frist": N_("Löschfrist abgelaufen"),
    "antrag": N_("Antrag der Person auf Löschung (Art. 17 DSGVO)"),
    "widerruf": N_("Einwilligung widerrufen"),
    "zweck": N_("Zweck erfüllt, Beratung abgeschlossen"),
    "irrtum": N_("irrtümlich angelegt"),
    "wiederholt": N_("Löschung nach Wiederherstellung einer Sicherung wiederholt"),
}
RULE_REASONS = {"inaktiv": "frist", "widerruf": "widerruf"}
