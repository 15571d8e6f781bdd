"""Letter rules beyond the layout: dates in the past need an override, readable sizes for translations, phone
numbers, e-mail addresses, dates and course numbers in any text (also a replaced one) keep their order and never
wrap, brackets point the right way, office hours are translated, no real authority's letterhead as a default."""

from __future__ import annotations

from datetime import date

import pytest
from letter_fixtures import REALISTIC_HEAD

from bildungskoordination.courses.records import CourseData
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services


@pytest.fixture(scope="module")
def realistic(tmp_path_factory):
    services = Services.open(tmp_path_factory.mktemp("rules") / "db.sqlite3", unencrypted=True)
    services.letters.set_letterhead(REALISTIC_HEAD)
    course = services.courses.create(CourseData(
        provider="Kreisvolkshochschule Trier-Saarburg", course_number="IK-2703-01", course_type="ik_allgemein",
        entry_level="A1", target_level="B1", start=date(2027, 3, 1), end=date(2027, 9, 24),
        registration_deadline=date(2027, 2, 15), days=["mo", "di", "mi", "do"], time_from="08:30", time_to="12:45",
        places=20, status="offen", address="Brückenstraße 5, 54329 Konz"))
    yield services, [course], None
    services.close()


def test_past_deadline_or_start_needs_an_explicit_override(tmp_path):
    from bildungskoordination.cli import main
    from bildungskoordination.letters.checks import DatesInPast

    db = tmp_path / "db.sqlite3"
    services = Services.open(db, unencrypted=True)
    services.letters.set_letterhead(REALISTIC_HEAD)
    try:
        course = services.courses.create(CourseData(
            provider="VHS Trier", course_number="IK-2024-07", course_type="ik_allgemein", entry_level="A1",
            target_level="B1", start=date(2026, 11, 2), end=date(2027, 6, 30), registration_deadline=date(2026, 10, 15),
            days=["mo"], time_from="09:00", time_to="12:15", places=20, status="laufend"))
        person = services.people.create(PersonData(given_name="Amina", family_name="Yusuf", letter_language="ar",
                                                   address="Am Markt 3, 54329 Konz", consent_date=date(2026, 1, 5)))
        referral = services.referrals.refer(person, course, on=date(2026, 10, 1))
        with pytest.raises(DatesInPast, match=r"Amina Yusuf .*Anmeldeschluss 15\.10\.2026, Kursbeginn 02\.11\.2026"):
            services.letters.render([referral], "ar", on=date(2026, 12, 2))
        assert services.letters.render([referral], "ar", on=date(2026, 10, 2), action=None)  # before: fine
        assert services.letters.render([referral], "ar", on=date(2026, 12, 2), allow_past=True, action=None)
        assert services.letters.past_dates([referral], on=date(2026, 11, 1)) == [
            "Amina Yusuf (TS-2026-0001, IK-2024-07): Anmeldeschluss 15.10.2026"]
    finally:
        services.close()
    out = tmp_path / "brief.pdf"
    args = ["--db", str(db), "letter", str(referral), "--out", str(out), "--date", "2026-12-02"]
    assert main(args) == 1 and not out.exists()
    assert main([*args, "--allow-past-dates"]) == 0 and out.exists()


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_no_double_full_stop_after_a_date_that_ends_in_one(language):
    from bildungskoordination.letters.content import LetterTexts

    texts = LetterTexts(language)
    day = texts.date(date(2027, 2, 15))
    assert day.endswith(".")
    sentence = texts.get("register_by", date=day)
    assert sentence.endswith(day) and ".." not in sentence


@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_translations_are_readable(realistic, language):
    """Translation body at least 10 pt, Arabic script and Ethiopic optically as large as the German."""
    from collections import Counter

    from bildungskoordination.letters import layout as layout_module
    from bildungskoordination.letters.content import LetterTexts

    services, courses, _folder = realistic
    person = services.people.create(PersonData(given_name="Amina", family_name="Yusuf", address="Am Markt 3, 54329 Konz",
                                               letter_language=language, consent_date=date(2026, 11, 3)))
    referral = services.referrals.refer(person, courses[0], on=date(2026, 12, 1))
    drawn: list = []
    observer = lambda piece, x, y: drawn.append(piece)  # noqa: E731
    layout_module.DRAW_OBSERVERS.append(observer)
    try:
        services.letters.render([referral], language, on=date(2026, 12, 2), action=None)
    finally:
        layout_module.DRAW_OBSERVERS.remove(observer)
    intro = set(LetterTexts(language).get("intro").split())
    german_intro = set(LetterTexts("de").get("intro").split())
    translated = Counter(p.size for p in drawn if p.text in intro and p.text not in german_intro).most_common(1)[0][0]
    german = Counter(p.size for p in drawn if p.text in german_intro).most_common(1)[0][0]
    assert translated >= 10
    if language != "en":
        assert translated >= german * 1.1 and translated >= 10 * 1.1
    assert min(p.size for p in drawn) >= 6  # the return line of the address field is the smallest text


