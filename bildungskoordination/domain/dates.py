"""Dates as people write them: partial birth dates ('00.00.1988', '05.1997', '1999') and German formats."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bildungskoordination.i18n import _


class DateParseError(ValueError):
    pass


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    written: str = ""

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise DateParseError(_("Tag ohne Monat"))

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def display(self) -> str:
        if self.written:
            return self.written
        if self.day and self.month:
            return f"{self.day:02d}.{self.month:02d}.{self.year}"
        if self.month:
            return f"{self.month:02d}.{self.year}"
        return str(self.year)

    def iso(self) -> str:
        """Sortable ISO-like form: '1988', '1997-05', '1994-03-14'."""
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def age_on(self, when: date) -> int:
        """Age in completed years; with an unknown day or month the earliest possible birthday is used."""
        born = self.earliest
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MY = re.compile(r"^(\d{1,2})\.(\d{4})$")
_Y = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_MIN_YEAR = 1900


def parse_partial_date(text: str, *, today: date | None = None) -> PartialDate:
    """Parse a (possibly partial) date; zeros or missing parts mean 'unknown'. Raises DateParseError."""
    written = " ".join((text or "").split())
    if not written:
        raise DateParseError(_("Datum fehlt"))
    day = month = None
    if m := _DMY.match(written):
        day, month, year = (int(g) for g in m.groups())
    elif m := _MY.match(written):
        month, year = int(m.group(1)), int(m.group(2))
    elif m := _Y.match(written):
        year = int(m.group(1))
    elif m := _ISO.match(written):
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
    else:
        raise DateParseError(_("„{text}“ ist kein Datum (TT.MM.JJJJ, MM.JJJJ oder JJJJ)").format(text=written))
    day = day or None
    month = month or None
    if day and not month:
        raise DateParseError(_("„{text}“: Tag ohne Monat").format(text=written))
    if month is not None and not 1 <= month <= 12:
        raise DateParseError(_("„{text}“: Monat {month} gibt es nicht").format(text=written, month=month))
    if year < _MIN_YEAR:
        raise DateParseError(_("„{text}“: Jahr vor {year}").format(text=written, year=_MIN_YEAR))
    if day is not None:
        try:
            date(year, month or 1, day)
        except ValueError:
            raise DateParseError(_("„{text}“: diesen Tag gibt es nicht").format(text=written)) from None
    result = PartialDate(year, month, day, written)
    if result.earliest > (today or date.today()):
        raise DateParseError(_("„{text}“ liegt in der Zukunft").format(text=written))
    return result


def parse_date(text: str) -> date:
    """A complete date: 'TT.MM.JJJJ' (also 'T.M.JJJJ', 'TT.MM.JJ') or ISO 'JJJJ-MM-TT'."""
    s = (text or "").strip()
    if not s:
        raise DateParseError(_("Datum fehlt"))
    m = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$", s)
    try:
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if y < 100:
                y += 2000 if y <= (date.today().year % 100) + 1 else 1900
            return date(y, mo, d)
        if re.match(r"^\d{4}-\d{2}-\d{2}$", s):
            return date.fromisoformat(s)
    except ValueError:
        raise DateParseError(_("„{text}“: dieses Datum gibt es nicht").format(text=s)) from None
    raise DateParseError(_("„{text}“ ist kein Datum (TT.MM.JJJJ)").format(text=s))


def format_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
