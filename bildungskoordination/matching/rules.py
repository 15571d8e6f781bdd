"""Course types and matching rules as data (resources/matching/*.toml), loaded once and validated.

A wrong file gives a `RulesError` naming the file, the entry and the field, so a coordinator who edits the
rules sees what to fix. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from bildungskoordination.domain.course_types import (
    FAMILIES,
    LEVELS,
    LITERACY,
    CourseType,
    CourseTypes,
    course_types,
    field_value,
    load_course_types,
    read_toml,
)
from bildungskoordination.domain.errors import DataFileError
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.resources import resource_path

OUTCOMES = ("ok", "caveat", "no")
_NUM = (int, float)
RulesError = DataFileError  # the name the matching has always raised

# kind -> {param: (accepted types, required)}
PARAM_SPEC: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "entitlement": {"families": ((list,), True), "statuses": ((dict,), True), "lapse_months": ((int,), True),
                    "paragraph": ((str,), True), "lapse_paragraph": ((str,), True)},
    "admission": {"families": ((list,), True), "statuses": ((list,), True), "outcome": ((str,), True),
                  "paragraph": ((str,), True), "excluded": ((list,), False), "stop_since": ((date,), False)},
    "obliged": {"families": ((list,), True), "paragraphs": ((dict,), True), "scope": ((dict,), False)},
    "admitted": {"families": ((list,), True), "paragraph": ((str,), True)},
    "school_age": {"families": ((list,), True), "paragraph": ((str,), True)},
    "deufoev": {"families": ((list,), True), "extra_conditions": ((list,), False),
                "min_level_paragraph": ((str,), True), "special_paragraph": ((str,), True),
                "registration_paragraph": ((str,), True)},
    "first_orientation": {"families": ((list,), True), "safe_countries": ((list,), True),
                          "safe_countries_source": ((str,), True), "eu_countries": ((list,), True),
                          "eu_statuses": ((list,), True)},
    "costs": {"families": ((list,), True), "euro_per_ue": ((str,), True), "paragraph": ((str,), True)},
    "level": {"exact_entry_bonus": (_NUM, False), "lower_entry_bonus": (_NUM, False), "b1_paragraph": ((str,), False)},
    "literacy": {"preferred": ((dict,), True), "preferred_bonus": (_NUM, False), "not_preferred_malus": (_NUM, False)},
    "target_group": {},  # free keys: one table per target group, plus `aliases`
    "horizon": {"weeks": ((int,), True), "soon_bonus": (_NUM, False), "waiting_list_malus": (_NUM, False),
                "running_malus": (_NUM, False)},
    "practical": {name: (_NUM, False) for name in (
        "time_fit_bonus", "time_misfit_malus", "weekday_fit_bonus", "weekday_misfit_malus", "childcare_bonus",
        "childcare_missing_malus", "same_place_bonus", "online_bonus", "reachable_minutes", "reachable_bonus",
        "unreachable_malus", "unknown_place_malus")},
}
_TARGET_GROUP_KEYS = {"label": str, "genders": list, "statuses": list, "min_age": int, "max_age": int, "caveat": bool}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    source: str
    params: dict[str, Any]
    valid_from: date | None = None
    valid_until: date | None = None
    review_after: date | None = None  # "until further notice": from this day on the app says "Regel prüfen"
    unconfirmed: str = ""

    def valid_on(self, on: date) -> bool:
        return not ((self.valid_from and on < self.valid_from) or (self.valid_until and on > self.valid_until))

    def needs_review(self, on: date) -> bool:
        return self.review_after is not None and on >= self.review_after

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass
class RuleSet:
    registry: CourseTypes
    rules: list[Rule]
    levels: tuple[str, ...]
    travel: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.level_index = {lv: i for i, lv in enumerate(self.levels)}
        self.types = self.registry.types

    def __hash__(self) -> int:  # identity: a RuleSet is loaded once and then only read
        return id(self)

    def on(self, kind: str, when: date) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind and r.valid_on(when)]

    def first(self, kind: str, when: date) -> Rule | None:
        found = self.on(kind, when)
        return found[0] if found else None

    def course_type(self, code: str) -> CourseType | None:
        return self.types.get(code)

    def parse_course_type(self, text: str) -> str | None:
        """The type code for a code, label or alias as providers write it (the registry decides)."""
        return self.registry.parse(text)

    def travel_minutes(self, a: str, b: str) -> int | None:
        if a == b:
            return 0
        return self.travel.get((a, b))


# --- loading ------------------------------------------------------------------------------------------------


def load_rule_list(path: Path, types: dict[str, CourseType]) -> tuple[tuple[str, ...], list[Rule]]:
    data = read_toml(path)
    levels = field_value(data, "levels", (list,), True, (path.name, "-"))
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise RulesError(path.name, "-", "rule", _("keine Regeln"))
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, e in enumerate(entries, 1):
        where = (path.name, str(e.get("id", f"#{i}")))
        rid = field_value(e, "id", (str,), True, where)
        if rid in seen:
            raise RulesError(path.name, rid, "id", _("doppelt"))
        seen.add(rid)
        kind = field_value(e, "kind", (str,), True, where)
        if kind not in PARAM_SPEC:
            raise RulesError(path.name, rid, "kind", _("unbekannt: {value}").format(value=kind))
        params = field_value(e, "params", (dict,), False, where) or {}
        for name, (ptypes, required) in PARAM_SPEC[kind].items():
            field_value(params, name, ptypes, required, (path.name, rid))
        _check_params(path.name, rid, kind, params, levels, types)
        valid_from = field_value(e, "valid_from", (date,), False, where)
        valid_until = field_value(e, "valid_until", (date,), False, where)
        if valid_from and valid_until and valid_until < valid_from:
            raise RulesError(path.name, rid, "valid_until", _("liegt vor valid_from"))
        rules.append(Rule(rid, kind, field_value(e, "source", (str,), True, where), params, valid_from, valid_until,
                          field_value(e, "review_after", (date,), False, where),
                          field_value(e, "unconfirmed", (str,), False, where) or ""))
    return tuple(levels), rules


def _check_params(file: str, rid: str, kind: str, params: dict, levels: list, types: dict) -> None:
    if kind == "admission" and params["outcome"] not in OUTCOMES:
        raise RulesError(file, rid, "outcome", _("unbekannt: {value}").format(value=params["outcome"]))
    for fam in params.get("families", ()) if isinstance(params.get("families"), list) else ():
        if fam not in FAMILIES:
            raise RulesError(file, rid, "families", _("unbekannt: {value}").format(value=fam))
    statuses = params.get("statuses") if kind in {"entitlement", "admission"} else None
    known = vocabulary("residence_status")
    for code in [*(statuses or ()), *params.get("excluded", ()), *params.get("extra_conditions", ()),
                 *params.get("eu_statuses", ())]:
        if code not in known:
            raise RulesError(file, rid, "statuses", _("unbekannter Aufenthaltsstatus: {value}").format(value=code))
    if kind == "obliged":
        obligations = vocabulary("obligation")
        for code in params["paragraphs"]:
            if code not in obligations or code == "keine":
                raise RulesError(file, rid, "paragraphs", _("unbekannte Verpflichtung: {value}").format(value=code))
    if kind == "literacy":
        for lit, code in params["preferred"].items():
            if lit not in LITERACY or code not in types:
                raise RulesError(file, rid, "preferred", _("unbekannt: {value}").format(value=f"{lit} = {code}"))
    if kind == "target_group":
        for code, spec in params.items():
            if code == "aliases":
                continue
            if not isinstance(spec, dict):
                raise RulesError(file, rid, code, _("falscher Typ: {value!r}").format(value=spec))
            for key, value in spec.items():
                if key not in _TARGET_GROUP_KEYS or not isinstance(value, _TARGET_GROUP_KEYS[key]):
                    raise RulesError(file, rid, f"{code}.{key}", _("falscher Typ: {value!r}").format(value=value))


def load_travel(path: Path) -> dict[tuple[str, str], int]:
    if not path.is_file():
        return {}
    travel: dict[tuple[str, str], int] = {}
    for i, e in enumerate(read_toml(path).get("route", []), 1):
        where = (path.name, f"#{i}")
        a = field_value(e, "from", (str,), True, where)
        b = field_value(e, "to", (str,), True, where)
        minutes = field_value(e, "minutes", (int,), True, where)
        travel[(a, b)] = travel[(b, a)] = minutes
    return travel


def load_rules(directory: Path | None = None) -> RuleSet:
    """Course types, rules and travel times from a folder (default: the shipped resources/matching)."""
    if directory is None:
        registry = course_types()
        folder = resource_path("matching")
    else:
        folder = directory
        registry = load_course_types(folder / "course_types.toml")
    levels, rules = load_rule_list(folder / "rules.toml", registry.types)
    if tuple(levels) != LEVELS:
        raise RulesError("rules.toml", "-", "levels", _("muss {levels} sein").format(levels=", ".join(LEVELS)))
    return RuleSet(registry=registry, rules=rules, levels=levels, travel=load_travel(folder / "travel_times.toml"))


@cache
def default_rules() -> RuleSet:
    return load_rules()
