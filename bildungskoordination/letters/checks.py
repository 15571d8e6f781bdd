"""Dates that lie in the past: a letter asking someone to register by a deadline that has passed, or for a
course that has already started, is not produced without an explicit override (CLI ``--allow-past-dates``, a
confirmation in the GUI that names the dates). A referral to a course that has ended is refused earlier
(domain.course_status.is_closed in courses/referrals.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bildungskoordination.i18n import _
from bildungskoordination.letters.content import LetterData


class DatesInPast(ValueError):
    """The message names each letter's person and its past dates; ``lines`` has one entry per letter."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(_("Termine in der Vergangenheit – ein Brief dazu wird nur auf ausdrückliche Bestätigung "
                           "erstellt: {dates}").format(dates="; ".join(lines)))


def _german(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def past_dates(data: LetterData) -> list[tuple[str, date]]:
    """Registration deadline and course start of ``data`` that lie before the letter's date."""
    found = [(_("Anmeldeschluss"), data.registration_deadline), (_("Kursbeginn"), data.start)]
    return [(label, day) for label, day in found if day is not None and day < data.on]


def describe(letters: Sequence[LetterData]) -> list[str]:
    """One line per letter with past dates: "Amina Yusuf (TS-2026-0001): Anmeldeschluss 15.02.2025, …"."""
    lines = []
    for data in letters:
        past = past_dates(data)
        if past:
            dates = ", ".join(f"{label} {_german(day)}" for label, day in past)
            lines.append(f"{data.latin_name} ({data.file_number}, {data.course_number}): {dates}")
    return lines


def ensure_not_past(letters: Sequence[LetterData]) -> None:
    lines = describe(letters)
    if lines:
        raise DatesInPast(lines)
