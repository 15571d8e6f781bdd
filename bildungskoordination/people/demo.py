"""Realistic synthetic demo data: invented people with counselling contacts and follow-ups.

Used by ``bildungskoordination demo --persons N [--seed S]`` to try the app out and to measure it with
realistic volumes. Everything generated is invented; names and country profiles are data in
``resources/demo/names.toml``, addresses and the short texts of contacts in ``resources/demo/content.toml``.

Speed: rows are built as plain dicts and written with one Core ``INSERT`` per batch (executemany) inside
a single unit of work; 50 000 people with about 250 000 contacts take seconds, not minutes. The derived
search columns come from ``people.mapping.person_to_row`` itself, so they are exactly what a save through
the person service would store.

Deterministic: the same ``seed`` and ``today`` give the same data (file numbers and ids also depend on
what the database already holds: numbering continues after the highest existing file number per year).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from random import Random
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert, select

from bildungskoordination.courses.demo import generate_demo_courses
from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.domain.names import words
from bildungskoordination.domain.vocab import district, language_name, vocabulary
from bildungskoordination.events import Change
from bildungskoordination.people.demo_profiles import (
    _add_months,
    _Country,
    _load_countries,
    _pick_pairs,
    _poisson_weights,
    _Weighted,
)
from bildungskoordination.people.mapping import person_to_row
from bildungskoordination.people.records import LanguageSkill, PersonData
from bildungskoordination.people.validation import normalise_person
from bildungskoordination.privacy.erasure import next_person_id
from bildungskoordination.resources import load_toml
from bildungskoordination.store.identity import os_user
from bildungskoordination.store.models import Contact, Person

if TYPE_CHECKING:
    from bildungskoordination.services import Services

BATCH = 2000
LEVELS = ("keine", "A1", "A2", "B1", "B2", "C1", "C2")
# Chance that a contact at this German level is held with an interpreter.
INTERPRETER_CHANCE = {"": 0.3, "keine": 0.75, "A1": 0.55, "A2": 0.25}
INTERPRETER_CHANNELS = {"persoenlich", "aufsuchend", "video", "telefon"}
# Age bands (from, to, weight): mostly adults of working age, a few school children.
AGE_BANDS = ((6, 15, 4), (16, 25, 26), (26, 40, 42), (41, 55, 21), (56, 65, 6), (66, 74, 1))
YEARS_BACK_CREATED = 3  # files were opened over the last three years
YEARS_BACK_ARRIVAL = 10  # arrivals within the last ten years
DEMO_COLLEAGUE = "kollegin"  # invented second coordinator of the demo data
OPEN_FOLLOWUP_SHARE = 0.31  # latest contact with an open follow-up (a little above 30 %: see _contacts)
WEEKDAYS = ("mo", "di", "mi", "do", "fr")


class _Generator:
    """Builds person and contact rows; one instance per call of generate_demo."""

    def __init__(self, rng: Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.today_ord = today.toordinal()
        content = load_toml("demo", "content.toml")
        self.content = content
        self.countries = _load_countries()
        self.country = _Weighted([(c, c.weight) for c in self.countries])
        dist = district()
        muni_weight = content["weights"].get("municipality", {})
        self.municipality = _Weighted([(m, muni_weight.get(m, 1)) for m in dist["municipalities"]])
        addr = content["address"]
        self.towns = {m: addr["towns"].get(m) or [f"{addr['default_postcode']} {m}"]
                      for m in dist["municipalities"]}
        self.streets = addr["streets"]
        self.shared = addr["shared_accommodation"]
        self.mobile = content["phone"]["mobile_prefixes"]
        self.landline = content["phone"]["landline_prefixes"]
        self.mail_domains = content["email"]["domains"]
        self.places = content["place"]
        self.notes = {k: v for k, v in content["note"].items() if k != "extra"}
        self.note_extra = content["note"]["extra"]
        self.next_steps = content["next_step"]
        self.person_notes = content["person_note"]["texts"]
        w = content["weights"]
        self.channel = _Weighted(w["channel"])
        self.outcome = _Weighted(w["outcome"])
        self.interpreter_kind = _Weighted(w["interpreter_kind"])
        self.base_topics = {code: float(weight) for code, weight in w["topic"]}
        self.consent_how = _Weighted(w["consent_how"])
        self.level_source = _Weighted(w["level_source"])
        self.residence_rules = content["residence"]
        self.contacts_per_person = _poisson_weights(5.0, 1, 10)
        self.age_band = _Weighted([((a, b), wt) for a, b, wt in AGE_BANDS])
        self._check_codes()

    def _check_codes(self) -> None:
        """Fail early (with the file to fix) if the demo data uses a code the vocabularies lack."""
        problems = []
        residence, languages = vocabulary("residence_status"), vocabulary("languages")
        for c in self.countries:
            if c.code not in vocabulary("countries"):
                problems.append(f"country {c.code}")
            problems += [f"{c.code}: residence {s}" for s in c.residence.items if s not in residence]
            problems += [f"{c.code}: residence rule {s}" for s in c.residence.items if s not in self.residence_rules]
            codes = [x for x in c.first_language.items if x] + [o[0] for o in c.other_languages]
            codes += c.letter_language.items
            problems += [f"{c.code}: language {x}" for x in codes if x not in languages]
        for name, vocab in (("channel", "channels"), ("outcome", "outcomes"), ("interpreter_kind", "interpreter_kind"),
                            ("consent_how", "consent_how"), ("level_source", "level_source")):
            problems += [f"{name} {x}" for x in getattr(self, name).items if x not in vocabulary(vocab)]
        problems += [f"topic {t}" for t in self.base_topics if t not in vocabulary("topics")]
        if problems:
            raise ValueError("resources/demo: unknown codes: " + ", ".join(problems))

    # --- helpers ---------------------------------------------------------------------------------
    def _day(self, low: int, high: int) -> int:
        """A random day ordinal in [low, high] (high wins if the range is empty)."""
        return high if high <= low else self.rng.randint(low, high)

    def _time(self, ordinal: int) -> datetime:
        minutes = self.rng.randint(8 * 60, 16 * 60 + 45)
        return datetime.combine(date.fromordinal(ordinal), time(minutes // 60, minutes % 60))

    # --- one person ------------------------------------------------------------------------------
    def person(self, created_ord: int) -> tuple[PersonData, dict[str, Any]]:
        """The person (as the service would see it) and facts the contacts depend on."""
        rng, today_ord = self.rng, self.today_ord
        c: _Country = self.country.pick(rng)

        # Gender and names
        r = rng.random()
        gender = "w" if r < c.female_share else "m"
        if rng.random() < 0.004:
            gender = "x"
        female = gender == "w" or (gender == "x" and rng.random() < 0.5)
        given, given_orig = rng.choice(c.female if female else c.male)
        gendered = c.family_female if female else c.family_male
        pool = c.family + gendered if gendered else c.family
        family, family_orig = rng.choice(pool)
        name_original = ""
        if c.has_script and given_orig and family_orig and rng.random() < 0.92:
            name_original = f"{given_orig} {family_orig}"

        # Birth: age today, then how the date was written in the documents
        lo_age, hi_age = self.age_band.pick(rng)
        age = rng.randint(lo_age, hi_age)
        born_ord = today_ord - int((age + rng.random()) * 365.25)
        born = date.fromordinal(born_ord)
        fmt = c.birth_format.pick(rng)
        if fmt == "jan1":
            birth = PartialDate(born.year, 1, 1, f"01.01.{born.year}")
        elif fmt == "year":
            birth = PartialDate(born.year, None, None, f"00.00.{born.year}")
        elif fmt == "month":
            birth = PartialDate(born.year, born.month, None, f"{born.month:02d}.{born.year}")
        else:
            birth = PartialDate(born.year, born.month, born.day)

        # Arrival: before the file was opened, after birth, within the last ten years
        low = max(today_ord - YEARS_BACK_ARRIVAL * 365, born_ord + 1)
        if c.code == "UA":
            low = max(low, min(date(2022, 2, 24).toordinal(), created_ord))
        if rng.random() < 0.55:
            arrival_ord = created_ord - int(rng.expovariate(1 / 150))
        else:
            arrival_ord = self._day(low, created_ord)
        arrival_ord = min(max(arrival_ord, low), created_ord)
        years_here = (today_ord - arrival_ord) / 365.25

        # Residence status with the dates of the current document
        status = c.residence.pick(rng)
        rule = self.residence_rules[status]
        if years_here < rule.get("min_years", 0):
            status = c.main_residence
            rule = self.residence_rules[status]
        issued = expires = first_issue = None
        first_ord = arrival_ord + rng.randint(*rule["delay"])
        if first_ord <= today_ord:
            # "Status seit" is the day the status was first granted: renewals do not restart § 44 Abs. 2's year.
            issued = first_issue = date.fromordinal(first_ord)
            months = rng.choice(rule["months"])
            if months:
                expires = _add_months(issued, months)
                # Renewed a little before it ran out; for a few the renewal is overdue (lapsed recently).
                lapsed = rng.random() < 0.05
                previous = None
                while expires.toordinal() < today_ord:
                    renewed = expires - timedelta(days=rng.randint(0, 21))
                    previous = (issued, expires)
                    issued, expires = renewed, _add_months(renewed, rng.choice(rule["months"]))
                if lapsed and previous is not None and previous[1].toordinal() >= today_ord - 120:
                    issued, expires = previous

        # Schooling, literacy, German
        literacy = c.literacy.pick(rng)
        mean, sd = c.school_years
        years = max(0, min(18, age - 6, round(rng.gauss(mean, sd))))
        if literacy == "nein":
            years = min(years, rng.randint(0, 3))
        school: int | None = years
        if age < 16:
            literacy = "lateinisch" if rng.random() < 0.7 else literacy
        if rng.random() < 0.05:
            school = None
        qualification = "" if age < 16 else self._qualification(school)
        if age < 22 and qualification == "hochschule":
            qualification = "sek2"
        recognition = "" if age < 16 else self._recognition(qualification)
        if age >= 16 and rng.random() < 0.04:
            literacy = ""

        mu = 0.4 + 0.55 * min(years_here, 6) + 0.12 * ((school if school is not None else 8) - 9)
        mu -= {"nein": 1.3, "andere_schrift": 0.5}.get(literacy, 0.0) + (0.5 if age > 50 else 0.0)
        level = LEVELS[max(0, min(6, round(rng.gauss(mu, 1.0))))]
        if rng.random() < 0.03:
            level = ""
        level_date = None
        level_source = ""
        if level == "keine":
            level_date, level_source = date.fromordinal(created_ord), "selbsteinschaetzung"
        elif level:
            level_date = date.fromordinal(self._day(min(arrival_ord + 60, today_ord), today_ord))
            level_source = self.level_source.pick(rng)
            if level in ("B2", "C1", "C2") and rng.random() < 0.6:
                level_source = "zertifikat"

        # Languages
        first = c.first_language.pick(rng)
        languages = [LanguageSkill(first, "muttersprache")] if first else []
        for code, chance, skill in c.other_languages:
            if code != first and rng.random() < chance:
                languages.append(LanguageSkill(code, skill))
        interpreter_language = first or (languages[0].code if languages else "")
        letter = c.letter_language.pick(rng)
        if level in ("B1", "B2", "C1", "C2") and rng.random() < 0.6:
            letter = "de"

        # Where, how to reach
        municipality = self.municipality.pick(rng)
        address = self._address(municipality, status, years_here)
        phone = self._phone()
        email = self._email(given, family) if rng.random() < 0.12 else ""

        # Childcare and availability
        needs_childcare, children = False, 0
        if 20 <= age < 50:
            chance = 0.35 if gender == "w" else 0.08
            if rng.random() < chance:
                needs_childcare, children = True, rng.choice((1, 1, 1, 2, 2, 2, 3, 3, 4))
        availability = self._availability(needs_childcare)
        weekdays = self._weekdays()

        # Consent: almost everyone at the first contact; a few are missing so the warning shows.
        consent_date, scope, how = None, [], ""
        if rng.random() < 0.95:
            consent_date = date.fromordinal(created_ord)
            scope = ["beratung", "vermittlung"] + (["kontakt"] if rng.random() < 0.45 else [])
            how = self.consent_how.pick(rng)
            if literacy == "nein" and how == "schriftlich" and rng.random() < 0.5:
                how = "muendlich"

        nationality = "XX" if rng.random() < c.stateless else c.code
        law = _law_facts(Random(f"{self.today_ord}-{created_ord}-{family}-{given}"), status, first_issue, level,
                         arrival_ord, today_ord)
        data = PersonData(
            family_name=family, given_name=given, name_original=name_original, birth=birth, gender=gender,
            nationalities=[nationality], arrival_date=date.fromordinal(arrival_ord), residence_status=status,
            residence_issued=first_issue, residence_expires=expires, languages=languages, german_level=level,
            german_level_date=level_date, german_level_source=level_source, literacy=literacy,
            school_years=school, qualification=qualification, recognition=recognition,
            municipality=municipality, address=address, phone=phone, email=email,
            needs_childcare=needs_childcare, childcare_children=children, availability=availability,
            weekdays=weekdays, letter_language=letter, consent_date=consent_date, consent_scope=scope,
            consent_how=how, note=rng.choice(self.person_notes) if rng.random() < 0.2 else "",
            **law,
        )
        facts = {
            "age": age, "level": level, "status": status, "qualification": qualification,
            "childcare": needs_childcare, "interpreter_language": interpreter_language,
            "municipality": municipality,
        }
        return data, facts

    def _qualification(self, school: int | None) -> str:
        rng = self.rng
        if school is None or rng.random() < 0.05:
            return ""
        options: tuple[tuple[str, int], ...]
        if school <= 4:
            options = (("keiner", 70), ("primar", 30))
        elif school <= 8:
            options = (("primar", 55), ("keiner", 15), ("sek1", 30))
        elif school <= 10:
            options = (("sek1", 60), ("primar", 10), ("beruf", 20), ("sek2", 10))
        elif school <= 12:
            options = (("sek2", 45), ("sek1", 15), ("beruf", 25), ("hochschule", 15))
        else:
            options = (("hochschule", 55), ("sek2", 20), ("beruf", 25))
        return _pick_pairs(rng, options)

    def _recognition(self, qualification: str) -> str:
        rng = self.rng
        if qualification in ("beruf", "hochschule"):
            return _pick_pairs(rng, (("offen", 35), ("beantragt", 18), ("teilweise", 10), ("anerkannt", 17),
                                     ("abgelehnt", 5), ("nicht_relevant", 15)))
        if qualification == "sek2":
            return _pick_pairs(rng, (("nicht_relevant", 70), ("offen", 15), ("anerkannt", 15)))
        return "nicht_relevant" if rng.random() < 0.6 else ""

    def _address(self, municipality: str, status: str, years_here: float) -> str:
        rng = self.rng
        if rng.random() < 0.03:
            return ""
        town = rng.choice(self.towns[municipality])
        street = rng.choice(self.streets)
        number = str(rng.randint(1, 80)) + ("a" if rng.random() < 0.07 else "")
        if status == "gestattung" and years_here < 1.5 and rng.random() < 0.5:
            place = rng.choice(self.shared).format(street=street, number=number, town=town.split(" ", 1)[1],
                                                  room=rng.randint(1, 40))
            return f"{place}, {town}"
        return f"{street} {number}, {town}"

    def _phone(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.88:
            prefix = rng.choice(self.mobile)
            digits = "".join(rng.choices("0123456789", k=11 - len(prefix)))
            if rng.random() < 0.1:
                return f"+49 {prefix[1:]} {digits}"
            return f"{prefix} {digits}"
        if r < 0.93:
            prefix = rng.choice(self.landline)
            return f"{prefix} {rng.randint(10000, 999999)}"
        return ""

    def _email(self, given: str, family: str) -> str:
        rng = self.rng
        g, f = "".join(words(given)), "".join(words(family))
        local = rng.choice((f"{g}.{f}", f"{g}{f}", f"{g[:1]}.{f}", f"{g}.{f}{rng.randint(1, 99)}",
                            f"{g}{rng.randint(1970, 2010)}"))
        return f"{local}@{rng.choice(self.mail_domains)}"

    def _availability(self, needs_childcare: bool) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.1:
            return []
        if needs_childcare:
            return ["vormittags"] if r < 0.85 else ["vormittags", "nachmittags"]
        return list(rng.choice((("vormittags",), ("nachmittags",), ("vormittags", "nachmittags"),
                                ("vormittags", "nachmittags"), ("abends",), ("nachmittags", "abends"),
                                ("vormittags", "nachmittags", "abends"))))

    def _weekdays(self) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.15:
            return []
        if r < 0.6:
            days = list(WEEKDAYS)
        else:
            chosen = set(rng.sample(WEEKDAYS, rng.randint(2, 4)))
            days = [d for d in WEEKDAYS if d in chosen]
        if rng.random() < 0.05:
            days.append("sa")
        return days

    # --- contacts --------------------------------------------------------------------------------
    def _topic_weights(self, facts: dict[str, Any]) -> _Weighted:
        w = dict(self.base_topics)
        age, level, status = facts["age"], facts["level"], facts["status"]
        if age < 16:
            for t in ("integrationskurs", "berufssprachkurs", "arbeit", "anerkennung", "studium"):
                w[t] = 0.0
            w["schule"] = 30.0
            w["ausbildung"] = 4.0
        elif age <= 25:
            w["ausbildung"] += 10
            w["schule"] += 4
        if facts["qualification"] in ("beruf", "hochschule"):
            w["anerkennung"] += 12
            w["berufssprachkurs"] += 6
            if facts["qualification"] == "hochschule":
                w["studium"] += 3
        if facts["childcare"]:
            w["kinderbetreuung"] += 12
        if level in ("B1", "B2", "C1", "C2"):
            w["berufssprachkurs"] += 8
            w["arbeit"] += 6
            w["sprachkurs"] = max(1.0, w["sprachkurs"] - 8)
            w["integrationskurs"] = max(1.0, w["integrationskurs"] - 8)
        elif level in ("keine", "A1"):
            w["sprachkurs"] += 6
            w["integrationskurs"] += 6
        if status in ("gestattung", "duldung_60a", "duldung_60a_2_1", "duldung_60a_2_3"):
            w["sprachkurs"] += 5
            w["arbeit"] += 3
        return _Weighted([(t, x) for t, x in w.items() if x > 0])

    def contacts(self, person_id: int, created_ord: int, facts: dict[str, Any]) -> list[dict[str, Any]]:
        rng, today_ord = self.rng, self.today_ord
        k = self.contacts_per_person.pick(rng)
        span = today_ord - created_ord
        if k > 1 and span > 0:
            if span >= k - 1:
                later = sorted(rng.sample(range(created_ord + 1, today_ord + 1), k - 1))
            else:
                later = sorted(rng.randint(created_ord, today_ord) for _ in range(k - 1))
            days = [created_ord, *later]
        else:
            days = [created_ord] * k

        # The latest contact of about a third of the people has an open follow-up around today.
        open_followup: int | None = None
        if rng.random() < OPEN_FOLLOWUP_SHARE:
            r = rng.random()
            if r < 0.4:
                open_followup = today_ord - rng.randint(1, 60)  # overdue
            elif r < 0.65:
                open_followup = today_ord + rng.randint(0, 6)  # this week
            else:
                open_followup = today_ord + rng.randint(7, 90)  # later
            last = days[-1]
            if k > 1 and last < open_followup - 120:
                # A follow-up is set at a recent contact: move the latest contact close to it.
                days[-1] = min(today_ord, max(days[-2], open_followup - rng.randint(7, 56)))
            if open_followup < days[-1]:
                open_followup = days[-1] + rng.randint(7, 28)

        topics_w = self._topic_weights(facts)
        level = facts["level"]
        interpreter_chance = INTERPRETER_CHANCE.get(level, 0.0)
        municipality = facts["municipality"]
        language = facts["interpreter_language"]
        rows = []
        for i, day in enumerate(days):
            is_last = i == k - 1
            channel = "persoenlich" if i == 0 and rng.random() < 0.8 else self.channel.pick(rng)
            not_reached = channel in ("telefon", "messenger", "email") and rng.random() < 0.12
            n_topics = 1 if not_reached else _pick_pairs(rng, ((1, 50), (2, 35), (3, 15)))
            topics: list[str] = []
            for _ in range(n_topics * 3):
                t = topics_w.pick(rng)
                if t not in topics:
                    topics.append(t)
                    if len(topics) == n_topics:
                        break
            interpreter_language = interpreter_kind = ""
            if (language and channel in INTERPRETER_CHANNELS and not not_reached
                    and rng.random() < interpreter_chance):
                interpreter_language, interpreter_kind = language, self.interpreter_kind.pick(rng)
            fill = {"municipality": municipality, "level": level or "B1",
                    "language": language_name(interpreter_language) if interpreter_language else ""}
            if not_reached:
                outcome = "nicht_erreicht"
                note = rng.choice(self.note_extra["not_reached"])
                next_step = rng.choice(self.next_steps["not_reached"])
                duration = rng.choice((None, 2, 5))
            else:
                outcome = self.outcome.pick(rng)
                parts = [rng.choice(self.notes[topics[0]]).format(**fill)]
                if interpreter_language:
                    parts.append(rng.choice(self.note_extra["interpreter"]).format(**fill))
                if rng.random() < 0.25:
                    parts.append(rng.choice(self.note_extra["general"]))
                note = " ".join(parts)
                next_step = ""
                if outcome in ("informiert", "vermittelt", "in_bearbeitung") and rng.random() < 0.85:
                    next_step = rng.choice(self.next_steps[topics[0]]).format(**fill)
                duration = self._duration(channel)
            followup_date = None
            followup_done = False
            if is_last and open_followup is not None:
                followup_date = date.fromordinal(open_followup)
                if not next_step:
                    next_step = rng.choice(self.next_steps[topics[0]]).format(**fill)
                if outcome in ("erledigt", "kein_bedarf"):
                    outcome = "in_bearbeitung"
            elif next_step and rng.random() < (0.5 if is_last else 0.75):
                f = min(day + rng.randint(7, 42), today_ord)
                followup_date = date.fromordinal(f)
                followup_done = rng.random() < 0.98
            created = self._time(day)
            updated = created
            if followup_done and followup_date is not None and followup_date.toordinal() > day:
                updated = self._time(followup_date.toordinal())
            place = rng.choice(self.places.get(channel, [""]))
            rows.append({
                "person_id": person_id, "contact_date": date.fromordinal(day), "duration_minutes": duration,
                "channel": channel, "place": place.format(**fill) if place else "",
                "interpreter_language": interpreter_language, "interpreter_kind": interpreter_kind,
                "topics": topics, "note": note, "outcome": outcome, "next_step": next_step,
                "followup_date": followup_date, "followup_done": followup_done,
                "created_at": created, "updated_at": updated,
                # Every third person is looked after by a colleague: "Meine Wiedervorlagen" differs from "Alle".
                "owner": DEMO_COLLEAGUE if person_id % 3 == 0 else os_user(),
            })
        return rows

    def _duration(self, channel: str) -> int | None:
        rng = self.rng
        if rng.random() < 0.08:
            return None
        if channel in ("persoenlich", "aufsuchend"):
            return 5 * rng.randint(4, 18)
        if channel == "video":
            return 5 * rng.randint(4, 12)
        if channel == "email":
            return rng.choice((5, 10, 15))
        return 5 * rng.randint(1, 6)


class _RowTarget:
    """Receives the columns person_to_row sets, so the derived search columns are the service's own."""


