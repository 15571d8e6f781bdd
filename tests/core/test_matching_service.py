"""Matching over the stored catalogue: what the GUI tab and the CLI `match` show."""

from datetime import date

from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services

ON = date(2026, 12, 2)


def test_person_gets_every_open_course_ranked_with_reasons():
    sv = Services.open(None)
    pid = sv.people.create(PersonData(family_name="Al-Hassan", given_name="Rania", gender="w",
                                      birth=parse_partial_date("1994"), residence_status="25_2",
                                      residence_issued=date(2026, 5, 4),
                                      german_level="A1", literacy="lateinisch", availability=["vormittags"],
                                      municipality="Konz"))
    fit = sv.courses.create(CourseData(provider="KVHS", course_number="IK-1", course_type="ik_allgemein",
                                       entry_level="A1", target_level="B1", start=date(2027, 1, 11),
                                       end=date(2027, 10, 1), days=["mo", "di", "mi", "do", "fr"],
                                       time_from="08:30", time_to="12:45", municipality="Konz", places=20,
                                       status="offen"))
    alpha = sv.courses.create(CourseData(provider="BW", course_number="ALPHA-1", course_type="ik_alpha",
                                         entry_level="keine", target_level="A2", start=date(2027, 1, 11),
                                         places=15, status="offen"))
    sv.courses.create(CourseData(provider="BW", course_number="ALT-1", course_type="ik_allgemein",
                                 entry_level="A1", target_level="B1", start=date(2026, 1, 5), places=10,
                                 status="beendet"))
    matches = sv.matching.for_person(pid, ON)
    assert [m.course_id for m in matches] == [fit, alpha]  # the ended course is not offered
    assert matches[0].verdict == "eligible"
    assert matches[1].verdict == "not_eligible"
    assert any("Alphabetisierung" in r.text or "alphabet" in r.text.lower() for r in matches[1].reasons)
    candidates = sv.matching.candidates(fit, ON)
    assert candidates[0][0] == pid
