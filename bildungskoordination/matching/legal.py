"""The law's part of the matching: access to the integration course (§§ 44, 44a AufenthG, § 5b AsylbLG), the
job-related courses (DeuFöV) and the first-orientation course, each as complete German sentences about the
person that name their paragraph. Which statuses, dates and paragraphs apply is data (rules.toml); the sentences
are here so they can be translated.

Every function returns the reasons of one rule as ``(severity, score, text)`` items; the engine combines them.
None of these depend on the course beyond its family, so the engine evaluates them once per family and person key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bildungskoordination.domain.course_types import FINAL_LEVELS
from bildungskoordination.domain.dates import format_date
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.matching.rules import Rule, RuleSet

OK, CAVEAT, NO = 0, 1, 2
Item = tuple[int, float, str]


@dataclass(frozen=True)
class LegalFacts:
    """What the law asks about a person, as the engine keys it (hashable, small)."""

    status: str
    status_since: date | None
    obligation: str
    obliged_on: date | None
    admission_on: date | None
    ik_completed_on: date | None
    ik_final_level: str
    nationalities: frozenset[str]


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, 28)


def review_item(rule: Rule, on: date) -> list[Item]:
    """ "Regel prüfen" once a rule "until further notice" has reached its review date."""
    if not rule.needs_review(on):
        return []
    return [(CAVEAT, 0.0, _("Regel prüfen: „{rule}“ gilt „bis auf Weiteres“ und sollte seit dem {date} geprüft "
                            "werden ({source}).").format(rule=rule.id, date=format_date(rule.review_after),
                                                        source=rule.source))]


class Law:
    """The legal rules valid on one matching date."""

    def __init__(self, rules: RuleSet, on: date) -> None:
        self.rules, self.on = rules, on
        self.entitlement = rules.first("entitlement", on)
        self.admission = rules.first("admission", on)
        self.obliged = rules.first("obliged", on)
        self.admitted = rules.first("admitted", on)
        self.school = rules.first("school_age", on)
        self.deufoev = rules.first("deufoev", on)
        self.eok = rules.first("first_orientation", on)
        self.costs = rules.first("costs", on)
        self.status_vocab = vocabulary("residence_status")
        self.obligation_vocab = vocabulary("obligation")
        self.final_vocab = vocabulary("ik_final_level")
        self.countries = vocabulary("countries")
        # the stop of § 44 Abs. 4 admissions, if one is known (also to say that an older admission stays valid)
        stops = [r for r in rules.rules if r.kind == "admission" and r.param("stop_since")]
        self.stop_since: date | None = stops[0].param("stop_since") if stops else None

    # --- integration course ---------------------------------------------------------------------------------
    def integration_access(self, f: LegalFacts) -> list[Item]:
        """§ 44 Abs. 1, 2, 4, § 44a AufenthG, § 5b AsylbLG: may the person attend, and on what ground?"""
        items: list[Item] = []
        label = self.status_vocab.label(f.status) if f.status else ""
        if f.ik_completed_on is not None:
            items.append((CAVEAT, 0.0, _(
                "Die Person hat den Integrationskurs am {date} abgeschlossen{result}; ein weiterer Integrationskurs "
                "ist nur als Wiederholung (300 UE im Alphabetisierungs- oder Förderkurs, § 13 Abs. 1 IntV) möglich, "
                "sonst folgt ein Berufssprachkurs (§ 13 DeuFöV).").format(
                    date=format_date(f.ik_completed_on),
                    result=_(" mit {level}").format(level=self.final_vocab.label(f.ik_final_level))
                    if f.ik_final_level else "")))
        if f.obligation and f.obligation != "keine" and self.obliged is not None:
            paragraph = self.obliged.params["paragraphs"].get(f.obligation, "§ 44a AufenthG")
            scope = self.obliged.param("scope", {}).get(f.obligation)
            if scope is not None and f.status not in scope:
                allowed = ", ".join(f"„{self.status_vocab.label(c, 'de')}“" for c in scope)
                items.append((NO, 0.0, _(
                    "Eine Verpflichtung nach {paragraph} ist nur für Erwachsene ohne Vollzeitschulpflicht mit {allowed} "
                    "möglich; beim Status der Person ({status}) trägt die erfasste Verpflichtung nicht – bitte mit der "
                    "Stelle klären.").format(paragraph=paragraph, allowed=allowed,
                                             status=label or _("nicht erfasst"))))
                return items
            when = _(" am {date}").format(date=format_date(f.obliged_on)) if f.obliged_on else ""
            stop = (_("; der Zulassungsstopp vom {date} betrifft Verpflichtungen nicht").format(
                date=format_date(self.stop_since)) if self.stop_since and self.on >= self.stop_since else "")
            items.append((OK, 0.0, _("Die Person wurde{when} von der Stelle „{who}“ zur Teilnahme verpflichtet "
                                     "({paragraph}) und ist damit zugelassen{stop}.").format(
                when=when, who=self.obligation_vocab.label(f.obligation), paragraph=paragraph, stop=stop)))
            return items
        if f.admission_on is not None and self.admitted is not None:
            kept = (_("; die Zulassung gilt auch nach dem Zulassungsstopp vom {date} weiter").format(
                date=format_date(self.stop_since))
                if self.stop_since and f.admission_on < self.stop_since <= self.on else "")
            items.append((OK, 0.0, _("Das BAMF hat die Person am {date} zugelassen bzw. ihre Berechtigung bescheinigt "
                                     "({paragraph}){kept}.").format(date=format_date(f.admission_on),
                                                                    paragraph=self.admitted.params["paragraph"],
                                                                    kept=kept)))
            return items
        if not f.status:
            items.append((CAVEAT, 0.0, _("Der Aufenthaltsstatus der Person ist nicht erfasst – den Zugang zum "
                                         "Integrationskurs klären (§ 44 AufenthG).")))
            return items
        ent = self.entitlement
        if ent is not None and f.status in ent.params["statuses"]:
            items.extend(self._entitled(ent, f, label))
            return items
        items.extend(self._without_entitlement(f, label))
        return items

    def _entitled(self, ent: Rule, f: LegalFacts, label: str) -> list[Item]:
        ground = ent.params["statuses"][f.status]
        lapse_paragraph = ent.params["lapse_paragraph"]
        if f.status_since is None:
            return [(CAVEAT, 0.0, _(
                "Die Person hat mit „{status}“ Anspruch auf einen Integrationskurs ({ground}); seit wann der Titel "
                "besteht, ist nicht erfasst – ob der Anspruch ein Jahr nach der Erteilung erloschen ist ({lapse}), "
                "bitte prüfen.").format(status=label, ground=ground, lapse=lapse_paragraph))]
        lapse = add_months(f.status_since, int(ent.params["lapse_months"]))
        if self.on < lapse:
            return [(OK, 0.0, _(
                "Die Person hat Anspruch auf einen Integrationskurs: „{status}“, erteilt am {since} ({ground}); der "
                "Anspruch besteht bis {lapse} ({lapse_paragraph}).").format(
                    status=label, since=format_date(f.status_since), ground=ground,
                    lapse=format_date(lapse - _DAY), lapse_paragraph=lapse_paragraph))]
        fallback = self.admission
        if fallback is None:
            then = _("eine Zulassung ohne Anspruch ist zu klären")
        elif fallback.params["outcome"] == "no":
            then = _("eine Zulassung nach {paragraph} ist wegen des Zulassungsstopps zurzeit nicht möglich").format(
                paragraph=fallback.params["paragraph"])
        else:
            then = _("sonst kann das BAMF sie im Rahmen freier Plätze zulassen ({paragraph})").format(
                paragraph=fallback.params["paragraph"])
        lapsed: Item = (CAVEAT, 0.0, _(
            "Der Anspruch der Person auf einen Integrationskurs ({ground}) ist nach {lapse_paragraph} am {lapse} "
            "erloschen, ein Jahr nach der Erteilung des Titels am {since} – außer sie konnte sich aus Gründen, die "
            "sie nicht zu vertreten hat, nicht anmelden (bitte prüfen); {then}.").format(
                ground=ground, lapse_paragraph=lapse_paragraph, lapse=format_date(lapse),
                since=format_date(f.status_since), then=then))
        return [lapsed, *(review_item(fallback, self.on) if fallback is not None else [])]

    def _without_entitlement(self, f: LegalFacts, label: str) -> list[Item]:
        rule = self.admission
        if rule is None or (f.status not in rule.params["statuses"]
                            and f.status not in rule.param("excluded", [])):
            return [(CAVEAT, 0.0, _("Mit „{status}“ ist der Zugang zum Integrationskurs im Einzelfall zu klären "
                                    "(§ 44 AufenthG).").format(status=label))]
        paragraph = rule.params["paragraph"]
        if f.status in rule.param("excluded", []):
            return [(NO, 0.0, _("Mit „{status}“ hat die Person keinen Anspruch (§ 44 Abs. 1 AufenthG) und kann auch "
                                "nicht zugelassen werden: {paragraph} Satz 2 Nr. 2 nennt nur die Duldung nach § 60a "
                                "Abs. 2 Satz 3.").format(status=label, paragraph=paragraph))]
        if rule.params["outcome"] == "no":
            since = rule.param("stop_since") or rule.valid_from
            return [(NO, 0.0, _(
                "Mit „{status}“ hat die Person keinen Anspruch nach § 44 Abs. 1 AufenthG, und seit dem {date} lässt "
                "das BAMF nach {paragraph} niemanden neu zu (Zulassungsstopp) – Teilnahme nur als Selbstzahlerin bzw. "
                "Selbstzahler oder nach einer Verpflichtung (§ 44a AufenthG, § 5b AsylbLG).").format(
                    status=label, date=format_date(since), paragraph=paragraph)), *review_item(rule, self.on)]
        extra = ""
        if f.status == "duldung_60a":
            extra = _(" Zulassungsfähig ist nur eine Duldung nach § 60a Abs. 2 Satz 3, nicht nach Satz 1 – bitte "
                      "prüfen, welche vorliegt.")
        elif f.status == "gestattung":
            extra = _(" Bei einer Aufenthaltsgestattung gelten die Bedingungen von {paragraph} Satz 2 Nr. 1 – bitte "
                      "prüfen.").format(paragraph=paragraph)
        return [(CAVEAT, 0.0, _(
            "Mit „{status}“ hat die Person keinen Anspruch nach § 44 Abs. 1 AufenthG; das BAMF kann sie im Rahmen "
            "freier Kursplätze zulassen ({paragraph}) – Antrag stellen.{extra}").format(
                status=label, paragraph=paragraph, extra=extra)), *review_item(rule, self.on)]

    # --- job-related courses (DeuFöV) ---------------------------------------------------------------------------
    def job_course(self, f: LegalFacts, after_ik_below: str, label: str) -> list[Item]:
        rule = self.deufoev
        if rule is None:
            return []
        items: list[Item] = []
        if after_ik_below:
            special = rule.params["special_paragraph"]
            final = self.final_vocab.label(f.ik_final_level) if f.ik_final_level else ""
            if f.ik_completed_on is None:
                items.append((NO, 0.0, _("Der „{label}“ ist für Menschen, die den Integrationskurs ohne B1 "
                                         "abgeschlossen haben ({paragraph}); für die Person ist kein abgeschlossener "
                                         "Integrationskurs erfasst.").format(label=label, paragraph=special)))
            elif not f.ik_final_level:
                items.append((CAVEAT, 0.0, _("Der „{label}“ setzt einen Integrationskurs mit einem Ergebnis unter "
                                             "{limit} voraus ({paragraph}); das Ergebnis der Person ist nicht erfasst.")
                              .format(label=label, limit=after_ik_below, paragraph=special)))
            elif FINAL_LEVELS.index(f.ik_final_level) >= FINAL_LEVELS.index(after_ik_below):
                items.append((NO, 0.0, _("Der „{label}“ ist für Menschen, die den Integrationskurs unter {limit} "
                                         "abgeschlossen haben ({paragraph}); die Person hat ihn mit {final} "
                                         "abgeschlossen.").format(label=label, limit=after_ik_below,
                                                                  paragraph=special, final=final)))
            else:
                items.append((OK, 0.0, _("Die Person hat den Integrationskurs am {date} mit {final} abgeschlossen – "
                                         "das Spezialmodul ist für sie vorgesehen ({paragraph}).").format(
                    date=format_date(f.ik_completed_on), final=final, paragraph=special)))
        items.append((CAVEAT, 0.0, _("Ein Berufssprachkurs setzt voraus, dass die Person bei der Agentur für Arbeit "
                                     "oder dem Jobcenter gemeldet, beschäftigt oder in Ausbildung ist und einen "
                                     "Berechtigungsschein hat ({paragraph}) – bitte klären.").format(
            paragraph=rule.params["registration_paragraph"])))
        if f.status in rule.param("extra_conditions", []):
            items.append((CAVEAT, 0.0, _("Mit „{status}“ gelten für Berufssprachkurse zusätzliche Bedingungen "
                                         "({paragraph}) – bitte prüfen.").format(
                status=self.status_vocab.label(f.status), paragraph=rule.params["registration_paragraph"])))
        return items

    # --- first-orientation course ----------------------------------------------------------------------------
    def first_orientation(self, f: LegalFacts) -> list[Item]:
        rule = self.eok
        if rule is None:
            return []
        p = rule.params
        if f.status in p["eu_statuses"] or f.nationalities & set(p["eu_countries"]):
            return [(NO, 0.0, _("Erstorientierungskurse sind nicht für Bürgerinnen und Bürger der EU; die Person hat "
                                "Freizügigkeit und ist damit nicht Zielgruppe."))]
        safe = sorted(f.nationalities & set(p["safe_countries"]))
        if safe:
            names = ", ".join(self.countries.label(c) for c in safe)
            return [(NO, 0.0, _("Erstorientierungskurse sind nicht für Menschen aus sicheren Herkunftsstaaten; die "
                                "Person hat die Staatsangehörigkeit {countries} (§ 29a AsylG, {source}).").format(
                countries=names, source=p["safe_countries_source"]))]
        if (f.obligation and f.obligation != "keine") or f.admission_on or f.ik_completed_on:
            return [(NO, 0.0, _("Die Person hat schon einen Platz im Integrationskurs (Zulassung, Verpflichtung oder "
                                "Abschluss); Erstorientierungskurse sind für Menschen ohne Integrationskursplatz."))]
        return [(OK, 0.0, _("Der Erstorientierungskurs steht der Person offen: für Erwachsene ohne "
                            "Integrationskursplatz, auch im Asylverfahren."))]

    # --- information -------------------------------------------------------------------------------------------
    def costs_note(self) -> list[Item]:
        rule = self.costs
        if rule is None:
            return []
        return [(OK, 0.0, _("Kosten: {euro} € je Unterrichtseinheit; wer Leistungen nach SGB II, SGB XII oder AsylbLG "
                            "bezieht, ist befreit und bekommt ab einer Mindestentfernung einen Fahrtkostenzuschuss "
                            "({paragraph}).").format(euro=rule.params["euro_per_ue"],
                                                     paragraph=rule.params["paragraph"]))]


_DAY = date(2000, 1, 2) - date(2000, 1, 1)
