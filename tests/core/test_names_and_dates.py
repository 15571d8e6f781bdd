from datetime import date

import pytest

from bildungskoordination.domain.dates import DateParseError, PartialDate, parse_date, parse_partial_date
from bildungskoordination.domain.names import clean_text, fold, search_keys, skeleton


@pytest.mark.parametrize(
    "variants",
    [
        ["Mohammed", "Muhammad", "Mohamed", "Mohamad", "Muhammed"],
        ["Sergii", "Serhii", "Sergey", "Serhiy"],
        ["Müller", "Mueller", "Muller"],
        ["Ahmad", "Achmed", "Ahmed"],
        ["Olena", "Олена"],
        ["Yılmaz", "Yilmaz"],
    ],
)
def test_transliteration_variants_share_a_skeleton(variants):
    skeletons = {skeleton(fold(v)) for v in variants}
    assert len(skeletons) == 1, skeletons


def test_different_names_do_not_collapse():
    assert skeleton(fold("Farid")) != skeleton(fold("Rania"))
    assert skeleton(fold("Olena")) != skeleton(fold("Yonas"))


def test_clean_text_strips_bidi_and_zero_width_but_keeps_zwnj():
    dirty = "\u202eAl-Hassan\u200b \u2067Rania\u2069"
    assert clean_text(dirty) == "Al-Hassan Rania"
    persian = "می\u200cخواهم"  # ZWNJ is part of Persian spelling
    assert clean_text(persian) == persian


def test_clean_text_normalises_to_nfc():
    decomposed = "Mu\u0308ller"
    assert clean_text(decomposed) == "Müller"


def test_search_keys_include_joined_family_name():
    folded, skel = search_keys("Al-Hassan", "Rania")
    assert " alhassan" in folded and " hassan" in folded


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("14.03.1994", PartialDate(1994, 3, 14, "14.03.1994")),
        ("00.00.1988", PartialDate(1988, None, None, "00.00.1988")),
        ("05.1997", PartialDate(1997, 5, None, "05.1997")),
        ("1999", PartialDate(1999, None, None, "1999")),
        ("00.05.1990", PartialDate(1990, 5, None, "00.05.1990")),
    ],
)
def test_partial_dates_keep_what_was_written(written, expected):
    parsed = parse_partial_date(written, today=date(2026, 12, 2))
    assert parsed == expected
    assert parsed.display() == written


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("31.02.2000", "gibt es nicht"), ("13.1990", "Monat 13"), ("01.01.2030", "Zukunft"), ("abc", "kein Datum"),
     ("05.00.1990", "Tag ohne Monat"), ("1850", "vor 1900")],
)
def test_impossible_partial_dates_are_refused_with_a_reason(text, fragment):
    with pytest.raises(DateParseError, match=fragment):
        parse_partial_date(text, today=date(2026, 12, 2))


def test_age_with_unknown_day_uses_earliest_birthday():
    assert PartialDate(2000).age_on(date(2026, 1, 1)) == 26
    assert PartialDate(2000, 6, 15).age_on(date(2026, 6, 14)) == 25


def test_parse_date_formats():
    assert parse_date("2.3.2024") == date(2024, 3, 2)
    assert parse_date("2024-03-02") == date(2024, 3, 2)
    with pytest.raises(DateParseError):
        parse_date("30.02.2024")
