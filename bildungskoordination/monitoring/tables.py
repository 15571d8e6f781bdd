"""Counting for the monitoring tables: aggregated in SQLite (GROUP BY, json_each), shaped into CountTables.

Who counts: contacts with their date in the period; a person counselled has at least one such contact (person
attributes as stored now, age at the period's end); referrals whose referral date (first status event) lies
in the period, by their current status. People whose processing is restricted (consent withdrawn, Art. 18
DSGVO) are left out of every count. No row-level value ever leaves this module – only counts.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from bildungskoordination.monitoring.categories import UNKNOWN, UNKNOWN_LABEL, Categories, Category
from bildungskoordination.monitoring.model import CountTable, Period, Row
from bildungskoordination.monitoring.suppression import cell

TOTAL = "Insgesamt"
NO_INTERPRETER, OTHER_COURSE = "ohne", "sonstige"
# (id, title) in the order of an export; titles are German (they go into the documents).
TABLE_TITLES: tuple[tuple[str, str], ...] = (
    ("beratung_themen", "Beratungskontakte und beratene Personen nach Thema"),
    ("beratung_kontaktweg", "Beratungskontakte und beratene Personen nach Kontaktweg"),
    ("beratung_sprachmittlung", "Beratungskontakte und beratene Personen nach Sprachmittlung"),
    ("personen_geschlecht", "Beratene Personen nach Geschlecht"),
    ("personen_alter", "Beratene Personen nach Altersgruppe"),
    ("personen_staatsangehoerigkeit", "Beratene Personen nach Staatsangehörigkeit"),
    ("personen_aufenthalt", "Beratene Personen nach Aufenthaltsstatus"),
    ("personen_deutsch", "Beratene Personen nach Deutschniveau (zuletzt erfasst)"),
    ("personen_gebiet", "Beratene Personen nach Wohnort"),
    ("vermittlungen_kursart_status", "Vermittlungen in Kurse nach Kursart und Stand"),
    ("vermittlungen_wartezeit", "Zeit vom Erstkontakt bis zum Kursbeginn"),
)
PERSON_DIMENSIONS = ("gender", "age", "nationality", "residence", "german", "area")

# "+c.contact_date": a full scan of ``contact`` is several times faster than the date index once a period holds
# a sizeable share of all contacts (a quarter or more), and still fast for a month.
IN_PERIOD = "+c.contact_date BETWEEN :start AND :end"
_REFERRAL_DAY = ("COALESCE((SELECT min(e.at) FROM referral_event e WHERE e.referral_id = r.id), "
                 "date(r.created_at))")


@dataclass
class RawCounts:
    """Unsuppressed counts of one period (never leaves the core unsuppressed except in Overview)."""
    contacts: int = 0
    persons: int = 0
    by_topic: dict[str, tuple[int, int]] = field(default_factory=dict)        # code → (contacts, persons)
    by_channel: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_interpreter: dict[str, tuple[int, int]] = field(default_factory=dict)
    persons_by: dict[str, Counter[str]] = field(default_factory=dict)       # dimension → code → persons
    referrals: Counter[tuple[str, str]] = field(default_factory=Counter)    # (course type, status) → n
    start_days: list[int | None] = field(default_factory=list)              # None: no first contact known


def count(session: Session, period: Period, cats: Categories) -> RawCounts:
    if session.get_bind().dialect.name != "sqlite":
        from bildungskoordination.monitoring.server_counts import count_on_server

        return count_on_server(session, period, cats)
    params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    raw = RawCounts()
    in_period = IN_PERIOD + not_restricted(session, "c.person_id")
    # count(*): ContactService stores each topic of a contact once.
    raw.by_topic = _pairs(session, "SELECT t.value, count(*), count(DISTINCT c.person_id) "
                                   f"FROM contact c, json_each(c.topics) t WHERE {in_period} GROUP BY t.value", params)
    # Codes outside the vocabularies land in the "unbekannt" row, so that the rows add up to the total.
    channels, kinds = _sql_list(c.code for c in cats.channels), _sql_list(c.code for c in cats.interpreter_kinds)
    raw.by_channel = _pairs(session, (
        f"SELECT CASE WHEN c.channel IN ({channels}) THEN c.channel ELSE :unknown END AS channel, count(*), "
        f"count(DISTINCT c.person_id) FROM contact c WHERE {in_period} GROUP BY 1"), {**params, "unknown": UNKNOWN})
    raw.by_interpreter = _pairs(session, (
        "SELECT CASE WHEN c.interpreter_language = '' AND c.interpreter_kind = '' THEN :none "
        f"WHEN c.interpreter_kind IN ({kinds}) THEN c.interpreter_kind ELSE :unknown END AS kind, count(*), "
        f"count(DISTINCT c.person_id) FROM contact c WHERE {in_period} GROUP BY kind"),
        {**params, "none": NO_INTERPRETER, "unknown": UNKNOWN})
    raw.persons_by = {d: Counter() for d in PERSON_DIMENSIONS}
    rows = session.execute(text(
        "SELECT p.gender, p.birth_year, p.birth_month, p.birth_day, json_extract(p.nationalities, '$[0]'), "
        "p.residence_status, p.german_level, p.municipality FROM person p "
        f"WHERE p.consent_withdrawn_at IS NULL AND p.id IN (SELECT c.person_id FROM contact c WHERE {IN_PERIOD})"),
        params)
    codes = PersonCodes(cats, period.end)
    counters = [raw.persons_by[d] for d in PERSON_DIMENSIONS]
    for row in rows:   # GROUP BY in SQL is slower here than counting the (few) columns in Python
        raw.persons += 1
        for counter, code in zip(counters, codes(*row), strict=True):
            counter[code] += 1
    raw.contacts = sum(n for n, _persons in raw.by_channel.values())   # every contact has exactly one channel
    referral_filter = f"{_REFERRAL_DAY} BETWEEN :start AND :end" + not_restricted(session, "r.person_id")
    for course_type, status, n in session.execute(text(
            "SELECT co.course_type, r.status, count(*) FROM referral r JOIN course co ON co.id = r.course_id "
            f"WHERE {referral_filter} GROUP BY 1, 2"), params):
        raw.referrals[(course_type, status)] += n
    for began, course_start, first_contact, _status in session.execute(text(
            "SELECT (SELECT min(e.at) FROM referral_event e WHERE e.referral_id = r.id AND e.status = 'begonnen'), "
            "co.start, (SELECT min(c.contact_date) FROM contact c WHERE c.person_id = r.person_id), r.status "
            "FROM referral r JOIN course co ON co.id = r.course_id "
            f"WHERE {referral_filter} AND (r.status = 'begonnen' OR EXISTS (SELECT 1 FROM referral_event e "
            "WHERE e.referral_id = r.id AND e.status = 'begonnen'))"), params):
        start = began or course_start
        if start is None or first_contact is None:
            raw.start_days.append(None)
        else:
            raw.start_days.append(max(0, (_day(start) - _day(first_contact)).days))
    return raw


def not_restricted(session: Session, column: str) -> str:
    """SQL condition leaving out restricted people; usually there are none, and then the scan needs no filter."""
    ids = session.scalars(text("SELECT id FROM person WHERE consent_withdrawn_at IS NOT NULL")).all()
    return f" AND {column} NOT IN ({', '.join(str(int(i)) for i in ids)})" if ids else ""


def _sql_list(codes: Iterable[str]) -> str:
    """Vocabulary codes (data from resources/, quoted safely) as an SQL list."""
    return ", ".join("'" + code.replace("'", "''") + "'" for code in codes) or "''"


def _pairs(session: Session, sql: str, params: dict[str, str]) -> dict[str, tuple[int, int]]:
    return {str(code or ""): (int(a), int(b)) for code, a, b in session.execute(text(sql), params)}


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class PersonCodes:
    """Row → category code per dimension (same order as PERSON_DIMENSIONS)."""

    def __init__(self, cats: Categories, end: date) -> None:
        self.cats, self.end = cats, end
        self.genders = {c.code for c in cats.genders}
        self.main = {c.code for c in cats.main_countries}
        self.levels = {c.code for c in cats.german_levels}

    def __call__(self, gender: str, year: int | None, month: int | None, day: int | None, nat: str | None,
                 status: str, level: str, municipality: str) -> tuple[str, ...]:
        end = self.end
        age = end.year - year - ((end.month, end.day) < (month or 1, day or 1)) if year else None
        return self.with_age(gender, age, nat, status, level, municipality)

    def with_age(self, gender: str, age: int | None, nat: str | None, status: str, level: str,
                 municipality: str) -> tuple[str, ...]:
        """The codes from the age at the period's end (a team database computes it on the server)."""
        cats = self.cats
        nationality = UNKNOWN if not nat or nat == "XU" else nat if nat in self.main else "sonstige"
        residence = cats.residence_group_of.get(status, "sonstige") if status else UNKNOWN
        return (gender if gender in self.genders else "x", cats.age_band(age), nationality, residence,
                level if level in self.levels else UNKNOWN, cats.area_of.get(municipality, UNKNOWN))