REPLACED_AR = ("اتصلوا بنا على 0651 715-4321 أو عبر www.example.org/kurse أو info@kreis.example.org قبل "
               "15.02.2027 للدورة IK-2703-01 (Aufenthaltsgestattung) من 09:00–12:15.")


def test_numbers_addresses_and_dates_in_a_replaced_rtl_text_keep_their_order_and_never_wrap():
    from bildungskoordination.letters.content import LetterTexts
    from bildungskoordination.letters.fonts import chain_for
    from bildungskoordination.letters.layout import TextStyle, layout

    text = LetterTexts("ar", {"intro": REPLACED_AR}).get("intro")
    tokens = ["0651\u00a0715-4321", "www.example.org/kurse", "info@kreis.example.org", "15.02.2027", "IK-2703-01",
              "09:00–12:15"]
    for width in range(150, 420, 9):
        lines = layout(text, chain_for("ar"), TextStyle(size=10, leading=13), width, rtl=True)
        drawn = ["".join(p.text for p in line.pieces) for line in lines]  # each line left to right
        for token in tokens:
            assert sum(token in line for line in drawn) == 1, (width, token, drawn)
        # Brackets point the right way: what the reader sees, left to right, is "(Aufenthaltsgestattung)".
        seen = ["".join(p.text if p.level % 2 == 0 else p.text[::-1].translate(_MIRROR) for p in line.pieces)
                for line in lines]
        assert any("(Aufenthaltsgestattung)" in line for line in seen), (width, seen)


_MIRROR = str.maketrans("()[]", ")(][")


def test_phone_numbers_do_not_break_in_ltr_translations_either():
    from bildungskoordination.letters.content import LetterTexts

    for language in ("en", "fr", "tr", "uk"):
        text = LetterTexts(language).get("contact_text", name="Dr. Johanna Müller", phone="0651 715-4321",
                                         email="a@b.example.org")
        assert "0651\u00a0715-4321" in text


def test_no_authority_contact_data_as_a_silent_default(tmp_path):
    from bildungskoordination.letters.service import LetterheadMissing
    from bildungskoordination.resources import load_toml

    defaults = load_toml("letters", "letterhead.toml")
    assert all(value.endswith("example.org") for key, value in defaults.items() if key == "email")
    assert "Trier" not in " ".join(defaults.values())  # invented, not a real district's
    services = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    try:
        course = services.courses.create(CourseData(
            provider="VHS Trier", course_number="IK-1", course_type="ik_allgemein", entry_level="A1", target_level="B1",
            start=date(2027, 3, 1), end=date(2027, 9, 30), days=["mo"], time_from="09:00", time_to="12:15",
            places=20, status="offen"))
        person = services.people.create(PersonData(given_name="Amina", family_name="Yusuf", address="Am Markt 3, 54329 Konz",
                                                   consent_date=date(2026, 1, 5)))
        referral = services.referrals.refer(person, course, on=date(2026, 12, 1))
        assert services.letters.needs_letterhead()
        with pytest.raises(LetterheadMissing, match="Briefkopf"):
            services.letters.render([referral], "de", on=date(2026, 12, 2), action=None)
        services.settings.set("demo_database", True)  # a demo database prints its invented letterhead
        assert not services.letters.needs_letterhead()
        assert services.letters.letterhead().email.endswith("example.org")
        assert services.letters.render([referral], "de", on=date(2026, 12, 2), action=None)
    finally:
        services.close()


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Mon 8:30–12:00, Tue 8:30–12:00 and 14:00–16:00, Wed closed"),
    ("ar", "الاثنين 8:30–12:00، الثلاثاء 8:30–12:00 و 14:00–16:00، الأربعاء مغلق"),
    ("uk", "пн 8:30–12:00, вт 8:30–12:00 та 14:00–16:00, ср зачинено")])
def test_office_hours_are_translated(language, expected):
    from bildungskoordination.letters.content import LetterTexts

    hours = "Mo 8:30–12:00 Uhr, Di 8:30–12:00 und 14:00–16:00 Uhr, Mi geschlossen"
    assert LetterTexts(language).office_hours(hours) == expected
    assert LetterTexts("de").office_hours(hours) == hours
