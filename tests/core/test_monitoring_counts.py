"""Monitoring counts: the exact numbers of a small known dataset, period membership, restriction, merges."""

from datetime import date

import pytest

from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.monitoring import periods
from bildungskoordination.monitoring.model import CellStatus, CountsReport
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services


@pytest.fixture
def services(memory_target):
    sv = Services.open(memory_target, unencrypted=True)
    yield sv
    sv.close()


def add_person(sv, name, contacts, **kw) -> int:
    pid = sv.people.create(PersonData(family_name=name, given_name="Test", consent_date=date(2025, 1, 2), **kw))
    for day, topics, extra in contacts:
        sv.contacts.add(pid, ContactData(contact_date=day, topics=topics, **extra))
    return pid


def values(report: CountsReport, table_id: str) -> dict[str, tuple[int, ...]]:
    return {row.label: tuple(c.value for c in row.cells) for row in report.table(table_id).rows}


@pytest.fixture
def known(services):
    """Three people counselled in 2026, one only in 2025, one restricted."""
    p1 = add_person(services, "Haddad", [
        (date(2026, 2, 1), ["sprachkurs", "arbeit"], {"interpreter_language": "ar", "interpreter_kind": "professionell"}),
        (date(2026, 3, 5), ["sprachkurs"], {"channel": "telefon"})],
        gender="w", birth=PartialDate(1990, 6, 1), nationalities=["SY"], residence_status="25_2", german_level="A2",
        municipality="Konz")
    add_person(services, "Kovalenko", [(date(2026, 4, 10), ["schule"], {})], gender="m",
               birth=PartialDate(2010, 12, 31), nationalities=["UA", "RU"], residence_status="24",
               german_level="keine", municipality="Saarburg")
    p3 = add_person(services, "Rahimi", [(date(2026, 5, 1), ["arbeit"], {"channel": "video"}),
                                         (date(2025, 12, 20), ["wohnen"], {})],
                    gender="w", nationalities=["AF"], residence_status="gestattung", german_level="B1",
                    municipality="Konz")
    add_person(services, "Alt", [(date(2025, 6, 1), ["arbeit"], {})], gender="m", nationalities=["ER"])
    gone = add_person(services, "Zurueck", [(date(2026, 1, 15), ["arbeit"], {})], gender="d", nationalities=["SY"])
    services.people.withdraw_consent(gone, on=date(2026, 6, 1))
    cid = services.courses.create(CourseData(provider="VHS Konz", course_number="IK-1", course_type="ik_allgemein",
                                             start=date(2026, 3, 2), places=20, status="offen"))
    rid = services.referrals.refer(p1, cid, on=date(2026, 2, 10))
    services.referrals.set_status(rid, "angemeldet", on=date(2026, 2, 20))
    services.referrals.set_status(rid, "begonnen", on=date(2026, 3, 2))
    services.referrals.refer(p3, cid, on=date(2026, 5, 2))
    services.referrals.refer(p3, services.courses.create(CourseData(
        provider="VHS Konz", course_number="EOK-1", course_type="eok", places=10, status="offen")), on=date(2025, 12, 1))
    return services


def test_known_dataset_counts_exactly(known):
    report = known.monitoring.report(periods.year(2026))
    assert values(report, "beratung_themen")["Sprachkurs"] == (2, 1)
    assert values(report, "beratung_themen")["Arbeit"] == (2, 2)
    assert values(report, "beratung_themen")["Wohnen"] == (0, 0)
    assert values(report, "beratung_themen")["Insgesamt"] == (4, 3)
    assert values(report, "beratung_kontaktweg")["persönlich"] == (2, 2)
    assert values(report, "beratung_kontaktweg")["Insgesamt"] == (4, 3)
    assert values(report, "beratung_sprachmittlung")["mit Sprachmittlung: professionell"] == (1, 1)
    assert values(report, "beratung_sprachmittlung")["ohne Sprachmittlung"] == (3, 3)
    assert values(report, "personen_geschlecht") == {"weiblich": (2,), "männlich": (1,), "divers": (0,),
                                                     "ohne Angabe": (0,), "Insgesamt": (3,)}
    ages = values(report, "personen_alter")
    # 2010-12-31 is 16 on 31.12.2026 (exactly); small bands are merged (0–15 with 6–15, 16–17 with 18–26).
    assert ages["16 bis 26 Jahre"] == (1,) and ages["27 bis 44 Jahre"] == (1,) and ages["unbekannt"] == (1,)
    assert ("Altersgruppe", "16 bis 17 Jahre, 18 bis 26 Jahre → 16 bis 26 Jahre") in report.merges
    nats = values(report, "personen_staatsangehoerigkeit")
    assert nats["Sonstige"] == (3,) and "Syrien" not in nats   # all three below k: folded into "Sonstige"
    assert values(report, "personen_aufenthalt")["vorübergehender Schutz (§ 24 AufenthG)"] == (1,)
    assert values(report, "personen_deutsch")["A2"] == (1,)
    assert values(report, "personen_gebiet")["Konz"] == (2,)
    refs = values(report, "vermittlungen_kursart_status")
    assert refs["Allgemeiner Integrationskurs"] == (1, 0, 1, 0, 0, 0, 0, 2)
    assert refs["Erstorientierungskurs"] == (0,) * 8          # referred in 2025: not in this period
    assert refs["Insgesamt"][-1] == 2
    starts = values(report, "vermittlungen_wartezeit")
    assert starts["bis 1 Monat"] == (1,) and starts["Insgesamt"] == (1,)