def build_tables(raw: RawCounts, cats: Categories, k: int) -> tuple[list[CountTable], list[tuple[str, str]]]:
    """Every table, unsuppressed, and the category merges made so that less has to be hidden."""
    titles = dict(TABLE_TITLES)
    merges: list[tuple[str, str]] = []
    tables = [
        _contact_table("beratung_themen", titles, "Thema", cats.topics, raw.by_topic, "topic", raw, additive=False,
                       note="Mehrfachnennungen möglich: ein Kontakt kann mehrere Themen haben."),
        _contact_table("beratung_kontaktweg", titles, "Kontaktweg",
                       (*cats.channels, *([Category(UNKNOWN, "sonstiger Kontaktweg")] if UNKNOWN in raw.by_channel else [])),
                       raw.by_channel, "channel", raw,
                       note="Personen: Mehrfachnennungen möglich (eine Person kann mehrere Kontaktwege nutzen)."),
        _contact_table("beratung_sprachmittlung", titles, "Sprachmittlung",
                       (Category(NO_INTERPRETER, "ohne Sprachmittlung"),
                        *(Category(c.code, f"mit Sprachmittlung: {c.label}") for c in cats.interpreter_kinds),
                        Category(UNKNOWN, "mit Sprachmittlung, Art nicht angegeben")),
                       raw.by_interpreter, "interpreter", raw,
                       note="Personen: Mehrfachnennungen möglich."),
    ]
    unknown = Category(UNKNOWN, UNKNOWN_LABEL)
    person_specs = (
        ("personen_geschlecht", "Geschlecht", "gender", cats.genders, ""),
        ("personen_alter", "Altersgruppe", "age", (*cats.age_bands, unknown), "Alter am Ende des Zeitraums."),
        ("personen_staatsangehoerigkeit", "Staatsangehörigkeit", "nationality",
         (*cats.main_countries, Category("sonstige", cats.other_country_label),
          Category(UNKNOWN, cats.unknown_country_label)), "Es zählt die erste angegebene Staatsangehörigkeit."),
        ("personen_aufenthalt", "Aufenthaltsstatus (Gruppe)", "residence", (*cats.residence_groups, unknown),
         "Aufenthaltsstatus wie zuletzt erfasst."),
        ("personen_deutsch", "Deutschniveau", "german", (*cats.german_levels, unknown),
         "Das zuletzt erfasste Deutschniveau (nicht unbedingt das beim Erstkontakt)."),
        ("personen_gebiet", cats.area_title, "area", (*cats.areas, unknown), ""),
    )
    for table_id, row_title, dim, rows, note in person_specs:
        counts = dict(raw.persons_by.get(dim, Counter()))
        order = [Category(r.code, r.label) for r in rows]
        if dim == "nationality":
            order, counts = _fold_small_countries(order, counts, k, merges, row_title)
        order, counts = _apply_merges(table_id, row_title, order, counts, cats, k, merges)
        title = titles[table_id] if dim != "area" else f"Beratene Personen nach {cats.area_title}"
        tables.append(_person_table(table_id, title, row_title, dim, order, counts, raw.persons, note))
    tables.append(_referral_table(titles, cats, raw))
    tables.append(_start_table(titles, cats, raw, k))
    tables.append(_start_relation(raw))
    return tables, merges


