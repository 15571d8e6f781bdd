"""Vocabularies are data: they load, their codes are unique, and derived name tables are current."""

import pytest

from bildungskoordination.domain.vocab import language_name, native_names_from_cldr, vocabulary
from bildungskoordination.resources import resource_path


@pytest.mark.parametrize("name", ["residence_status", "topics", "channels", "outcomes", "countries", "languages",
                                  "gender", "german_level", "literacy", "availability", "consent_scope"])
def test_vocabulary_loads_with_unique_codes(name):
    vocab = vocabulary(name)
    assert vocab.terms
    assert len(vocab.codes()) == len(set(vocab.codes()))


def test_precomputed_native_language_names_match_cldr():
    import json

    stored = json.loads(resource_path("vocabularies", "language_names.json").read_text(encoding="utf-8"))
    assert stored == native_names_from_cldr(), "run: python tools/build_language_names.py"


def test_language_names():
    assert language_name("ar", "de") == "Arabisch"
    assert language_name("ar", "native") == "العربية"
    assert language_name("fa_AF", "de") == "Dari"
    assert language_name("uk", "en") == "Ukrainian"
