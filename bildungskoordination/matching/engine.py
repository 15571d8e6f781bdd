"""The matching engine: a person against courses on a date, with a verdict, a score and German reasons.

Pure Python, no database. A `Matcher` prepares the courses once for a date and then evaluates any number of
persons; the outcome of each rule depends only on a few facts of the person (the German level, the literacy,
the residence status …), so each rule's result for all courses is computed once per distinct value and reused
for the next person with the same value. `evaluate` and `rank` are the one-off forms.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from itertools import repeat
from operator import add, mul, sub

from bildungskoordination import i18n
from bildungskoordination.domain.dates import format_date
from bildungskoordination.domain.vocab import district
from bildungskoordination.i18n import _
from bildungskoordination.matching import practical
from bildungskoordination.matching.facts import VERDICTS, CourseFacts, Match
from bildungskoordination.matching.legal import CAVEAT, NO, OK, Law, LegalFacts
from bildungskoordination.matching.parts import (
    NOTHING,
    SLOTS,
    Column,
    Part,
    PersonKey,
    Prepared,
    entry_text,
    level_text,
    literacy_text,
    make_part,
    minutes_of,
    validity_text,
    years_before,
)
from bildungskoordination.matching.rules import RuleSet, default_rules
from bildungskoordination.people.records import PersonData

# Prepared courses per (rules, date, language): facts that do not depend on the person are worked out once.
_PREPARED: dict[tuple[int, date, str], tuple[RuleSet, dict[CourseFacts, Prepared]]] = {}
_FINAL_COUNTS_AS_LEVEL = ("A2", "B1")  # a final test result that is also a CEFR level ("unter A2" is not)


class Matcher:
    """Courses prepared for one matching date; evaluate or rank as many persons as needed."""

    def __init__(self, courses: Iterable[CourseFacts], on: date | None = None, rules: RuleSet | None = None) -> None:
        self.on = on or date.today()
        self.rules = rules or default_rules()
        r, on_ = self.rules, self.on
        self._levels = r.level_index
        self._level_rule = r.first("level", on_)
        self._literacy_rule = r.first("literacy", on_)
        self._horizon = r.first("horizon", on_)
        self._practical = r.first("practical", on_)
        self._law = Law(r, on_)
        school = district().get("school_age", {})
        self._school_age = int(school.get("until_age", 18)) if self._law.school else None
        self._school = school
        tg = r.first("target_group", on_)
        self._groups = {k: v for k, v in (tg.params.items() if tg else ()) if k != "aliases"}
        self._group_alias = {k.casefold(): v for k, v in ((tg.param("aliases") or {}).items() if tg else ())}
        cache_key = (id(self.rules), self.on, i18n.current_language())  # the reasons are in the UI's language
        cached = _PREPARED.get(cache_key)
        if cached is None or cached[0] is not self.rules or len(cached[1]) > 50_000:
            cached = _PREPARED[cache_key] = (self.rules, {})
            if len(_PREPARED) > 8:
                _PREPARED.pop(next(iter(_PREPARED)))
        known = cached[1]
        self._courses = []
        for c in courses:
            prep = known.get(c)
            if prep is None:
                prep = known[c] = self._prepare(c)
            self._courses.append(prep)
        # Each age limit of each course is a birth date: born on or before it, the person has reached the age at
        # the course start. A person's place among all these dates decides every age rule, so it is the memo key.
        cutoffs: set[date] = set()
        for p in self._courses:
            for years in self._age_limits(p):
                cutoffs.add(years_before(p.judged_on, years))
        self._cutoffs = sorted(cutoffs)
        self._course_list = [p.course for p in self._courses]
        self._families = [p.family for p in self._courses]
        self._type_codes = [p.ctype.code if p.ctype else "" for p in self._courses]
        self._memo: dict[tuple, Column] = {}
        self._legal_column = self._constant_column(lambda c: c.legal)
        self._schedule_column = self._constant_column(lambda c: c.schedule)

    # --- public -------------------------------------------------------------------------------------------
    @property
    def courses(self) -> list[CourseFacts]:
        return [p.course for p in self._courses]

    def evaluate_all(self, person: PersonData) -> list[Match]:
        """One Match per course, in the order the courses were given. The reasons come in the order the rules
        decide: the course itself, age, access in law, level, literacy, then dates and everyday fit."""
        p = self._person(person)
        columns = [*self._eligibility(p), *self._person_parts(p)]
        severity = list(map(max, *(c[0] for c in columns)))
        score = columns[0][1]
        for c in columns[1:]:
            score = list(map(add, score, c[1]))
        reasons = zip(*(c[2] for c in columns), strict=True)  # groups; Match.reasons flattens them when read
        keys = map(sub, map(mul, severity, repeat(10000.0)), score)
        verdicts = map(VERDICTS.__getitem__, severity)
        return list(map(tuple.__new__, repeat(Match), zip(self._course_list, verdicts, score, reasons, keys, strict=False)))

    def rank(self, person: PersonData) -> list[Match]:
        """Every course, best first: eligible before caveat before not eligible, then by score."""
        result = self.evaluate_all(person)
        result.sort(key=_sort_key)
        return result

    # --- person -------------------------------------------------------------------------------------------
    def _person(self, person: PersonData) -> PersonKey:
        level = person.german_level or ""
        final = person.ik_final_level if person.ik_final_level in _FINAL_COUNTS_AS_LEVEL else ""
        if final and (level not in self._levels or self._levels[final] > self._levels[level]):
            level = final
        return PersonKey(
            level=level,
            literacy=person.literacy or "",
            legal=LegalFacts(
                status=person.residence_status or "", status_since=person.residence_issued,
                obligation=person.obligation or "", obliged_on=person.obliged_on,
                admission_on=person.bamf_admission_on, ik_completed_on=person.ik_completed_on,
                ik_final_level=person.ik_final_level or "", nationalities=frozenset(person.nationalities)),
            gender=person.gender or "",
            born=-1 if person.birth is None else bisect_left(self._cutoffs, person.birth.earliest),
            availability=frozenset(person.availability),
            weekdays=frozenset(person.weekdays),
            childcare=bool(person.needs_childcare),
            municipality=person.municipality or "",
        )

    def _column(self, key: tuple, build: Callable[[Prepared], Part]) -> Column:
        """One rule's outcome for every course, as three lists (severity, score, reasons); memoised by key."""
        col = self._memo.get(key)
        if col is None:
            parts = [build(c) for c in self._courses]
            col = self._memo[key] = ([x[0] for x in parts], [x[1] for x in parts], [x[2] for x in parts])
        return col

    def _kind_column(self, key: tuple, kinds: list[str], build: Callable[[str], Part]) -> Column:
        """A rule that depends on the course only through its family or type: evaluated once per kind."""
        col = self._memo.get(key)
        if col is None:
            by_kind = {kind: build(kind) for kind in set(kinds)}
            parts = [by_kind[k] for k in kinds]
            col = self._memo[key] = ([x[0] for x in parts], [x[1] for x in parts], [x[2] for x in parts])
        return col

    def _constant_column(self, pick: Callable[[Prepared], Part]) -> Column:
        parts = [pick(c) for c in self._courses]
        return ([x[0] for x in parts], [x[1] for x in parts], [x[2] for x in parts])

    def _eligibility(self, p: PersonKey) -> list[Column]:
        """The course in law, age, access, DeuFöV, first orientation, level, literacy and the dates – in the order
        the reasons are read. Each column is memoised by the few facts it depends on; a rule that depends on the
        course only through its family or type is evaluated once per family or type."""
        legal = p.legal
        return [
            self._legal_column,
            self._column(("who", p.gender, p.born, legal.status), lambda c: self._who(p, c)),
            self._kind_column(("access", legal), self._families, lambda fam: self._access(legal, fam)),
            self._kind_column(("deufoev", legal.status, legal.ik_completed_on, legal.ik_final_level),
                              self._type_codes, lambda code: self._deufoev(legal, code)),
            self._column(("level", p.level), lambda c: self._level(p.level, c)),
            self._column(("lit", p.literacy), lambda c: self._literacy(p.literacy, c)),
            self._schedule_column,
        ]

    def _person_parts(self, p: PersonKey) -> list[Column]:
        """The practical fit: times, weekdays, childcare, place."""
        return [
            self._column(("time", p.availability), lambda c: practical.times(self._practical, p.availability, c)),
            self._column(("days", p.weekdays), lambda c: practical.weekdays_fit(self._practical, p.weekdays, c)),
            self._column(("child", p.childcare), lambda c: practical.childcare(self._practical, p.childcare, c)),
            self._column(("place", p.municipality),
                         lambda c: practical.place(self._practical, self.rules, p.municipality, c)),
        ]

    # --- per course, independent of the person ------------------------------------------------------------
    def _prepare(self, c: CourseFacts) -> Prepared:
        ctype = self.rules.course_type(c.course_type)
        label = ctype.label if ctype else (c.course_type or _("Kurs"))
        slots: frozenset[str] = frozenset()
        t0, t1 = minutes_of(c.time_from), minutes_of(c.time_to)
        if t0 is not None:
            t1 = t1 if t1 is not None and t1 > t0 else t0 + 1
            # the slot the course starts in, and any other it fills for at least an hour
            slots = frozenset(name for name, lo, hi in SLOTS
                              if lo <= t0 < hi or min(t1, hi) - max(t0, lo) >= 60)
        groups = []
        for g in c.target_group:
            code = g if g in self._groups else self._group_alias.get(g.casefold(), g)
            groups.append(code)
        if ctype and ctype.target_group and ctype.target_group not in groups:
            groups.append(ctype.target_group)
        # A provider's empty level falls back to the course type's rule; a legal minimum (DeuFöV) always applies.
        entry_text = c.entry_level or (ctype.entry_level if ctype else "")
        target_text = c.target_level or (ctype.target_level if ctype else "")
        entry = self._levels.get(entry_text) if entry_text else None
        if ctype and ctype.min_level and (entry is None or entry < self._levels[ctype.min_level]):
            entry = self._levels[ctype.min_level]
        prep = Prepared(
            course=c, ctype=ctype, label=label, family=ctype.family if ctype else "",
            entry=entry, target=self._levels.get(target_text) if target_text else None,
            entry_from_type=not c.entry_level and entry is not None,
            target_from_type=not c.target_level and bool(target_text),
            slots=slots, days=frozenset(d.lower() for d in c.days), groups=tuple(groups),
            judged_on=c.start or self.on, legal=NOTHING, schedule=NOTHING,
        )
        return Prepared(**{**prep.__dict__, "legal": self._legal_constant(prep), "schedule": self._schedule(prep)})

    def _legal_constant(self, p: Prepared) -> Part:
        c, ctype, on = p.course, p.ctype, self.on
        items: list[tuple[int, float, str]] = []
        if ctype is None:
            items.append((CAVEAT, 0.0, _("Die Kursart „{code}“ ist nicht bekannt – bitte prüfen").format(code=c.course_type)))
            return make_part(items)
        if c.end is not None and c.end < on:
            items.append((NO, 0.0, _("Der Kurs ist am {date} zu Ende gegangen.").format(date=format_date(c.end))))
        if c.start is None and (ctype.valid_from or ctype.valid_until):
            items.append((CAVEAT, 0.0, _("Der Kursbeginn ist nicht bekannt; einen „{label}“ gibt es nur für Kurse, "
                                         "die {when} beginnen ({source}).").format(
                label=ctype.label, when=validity_text(ctype), source=ctype.citation)))
        elif not ctype.offered_for_start(c.start):
            if ctype.valid_until and c.start and c.start > ctype.valid_until:
                items.append((NO, 0.0, _("Einen „{label}“ gibt es für Kurse, die ab dem {date} beginnen, nicht mehr "
                                         "({source}); dieser Kurs beginnt am {start}.").format(
                    label=ctype.label, date=format_date(ctype.valid_until + timedelta(days=1)), source=ctype.citation,
                    start=format_date(c.start))))
            else:
                items.append((NO, 0.0, _("Einen „{label}“ gibt es erst für Kurse ab dem {date} ({source}).").format(
                    label=ctype.label, date=format_date(ctype.valid_from), source=ctype.citation)))
        if ctype.review_after and on >= ctype.review_after:
            items.append((CAVEAT, 0.0, _("Regel prüfen: die Angaben zur Kursart „{label}“ sollten seit dem {date} "
                                         "geprüft werden ({source}).").format(
                label=ctype.label, date=format_date(ctype.review_after), source=ctype.source)))
        if ctype.code == "ik_intensiv":
            items.append((CAVEAT, 0.0, _("Der Intensivkurs setzt einen Einstufungstest beim Träger voraus "
                                         "(§ 13 Abs. 2 IntV).")))
        return make_part(items)

    def _schedule(self, p: Prepared) -> Part:
        c, on = p.course, self.on
        items: list[tuple[int, float, str]] = []
        h = self._horizon
        weeks = int(h.param("weeks", 12)) if h else 12
        if c.end is not None and c.end < on:
            pass  # said in the legal part
        elif c.start is None:
            items.append((CAVEAT, 0.0, _("Der Kursbeginn ist nicht bekannt.")))
        elif c.start < on:
            items.append((CAVEAT, -float(h.param("running_malus", 0.0)) if h else 0.0,
                          _("Der Kurs läuft schon seit dem {date} – Quereinstieg beim Träger klären.")
                          .format(date=format_date(c.start))))
        else:
            days = (c.start - on).days
            when = (_("in {n} Tagen").format(n=days) if days < 14 else _("in {n} Wochen").format(n=round(days / 7)))
            if days > weeks * 7:
                items.append((NO, 0.0, _("Der Kurs beginnt erst am {date}, {when} – nach dem Planungszeitraum von "
                                         "{weeks} Wochen.").format(date=format_date(c.start), when=when, weeks=weeks)))
            else:
                bonus = float(h.param("soon_bonus", 0.0)) * (1 - days / (weeks * 7)) if h else 0.0
                items.append((OK, bonus, _("Der Kurs beginnt am {date}, {when}.")
                              .format(date=format_date(c.start), when=when)))
        if c.registration_deadline is not None:
            if c.registration_deadline < on:
                items.append((NO, 0.0, _("Der Anmeldeschluss war am {date}.")
                              .format(date=format_date(c.registration_deadline))))
            else:
                items.append((OK, 0.0, _("Anmeldung bis {date} möglich.").format(date=format_date(c.registration_deadline))))
        if c.free_places is not None:
            if c.free_places <= 0:
                items.append((CAVEAT, -float(h.param("waiting_list_malus", 0.0)) if h else 0.0,
                              _("Warteliste: zurzeit keine freien Plätze.")))
            else:
                items.append((OK, 0.0, _("Freie Plätze: {n}.").format(n=c.free_places)))
        if p.family == "integrationskurs":
            items.extend(self._law.costs_note())
        return make_part(items)

    def _age_limits(self, p: Prepared) -> list[int]:
        """Every age (in years) that matters for this course: school age, the type's and the groups' limits."""
        limits = []
        if p.family == "integrationskurs" and self._school_age:
            limits.append(self._school_age)
        t = p.ctype
        if t is not None:
            if t.min_age is not None:
                limits.append(t.min_age)
            if t.max_age is not None:
                limits.append(t.max_age + 1)
        for g in p.groups:
            spec = self._groups.get(g, {})
            if "min_age" in spec:
                limits.append(spec["min_age"])
            if "max_age" in spec:
                limits.append(spec["max_age"] + 1)
        return limits

    def _reached(self, born: int, p: Prepared, years: int) -> bool:
        """Has a person at place ``born`` among the cutoffs reached ``years`` at this course's start?"""
        cutoff = years_before(p.judged_on, years)
        return born < len(self._cutoffs) and self._cutoffs[born] <= cutoff if born >= 0 else False

    # --- rules that depend on a few facts of the person ----------------------------------------------------
    def _access(self, f: LegalFacts, family: str) -> Part:
        if family == "integrationskurs":
            return make_part(self._law.integration_access(f))
        if family == "erstorientierung":
            return make_part(self._law.first_orientation(f))
        return NOTHING

    def _deufoev(self, f: LegalFacts, code: str) -> Part:
        ctype = self.rules.course_type(code)
        if ctype is None or ctype.family != "berufssprachkurs":
            return NOTHING
        return make_part(self._law.job_course(f, ctype.after_ik_below, ctype.label))

    def _level(self, level: str, c: Prepared) -> Part:
        if c.entry is None and c.target is None:
            return NOTHING
        own = self._levels.get(level)
        if own is None:
            return make_part([(CAVEAT, 0.0, _("Das Deutschniveau der Person ist nicht erfasst – bitte zuerst einstufen."))])
        rule = self._level_rule
        levels = self.rules.levels
        if c.target is not None and c.target <= own:
            text = _("Das Kursziel {target}{note} liegt nicht über dem Deutschniveau der Person ({level}) – der Kurs "
                     "bringt sie nicht weiter.").format(
                target=levels[c.target], level=level_text(level),
                note=_(" (Angabe der Kursart)") if c.target_from_type else "")
            if c.family == "integrationskurs" and own >= self._levels["B1"]:
                text += " " + _("Wer schon B1 spricht, hat keinen Anspruch auf den Sprachkurs ({paragraph}); der "
                                "Orientierungskurs (100 UE) bleibt offen.").format(
                    paragraph=rule.param("b1_paragraph", "§ 44 Abs. 3 AufenthG") if rule else "§ 44 Abs. 3 AufenthG")
            return make_part([(NO, 0.0, text)])
        if c.entry is not None and c.entry > own:
            ctype = c.ctype
            deufoev = self._law.deufoev
            if ctype and ctype.min_level and self._levels[ctype.min_level] > own and deufoev:
                return make_part([(NO, 0.0, _("Ein „{label}“ setzt mindestens {minimum} voraus ({paragraph}); das "
                                          "Einstiegsniveau liegt damit über dem Deutschniveau der Person ({level}).")
                               .format(label=c.label, minimum=ctype.min_level, level=level_text(level),
                                       paragraph=deufoev.params["min_level_paragraph"]))])
            return make_part([(NO, 0.0, _("Das Einstiegsniveau {entry}{note} liegt über dem Deutschniveau der Person "
                                      "({level}).").format(entry=entry_text(levels[c.entry]), level=level_text(level),
                                                           note=_(" (Angabe der Kursart)") if c.entry_from_type else ""))])
        entry = entry_text(levels[c.entry]) if c.entry is not None else "–"
        target = levels[c.target] if c.target is not None else "–"
        level = level_text(level)
        if c.target is None:
            bonus = float(rule.param("exact_entry_bonus", 0.0)) if rule and c.entry == own else 0.0
            text = _("Das Einstiegsniveau ({entry}) passt zum Deutschniveau der Person ({level}); der Kurs hat kein "
                     "festes Kursziel.")
        elif c.entry is None or c.entry == own:
            bonus = float(rule.param("exact_entry_bonus", 0.0)) if rule else 0.0
            text = _("Das Einstiegsniveau ({entry}) passt zum Deutschniveau der Person ({level}); Kursziel {target}.")
        else:
            bonus = float(rule.param("lower_entry_bonus", 0.0)) if rule else 0.0
            text = _("Die Person ({level}) steigt über dem Einstiegsniveau ({entry}) ein; das Kursziel {target} bringt "
                     "sie weiter.")
        return make_part([(OK, bonus, text.format(entry=entry, level=level, target=target))])

    def _literacy(self, literacy: str, c: Prepared) -> Part:
        accepted = c.ctype.literacy if c.ctype else None
        if accepted is None:
            return NOTHING
        if not literacy:
            return make_part([(CAVEAT, 0.0, _("Ob die Person lesen und schreiben kann, ist nicht erfasst – bitte klären."))])
        rule = self._literacy_rule
        preferred: dict[str, str] = rule.param("preferred", {}) if rule else {}
        if literacy not in accepted:
            if literacy in ("nein", "funktional"):
                text = _("Der „{label}“ passt nicht, weil die Person {who}; für sie ist der Alphabetisierungskurs da "
                         "(§ 13 Abs. 1 Satz 3 Nr. 1 IntV).")
            elif literacy == "lateinisch":
                text = _("Der „{label}“ passt nicht, weil die Person schon {who}; er ist für Menschen, die nicht oder "
                         "nicht in lateinischer Schrift lesen und schreiben (§ 13 Abs. 1 Satz 3 IntV).")
            else:
                text = _("Der „{label}“ passt nicht, weil die Person {who}; er setzt Lesen und Schreiben in lateinischer "
                         "Schrift voraus.")
            return make_part([(NO, 0.0, text.format(label=c.label, who=literacy_text(literacy)))])
        best = preferred.get(literacy)
        if best == c.course.course_type:
            bonus = float(rule.param("preferred_bonus", 0.0)) if rule else 0.0
            return make_part([(OK, bonus, _("Der „{label}“ ist der richtige Kurs, weil die Person {who}.").format(
                label=c.label, who=literacy_text(literacy)))])
        if best and c.family in ("integrationskurs", "berufssprachkurs"):
            best_type = self.rules.course_type(best)
            malus = float(rule.param("not_preferred_malus", 0.0)) if rule else 0.0
            return make_part([(CAVEAT, -malus, _("Ein „{best}“ wäre besser geeignet, weil die Person {who}.").format(
                best=best_type.label if best_type else best, who=literacy_text(literacy)))])
        return make_part([(OK, 0.0, _("Lesen und Schreiben der Person passen zum Kurs."))])

    def _who(self, p: PersonKey, c: Prepared) -> Part:
        """Ages at the course start (school age, the type's limits) and the course's target groups."""
        gender, born, status = p.gender, p.born, p.legal.status
        items: list[tuple[int, float, str]] = []
        start = format_date(c.judged_on)
        school = self._law.school
        if c.family == "integrationskurs" and self._school_age and school is not None:
            if born < 0:
                items.append((CAVEAT, 0.0, _("Das Geburtsdatum der Person ist nicht erfasst – Schulpflicht prüfen "
                                             "({paragraph}).").format(paragraph=school.params["paragraph"])))
            elif not self._reached(born, c, self._school_age):
                items.append((NO, 0.0, _(
                    "Die Person ist bei Kursbeginn ({start}) jünger als {n} Jahre und in {land} schulpflichtig: kein "
                    "Anspruch auf einen Integrationskurs ({paragraph}); ihr Weg ist {route}.").format(
                        start=start, n=self._school_age, land=self._school.get("land", ""),
                        paragraph=school.params["paragraph"],
                        route=self._school.get("route", _("die Schule")))))
        t = c.ctype
        if t and (t.min_age is not None or t.max_age is not None):
            items.extend(self._age_items(born, c, t.min_age, t.max_age, c.label, start, t.citation))
        for g in c.groups:
            spec = self._groups.get(g)
            if spec is None:
                items.append((CAVEAT, 0.0, _("Zielgruppe laut Träger: „{text}“ – bitte prüfen.").format(text=g)))
                continue
            label = spec.get("label", g)
            if "genders" in spec:
                if gender in spec["genders"]:
                    items.append((OK, 0.0, _("Der Kurs ist {group}; das passt zur Person.").format(group=label)))
                elif gender in ("", "x"):
                    items.append((CAVEAT, 0.0, _("Der Kurs ist {group} – bitte klären.").format(group=label)))
                else:
                    items.append((NO, 0.0, _("Der Kurs ist {group}.").format(group=label)))
            if "min_age" in spec or "max_age" in spec:
                items.extend(self._age_items(born, c, spec.get("min_age"), spec.get("max_age"), c.label, start))
            if "statuses" in spec:
                if status in spec["statuses"]:
                    items.append((OK, 0.0, _("Der Kurs ist {group}; das passt zur Person.").format(group=label)))
                elif not status:
                    items.append((CAVEAT, 0.0, _("Der Kurs ist {group} – bitte klären.").format(group=label)))
                else:
                    items.append((NO, 0.0, _("Der Kurs ist {group}.").format(group=label)))
            if spec.get("caveat"):
                items.append((CAVEAT, 0.0, _("Der Kurs ist {group} – bitte klären.").format(group=label)))
        return make_part(items)

    def _age_items(self, born: int, c: Prepared, lo: int | None, hi: int | None, label: str,
                   start: str, source: str = "") -> list[tuple[int, float, str]]:
        where = _(" ({source})").format(source=source) if source else ""
        if born < 0:
            return [(CAVEAT, 0.0, _("Das Alter der Person ist nicht erfasst – Altersgrenze des Kurses prüfen."))]
        if lo is not None and not self._reached(born, c, lo):
            text = _("Der „{label}“ ist erst ab {n} Jahren{where}; die Person ist bei Kursbeginn ({start}) jünger.")\
                .format(label=label, n=lo, start=start, where=where)
            if self._school_age and lo <= self._school_age:
                text += " " + _("Die Person unterliegt der Schulpflicht in {land}; ihr Weg ist {route}.").format(
                    land=self._school.get("land", ""), route=self._school.get("route", _("die Schule")))
            return [(NO, 0.0, text)]
        if hi is not None and self._reached(born, c, hi + 1):
            return [(NO, 0.0, _("Der „{label}“ ist nur bis {n} Jahre{where}; die Person ist bei Kursbeginn ({start}) "
                                "älter.").format(label=label, n=hi, start=start, where=where))]
        return [(OK, 0.0, _("Die Altersgrenze des Kurses passt zur Person (bei Kursbeginn {start}).").format(start=start))]


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
    key = (id(rules), on, i18n.current_language(), tuple(courses))
    if _LAST is None or _LAST[0] != key or _LAST[1].rules is not rules:
        _LAST = (key, Matcher(key[3], on, rules))
    return _LAST[1].rank(person)


_LAST: tuple[tuple, Matcher] | None = None
