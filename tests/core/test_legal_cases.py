"""The matching against a table of dated legal cases (tests/core/legal_cases.toml).

The table was written from the law texts and published sources (its header names them), not from the app's
code or rule data: each case gives a person's facts, a course, the date of the matching, the verdict the law
gives and the paragraph that decides it. Everything practical (place, times, free places, planning period) is
made neutral here, so the verdict is the law's plus the level, literacy and age fit.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from bildungskoordination.domain.course_types import course_types
from bildungskoordination.domain.dates import PartialDate
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.matching import CourseFacts, default_rules, evaluate
from bildungskoordination.matching.rules import RuleSet
from bildungskoordination.people.records import PersonData

CASES = tomllib.loads((Path(__file__).parent / "legal_cases.toml").read_text(encoding="utf-8"))["case"]
PLACE = "Konz"


def _neutral_rules() -> RuleSet:
    """The shipped rules with a planning period long enough that no case is out of it."""
    rules = default_rules()
    changed = [dataclasses.replace(r, params={**r.params, "weeks": 520}) if r.kind == "horizon" else r
               for r in rules.rules]
    return RuleSet(registry=rules.registry, rules=changed, levels=rules.levels, travel=rules.travel)


RULES = _neutral_rules()


def _person(facts: dict) -> PersonData:
    birth = facts.get("birth")
    status = facts.get("residence_status", "")
    code = vocabulary("residence_status").parse(status) if status else ""
    assert status == "" or code, f"unknown residence status {status!r}"
    return PersonData(
        family_name="Testperson", given_name="Fall",
        birth=PartialDate(birth.year, birth.month, birth.day) if birth else None,
        gender=facts.get("gender", "m"), nationalities=[facts.get("nationality", "SY")],
        residence_status=code or "", residence_issued=facts.get("status_since"),
        obligation=facts.get("obligation", "keine"), obliged_on=facts.get("obliged_on"),
        bamf_admission_on=facts.get("admission_on"), ik_completed_on=facts.get("ik_completed_on"),
        ik_final_level=facts.get("ik_final_level", ""), german_level=facts.get("german_level", "keine"),
        literacy=facts.get("literacy", "lateinisch"), municipality=PLACE,
    )


def _course(case: dict) -> CourseFacts:
    c = case["course"]
    code = course_types().parse(c["course_type"])
    assert code, f"course type {c['course_type']!r} is not importable"
    start = c.get("start", case["on"] + timedelta(days=28))
    return CourseFacts(course_id=case["id"], course_number=case["id"], course_type=code,
                       entry_level=c.get("entry_level", ""), target_level=c.get("target_level", ""),
                       start=start, end=c.get("end"), municipality=PLACE, free_places=5)


def _cites(text: str, paragraph: str) -> bool:
    """Does a reason cite ``paragraph``? "§ 12 DeuFöV" is cited by "§ 12 Abs. 2 DeuFöV"; words match in any case."""
    m = re.match(r"^(§\s*\d+[a-z]?)(.*)$", paragraph)
    if m is None:
        return paragraph.casefold() in text.casefold()
    section, rest = m.group(1), m.group(2).strip()
    if not re.search(re.escape(section) + r"(?![0-9a-z])", text):
        return False
    law = rest.split()[-1] if rest and not rest.split()[-1][0].isdigit() else ""
    if law and law in ("AufenthG", "IntV", "DeuFöV", "AsylbLG", "AsylG"):
        return bool(re.search(re.escape(section) + r"(?![0-9a-z])[^§]*?" + re.escape(law), text))
    return all(part in text for part in [f"{section} {rest}".strip()]) if rest else True


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_legal_case(case: dict) -> None:
    match = evaluate(_person(case["person"]), _course(case), on=case["on"], rules=RULES)
    reasons = match.reasons
    shown = "\n  ".join(f"[{r.kind}] {r.text}" for r in reasons)
    assert match.verdict == case["expected"], f"{case['title']}\n  {shown}"
    kind = {"eligible": "ok", "caveat": "caveat", "not_eligible": "no"}[case["expected"]]
    assert reasons and reasons[0].kind == kind, f"the deciding reason must come first:\n  {shown}"
    if case.get("paragraph"):
        deciding = [r.text for r in reasons if r.kind == kind]
        assert any(_cites(t, case["paragraph"]) for t in deciding), \
            f"no {kind} reason cites {case['paragraph']!r}:\n  {shown}"


def test_the_table_is_big_enough_and_dated() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert min(c["on"] for c in CASES) < date(2025, 1, 1) < date(2026, 2, 9) < max(c["on"] for c in CASES)
    assert {c["expected"] for c in CASES} == {"eligible", "caveat", "not_eligible"}


def test_every_reason_is_a_sentence_about_the_person() -> None:
    """Reasons are read aloud: no "Sie"/"Ihr" addressing the person, each a sentence."""
    for case in CASES:
        match = evaluate(_person(case["person"]), _course(case), on=case["on"], rules=RULES)
        for r in match.reasons:
            assert not re.search(r"\b(Sie|Ihr|Ihre|Ihrem|Ihren|Ihnen)\b", r.text), r.text
            assert r.text[-1] in ".)", r.text
