"""Course types: the one owner of what a "Kursart" is (resources/matching/course_types.toml).

The course-list import, the matching, referrals, letters, the GUI and the CLI all read this registry: a code,
German and English labels, the spellings providers use (aliases), the teaching units, the dates between which
a course of this type may *start*, the default entry and target levels when a provider leaves them empty, and
the conditions of the type (literacy, age, a legal minimum level, a finished integration course).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from bildungskoordination.domain.errors import DataFileError
from bildungskoordination.i18n import _
from bildungskoordination.resources import resource_path

FAMILIES = ("integrationskurs", "berufssprachkurs", "erstorientierung", "lokal")
LITERACY = ("lateinisch", "funktional", "andere_schrift", "nein")
LEVELS = ("keine", "A1", "A2", "B1", "B2", "C1", "C2")
FINAL_LEVELS = ("unter_a2", "A2", "B1")  # result of the integration course's final test (DTZ)


@dataclass(frozen=True)
class CourseType:
    code: str
    label: str
    family: str
    source: str
    label_en: str = ""
    ue_sprache: int | None = None
    ue_orientierung: int | None = None
    ue_wiederholung: int | None = None
    valid_from: date | None = None  # first possible course start
    valid_until: date | None = None  # last possible course start
    aliases: tuple[str, ...] = ()
    entry_level: str = ""  # default when a provider leaves it empty
    target_level: str = ""
    literacy: tuple[str, ...] | None = None  # accepted literacy codes; None: no requirement
    min_age: int | None = None
    max_age: int | None = None
    target_group: str = ""
    min_level: str = ""  # legal minimum level, whatever the provider writes (DeuFöV)
    after_ik_below: str = ""  # only after a finished integration course whose final level is below this
    review_after: date | None = None
    paragraph: str = ""  # short citation for reasons ("§ 13 Abs. 1 IntV a. F."); the source says more

    @property
    def citation(self) -> str:
        return self.paragraph or self.source

    def offered_for_start(self, start: date | None) -> bool:
        """May a course of this type start on ``start``? (Unknown start: yes; the caller says so.)"""
        if start is None:
            return True
        return not ((self.valid_from and start < self.valid_from) or (self.valid_until and start > self.valid_until))

    def display(self, language: str = "de") -> str:
        return self.label_en if language == "en" and self.label_en else self.label


def type_key(text: str) -> str:
    """How a course type name is compared: case, repeated spaces and hyphen spacing do not matter."""
    return " ".join((text or "").casefold().replace("-", " - ").replace("–", " - ").split())


class CourseTypes:
    """The loaded registry: look up by code, or by any label or alias as providers write it."""

    def __init__(self, types: dict[str, CourseType], file: str = "course_types.toml") -> None:
        self.types = types
        self._by_name: dict[str, str] = {}
        for t in types.values():
            for name in (t.code, t.label, t.label_en, *t.aliases):
                if not name:
                    continue
                owner = self._by_name.setdefault(type_key(name), t.code)
                if owner != t.code:
                    raise DataFileError(file, t.code, "aliases", _("„{value}“ steht auch bei „{other}“")
                                        .format(value=name, other=owner))

    def __iter__(self) -> Iterator[CourseType]:
        return iter(self.types.values())

    def __contains__(self, code: object) -> bool:
        return code in self.types

    def get(self, code: str) -> CourseType | None:
        return self.types.get(code)

    def parse(self, text: str) -> str | None:
        """The code for a code, label or alias; None if unknown."""
        return self._by_name.get(type_key(text))

    def label(self, code: str, language: str = "de") -> str:
        t = self.types.get(code)
        return t.display(language) if t else code

    def names(self) -> list[str]:
        """Every accepted spelling, for messages ("bekannt: …")."""
        return [t.label for t in self.types.values()]


# --- loading ------------------------------------------------------------------------------------------------
def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise DataFileError(path.name, "-", "-", _("Datei fehlt")) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path.name, "-", "-", _("kein gültiges TOML ({error})").format(error=exc)) from None


def field_value(data: dict, name: str, types: tuple[type, ...], required: bool, where: tuple[str, str]) -> Any:
    """One field of an entry, type-checked; the error names file, entry and field."""
    if name not in data:
        if required:
            raise DataFileError(where[0], where[1], name, _("fehlt"))
        return None
    value = data[name]
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        raise DataFileError(where[0], where[1], name, _("falscher Typ: {value!r}").format(value=value))
    return value


def _choice(value: Any, allowed: tuple[str, ...], where: tuple[str, str], name: str) -> None:
    if value and value not in allowed:
        raise DataFileError(where[0], where[1], name, _("unbekannt: {value}").format(value=value))


def load_course_types(path: Path) -> CourseTypes:
    data = read_toml(path)
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        raise DataFileError(path.name, "-", "entry", _("keine Einträge"))
    types: dict[str, CourseType] = {}
    for i, e in enumerate(entries, 1):
        where = (path.name, str(e.get("code", f"#{i}")))
        code = field_value(e, "code", (str,), True, where)
        if code in types:
            raise DataFileError(path.name, code, "code", _("doppelt"))
        family = field_value(e, "family", (str,), True, where)
        _choice(family, FAMILIES, where, "family")
        req = field_value(e, "requires", (dict,), False, where) or {}
        literacy = field_value(req, "literacy", (list,), False, where)
        for lit in literacy or ():
            _choice(lit, LITERACY, where, "requires.literacy")
        levels = {name: field_value(e, name, (str,), False, where) or "" for name in ("entry_level", "target_level")}
        levels["min_level"] = field_value(req, "min_level", (str,), False, where) or ""
        for name, value in levels.items():
            _choice(value, LEVELS, where, name)
        after = field_value(req, "after_ik_below", (str,), False, where) or ""
        _choice(after, FINAL_LEVELS, where, "requires.after_ik_below")
        valid_from = field_value(e, "valid_from", (date,), False, where)
        valid_until = field_value(e, "valid_until", (date,), False, where)
        if valid_from and valid_until and valid_until < valid_from:
            raise DataFileError(path.name, code, "valid_until", _("liegt vor valid_from"))
        types[code] = CourseType(
            code=code, label=field_value(e, "label", (str,), True, where), family=family,
            source=field_value(e, "source", (str,), True, where),
            label_en=field_value(e, "label_en", (str,), False, where) or "",
            ue_sprache=field_value(e, "ue_sprache", (int,), False, where),
            ue_orientierung=field_value(e, "ue_orientierung", (int,), False, where),
            ue_wiederholung=field_value(e, "ue_wiederholung", (int,), False, where),
            valid_from=valid_from, valid_until=valid_until,
            aliases=tuple(field_value(e, "aliases", (list,), False, where) or ()),
            entry_level=levels["entry_level"], target_level=levels["target_level"],
            literacy=tuple(literacy) if literacy is not None else None,
            min_age=field_value(req, "min_age", (int,), False, where),
            max_age=field_value(req, "max_age", (int,), False, where),
            target_group=field_value(req, "target_group", (str,), False, where) or "",
            min_level=levels["min_level"], after_ik_below=after,
            review_after=field_value(e, "review_after", (date,), False, where),
            paragraph=field_value(e, "paragraph", (str,), False, where) or "",
        )
    return CourseTypes(types, path.name)


@cache
def course_types() -> CourseTypes:
    """The shipped registry (resources/matching/course_types.toml), loaded once."""
    return load_course_types(resource_path("matching", "course_types.toml"))
