"""Issuing file numbers (Aktenzeichen) PREFIX-YEAR-NNNN, above every number of this year ever issued.

The prefix comes from resources/vocabularies/district.toml. The highest issued number is also kept as a
setting, so erasing the newest person never hands their file number – which may stand on paper files and
letters – to somebody else.

One ``FileNumbers`` per transaction: it looks at the stored numbers once and counts on from there. (Looking
them up again for every new person made an import of n people without numbers take n² steps.)
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bildungskoordination.domain.vocab import district
from bildungskoordination.store.models import AppSetting, Person


class FileNumbers:
    def __init__(self, session: Session, today: date | None = None) -> None:
        self._session = session
        self.prefix = f"{district().get('file_number_prefix', 'BK')}-{(today or date.today()).year}-"
        self._pattern = re.compile(re.escape(self.prefix) + r"(\d+)")
        self._highest: int | None = None  # looked up at the first number issued
        self._setting: AppSetting | None = None
        self._issued: int | None = None

    def note(self, number: str) -> None:
        """A number written in this transaction by hand (e.g. from an imported file): never issue it."""
        m = self._pattern.fullmatch(number)
        if m:
            self._highest = max(self._current(), int(m.group(1)))

    def next(self) -> str:
        """The next number; ``save()`` records it as issued (once, after all numbers of the transaction)."""
        number = self._current() + 1
        self._highest = self._issued = number
        return f"{self.prefix}{number:04d}"

    def save(self) -> None:
        if self._issued is None:
            return
        if self._setting is None:
            self._setting = AppSetting(key=self._key, value=self._issued)
            self._session.add(self._setting)
        else:
            self._setting.value = self._issued

    @property
    def _key(self) -> str:
        return f"file_number_issued:{self.prefix}"

    def _current(self) -> int:
        if self._highest is None:
            highest = 0
            numbers = self._session.scalars(select(Person.file_number).where(Person.file_number.like(f"{self.prefix}%")))
            for number in numbers:
                m = self._pattern.fullmatch(number)
                if m:
                    highest = max(highest, int(m.group(1)))
            self._setting = self._session.get(AppSetting, self._key)
            value = self._setting.value if self._setting is not None else None
            self._highest = max(highest, value if isinstance(value, int) else 0)
        return self._highest


def next_file_number(session: Session, today: date | None = None) -> str:
    """The next free number, for a single new person."""
    numbers = FileNumbers(session, today)
    number = numbers.next()
    numbers.save()
    return number
