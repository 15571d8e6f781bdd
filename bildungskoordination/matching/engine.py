"""The matching engine: a person against courses on a date, with a verdict, a score and German reasons.

Pure Python, no database. A `Matcher` prepares the courses once for a date and then evaluates any number of
persons; the outcome of each rule depends only on a few facts of the person (the German level, the literacy,
the residence status …), so each rule's result for all courses is computed once per distinct value and reused
for the next person with the same value. `evaluate` and `rank` are the one-off forms.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import repeat
from operator import add, mul, sub

from bildungskoordination.domain.dates import format_date
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.matching.facts import VERDICTS, CourseFacts, Match, Reason
from bildungskoordination.matching.rules import CourseType, RuleSet, default_rules
from bildungskoordination.people.records import PersonData

OK, CAVEAT, NO = 0, 1, 2
_KIND = ("ok", "caveat", "no")
NOT_ELIGIBLE_MALUS = 100.0
Part = tuple[int, float, tuple[Reason, ...]]  # severity, score, reasons
_Column = tuple[list[int], list[float], list[tuple[Reason, ...]]]
_NOTHING: Part = (OK, 0.0, ())
_SLOTS = (("vormittags", 0, 12 * 60), ("nachmittags", 12 * 60, 17 * 60), ("abends", 17 * 60, 24 * 60))
_WEEKDAY_ORDER = ("mo", "di", "mi", "do", "fr", "sa", "so")
_WEEKDAY_LABEL = {"mo": "Mo", "di": "Di", "mi": "Mi", "do": "Do", "fr": "Fr", "sa": "Sa", "so": "So"}


def _part(items: list[tuple[int, float, str]]) -> Part:
    """Severity, score and reasons of one rule; every excluding reason costs NOT_ELIGIBLE_MALUS points."""
    if not items:
        return _NOTHING
    severity = 0
    score = 0.0
    for s, sc, _t in items:
        severity = s if s > severity else severity
        score += sc - (NOT_ELIGIBLE_MALUS if s == NO else 0.0)
    return (severity, score, tuple(Reason(_KIND[s], t) for s, _sc, t in items))


def _minutes(hhmm: str) -> int | None:
    try:
        h, m = hhmm.strip().split(":")
        return int(h) * 60 + int(m)
    except (ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class _Prepared:
    """Per-course facts computed once per Matcher."""

    course: CourseFacts
    ctype: CourseType | None
    label: str
    family: str
    entry: int | None  # index in the level order; None: no requirement
    target: int | None
    slots: frozenset[str]
    days: frozenset[str]
    groups: tuple[str, ...]  # target groups: codes, or the provider's text when unknown
    constant: Part  # what does not depend on the person: dates, places, course type


@dataclass(frozen=True)
class _Person:
    level: str
    literacy: str
    status: str
    obliged: bool
    completed: bool
    gender: str
    age: int | None
    availability: frozenset[str]
    weekdays: frozenset[str]
    childcare: bool
    municipality: str


# Prepared courses per (rules, date): facts that do not depend on the person are worked out once.
_PREPARED: dict[tuple[int, date], tuple[RuleSet, dict[CourseFacts, _Prepared]]] = {}


class Matcher:
    """Courses prepared for one matching date; evaluate or rank as many persons as needed."""

    def __init__(self, courses: Iterable[CourseFacts], on: date | None = None, rules: RuleSet | None = None) -> None:
        self.on = on or date.today()
        self.rules = rules or default_rules()
        r, on_ = self.rules, self.on
        self._levels = r.level_index
        self._level_rule = r.first("level", on_)
        self._literacy_rule = r.first("literacy", on_)
        self._access_rules = r.on("status_access", on_)
        self._obliged_rules = r.on("obliged", on_)
        self._bsk_rules = r.on("bsk_prerequisite", on_)
        self._horizon = r.first("horizon", on_)
        self._practical = r.first("practical", on_)
        tg = r.first("target_group", on_)
        self._groups = {k: v for k, v in (tg.params.items() if tg else ()) if k != "aliases"}
        self._group_alias = {k.casefold(): v for k, v in ((tg.param("aliases") or {}).items() if tg else ())}
        self._status_vocab = vocabulary("residence_status")
        cached = _PREPARED.get((id(self.rules), self.on))
        if cached is None or cached[0] is not self.rules or len(cached[1]) > 50_000:
            cached = _PREPARED[(id(self.rules), self.on)] = (self.rules, {})
            if len(_PREPARED) > 8:
                _PREPARED.pop(next(iter(_PREPARED)))
        known = cached[1]
        self._courses = []
        for c in courses:
            prep = known.get(c)
            if prep is None:
                prep = known[c] = self._prepare(c)
            self._courses.append(prep)
        thresholds: set[int] = set()
        for p in self._courses:
            if p.ctype:
                if p.ctype.min_age is not None:
                    thresholds.add(p.ctype.min_age)
                if p.ctype.max_age is not None:
                    thresholds.add(p.ctype.max_age + 1)
            for g in p.groups:
                spec = self._groups.get(g, {})
                if "min_age" in spec:
                    thresholds.add(spec["min_age"])
                if "max_age" in spec:
                    thresholds.add(spec["max_age"] + 1)
        self._age_steps = sorted(thresholds)
        self._course_list = [p.course for p in self._courses]
        self._memo: dict[tuple, _Column] = {}
        self._constant_column: _Column = ([c.constant[0] for c in self._courses],
                                          [c.constant[1] for c in self._courses],
                                          [c.constant[2] for c in self._courses])

    # --- public -------------------------------------------------------------------------------------------
    @property
    def courses(self) -> list[CourseFacts]:
        return [p.course for p in self._courses]

    def evaluate_all(self, person: PersonData) -> list[Match]:
        """One Match per course, in the order the courses were given."""
        p = self._person(person)
        columns = [self._eligibility(p), *self._person_parts(p)]
        severity = list(map(max, *(c[0] for c in columns)))
        score = columns[0][1]
        for c in columns[1:]:
            score = list(map(add, score, c[1]))
        reasons = zip(*(c[2] for c in columns), strict=True)
        keys = map(sub, map(mul, severity, repeat(10000.0)), score)
        verdicts = map(VERDICTS.__getitem__, severity)
        return list(map(tuple.__new__, repeat(Match), zip(self._course_list, verdicts, score, reasons, keys, strict=False)))

    def rank(self, person: PersonData) -> list[Match]:
        """Every course, best first: eligible before caveat before not eligible, then by score."""
        result = self.evaluate_all(person)
        result.sort(key=_sort_key)
        return result

    # --- person -------------------------------------------------------------------------------------------
    def _person(self, person: PersonData) -> _Person:
        age = person.birth.age_on(self.on) if person.birth is not None else None
        return _Person(
            level=person.german_level or "",
            literacy=person.literacy or "",
            status=person.residence_status or "",
            obliged=bool(getattr(person, "integration_course_obliged", False)),
            completed=bool(getattr(person, "integration_course_completed", False)),
            gender=person.gender or "",
            age=None if age is None else self._age_step(age),
            availability=frozenset(person.availability),
            weekdays=frozenset(person.weekdays),
            childcare=bool(person.needs_childcare),
            municipality=person.municipality or "",
        )

    def _age_step(self, age: int) -> int:
        """The age rounded down to the nearest limit that matters for these courses (keeps the memo small)."""
        i = bisect_right(self._age_steps, age)
        return self._age_steps[i - 1] if i else 0

    def _column(self, key: tuple, build: Callable[[_Prepared], Part]) -> _Column:
        """One rule's outcome for every course, as three lists (severity, score, reasons); memoised by key."""
        col = self._memo.get(key)
        if col is None:
            parts = [build(c) for c in self._courses]
            col = self._memo[key] = ([x[0] for x in parts], [x[1] for x in parts], [x[2] for x in parts])
        return col

    def _eligibility(self, p: _Person) -> _Column:
        """Course facts, level, literacy, access and the Berufssprachkurs prerequisite, combined once per key."""
        key = ("E", p.level, p.literacy, p.status, p.obliged, p.completed)
        col = self._memo.get(key)
        if col is None:
            parts = [
                self._constant_column,
                self._column(("level", p.level), lambda c: self._level(p.level, c)),
                self._column(("lit", p.literacy), lambda c: self._literacy(p.literacy, c)),
                self._column(("access", p.status, p.obliged), lambda c: self._access(p.status, p.obliged, c)),
                self._column(("bsk", p.level, p.completed), lambda c: self._bsk(p.level, p.completed, c)),
            ]
            col = self._memo[key] = (
                list(map(max, *(c[0] for c in parts))),
                [sum(x) for x in zip(*(c[1] for c in parts), strict=True)],
                [tuple(r for group in x for r in group) for x in zip(*(c[2] for c in parts), strict=True)],
            )
        return col

    def _person_parts(self, p: _Person) -> list[_Column]:
        """Age and target group, then the practical fit: times, weekdays, childcare, place."""
        return [
            self._column(("who", p.gender, p.age, p.status), lambda c: self._who(p.gender, p.age, p.status, c)),
            self._column(("time", p.availability), lambda c: self._times(p.availability, c)),
            self._column(("days", p.weekdays), lambda c: self._days(p.weekdays, c)),
            self._column(("child", p.childcare), lambda c: self._childcare(p.childcare, c)),
            self._column(("place", p.municipality), lambda c: self._place(p.municipality, c)),
        ]

    # --- per course, independent of the person ------------------------------------------------------------
    def _prepare(self, c: CourseFacts) -> _Prepared:
        ctype = self.rules.course_type(c.course_type)
        label = ctype.label if ctype else (c.course_type or _("Kurs"))
        slots = frozenset()
        t0, t1 = _minutes(c.time_from), _minutes(c.time_to)
        if t0 is not None:
            t1 = t1 if t1 is not None and t1 > t0 else t0 + 1
            # the slot the course starts in, and any other it fills for at least an hour
            slots = frozenset(name for name, lo, hi in _SLOTS
                              if lo <= t0 < hi or min(t1, hi) - max(t0, lo) >= 60)
        groups = []
        for g in c.target_group:
            code = g if g in self._groups else self._group_alias.get(g.casefold(), g)
            groups.append(code)
        if ctype and ctype.target_group and ctype.target_group not in groups:
            groups.append(ctype.target_group)
        prep = _Prepared(
            course=c, ctype=ctype, label=label, family=ctype.family if ctype else "",
            entry=self._levels.get(c.entry_level) if c.entry_level else None,
            target=self._levels.get(c.target_level) if c.target_level else None,
            slots=slots, days=frozenset(d.lower() for d in c.days), groups=tuple(groups), constant=_NOTHING,
        )
        return _Prepared(**{**prep.__dict__, "constant": self._constant(prep)})

    def _constant(self, p: _Prepared) -> Part:
        c, ctype, on = p.course, p.ctype, self.on
        items: list[tuple[int, float, str]] = []
        h = self._horizon
        weeks = int(h.param("weeks", 12)) if h else 12
        if ctype is None:
            items.append((CAVEAT, 0.0, _("Kursart „{code}“ ist nicht bekannt – bitte prüfen").format(code=c.course_type)))
        elif not ctype.offered_for_start(c.start):
            if ctype.valid_until and c.start and c.start > ctype.valid_until:
                items.append((NO, 0.0, _("Den „{label}“ gibt es seit {date} nicht mehr (nur noch für die Historie)")
                              .format(label=ctype.label, date=format_date(ctype.valid_until + timedelta(days=1)))))
            else:
                items.append((NO, 0.0, _("Den „{label}“ gibt es erst ab {date}")
                              .format(label=ctype.label, date=format_date(ctype.valid_from))))
        if c.end is not None and c.end < on:
            items.append((NO, 0.0, _("Der Kurs ist am {date} zu Ende gegangen").format(date=format_date(c.end))))
        elif c.start is None:
            items.append((CAVEAT, 0.0, _("Der Kursbeginn ist nicht bekannt")))
        elif c.start < on:
            items.append((CAVEAT, -float(h.param("running_malus", 0.0)) if h else 0.0,
                          _("Der Kurs läuft schon seit {date} – Quereinstieg beim Träger klären")
                          .format(date=format_date(c.start))))
        else:
            days = (c.start - on).days
            when = (_("in {n} Tagen").format(n=days) if days < 14 else _("in {n} Wochen").format(n=round(days / 7)))
            if days > weeks * 7:
                items.append((NO, 0.0, _("Der Kurs beginnt erst am {date}, {when} – nach dem Planungszeitraum von "
                                         "{weeks} Wochen").format(date=format_date(c.start), when=when, weeks=weeks)))
            else:
                bonus = float(h.param("soon_bonus", 0.0)) * (1 - days / (weeks * 7)) if h else 0.0
                items.append((OK, bonus, _("Der Kurs beginnt am {date}, {when}")
                              .format(date=format_date(c.start), when=when)))
        if c.registration_deadline is not None:
            if c.registration_deadline < on:
                items.append((NO, 0.0, _("Der Anmeldeschluss war am {date}")
                              .format(date=format_date(c.registration_deadline))))
            else:
                items.append((OK, 0.0, _("Anmeldung bis {date} möglich").format(date=format_date(c.registration_deadline))))
        if c.free_places is not None:
            if c.free_places <= 0:
                items.append((CAVEAT, -float(h.param("waiting_list_malus", 0.0)) if h else 0.0,
                              _("Warteliste: zurzeit keine freien Plätze")))
            else:
                items.append((OK, 0.0, _("Freie Plätze: {n}").format(n=c.free_places)))
        return _part(items)

    # --- rules that depend on one fact of the person -------------------------------------------------------
    def _level(self, level: str, c: _Prepared) -> Part:
        if c.entry is None and c.target is None:
            return _NOTHING
        own = self._levels.get(level)
        if own is None:
            return _part([(CAVEAT, 0.0, _("Ihr Deutschniveau ist nicht erfasst – bitte zuerst einstufen"))])
        rule = self._level_rule
        if c.target is not None and c.target <= own:
            return _part([(NO, 0.0, _("Kursziel {target} liegt nicht über Ihrem Deutschniveau {level}")
                           .format(target=c.course.target_level, level=level))])
        if c.entry is not None and c.entry > own:
            return _part([(NO, 0.0, _("Einstiegsniveau {entry} liegt über Ihrem Deutschniveau {level}")
                           .format(entry=c.course.entry_level, level=level))])
        if c.entry is None or c.entry == own:
            bonus = float(rule.param("exact_entry_bonus", 0.0)) if rule else 0.0
            text = (_("Einstiegsniveau {entry} passt zu Ihrem Deutschniveau {level}")
                    .format(entry=c.course.entry_level or "–", level=level))
        else:
            bonus = float(rule.param("lower_entry_bonus", 0.0)) if rule else 0.0
            text = (_("Einstiegsniveau {entry} liegt unter Ihrem Deutschniveau {level}, das Kursziel {target} "
                      "bringt Sie weiter").format(entry=c.course.entry_level, level=level,
                                                  target=c.course.target_level or "–"))
        return _part([(OK, bonus, text)])

    def _literacy(self, literacy: str, c: _Prepared) -> Part:
        accepted = c.ctype.literacy if c.ctype else None
        if accepted is None:
            return _NOTHING
        if not literacy:
            return _part([(CAVEAT, 0.0, _("Ob Sie lesen und schreiben können, ist nicht erfasst – bitte klären"))])
        rule = self._literacy_rule
        preferred: dict[str, str] = rule.param("preferred", {}) if rule else {}
        if literacy not in accepted:
            if literacy == "nein":
                text = _("Der „{label}“ setzt Lesen und Schreiben voraus – ein Alphabetisierungskurs passt besser")
            elif literacy == "lateinisch":
                text = _("Der „{label}“ ist nicht für Menschen, die schon in lateinischer Schrift lesen und schreiben")
            else:
                text = _("Der „{label}“ setzt Lesen und Schreiben in lateinischer Schrift voraus")
            return _part([(NO, 0.0, text.format(label=c.label))])
        best = preferred.get(literacy)
        if best == c.course.course_type:
            bonus = float(rule.param("preferred_bonus", 0.0)) if rule else 0.0
            if literacy == "nein":
                text = _("Der „{label}“ ist der richtige Kurs, weil Sie noch nicht lesen und schreiben")
            else:
                text = _("Der „{label}“ ist der richtige Kurs, weil Sie in einer anderen als der lateinischen Schrift "
                         "lesen und schreiben")
            return _part([(OK, bonus, text.format(label=c.label))])
        if best and c.family in ("integrationskurs", "berufssprachkurs"):
            best_type = self.rules.course_type(best)
            malus = float(rule.param("not_preferred_malus", 0.0)) if rule else 0.0
            return _part([(CAVEAT, -malus, _("Ein „{best}“ wäre besser geeignet").format(
                best=best_type.label if best_type else best))])
        return _part([(OK, 0.0, _("Lesen und Schreiben passt zum Kurs"))])

    def _access(self, status: str, obliged: bool, c: _Prepared) -> Part:
        relevant = [r for r in self._access_rules if c.family in r.params["families"]]
        if not relevant:
            return _NOTHING
        if obliged:
            for r in self._obliged_rules:
                if c.family in r.params["families"]:
                    return _part([(OK, 0.0, _("Sie sind {text}").format(text=r.params["text"]))])
        if not status:
            return _part([(CAVEAT, 0.0, _("Der Aufenthaltsstatus ist nicht erfasst – Zugang zum Integrationskurs "
                                          "klären"))])
        label = self._status_vocab.label(status)
        for r in relevant:
            if status in r.params["statuses"]:
                severity = {"ok": OK, "caveat": CAVEAT, "no": NO}[r.params["outcome"]]
                return _part([(severity, 0.0, f"{label}: {r.params['text']}")])
        return _part([(CAVEAT, 0.0, _("{status}: Zugang zum Integrationskurs im Einzelfall klären").format(status=label))])

    def _bsk(self, level: str, completed: bool, c: _Prepared) -> Part:
        for r in self._bsk_rules:
            if c.family not in r.params["families"]:
                continue
            minimum = r.params["min_level"]
            if completed:
                return _part([(OK, 0.0, _("Integrationskurs abgeschlossen – Voraussetzung für den Berufssprachkurs "
                                          "erfüllt"))])
            own = self._levels.get(level)
            if own is not None and own >= self._levels[minimum]:
                return _part([(OK, 0.0, _("Deutschniveau {level} erfüllt die Voraussetzung {minimum} für "
                                          "Berufssprachkurse").format(level=level, minimum=minimum))])
            return _part([(NO, 0.0, _("Ein Berufssprachkurs setzt Deutschniveau {minimum} oder einen abgeschlossenen "
                                      "Integrationskurs voraus").format(minimum=minimum))])
        return _NOTHING

    def _who(self, gender: str, age: int | None, status: str, c: _Prepared) -> Part:
        items: list[tuple[int, float, str]] = []
        t = c.ctype
        if t and (t.min_age is not None or t.max_age is not None):
            items.extend(_age_items(age, t.min_age, t.max_age, c.label))
        for g in c.groups:
            spec = self._groups.get(g)
            if spec is None:
                items.append((CAVEAT, 0.0, _("Zielgruppe laut Träger: „{text}“ – bitte prüfen").format(text=g)))
                continue
            label = spec.get("label", g)
            if "genders" in spec:
                if gender in spec["genders"]:
                    items.append((OK, 0.0, _("Kurs {group}: passt").format(group=label)))
                elif gender in ("", "x"):
                    items.append((CAVEAT, 0.0, _("Kurs {group} – bitte klären").format(group=label)))
                else:
                    items.append((NO, 0.0, _("Der Kurs ist {group}").format(group=label)))
            if "min_age" in spec or "max_age" in spec:
                items.extend(_age_items(age, spec.get("min_age"), spec.get("max_age"), c.label))
            if "statuses" in spec:
                if status in spec["statuses"]:
                    items.append((OK, 0.0, _("Kurs {group}: passt").format(group=label)))
                elif not status:
                    items.append((CAVEAT, 0.0, _("Kurs {group} – bitte klären").format(group=label)))
                else:
                    items.append((NO, 0.0, _("Der Kurs ist {group}").format(group=label)))
            if spec.get("caveat"):
                items.append((CAVEAT, 0.0, _("Kurs {group} – bitte klären").format(group=label)))
        return _part(items)

    def _times(self, availability: frozenset[str], c: _Prepared) -> Part:
        if not c.slots or not availability:
            return _NOTHING
        rule = self._practical
        times = f"{c.course.time_from}–{c.course.time_to}"
        if c.slots <= availability:
            bonus = float(rule.param("time_fit_bonus", 0.0)) if rule else 0.0
            return _part([(OK, bonus, _("Kurszeit {times} passt zu Ihrer Verfügbarkeit").format(times=times))])
        malus = float(rule.param("time_misfit_malus", 0.0)) if rule else 0.0
        missing = ", ".join(s for s, _lo, _hi in _SLOTS if s in c.slots - availability)
        return _part([(CAVEAT, -malus, _("Kurszeit {times} liegt {slots} – da haben Sie keine Zeit")
                       .format(times=times, slots=missing))])

    def _days(self, weekdays: frozenset[str], c: _Prepared) -> Part:
        if not c.days or not weekdays:
            return _NOTHING
        rule = self._practical
        if c.days <= weekdays:
            bonus = float(rule.param("weekday_fit_bonus", 0.0)) if rule else 0.0
            return _part([(OK, bonus, _("Die Kurstage ({days}) passen").format(days=_days_text(c.days)))])
        malus = float(rule.param("weekday_misfit_malus", 0.0)) if rule else 0.0
        return _part([(CAVEAT, -malus, _("Der Kurs ist auch am {days} – da haben Sie keine Zeit")
                       .format(days=_days_text(c.days - weekdays)))])

    def _childcare(self, needed: bool, c: _Prepared) -> Part:
        if not needed:
            return _NOTHING
        rule = self._practical
        if c.course.childcare:
            return _part([(OK, float(rule.param("childcare_bonus", 0.0)) if rule else 0.0,
                           _("Kinderbetreuung wird angeboten"))])
        return _part([(CAVEAT, -float(rule.param("childcare_missing_malus", 0.0)) if rule else 0.0,
                       _("Sie brauchen Kinderbetreuung, der Kurs bietet keine an"))])

    def _place(self, home: str, c: _Prepared) -> Part:
        rule = self._practical
        w = (lambda name: float(rule.param(name, 0.0))) if rule else (lambda name: 0.0)
        where = c.course.municipality
        if c.course.mode == "online":
            return _part([(OK, w("online_bonus"), _("Online-Kurs – kein Anfahrtsweg"))])
        if not home or not where:
            return _part([(CAVEAT, -w("unknown_place_malus"), _("Wohnort oder Kursort fehlt – Anfahrt klären"))])
        if home == where:
            return _part([(OK, w("same_place_bonus"), _("Der Kurs ist in Ihrem Wohnort {place}").format(place=where))])
        minutes = self.rules.travel_minutes(home, where)
        if minutes is None:
            return _part([(CAVEAT, -w("unknown_place_malus"), _("Der Kurs ist in {place}; die Fahrzeit ab {home} ist "
                                                               "nicht bekannt").format(place=where, home=home))])
        limit = int(rule.param("reachable_minutes", 45)) if rule else 45
        if minutes <= limit:
            return _part([(OK, w("reachable_bonus"), _("Der Kurs in {place} ist in etwa {n} Minuten erreichbar")
                           .format(place=where, n=minutes))])
        return _part([(CAVEAT, -w("unreachable_malus"), _("Der Kurs in {place} ist etwa {n} Minuten entfernt")
                       .format(place=where, n=minutes))])