def _contact_table(table_id: str, titles: dict[str, str], row_title: str, cats: tuple[Category, ...],
                   counts: dict[str, tuple[int, int]], dim: str, raw: RawCounts, *, additive: bool = True,
                   note: str = "") -> CountTable:
    rows = []
    for c in cats:
        contacts, persons = counts.get(c.code, (0, 0))
        # A row holding every contact holds every person: a reader sees that from the published contacts, so
        # its persons cell is the persons total and must share its key (else it would publish a hidden total).
        persons_key = ("total",) if 0 < contacts == raw.contacts else (f"{dim}={c.code}",)
        rows.append(Row(c.label, (cell(contacts, "contacts", f"{dim}={c.code}"), cell(persons, "persons", *persons_key))))
    rows.append(Row(TOTAL, (cell(raw.contacts, "contacts", "total"), cell(raw.persons, "persons", "total")), True))
    return CountTable(table_id, titles[table_id], row_title, ("Kontakte", "Personen"), tuple(rows),
                      rows_additive=additive, columns_additive=False, note=note,
                      nonadditive_columns=() if not additive else (1,))


def _person_table(table_id: str, title: str, row_title: str, dim: str, order: list[Category],
                  counts: dict[str, int], total: int, note: str) -> CountTable:
    rows = [Row(c.label, (cell(counts.get(c.code, 0), "persons", f"{dim}={c.code}"),)) for c in order]
    rows.append(Row(TOTAL, (cell(total, "persons", "total"),), True))
    return CountTable(table_id, title, row_title, ("Personen",), tuple(rows), columns_additive=False, note=note)


