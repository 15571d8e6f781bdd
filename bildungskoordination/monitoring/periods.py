"""Report periods: month, quarter, half-year, year or a free range, with their labels in the UI language."""

from __future__ import annotations

import calendar
from datetime import date

from bildungskoordination.i18n import N_, _
from bildungskoordination.monitoring.model import Period

MONTHS_DE = (N_("Januar"), N_("Februar"), N_("März"), N_("April"), N_("Mai"), N_("Juni"), N_("Juli"), N_("August"),
             N_("September"), N_("Oktober"), N_("November"), N_("Dezember"))


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), str(y))


def half_year(y: int, half: int) -> Period:
    if half not in (1, 2):
        raise ValueError(f"Halbjahr {half}: erlaubt sind 1 und 2")
    start = date(y, 1 if half == 1 else 7, 1)
    end = date(y, 6, 30) if half == 1 else date(y, 12, 31)
    return Period(start, end, _("{half}. Halbjahr {year}").format(half=half, year=y))


def quarter(y: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise ValueError(f"Quartal {q}: erlaubt sind 1 bis 4")
    first = 3 * (q - 1) + 1
    last = date(y, first + 2, calendar.monthrange(y, first + 2)[1])
    return Period(date(y, first, 1), last, _("{quarter}. Quartal {year}").format(quarter=q, year=y))


def month(y: int, m: int) -> Period:
    if not 1 <= m <= 12:
        raise ValueError(f"Monat {m}: erlaubt sind 1 bis 12")
    return Period(date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), f"{_(MONTHS_DE[m - 1])} {y}")


def free_range(start: date, end: date) -> Period:
    """A free range; a range that is exactly a year, half-year, quarter or month gets that label."""
    if end < start:
        raise ValueError(f"Zeitraum: das Ende ({end:%d.%m.%Y}) liegt vor dem Beginn ({start:%d.%m.%Y})")
    for candidate in _named_periods(start.year):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start, end, f"{start:%d.%m.%Y} – {end:%d.%m.%Y}")


def _named_periods(y: int) -> list[Period]:
    return ([year(y)] + [half_year(y, h) for h in (1, 2)] + [quarter(y, q) for q in (1, 2, 3, 4)]
            + [month(y, m) for m in range(1, 13)])
