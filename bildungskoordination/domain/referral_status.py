"""Referral statuses and their allowed moves: the one owner (resources/courses/referral_statuses.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bildungskoordination import i18n
from bildungskoordination.resources import load_toml


@dataclass(frozen=True)
class ReferralStatus:
    code: str
    label: str
    label_en: str
    open: bool
    takes_place: bool
    next: tuple[str, ...]

    def display(self, language: str | None = None) -> str:
        lang = language or i18n.current_language()
        return self.label_en if lang == "en" and self.label_en else self.label


@cache
def referral_statuses() -> dict[str, ReferralStatus]:
    """resources/courses/referral_statuses.toml, in lifecycle order."""
    return {
        s["code"]: ReferralStatus(s["code"], s["label"], s.get("label_en", ""), bool(s["open"]),
                                  bool(s["takes_place"]), tuple(s.get("next", ())))
        for s in load_toml("courses", "referral_statuses.toml")["status"]
    }


def status_label(code: str) -> str:
    status = referral_statuses().get(code)
    return status.display() if status else code


INITIAL_STATUS = "vorgeschlagen"


def active_statuses() -> tuple[str, ...]:
    """Statuses that take a place in the course."""
    return tuple(c for c, s in referral_statuses().items() if s.takes_place)


def open_statuses() -> tuple[str, ...]:
    return tuple(c for c, s in referral_statuses().items() if s.open)
