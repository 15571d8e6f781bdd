"""What one letter says: the facts of a referral (LetterData) and its texts in German and one other language,
with placeholders filled and dates, weekdays and numbers formatted for each language (Babel/CLDR)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date, get_day_names

from bildungskoordination.domain.names import clean_text
from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.protect import protect

_WEEKDAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
_LRE, _PDF = "\u202a", "\u202c"
NBSP = "\u00a0"
_HOURS_WORD = re.compile(r"\b(Mo|Di|Mi|Do|Fr|Sa|So|und|geschlossen|Uhr)\b")


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


@dataclass(frozen=True)
class Letterhead:
    office: str = ""
    department: str = ""
    street: str = ""
    postcode_city: str = ""
    phone: str = ""
    email: str = ""
    office_hours: str = ""
    coordinator: str = ""
    logo: str = ""

    def return_address(self) -> str:
        return " · ".join(part for part in (self.office, self.street, self.postcode_city) if part)


@dataclass(frozen=True)
class LetterData:
    """Everything a letter prints; read in one transaction by the LetterService. No other personal data."""
    referral_id: int
    file_number: str
    family_name: str
    given_name: str
    name_original: str
    address: str
    municipality: str
    course_type: str
    course_number: str
    provider: str
    provider_address: str
    course_address: str
    start: date | None
    end: date | None
    registration_deadline: date | None
    days: tuple[str, ...]
    time_from: str
    time_to: str
    entry_level: str
    target_level: str
    mode: str
    childcare: bool
    provider_contact: str
    provider_phone: str
    provider_email: str
    letterhead: Letterhead = field(default_factory=Letterhead)
    on: date = field(default_factory=date.today)

    @property
    def latin_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class LetterTexts:
    """The texts of one language: the catalog, with the coordinator's replacements on top."""

    def __init__(self, language: str, overrides: dict[str, str] | None = None, *,
                 withdrawn: frozenset[str] = frozenset()) -> None:
        """``withdrawn``: keys with no text in this language (a translation of a German text since replaced)."""
        self.language = language
        texts = {**catalog.catalog_texts(language), **(overrides or {})}
        self._texts = {key: text for key, text in texts.items() if key not in withdrawn}

    def has(self, key: str) -> bool:
        return key in self._texts

    def get(self, key: str, **values: object) -> str:
        """The text for ``key`` with placeholders filled; "" when this language has no text for it."""
        text = self._texts.get(key, "")
        if not text:
            return ""
        rtl = self.language in catalog.RTL_LANGUAGES
        cleaned = {k: clean_text(str(v), multiline=True) for k, v in values.items()}
        if rtl:  # a left-to-right value (a name, a phone number) inside Arabic keeps its own order
            cleaned = {k: v if not v or _has_rtl(v) else f"{_LRE}{protect(v, False)}{_PDF}"
                       for k, v in cleaned.items()}
        for key, value in cleaned.items():  # "… 15 лютого 2027 р." ends the sentence itself: no second "."
            if value.rstrip(_PDF).endswith("."):
                text = text.replace(f"{{{key}}}.", f"{{{key}}}")
        try:
            text = text.format(**cleaned)
        except (KeyError, IndexError, ValueError):
            pass  # a replacement text checked before saving cannot get here; print rather than fail
        # Phone numbers, e-mail addresses, dates … in the text itself (also a replaced one) never wrap and, in
        # right-to-left text, keep their order.
        return protect(text, rtl)

    def date(self, day: date | None) -> str:
        if day is None:
            return ""
        if self.language == "de":
            text = f"{day.day}. {format_date(day, 'MMMM yyyy', locale='de')}"
        else:
            text = format_date(day, "long", locale=_babel_locale(self.language))
        return text.replace(" ", NBSP)  # a date never wraps

    def office_hours(self, hours: str) -> str:
        """The letterhead's office hours (German, "Mo 8:30–12:00 Uhr, Mi geschlossen") in this language: weekday
        abbreviations from CLDR, "und" and "geschlossen" from the catalog (hours_and, hours_closed), "Uhr"
        left out (the times say it). Words it does not know stay as written."""
        if self.language == "de" or not hours:
            return hours
        days = get_day_names("abbreviated", locale=_babel_locale(self.language))
        words = {code.capitalize(): days[i] for i, code in enumerate(_WEEKDAYS)}
        words |= {"und": self.get("hours_and") or "und", "geschlossen": self.get("hours_closed") or "geschlossen",
                  "Uhr": ""}
        out = " ".join(_HOURS_WORD.sub(lambda m: words.get(m.group(0), m.group(0)), hours).split()).replace(" ,", ",")
        return out.replace(", ", "، ") if self.language in catalog.RTL_LANGUAGES else out

    def weekdays(self, days: tuple[str, ...]) -> str:
        names = get_day_names("wide", locale=_babel_locale(self.language))
        chosen = [names[i] for i, code in enumerate(_WEEKDAYS) if code in days]
        separator = "، " if self.language in catalog.RTL_LANGUAGES else ", "
        return separator.join(chosen)

    def schedule(self, data: LetterData) -> str:
        parts = [self.weekdays(data.days)]
        if data.time_from and data.time_to:
            parts.append(self.get("time_range", **{"from": data.time_from, "to": data.time_to}))
        return " · ".join(part for part in parts if part)

    def level(self, data: LetterData) -> str:
        entry = data.entry_level if data.entry_level and data.entry_level != "keine" else ""
        if not entry and not data.target_level:
            return ""
        if not entry:
            return f"{self.get('level_none')} – {data.target_level}" if data.target_level else self.get("level_none")
        return self.get("level_from_to", entry=entry, target=data.target_level or "–")

    def mode(self, data: LetterData) -> str:
        return self.get(f"mode_{data.mode}") or data.mode

    def course_type(self, data: LetterData) -> str:
        return self.get(f"course_type.{data.course_type}") or catalog.source_texts().get(
            f"course_type.{data.course_type}", data.course_type)


def _babel_locale(language: str) -> str:
    return "fa_AF" if language == "fa_AF" else language.split("_")[0] if language != "ckb" else "ckb"
