"""Course types and matching rules as data (resources/matching/*.toml), loaded once and validated.

A wrong file gives a `RulesError` naming the file, the entry and the field, so a coordinator who edits the
rules sees what to fix. Nothing here touches the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from bildungskoordination.i18n import _
from bildungskoordination.resources import resource_path

FAMILIES = ("integrationskurs", "berufssprachkurs", "erstorientierung", "lokal")
LITERACY = ("lateinisch", "andere_schrift", "nein")
OUTCOMES = ("ok", "caveat", "no")
_NUM = (int, float)

# kind -> {param: (accepted types, required)}
PARAM_SPEC: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "status_access": {"families": ((list,), True), "statuses": ((list,), True), "outcome": ((str,), True),
                      "text": ((str,), True)},
    "obliged": {"families": ((list,), True), "text": ((str,), True)},
    "bsk_prerequisite": {"families": ((list,), True), "min_level": ((str,), True)},
    "level": {"exact_entry_bonus": (_NUM, False), "lower_entry_bonus": (_NUM, False)},
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


class RulesError(ValueError):
    """A course-type or rules file that cannot be used; the message names file, entry and field."""

    def __init__(self, file: str, entry: str, field_name: str, message: str) -> None:
        self.file, self.entry, self.field, self.message = file, entry, field_name, message
        super().__init__(_("{file}, Eintrag „{entry}“, Feld „{field}“: {message}").format(
            file=file, entry=entry, field=field_name, message=message))


@dataclass(frozen=True)
class CourseType:
    code: str
    label: str
    family: str
    source: str
    label_en: str = ""
    ue_sprache: int | None = None
    ue_orientierung: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    aliases: tuple[str, ...] = ()
    literacy: tuple[str, ...] | None = None  # accepted literacy codes; None: no requirement
    min_age: int | None = None
    max_age: int | None = None
    target_group: str = ""

    def offered_for_start(self, start: date | None) -> bool:
        if start is None:
            return True
        return not ((self.valid_from and start < self.valid_from) or (self.valid_until and start > self.valid_until))


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    source: str
    params: dict[str, Any]
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, on: date) -> bool:
        return not ((self.valid_from and on < self.valid_from) or (self.valid_until and on > self.valid_until))

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass
class RuleSet:
    types: dict[str, CourseType]
    rules: list[Rule]
    levels: tuple[str, ...]
    travel: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.level_index = {lv: i for i, lv in enumerate(self.levels)}
        self._alias = {}
        for t in self.types.values():
            for key in (t.code, t.label, t.label_en, *t.aliases):
                if key:
                    self._alias.setdefault(key.casefold().strip(), t.code)

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
        """The type code for a code, label or alias as providers write it (for the course import)."""
        return self._alias.get((text or "").casefold().strip())

    def travel_minutes(self, a: str, b: str) -> int | None:
        if a == b:
            return 0
        return self.travel.get((a, b))


# --- loading ------------------------------------------------------------------------------------------------
def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RulesError(path.name, "-", "-", _("Datei fehlt")) from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(path.name, "-", "-", _("kein gültiges TOML ({error})").format(error=exc)) from None


def _get(data: dict, name: str, types: tuple[type, ...], required: bool, where: tuple[str, str]) -> Any:
    if name not in data:
        if required:
            raise RulesError(where[0], where[1], name, _("fehlt"))
        return None
    value = data[name]
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        raise RulesError(where[0], where[1], name, _("falscher Typ: {value!r}").format(value=value))
    return value


def load_course_types(path: Path) -> dict[str, CourseType]:
    data = _read(path)
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        raise RulesError(path.name, "-", "entry", _("keine Einträge"))
    types: dict[str, CourseType] = {}
    for i, e in enumerate(entries, 1):
        where = (path.name, str(e.get("code", f"#{i}")))
        code = _get(e, "code", (str,), True, where)
        if code in types:
            raise RulesError(path.name, code, "code", _("doppelt"))
        family = _get(e, "family", (str,), True, where)
        if family not in FAMILIES:
            raise RulesError(path.name, code, "family", _("unbekannt: {value}").format(value=family))
        req = _get(e, "requires", (dict,), False, where) or {}
        literacy = _get(req, "literacy", (list,), False, (path.name, code))
        for lit in literacy or ():
            if lit not in LITERACY:
                raise RulesError(path.name, code, "requires.literacy", _("unbekannt: {value}").format(value=lit))
        types[code] = CourseType(
            code=code,
            label=_get(e, "label", (str,), True, where),
            family=family,
            source=_get(e, "source", (str,), True, where),
            label_en=_get(e, "label_en", (str,), False, where) or "",
            ue_sprache=_get(e, "ue_sprache", (int,), False, where),
            ue_orientierung=_get(e, "ue_orientierung", (int,), False, where),
            valid_from=_get(e, "valid_from", (date,), False, where),
            valid_until=_get(e, "valid_until", (date,), False, where),
            aliases=tuple(_get(e, "aliases", (list,), False, where) or ()),
            literacy=tuple(literacy) if literacy is not None else None,
            min_age=_get(req, "min_age", (int,), False, (path.name, code)),
            max_age=_get(req, "max_age", (int,), False, (path.name, code)),
            target_group=_get(req, "target_group", (str,), False, (path.name, code)) or "",
        )
    return types


def load_rule_list(path: Path, types: dict[str, CourseType]) -> tuple[tuple[str, ...], list[Rule]]:
    data = _read(path)
    levels = _get(data, "levels", (list,), True, (path.name, "-"))
    entries = data.get("rule")
    if not isinstance(entries, list) or not entries:
        raise RulesError(path.name, "-", "rule", _("keine Regeln"))
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, e in enumerate(entries, 1):
        where = (path.name, str(e.get("id", f"#{i}")))
        rid = _get(e, "id", (str,), True, where)
        if rid in seen:
            raise RulesError(path.name, rid, "id", _("doppelt"))
        seen.add(rid)
        kind = _get(e, "kind", (str,), True, where)
        if kind not in PARAM_SPEC:
            raise RulesError(path.name, rid, "kind", _("unbekannt: {value}").format(value=kind))
        params = _get(e, "params", (dict,), False, where) or {}
        for name, (ptypes, required) in PARAM_SPEC[kind].items():
            _get(params, name, ptypes, required, (path.name, rid))
        _check_params(path.name, rid, kind, params, levels, types)
        valid_from = _get(e, "valid_from", (date,), False, where)
        valid_until = _get(e, "valid_until", (date,), False, where)
        if valid_from and valid_until and valid_until < valid_from:
            raise RulesError(path.name, rid, "valid_until", _("liegt vor valid_from"))
        rules.append(Rule(rid, kind, _get(e, "source", (str,), True, where), params, valid_from, valid_until))
    return tuple(levels), rules


def _check_params(file: str, rid: str, kind: str, params: dict, levels: list, types: dict) -> None:
    if kind == "status_access" and params["outcome"] not in OUTCOMES:
        raise RulesError(file, rid, "outcome", _("unbekannt: {value}").format(value=params["outcome"]))
    for fam in params.get("families", ()) if kind in {"status_access", "obliged", "bsk_prerequisite"} else ():
        if fam not in FAMILIES:
            raise RulesError(file, rid, "families", _("unbekannt: {value}").format(value=fam))
    if kind == "bsk_prerequisite" and params["min_level"] not in levels:
        raise RulesError(file, rid, "min_level", _("unbekannt: {value}").format(value=params["min_level"]))
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
    for i, e in enumerate(_read(path).get("route", []), 1):
        where = (path.name, f"#{i}")
        a = _get(e, "from", (str,), True, where)
        b = _get(e, "to", (str,), True, where)
        minutes = _get(e, "minutes", (int,), True, where)
        travel[(a, b)] = travel[(b, a)] = minutes
    return travel


def load_rules(directory: Path | None = None) -> RuleSet:
    """Course types, rules and travel times from a folder (default: the shipped resources/matching)."""
    folder = directory or resource_path("matching")
    types = load_course_types(folder / "course_types.toml")
    levels, rules = load_rule_list(folder / "rules.toml", types)
    return RuleSet(types=types, rules=rules, levels=levels, travel=load_travel(folder / "travel_times.toml"))


@cache
def default_rules() -> RuleSet:
    return load_rules()
