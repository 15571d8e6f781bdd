"""Country profiles and sampling helpers for the demo data (the profiles themselves are data in
resources/demo/names.toml)."""

from __future__ import annotations

import math
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from random import Random
from typing import Any

from bildungskoordination.resources import load_toml


class _Weighted:
    """A weighted choice that is cheap to draw many times (bisect on cumulative weights)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[Sequence[Any]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(float(p[1]) for p in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.total)]


@dataclass
class _Country:
    code: str
    weight: float
    female_share: float
    has_script: bool
    female: list[tuple[str, str]]
    male: list[tuple[str, str]]
    family: list[tuple[str, str]]
    family_female: list[tuple[str, str]]
    family_male: list[tuple[str, str]]
    first_language: _Weighted
    other_languages: list[tuple[str, float, str]]
    letter_language: _Weighted
    residence: _Weighted
    main_residence: str
    literacy: _Weighted
    school_years: tuple[float, float]
    birth_format: _Weighted
    stateless: float


def _names(entries: list) -> list[tuple[str, str]]:
    """TOML entries ["Latin", "original"] or "Latin" → (latin, original)."""
    return [(e, "") if isinstance(e, str) else (e[0], e[1] if len(e) > 1 else "") for e in entries]


def _load_countries() -> list[_Country]:
    countries = []
    for code, c in load_toml("demo", "names.toml")["country"].items():
        countries.append(_Country(
            code=code, weight=float(c["weight"]), female_share=float(c["female_share"]),
            has_script=bool(c.get("script")),
            female=_names(c["female"]), male=_names(c["male"]), family=_names(c["family"]),
            family_female=_names(c.get("family_female", [])), family_male=_names(c.get("family_male", [])),
            first_language=_Weighted(c["first_language"]),
            other_languages=[(o[0], float(o[1]), o[2]) for o in c.get("other_languages", [])],
            letter_language=_Weighted(c["letter_language"]),
            residence=_Weighted(c["residence"]),
            main_residence=max(c["residence"], key=lambda p: p[1])[0],
            literacy=_Weighted(c["literacy"]),
            school_years=(float(c["school_years"][0]), float(c["school_years"][1])),
            birth_format=_Weighted(c["birth_format"]),
            stateless=float(c.get("stateless", 0.0)),
        ))
    return countries


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _poisson_weights(mean: float, low: int, high: int) -> _Weighted:
    return _Weighted([(k, math.exp(-mean) * mean**k / math.factorial(k)) for k in range(low, high + 1)])


def _pick_pairs(rng: Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for item, w in pairs:
        r -= w
        if r < 0:
            return item
    return pairs[-1][0]


