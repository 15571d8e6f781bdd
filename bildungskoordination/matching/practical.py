"""Everyday fit of a course for a person: times, weekdays, childcare and the way there (scored, never excluding)."""

from __future__ import annotations

from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.matching.legal import CAVEAT, OK
from bildungskoordination.matching.parts import NOTHING, SLOTS, Part, Prepared, days_text, make_part
from bildungskoordination.matching.rules import Rule, RuleSet


def times(rule: Rule | None, availability: frozenset[str], c: Prepared) -> Part:
    if not c.slots or not availability:
        return NOTHING
    times = f"{c.course.time_from}–{c.course.time_to}"
    if c.slots <= availability:
        bonus = float(rule.param("time_fit_bonus", 0.0)) if rule else 0.0
        return make_part([(OK, bonus, _("Die Kurszeit {times} passt zur Verfügbarkeit der Person.").format(times=times))])
    malus = float(rule.param("time_misfit_malus", 0.0)) if rule else 0.0
    slot_names = vocabulary("availability")
    missing = ", ".join(slot_names.label(s) for s, _lo, _hi in SLOTS if s in c.slots - availability)
    return make_part([(CAVEAT, -malus, _("Die Kurszeit {times} liegt {slots} – da hat die Person keine Zeit.")
                   .format(times=times, slots=missing))])


def weekdays_fit(rule: Rule | None, weekdays: frozenset[str], c: Prepared) -> Part:
    if not c.days or not weekdays:
        return NOTHING
    if c.days <= weekdays:
        bonus = float(rule.param("weekday_fit_bonus", 0.0)) if rule else 0.0
        return make_part([(OK, bonus, _("Die Kurstage ({days}) passen zur Person.").format(days=days_text(c.days)))])
    malus = float(rule.param("weekday_misfit_malus", 0.0)) if rule else 0.0
    return make_part([(CAVEAT, -malus, _("Der Kurs ist auch am {days} – da hat die Person keine Zeit.")
                   .format(days=days_text(c.days - weekdays)))])


def childcare(rule: Rule | None, needed: bool, c: Prepared) -> Part:
    if not needed:
        return NOTHING
    if c.course.childcare:
        return make_part([(OK, float(rule.param("childcare_bonus", 0.0)) if rule else 0.0,
                       _("Der Kurs bietet die Kinderbetreuung, die die Person braucht."))])
    return make_part([(CAVEAT, -float(rule.param("childcare_missing_malus", 0.0)) if rule else 0.0,
                   _("Die Person braucht Kinderbetreuung, der Kurs bietet keine an."))])


def place(rule: Rule | None, rules: RuleSet, home: str, c: Prepared) -> Part:
    w = (lambda name: float(rule.param(name, 0.0))) if rule else (lambda name: 0.0)
    where = c.course.municipality
    if c.course.mode == "online":
        return make_part([(OK, w("online_bonus"), _("Online-Kurs – die Person hat keinen Anfahrtsweg."))])
    if not home or not where:
        return make_part([(CAVEAT, -w("unknown_place_malus"), _("Wohnort der Person oder Kursort fehlt – Anfahrt klären."))])
    if home == where:
        return make_part([(OK, w("same_place_bonus"), _("Der Kurs ist im Wohnort der Person ({place}).").format(place=where))])
    minutes = rules.travel_minutes(home, where)
    if minutes is None:
        return make_part([(CAVEAT, -w("unknown_place_malus"), _("Der Kurs ist in {place}; die Fahrzeit ab {home} ist "
                                                           "nicht bekannt.").format(place=where, home=home))])
    limit = int(rule.param("reachable_minutes", 45)) if rule else 45
    if minutes <= limit:
        return make_part([(OK, w("reachable_bonus"), _("Der Kurs in {place} ist für die Person in etwa {n} Minuten erreichbar.")
                       .format(place=where, n=minutes))])
    return make_part([(CAVEAT, -w("unreachable_malus"), _("Der Kurs in {place} ist für die Person etwa {n} Minuten entfernt.")
                   .format(place=where, n=minutes))])