def _fold_small_countries(order: list[Category], counts: dict[str, int], k: int, merges: list[tuple[str, str]],
                          row_title: str) -> tuple[list[Category], dict[str, int]]:
    small = [c for c in order if c.code not in ("sonstige", UNKNOWN) and 0 < counts.get(c.code, 0) < k]
    if not small:
        return order, counts
    counts = dict(counts)
    for c in small:
        counts["sonstige"] = counts.get("sonstige", 0) + counts.pop(c.code)
    other = next(c for c in order if c.code == "sonstige")
    merges.append((row_title, f"{', '.join(c.label for c in small)} → {other.label}"))
    return [c for c in order if c not in small], counts


def _apply_merges(table_id: str, row_title: str, order: list[Category], counts: dict[str, int], cats: Categories,
                  k: int, merges: list[tuple[str, str]]) -> tuple[list[Category], dict[str, int]]:
    for rule in cats.merges:
        codes = [c.code for c in order]
        if rule.table != table_id or not all(m in codes for m in rule.members):
            continue
        if not any(0 < counts.get(m, 0) < k for m in rule.members):
            continue
        merged = Category("+".join(rule.members), rule.label)
        labels = [c.label for c in order if c.code in rule.members]
        position = min(codes.index(m) for m in rule.members)
        counts = {**{c: v for c, v in counts.items() if c not in rule.members},
                  merged.code: sum(counts.get(m, 0) for m in rule.members)}
        order = [c for c in order if c.code not in rule.members]
        order.insert(position, merged)
        merges.append((row_title, f"{', '.join(labels)} → {rule.label}"))
    return order, counts


