"""Vocabularies are data: they load, their codes are unique, and derived name tables are current."""

import pytest

from bildungskoordination.domain.vocab import cldr_names_from_babel, language_name, vocabulary
from bildungskoordination.resources import resource_path


@pytest.mark.parametrize("name", ["residence_status", "topics", "channels", "outcomes", "countries", "languages",
                                  "gender", "german_level", "literacy", "availability", "consent_scope"])
def test_vocabulary_loads_with_unique_codes(name):
    vocab = vocabulary(name)
    assert vocab.terms
    assert len(vocab.codes()) == len(set(vocab.codes()))


def test_precomputed_language_and_country_names_match_cldr():
    import json

    stored = json.loads(resource_path("vocabularies", "cldr_names.json").read_text(encoding="utf-8"))
    assert stored == cldr_names_from_babel(), "run: python tools/build_language_names.py"


def test_country_names_in_german_and_english():
    countries = vocabulary("countries")
    assert countries.label("SY") == "Syrien" and countries.label("SY", "en") == "Syria"
    assert countries.label("AF") == "Afghanistan" and countries.label("UA", "en") == "Ukraine"
    assert countries.parse("Syrien") == "SY" and countries.parse("Eritrea") == "ER"
    assert "ZZ" not in countries and "EU" not in countries


def test_language_names():
    assert language_name("ar", "de") == "Arabisch"
    assert language_name("ar", "native") == "العربية"
    assert language_name("fa_AF", "de") == "Dari"
    assert language_name("uk", "en") == "Ukrainian"
