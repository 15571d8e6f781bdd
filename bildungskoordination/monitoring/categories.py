"""The fixed categories of the monitoring tables, loaded from resources/monitoring/categories.toml and the
vocabularies. Everything a district would change (bands, groups, area level, merges, default k) is data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from bildungskoordination.domain.course_types import course_types
from bildungskoordination.domain.referral_status import referral_statuses
from bildungskoordination.domain.vocab import district, vocabulary
from bildungskoordination.i18n import N_, SOURCE_LANGUAGE, _, current_language
from bildungskoordination.monitoring.model import MIN_K
from bildungskoordination.resources import load_toml

UNKNOWN = "unbekannt"          # code of the "not recorded" row of every person table
UNKNOWN_LABEL = N_("unbekannt")
OTHER = "sonstige"


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    low: int          # inclusive
    high: int | None  # inclusive; None = open end


@dataclass(frozen=True)
class MergeRule:
    table: str
    members: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Categories:
    default_k: int
    age_bands: tuple[Band, ...]
    main_countries: tuple[Category, ...]
    other_country_label: str
    unknown_country_label: str
    residence_groups: tuple[Category, ...]
    residence_group_of: dict[str, str]          # residence status code → group code
    area_level: str                              # "municipality" | "verbandsgemeinde"
    area_title: str
    areas: tuple[Category, ...]
    area_of: dict[str, str]                      # municipality → area code
    start_bands: tuple[Band, ...]                # in days
    merges: tuple[MergeRule, ...]
    genders: tuple[Category, ...]
    german_levels: tuple[Category, ...]
    topics: tuple[Category, ...]
    channels: tuple[Category, ...]
    interpreter_kinds: tuple[Category, ...]
    course_types: tuple[Category, ...]
    statuses: tuple[Category, ...]

    def age_band(self, age: int | None) -> str:
        if age is None or age < 0:
            return UNKNOWN
        for band in self.age_bands:
            if age >= band.low and (band.high is None or age <= band.high):
                return band.code
        return UNKNOWN

    def start_band(self, days: int) -> str:
        for band in self.start_bands:
            if band.high is None or days <= band.high:
                return band.code
        return self.start_bands[-1].code


def _label(row: dict[str, Any], language: str, key: str = "label") -> str:
    """``label`` of a row, or its ``label_en`` in the English UI (German when there is none)."""
    return str(row.get(f"{key}_{language}") or row[key]) if language != SOURCE_LANGUAGE else str(row[key])


def _bands(rows: list[dict[str, Any]], low_key: str, language: str) -> tuple[Band, ...]:
    bands: list[Band] = []
    previous_high = -1
    for row in rows:
        low = int(row.get(low_key, previous_high + 1))
        high = row.get("to")
        bands.append(Band(str(row["code"]), _label(row, language), low, None if high is None else int(high)))
        previous_high = -1 if high is None else int(high)
    return tuple(bands)


def categories(language: str | None = None) -> Categories:
    """The categories with their labels in ``language`` (default: the UI language); raises ValueError (German)
    naming the file and entry when the data is unusable."""
    return _categories(language or current_language())


@cache
def _categories(language: str) -> Categories:
    """Loaded once per language."""
    data = load_toml("monitoring", "categories.toml")
    where = "resources/monitoring/categories.toml"
    default_k = int(data.get("default_k", MIN_K))
    if default_k < MIN_K:
        raise ValueError(f"{where}: default_k = {default_k} – erlaubt ist mindestens {MIN_K}")
    countries = vocabulary("countries")
    nat = data.get("nationality", {})
    main_codes = load_toml("vocabularies", "countries.toml")["main"][: int(nat.get("main_count", 10))]
    status_vocab = vocabulary("residence_status")
    group_labels: dict[str, str] = data.get("residence_group", {})
    group_labels_en: dict[str, str] = data.get(f"residence_group_{language}", {})
    group_of = {t.code: t.group or OTHER for t in status_vocab}
    for code, group in group_of.items():
        if group not in group_labels:
            raise ValueError(f"{where}: [residence_group] fehlt die Gruppe „{group}“ (Aufenthaltsstatus {code})")
    area = data.get("area", {})
    level = str(area.get("level", "municipality"))
    if level not in ("municipality", "verbandsgemeinde"):
        raise ValueError(f"{where}: [area] level = „{level}“ – erlaubt: municipality, verbandsgemeinde")
    municipalities = list(district().get("municipalities", []))
    mapping = dict(area.get("verbandsgemeinde", {})) if level == "verbandsgemeinde" else {}
    area_of = {m: mapping.get(m, m) for m in municipalities}
    area_codes = list(dict.fromkeys(area_of.values()))
    merges = tuple(MergeRule(str(m["table"]), tuple(m["members"]), _label(m, language)) for m in data.get("merge", []))
    cats = _vocab("topics", language), _vocab("channels", language), _vocab("interpreter_kind", language)
    kinds = tuple(Category(t.code, t.display(language)) for t in course_types())
    statuses = tuple(Category(s.code, s.display(language)) for s in referral_statuses().values())
    return Categories(
        default_k=default_k,
        age_bands=_bands(data["age_band"], "from", language),
        main_countries=tuple(Category(c, countries.label(c, language)) for c in main_codes),
        other_country_label=_label(nat, language, "other_label") if "other_label" in nat else _("Sonstige"),
        unknown_country_label=(_label(nat, language, "unknown_label") if "unknown_label" in nat
                               else _(UNKNOWN_LABEL)),
        residence_groups=tuple(Category(g, group_labels_en.get(g, label)) for g, label in group_labels.items()),
        residence_group_of=group_of,
        area_level=level,
        area_title=_label(area, language, f"title_{level}") if f"title_{level}" in area else _("Gemeinde"),
        areas=tuple(Category(a, a) for a in area_codes),
        area_of=area_of,
        start_bands=_bands(data["start_band"], "from", language),
        merges=merges,
        genders=_vocab("gender", language),
        german_levels=_vocab("german_level", language),
        topics=cats[0], channels=cats[1], interpreter_kinds=cats[2],
        course_types=kinds,
        statuses=statuses,
    )


def _vocab(name: str, language: str) -> tuple[Category, ...]:
    return tuple(Category(t.code, t.display(language)) for t in vocabulary(name))