def _age_items(age: int | None, lo: int | None, hi: int | None, label: str) -> list[tuple[int, float, str]]:
    if age is None:
        return [(CAVEAT, 0.0, _("Das Alter ist nicht erfasst – Altersgrenze des Kurses prüfen"))]
    if lo is not None and age < lo:
        return [(NO, 0.0, _("Der „{label}“ ist erst ab {n} Jahren").format(label=label, n=lo))]
    if hi is not None and age > hi:
        return [(NO, 0.0, _("Der „{label}“ ist nur bis {n} Jahre").format(label=label, n=hi))]
    return [(OK, 0.0, _("Die Altersgrenze des Kurses passt"))]


def _days_text(days: frozenset[str]) -> str:
    return ", ".join(_WEEKDAY_LABEL.get(d, d) for d in _WEEKDAY_ORDER if d in days) or ", ".join(sorted(days))


def _sort_key(m: Match) -> float:
    return m.sort_key


def evaluate(person: PersonData, course: CourseFacts, on: date | None = None, rules: RuleSet | None = None) -> Match:
    """One person against one course on a date (default today)."""
    return Matcher([course], on, rules).evaluate_all(person)[0]


def rank(person: PersonData, courses: Sequence[CourseFacts], on: date | None = None,
         rules: RuleSet | None = None) -> list[Match]:
    """One person against every course, best first. The Matcher is kept for the next person with the same
    courses, date and rules (the "Passende Kurse" tab opens one person after another)."""
    global _LAST
    rules = rules or default_rules()
    on = on or date.today()
    key = (id(rules), on, tuple(courses))
    if _LAST is None or _LAST[0] != key or _LAST[1].rules is not rules:
        _LAST = (key, Matcher(key[2], on, rules))
    return _LAST[1].rank(person)


_LAST: tuple[tuple, Matcher] | None = None