def _person_row(data: PersonData) -> dict[str, Any]:
    target = _RowTarget()
    person_to_row(normalise_person(data), target)  # type: ignore[arg-type]
    return target.__dict__


def _highest_numbers(session, prefix: str) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Highest existing file number per year for PREFIX-YEAR-NNNN."""
    pattern = re.compile(re.escape(prefix) + r"-(\d{4})-(\d+)")
    highest: dict[int, int] = {}
    for number in session.scalars(select(Person.file_number).where(Person.file_number.like(f"{prefix}-%"))):
        m = pattern.fullmatch(number)
        if m:
            year, n = int(m.group(1)), int(m.group(2))
            highest[year] = max(highest.get(year, 0), n)
    return highest


def generate_demo(services: Services, persons: int, *, seed: int = 1, today: date | None = None,
                  progress: Callable[[int], None] | None = None) -> int:
    """Add ``persons`` invented people with about five counselling contacts each; returns the number added.

    Files were opened over the last three years (file numbers PREFIX-YEAR-NNNN continue after the highest
    existing number of each year), arrivals lie within the last ten years, and the latest contact of about
    30 % of the people has an open follow-up – overdue, due this week or later – around ``today``.
    ``progress`` is called with the number of people written so far after each batch.
    """
    if persons <= 0:
        return 0
    today = today or date.today()
    rng = Random(seed)
    gen = _Generator(rng, today)
    prefix = district().get("file_number_prefix", "BK")

    # File opening days, drawn up front and sorted so that file numbers and ids follow the calendar.
    today_ord = today.toordinal()
    first_ord = today_ord - YEARS_BACK_CREATED * 365
    created_days = sorted(rng.randint(first_ord, today_ord) for _ in range(persons))

    with services.store.unit_of_work() as s:
        next_id = next_person_id(s)  # never an erased person's id
        first_new_id = next_id
        counters = _highest_numbers(s, prefix)
        person_rows: list[dict[str, Any]] = []
        contact_rows: list[dict[str, Any]] = []
        done = 0
        for created_ord in created_days:
            data, facts = gen.person(created_ord)
            year = date.fromordinal(created_ord).year
            counters[year] = counters.get(year, 0) + 1
            data.file_number = f"{prefix}-{year}-{counters[year]:04d}"
            contacts = gen.contacts(next_id, created_ord, facts)
            row = _person_row(data)
            row["id"] = next_id
            row["created_at"] = contacts[0]["created_at"] - timedelta(minutes=rng.randint(1, 5))
            row["updated_at"] = max(c["updated_at"] for c in contacts)
            person_rows.append(row)
            contact_rows.extend(contacts)
            next_id += 1
            if len(person_rows) >= BATCH:
                _flush(s, person_rows, contact_rows)
                done += len(person_rows)
                person_rows, contact_rows = [], []
                if progress:
                    progress(done)
        if person_rows:
            _flush(s, person_rows, contact_rows)
            done += len(person_rows)
            if progress:
                progress(done)
        generate_demo_courses(s, rng, today, list(range(first_new_id, next_id)))
        if services.store.on_server:  # rows written with their own ids: the sequences must not hand them out again
            from bildungskoordination.store.server import catch_up_sequences

            catch_up_sequences(s, ("person", "contact", "referral", "referral_event", "course", "provider"))
    services.bus.publish(Change("person", "imported", (), ()))
    return done


def _flush(session, person_rows: list[dict[str, Any]], contact_rows: list[dict[str, Any]]) -> None:  # type: ignore[no-untyped-def]
    # Core inserts on the tables (plain executemany; no ORM bookkeeping per row).
    session.execute(insert(cast(Table, Person.__table__)), person_rows)
    session.execute(insert(cast(Table, Contact.__table__)), contact_rows)


_STOP = date(2026, 2, 9)  # BAMF: no new § 44 Abs. 4 admissions from this day (resources/matching/rules.toml)
_ADMISSIBLE = ("eu", "24", "gestattung", "duldung_60a_2_3", "25_5", "25_3", "niederlassung")
_OBLIGED_BY = {"24": "jobcenter", "gestattung": "sozialamt", "duldung_60a_2_3": "sozialamt", "25_5": "sozialamt",
               "25_2": "auslaenderbehoerde", "25_1": "auslaenderbehoerde", "30": "auslaenderbehoerde"}


def _law_facts(rng: Random, status: str, since: date | None, level: str, arrival_ord: int,
               today_ord: int) -> dict[str, Any]:
    """Obligation, BAMF admission and a finished integration course, as often as a district sees them.
    Own random stream: adding these facts leaves every other invented value as it was."""
    facts: dict[str, Any] = {}
    today = date.fromordinal(today_ord)
    if status in _OBLIGED_BY and since is not None and rng.random() < 0.3:
        facts["obligation"] = _OBLIGED_BY[status]
        facts["obliged_on"] = min(today, since + timedelta(days=rng.randint(14, 200)))
    elif status in _ADMISSIBLE and since is not None and since < _STOP and rng.random() < 0.35:
        facts["bamf_admission_on"] = min(_STOP - timedelta(days=1), since + timedelta(days=rng.randint(30, 300)))
    if level in ("A2", "B1", "B2") and (today_ord - arrival_ord) > 600 and rng.random() < 0.6:
        facts["ik_completed_on"] = date.fromordinal(min(today_ord - 30, arrival_ord + rng.randint(400, 900)))
        facts["ik_final_level"] = "A2" if level == "A2" else rng.choice(("B1", "B1", "A2"))
    elif level == "A1" and (today_ord - arrival_ord) > 700 and rng.random() < 0.2:
        facts["ik_completed_on"] = date.fromordinal(min(today_ord - 30, arrival_ord + rng.randint(500, 900)))
        facts["ik_final_level"] = "unter_a2"
    return facts