def _referral_table(titles: dict[str, str], cats: Categories, raw: RawCounts) -> CountTable:
    known = {c.code for c in cats.course_types}
    types = (*cats.course_types, Category(OTHER_COURSE, "sonstige Kursart"))
    by_cell: Counter[tuple[str, str]] = Counter()
    for (course_type, status), n in raw.referrals.items():
        by_cell[(course_type if course_type in known else OTHER_COURSE, status)] += n
    statuses = cats.statuses
    rows = []
    for t in types:
        cells = [cell(by_cell[(t.code, s.code)], "referrals", f"type={t.code}", f"status={s.code}") for s in statuses]
        cells.append(cell(sum(by_cell[(t.code, s.code)] for s in statuses), "referrals", f"type={t.code}"))
        rows.append(Row(t.label, tuple(cells)))
    totals = [cell(sum(by_cell[(t.code, s.code)] for t in types), "referrals", f"status={s.code}") for s in statuses]
    totals.append(cell(sum(c.value for c in totals), "referrals", "total"))
    rows.append(Row(TOTAL, tuple(totals), True))
    table_id = "vermittlungen_kursart_status"
    return CountTable(table_id, titles[table_id], "Kursart", (*(s.label for s in statuses), TOTAL), tuple(rows),
                      total_column=True, note="Vermittlungen mit Vermittlungsdatum im Zeitraum, nach ihrem heutigen Stand.")


def _start_table(titles: dict[str, str], cats: Categories, raw: RawCounts, k: int) -> CountTable:
    bands = Counter(UNKNOWN if d is None else cats.start_band(d) for d in raw.start_days)
    order = (*cats.start_bands, Category(UNKNOWN, "Erstkontakt oder Kursbeginn unbekannt"))
    rows = [Row(b.label, (cell(bands[b.code], "starts", f"band={b.code}"),)) for b in order]
    rows.append(Row(TOTAL, (cell(len(raw.start_days), "starts", "total"),), True))
    known = [d for d in raw.start_days if d is not None]
    note = "Vermittlungen mit Vermittlungsdatum im Zeitraum, die begonnen haben."
    # The median of fewer than k values would describe individual people: not published.
    if len(known) >= k:
        months = f"{statistics.median(known) / 30.44:.1f}".replace(".", ",")
        note += f" Median: {months} Monate."
    table_id = "vermittlungen_wartezeit"
    return CountTable(table_id, titles[table_id], "Zeit bis Kursbeginn", ("Vermittlungen",), tuple(rows),
                      columns_additive=False, note=note)


def _start_relation(raw: RawCounts) -> CountTable:
    """Internal: starts total = referrals now "begonnen" + now "abgeschlossen" (reachable only after the start)
    + the rest (dropped out after the start). A reader sees the first two as column totals of the referral
    table and knows the rest is 0 when no referral is "abgebrochen" – without this line a published start total
    could reveal a hidden column total there, or the other way round. Only stated when the rest is 0: otherwise
    it is unknown to a reader (at most the "abgebrochen" total) and the line fixes nothing."""
    now: Counter[str] = Counter()
    for (_type, status), n in raw.referrals.items():
        now[status] += n
    rest = len(raw.start_days) - now["begonnen"] - now["abgeschlossen"]
    rows = (Row("begonnen", (cell(now["begonnen"], "referrals", "status=begonnen"),)),
            Row("abgeschlossen", (cell(now["abgeschlossen"], "referrals", "status=abgeschlossen"),)),
            Row("übrige", (cell(max(rest, 0), "starts", "began_other_status"),)),
            Row(TOTAL, (cell(len(raw.start_days), "starts", "total"),), True))
    return CountTable("_kursbeginn_bezug", "", "", ("",), rows, rows_additive=rest == 0, columns_additive=False,
                      internal=True)
