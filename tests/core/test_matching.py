"""Course matching: every rule passes and fails, validity dates, the § 44 Abs. 4 stop, ranking, reasons."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.matching import CourseFacts, Matcher, RulesError, default_rules, evaluate, load_rules, rank
from bildungskoordination.people.records import PersonData
from bildungskoordination.resources import resource_path

ON = date(2026, 12, 2)
RULES = default_rules()


def person(**kw) -> PersonData:
    base = dict(family_name="Beispiel", given_name="Amina", birth=PartialDate(1990, 5, 1), gender="w",
                residence_status="25_2", residence_issued=date(2026, 6, 1), german_level="A1", literacy="lateinisch",
                municipality="Konz",
                availability=["vormittags"], weekdays=["mo", "di", "mi", "do", "fr"])
    base.update(kw)
    return PersonData(**base)


def course(**kw) -> CourseFacts:
    base = dict(course_id=1, course_number="IK-2027-001", provider="KVHS", course_type="ik_allgemein",
                entry_level="A1", target_level="B1", start=date(2027, 1, 12), end=date(2027, 10, 29),
                registration_deadline=date(2027, 1, 5), days=("mo", "di", "mi", "do", "fr"),
                time_from="08:30", time_to="12:45", mode="praesenz", municipality="Konz", childcare=False,
                free_places=5)
    base.update(kw)
    return CourseFacts(**base)


def texts(match, kind=None) -> list[str]:
    return [r.text for r in match.reasons if kind is None or r.kind == kind]


def check(p, c, on=ON):
    return evaluate(p, c, on, RULES)


# --- data files -------------------------------------------------------------------------------------------
def test_shipped_types_and_rules_load():
    assert {"ik_allgemein", "ik_alpha", "ik_zweitschrift", "ik_foerder", "ik_intensiv", "ik_jugend", "ik_eltern",
            "ik_frauen", "ik_foerderkurs_alt", "bsk_b2", "bsk_c1", "bsk_c2", "bsk_a2", "bsk_b1", "bsk_spezial", "eok", "vhs_kurs",
            "sprachcafe"} <= set(RULES.types)
    ik = RULES.types["ik_allgemein"]
    assert (ik.ue_sprache, ik.ue_orientierung, ik.family) == (600, 100, "integrationskurs")
    assert RULES.types["ik_intensiv"].ue_sprache == 400
    assert RULES.types["ik_frauen"].valid_until == date(2024, 12, 6)
    assert all(t.source for t in RULES.types.values()) and all(r.source for r in RULES.rules)
    assert RULES.levels[0] == "keine" and RULES.levels[-1] == "C2"
    assert RULES.parse_course_type("Berufssprachkurs B2") == "bsk_b2"
    assert RULES.parse_course_type("Erstorientierungskurs") == "eok"
    assert RULES.travel_minutes("Saarburg", "Konz") == 20


def _copy_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "matching"
    shutil.copytree(resource_path("matching"), folder)
    return folder


def test_wrong_rules_file_names_file_entry_and_field(tmp_path):
    folder = _copy_rules(tmp_path)
    text = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(text.replace("weeks = 12", 'weeks = "zwölf"'), encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(folder)
    assert (err.value.file, err.value.entry, err.value.field) == ("rules.toml", "zeitraum", "weeks")
    assert "rules.toml" in str(err.value) and "zeitraum" in str(err.value)


def test_wrong_course_type_is_reported(tmp_path):
    folder = _copy_rules(tmp_path)
    text = (folder / "course_types.toml").read_text(encoding="utf-8")
    (folder / "course_types.toml").write_text(text.replace('family = "lokal"', 'family = "privat"', 1),
                                              encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(folder)
    assert (err.value.file, err.value.entry, err.value.field) == ("course_types.toml", "vhs_kurs", "family")
    (folder / "course_types.toml").write_text("[[entry]\n", encoding="utf-8")
    with pytest.raises(RulesError, match="course_types.toml"):
        load_rules(folder)


def test_horizon_is_settable(tmp_path):
    folder = _copy_rules(tmp_path)
    text = (folder / "rules.toml").read_text(encoding="utf-8")
    (folder / "rules.toml").write_text(text.replace("weeks = 12", "weeks = 4"), encoding="utf-8")
    rules = load_rules(folder)
    assert evaluate(person(), course(), ON, rules).verdict == "not_eligible"
    assert check(person(), course()).verdict == "eligible"


# --- level ------------------------------------------------------------------------------------------------
def test_level_entry_fits():
    m = check(person(german_level="A1"), course(entry_level="A1"))
    assert m.verdict == "eligible"
    assert "Das Einstiegsniveau (A1) passt zum Deutschniveau der Person (A1); Kursziel B1." in texts(m, "ok")


def test_level_entry_above_person_does_not_fit():
    m = check(person(german_level="A1"), course(entry_level="A2"))
    assert m.verdict == "not_eligible"
    assert "Das Einstiegsniveau A2 liegt über dem Deutschniveau der Person (A1)." in texts(m, "no")


def test_level_target_not_above_person_does_not_fit():
    m = check(person(german_level="B1"), course(entry_level="keine", target_level="B1"))
    assert m.verdict == "not_eligible"
    assert any(t.startswith("Das Kursziel B1 liegt nicht über dem Deutschniveau der Person (B1)") and "§ 44 Abs. 3" in t
               for t in texts(m, "no"))


def test_level_keine_is_lowest():
    assert check(person(german_level="keine"), course(entry_level="keine")).verdict == "eligible"
    assert check(person(german_level="keine"), course(entry_level="A1")).verdict == "not_eligible"


# --- literacy ---------------------------------------------------------------------------------------------
def test_not_literate_needs_alphabetisation_course():
    p = person(literacy="nein", german_level="keine")
    alpha = check(p, course(course_type="ik_alpha", entry_level="keine", target_level="A2"))
    general = check(p, course(entry_level="keine"))
    assert alpha.verdict == "eligible"
    assert any("richtige Kurs" in t for t in texts(alpha, "ok"))
    assert general.verdict == "not_eligible"
    assert any("Alphabetisierungskurs" in t and "noch nicht lesen und schreiben kann" in t for t in texts(general, "no"))


def test_alphabetisation_course_not_for_latin_literate():
    m = check(person(german_level="keine"), course(course_type="ik_alpha", entry_level="keine", target_level="A2"))
    assert m.verdict == "not_eligible"
    assert any("lateinischer Schrift" in t for t in texts(m, "no"))


def test_second_script_prefers_zweitschrift_course():
    p = person(literacy="andere_schrift")
    zweit = check(p, course(course_type="ik_zweitschrift"))
    general = check(p, course())
    assert zweit.verdict == "eligible"
    assert general.verdict == "caveat"
    assert any("Zweitschriftlernerkurs" in t for t in texts(general, "caveat"))
    assert zweit.score > general.score
    assert check(person(), course(course_type="ik_zweitschrift")).verdict == "not_eligible"


# --- access by residence status ----------------------------------------------------------------------------
def test_entitled_status_has_access():
    m = check(person(residence_status="25_2"), course())
    assert m.verdict == "eligible"
    assert any("§ 44 Abs. 1 Satz 1 Nr. 1 Buchst. c AufenthG" in t for t in texts(m, "ok"))


@pytest.mark.parametrize("status", ["eu", "24", "gestattung", "duldung_60a", "25_5"])
def test_44_4_admissible_before_stop(status):
    c = course(start=date(2026, 2, 16), end=date(2026, 11, 30), registration_deadline=None)
    m = check(person(residence_status=status), c, on=date(2026, 2, 8))
    assert m.verdict == "caveat"
    assert any("im Rahmen freier Kursplätze zulassen (§ 44 Abs. 4 AufenthG)" in t for t in texts(m, "caveat"))


@pytest.mark.parametrize("status", ["eu", "24", "gestattung", "duldung_60a", "25_5"])
def test_44_4_not_admissible_after_stop(status):
    c = course(start=date(2026, 2, 16), end=date(2026, 11, 30), registration_deadline=None)
    m = check(person(residence_status=status), c, on=date(2026, 2, 9))
    assert m.verdict == "not_eligible"
    assert any("Zulassungsstopp" in t and "Selbstzahler" in t for t in texts(m, "no"))


def test_obliged_person_has_access_despite_status():
    p = person(residence_status="25_5", obligation="auslaenderbehoerde", obliged_on=date(2026, 10, 1))
    m = check(p, course())
    assert m.verdict == "eligible"
    assert any("§ 44a Abs. 1 AufenthG" in t and "Zulassungsstopp" in t for t in texts(m, "ok"))


def test_unknown_or_other_status_is_a_caveat_and_other_families_are_unaffected():
    assert check(person(residence_status=""), course()).verdict == "caveat"
    assert check(person(residence_status="ungeklaert"), course()).verdict == "caveat"
    assert check(person(residence_status="16_17"), course()).verdict == "not_eligible"  # § 44 Abs. 4 only: stopped
    eok = course(course_type="eok", entry_level="keine", target_level="A1")
    assert check(person(residence_status="gestattung", german_level="keine"), eok).verdict == "eligible"


# --- Berufssprachkurs ----------------------------------------------------------------------------------------
def test_bsk_needs_b1_or_completed_integration_course():
    bsk = course(course_type="bsk_b2", entry_level="A2", target_level="B2")
    fits = check(person(german_level="B1"), replace(bsk, entry_level="B1"))
    assert fits.verdict == "caveat"  # § 4 DeuFöV: registration with the Agentur/Jobcenter is never recorded
    assert any("§ 4 Abs. 1 DeuFöV" in t for t in texts(fits, "caveat"))
    failing = check(person(german_level="A2"), bsk)  # the provider's A2 does not lower the law's B1
    assert failing.verdict == "not_eligible"
    assert any("mindestens B1 voraus (§ 12 Abs. 2 DeuFöV)" in t for t in texts(failing, "no"))
    p = person(german_level="A1", ik_completed_on=date(2026, 6, 30), ik_final_level="B1")
    assert check(p, bsk).verdict == "caveat"  # the final test's B1 counts


# --- age and target group -----------------------------------------------------------------------------------
def test_age_limit_of_a_type():
    jugend = course(course_type="ik_jugend", start=date(2024, 9, 2), end=date(2025, 6, 30),
                    registration_deadline=None)
    on = date(2024, 8, 1)
    young_adult = person(birth=PartialDate(2002, 1, 1), residence_issued=date(2024, 6, 1))
    assert check(young_adult, jugend, on).verdict == "eligible"
    old = check(person(birth=PartialDate(1990, 1, 1), residence_issued=date(2024, 6, 1)), jugend, on)
    assert old.verdict == "not_eligible"
    assert any("nur bis 26 Jahre" in t for t in texts(old, "no"))
    young = check(person(birth=PartialDate(2010, 1, 1)), course(), ON)  # 17 at the start: school age in RLP
    assert young.verdict == "not_eligible"
    assert any("schulpflichtig" in t and "§ 44 Abs. 3 Satz 1 Nr. 1" in t for t in texts(young, "no"))


def test_women_only_course():
    c = course(target_group=("frauen",))
    assert check(person(gender="w"), c).verdict == "eligible"
    men = check(person(gender="m"), c)
    assert men.verdict == "not_eligible"
    assert "Der Kurs ist nur für Frauen." in texts(men, "no")
    assert check(person(gender="x"), c).verdict == "caveat"
    assert course(target_group="Frauen").target_group == ("Frauen",)
    assert check(person(gender="m"), course(target_group="Frauen")).verdict == "not_eligible"


# --- validity of course types --------------------------------------------------------------------------------
def test_dropped_type_not_proposed_for_a_course_starting_2025():
    frauen = course(course_type="ik_frauen", start=date(2025, 1, 13), end=date(2025, 12, 1),
                    registration_deadline=None)
    p = person(residence_issued=date(2024, 6, 1))
    m = check(p, frauen, on=date(2024, 12, 20))
    assert m.verdict == "not_eligible"
    assert any("ab dem 07.12.2024 beginnen, nicht mehr" in t for t in texts(m, "no"))
    history = replace(frauen, start=date(2024, 11, 4))
    assert check(p, history, on=date(2024, 10, 1)).verdict == "eligible"


# --- dates and places ---------------------------------------------------------------------------------------
def test_dates():
    assert check(person(), course()).verdict == "eligible"
    ended = check(person(), course(start=date(2026, 1, 12), end=date(2026, 11, 30)))
    assert ended.verdict == "not_eligible" and any("zu Ende gegangen" in t for t in texts(ended, "no"))
    late = check(person(), course(start=date(2027, 4, 12), end=date(2027, 12, 1), registration_deadline=None))
    assert late.verdict == "not_eligible" and any("nach dem Planungszeitraum" in t for t in texts(late, "no"))
    deadline = check(person(), course(registration_deadline=date(2026, 12, 1)))
    assert deadline.verdict == "not_eligible" and "Der Anmeldeschluss war am 01.12.2026." in texts(deadline, "no")


def test_no_free_places_is_waiting_list_never_dropped():
    full = course(free_places=0)
    m = check(person(), full)
    assert m.verdict == "caveat"
    assert "Warteliste: zurzeit keine freien Plätze." in texts(m, "caveat")
    ranked = rank(person(), [full], ON, RULES)
    assert len(ranked) == 1 and ranked[0].course is full


# --- practical fit (scored) -----------------------------------------------------------------------------------
def test_times_weekdays_childcare_place_are_scored():
    good = check(person(needs_childcare=True), course(childcare=True))
    assert good.verdict == "eligible"
    assert "Der Kurs bietet die Kinderbetreuung, die die Person braucht." in texts(good, "ok")
    assert "Die Kurszeit 08:30–12:45 passt zur Verfügbarkeit der Person." in texts(good, "ok")
    assert "Der Kurs ist im Wohnort der Person (Konz)." in texts(good, "ok")
    evening = check(person(), course(time_from="17:30", time_to="20:45"))
    assert evening.verdict == "caveat" and any("abends" in t for t in texts(evening, "caveat"))
    saturday = check(person(), course(days=("sa",)))
    assert saturday.verdict == "caveat" and any("Sa" in t for t in texts(saturday, "caveat"))
    no_care = check(person(needs_childcare=True), course(childcare=False))
    assert "Die Person braucht Kinderbetreuung, der Kurs bietet keine an." in texts(no_care, "caveat")
    near = check(person(), course(municipality="Saarburg"))
    far = check(person(), course(municipality="Hermeskeil"))
    online = check(person(), course(municipality="Hermeskeil", mode="online"))
    assert any("20 Minuten" in t for t in texts(near, "ok"))
    assert far.verdict == "caveat"
    assert online.verdict == "eligible"
    assert good.score > near.score > far.score
    assert good.score > evening.score and good.score > saturday.score and good.score > no_care.score


# --- ranking and reasons --------------------------------------------------------------------------------------
def test_ranking_order_and_json_shape():
    courses = [
        course(course_id=1, course_number="ZU-SPAET", start=date(2027, 6, 1), end=date(2027, 12, 1),
               registration_deadline=None),
        course(course_id=2, course_number="VOLL", free_places=0),
        course(course_id=3, course_number="PASST", childcare=True),
        course(course_id=4, course_number="ABENDS", time_from="18:00", time_to="21:00"),
        course(course_id=5, course_number="WEIT", municipality="Saarburg"),
    ]
    ranked = rank(person(needs_childcare=True), courses, ON, RULES)
    assert [m.course.course_number for m in ranked][0] == "PASST"
    assert ranked[-1].course.course_number == "ZU-SPAET"
    assert [m.verdict for m in ranked] == sorted((m.verdict for m in ranked),
                                                 key=["eligible", "caveat", "not_eligible"].index)
    for a, b in zip(ranked, ranked[1:], strict=False):
        if a.verdict == b.verdict:
            assert a.score >= b.score
    d = ranked[0].as_dict()
    assert {"course_id", "course_number", "provider", "course_type", "verdict", "score", "reasons"} <= set(d)
    assert all(isinstance(t, str) for t in d["reasons"])
    # the same as Matcher.rank and as evaluate one by one
    m = Matcher(courses, ON, RULES)
    assert [x.course_id for x in m.rank(person(needs_childcare=True))] == [x.course_id for x in ranked]
    single = {c.course_id: check(person(needs_childcare=True), c) for c in courses}
    for x in ranked:
        assert (x.verdict, x.score, texts(x)) == (single[x.course_id].verdict, single[x.course_id].score,
                                                  texts(single[x.course_id]))


def test_reasons_for_a_sample_person():
    m = check(person(), course())
    assert m.reasons == sorted(m.reasons, key=lambda r: -["ok", "caveat", "no"].index(r.kind))
    assert texts(m) == [  # in the order the rules decide: access in law, level, literacy, dates, everyday fit
        "Die Person hat Anspruch auf einen Integrationskurs: „§ 25 Abs. 2 AufenthG – Flüchtlingsschutz / subsidiärer "
        "Schutz“, erteilt am 01.06.2026 (§ 44 Abs. 1 Satz 1 Nr. 1 Buchst. c AufenthG); der Anspruch besteht bis "
        "31.05.2027 (§ 44 Abs. 2 AufenthG).",
        "Das Einstiegsniveau (A1) passt zum Deutschniveau der Person (A1); Kursziel B1.",
        "Lesen und Schreiben der Person passen zum Kurs.",
        "Der Kurs beginnt am 12.01.2027, in 6 Wochen.",
        "Anmeldung bis 05.01.2027 möglich.",
        "Freie Plätze: 5.",
        "Kosten: 2,29 € je Unterrichtseinheit; wer Leistungen nach SGB II, SGB XII oder AsylbLG bezieht, ist befreit "
        "und bekommt ab einer Mindestentfernung einen Fahrtkostenzuschuss (§ 9 IntV).",
        "Die Kurszeit 08:30–12:45 passt zur Verfügbarkeit der Person.",
        "Die Kurstage (Mo, Di, Mi, Do, Fr) passen zur Person.",
        "Der Kurs ist im Wohnort der Person (Konz).",
    ]


def test_matching_needs_neither_database_nor_qt():
    code = ("import sys\n"
            "import bildungskoordination.matching\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'sqlalchemy', 'bildungskoordination.store'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