def test_small_cells_are_hidden_and_totals_protected(known):
    report = known.monitoring.report(periods.year(2026))
    table = report.table("personen_geschlecht")
    published = {row.label: row.cells[0].published for row in table.rows}
    # The total is hidden too: the age table has three hidden ones (16–26, 27–44, unbekannt) – beside a
    # published total 3 each of them would have to be exactly 1.
    assert published == {"weiblich": ".", "männlich": ".", "divers": "0", "ohne Angabe": "0", "Insgesamt": "."}
    assert table.rows[0].cells[0].status is CellStatus.PRIMARY
    ages = {row.label: row.cells[0].published for row in report.table("personen_alter").rows}
    assert ages["Insgesamt"] == "."


def test_quarter_counts_only_its_contacts(known):
    report = known.monitoring.report(periods.quarter(2026, 1))
    assert values(report, "beratung_themen")["Insgesamt"] == (2, 1)
    assert values(report, "personen_geschlecht")["Insgesamt"] == (1,)


def test_nothing_to_suppress_suppresses_nothing(services):
    for name in ("Ali", "Bakr", "Celik"):
        add_person(services, name, [(date(2026, 3, 3), ["sprachkurs"], {})], gender="w",
                   birth=PartialDate(1990), nationalities=["SY"], residence_status="25_2", german_level="A1",
                   municipality="Konz")
    report = services.monitoring.report(periods.year(2026))
    cells = [c for t in report.tables for row in t.rows for c in row.cells]
    assert cells and not any(c.suppressed for c in cells)
    assert {c.value for c in cells} == {0, 3}
    assert report.merges == ()


def test_area_level_verbandsgemeinde_adds_up_municipalities(known, monkeypatch):
    from dataclasses import replace

    from bildungskoordination.monitoring import categories as cat_module
    from bildungskoordination.monitoring import service as service_module

    cats = cat_module.categories()
    vg = replace(cats, area_level="verbandsgemeinde", area_title="Verbandsgemeinde",
                 areas=(cat_module.Category("Konz", "Konz"), cat_module.Category("Saarburg-Kell", "Saarburg-Kell")),
                 area_of={"Konz": "Konz", "Saarburg": "Saarburg-Kell"})
    monkeypatch.setattr(service_module, "categories", lambda: vg)
    report = known.monitoring.report(periods.year(2026), tables=["personen_gebiet"])
    assert report.tables[0].title == "Beratene Personen nach Verbandsgemeinde"
    assert values(report, "personen_gebiet") == {"Konz": (2,), "Saarburg-Kell": (1,), "unbekannt": (0,),
                                                 "Insgesamt": (3,)}


def test_k_below_three_is_refused_and_setting_is_used(known):
    with pytest.raises(ValueError, match="Mindestfallzahl k = 2 ist nicht erlaubt"):
        known.monitoring.report(periods.year(2026), k=2)
    known.settings.set("monitoring.k", 5)
    assert known.monitoring.report(periods.year(2026)).k == 5
    known.settings.set("monitoring.k", 1)      # a bad stored value never lowers k below the minimum
    assert known.monitoring.default_k() == 3


def test_unknown_table_is_refused(known):
    with pytest.raises(ValueError, match="Unbekannte Tabelle"):
        known.monitoring.report(periods.year(2026), tables=["gibt_es_nicht"])


def test_available_tables_match_report_order(known):
    ids = [t.id for t in known.monitoring.available_tables()]
    assert ids == [t.id for t in known.monitoring.report(periods.year(2026)).tables]
    assert ids[0] == "beratung_themen" and "vermittlungen_wartezeit" in ids


def test_overview_is_unsuppressed(known):
    ov = known.monitoring.overview(periods.quarter(2026, 1))
    assert ov.contacts_per_month == (("2026-01", 0), ("2026-02", 1), ("2026-03", 1))
    assert ov.persons_per_month == (("2026-01", 0), ("2026-02", 1), ("2026-03", 1))
    assert ov.topics[0] == ("Sprachkurs", 2)
    assert dict(ov.referrals_by_status)["begonnen"] == 1
    assert ov.referrals_by_course_type == (("Allgemeiner Integrationskurs", 1),)
