"""Letter texts: German source, the 13 translation catalogs (script, placeholders, review state), documents to
bring, the return slip, and tools/update_letter_catalogs.py. No Qt."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bildungskoordination.letters import texts
from bildungskoordination.letters.glossary import glossary
from bildungskoordination.resources import load_toml

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [language for language in texts.LETTER_LANGUAGES if language != "de"]
RTL = ["ar", "fa", "fa_AF", "ps", "ckb"]
# Latin words allowed inside an Arabic-script or Ethiopic text: the agency's name, CEFR levels (B1 → B2) and
# the German official terms that stand in brackets beside their translation (resources/letters/glossary.toml).
_TERMS = "|".join(t.german for t in glossary() if t.german_in_brackets)
_ALLOWED_LATIN = re.compile(rf"^(BAMF|[ABC][12]|{_TERMS})$")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "letters.po").open("rb") as fh:
        return read_po(fh, locale=language, domain="letters")


def _all_text(language: str) -> str:
    return "\n".join(_PLACEHOLDER.sub(" ", text) for text in texts.catalog_texts(language).values())


def _stray_latin(text: str) -> list[str]:
    return [word for word in re.findall(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ0-9]*", text) if not _ALLOWED_LATIN.match(word)]


def test_languages_are_the_cldr_codes_of_the_issue():
    assert texts.LETTER_LANGUAGES == ("de", "en", "fr", "ar", "fa", "fa_AF", "ps", "uk", "ru", "tr", "ku", "ckb",
                                      "ti", "so")


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_exists_with_a_valid_review_state(language: str):
    state = texts.review_state(language)
    assert state.code in texts.REVIEW_STATES, f"{language}: X-Review-State fehlt oder ist ungültig"
    assert state == texts.ReviewState("machine-translated", "Maschinell übersetzt, nicht geprüft")
    header = (ROOT / "translations" / language / "LC_MESSAGES" / "letters.po").read_text(encoding="utf-8")
    assert f'"Language: {language}\\n"' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"X-Review-Note: Maschinell übersetzt, nicht geprüft\\n"' in header


def test_german_is_the_source_and_a_missing_catalog_is_reported():
    assert texts.review_state("de") == texts.ReviewState("source", "Ausgangstext")
    assert texts.catalog_texts("de") == texts.source_texts()
    assert texts.review_state("xx").code == "missing"
    assert texts.catalog_texts("xx") == {}


def test_source_has_the_letter_keys_course_types_and_documents():
    source = texts.source_texts()
    assert source["subject"] == "Vermittlung in einen Kurs: {course_type}"
    assert source["time_range"] == "{from} bis {to} Uhr"
    assert source["doc.dieser_brief"] == "dieses Schreiben"
    codes = {entry["code"] for entry in load_toml("matching", "course_types.toml")["entry"]}
    assert {key.removeprefix("course_type.") for key in source if key.startswith("course_type.")} == codes
    assert source["course_type.ik_alpha"] == "Alphabetisierungskurs"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_source_text_is_translated(language: str):
    translated = texts.catalog_texts(language)
    missing = sorted(set(texts.source_texts()) - set(translated))
    assert not missing, f"{language}: nicht (oder veraltet) übersetzt: {missing}"
    assert all(text.strip() for text in translated.values())


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_identical_and_catalog_is_clean(language: str):
    catalog = _catalog(language)
    wrong = [message.context for message in catalog if message.id
             and texts.placeholders(message.string) != texts.placeholders(message.id)]
    assert not wrong, f"{language}: Platzhalter weichen ab in {wrong}"
    assert not [message.context for message in catalog if message.fuzzy and message.id]
    assert not catalog.obsolete
    problems = [error for _message, errors in catalog.check() for error in errors]
    assert not problems


@pytest.mark.parametrize("language", RTL)
def test_rtl_catalogs_are_arabic_script_without_stray_latin(language: str):
    text = _all_text(language)
    assert texts.is_rtl(language)
    assert len(re.findall(r"[\u0600-\u06FF]", text)) > 500
    assert _stray_latin(text) == []


def test_tigrinya_is_ethiopic_script():
    text = _all_text("ti")
    assert len(re.findall(r"[\u1200-\u139F]", text)) > 500
    assert _stray_latin(text) == []
    assert not texts.is_rtl("ti")


def test_pashto_sorani_kurmanji_use_their_own_letters():
    assert set(_all_text("ps")) & set("ټډړږښګڼېۍئ"), "Paschtu ohne paschtu-eigene Buchstaben"
    assert set(_all_text("ckb")) & set("ڕڵۆێە"), "Sorani ohne sorani-eigene Buchstaben"
    kurmanji = _all_text("ku")
    assert {"ê", "î", "û", "ş"} <= set(kurmanji)
    assert not re.search(r"[\u0600-\u06FF]", kurmanji)


def test_dari_uses_afghan_vocabulary_where_it_differs_from_farsi():
    dari, farsi = texts.catalog_texts("fa_AF"), texts.catalog_texts("fa")
    assert "کورس" in dari["course_heading"] and "دوره" in farsi["course_heading"]
    assert dari["yes"] == "بلی" and farsi["yes"] == "بله"
    assert "پاسپورت" in dari["doc.reisepass"]


def test_left_to_right_languages_are_not_rtl():
    assert [language for language in texts.LETTER_LANGUAGES if texts.is_rtl(language)] == RTL


def test_language_labels():
    assert texts.language_label("fa_AF") == ("Dari", "دری")
    assert texts.language_label("ku") == ("Kurdisch (Kurmandschi)", "Kurmancî")
    assert texts.language_label("ckb") == ("Kurdisch (Sorani)", "کوردی")
    assert texts.language_label("uk") == ("Ukrainisch", "українська")
    assert texts.language_label("ti")[1] == "ትግርኛ"


def test_check_override_accepts_a_text_with_the_same_placeholders():
    assert texts.check_override("register_by", "Melden Sie sich bitte spätestens am {date} an.") is None
    assert texts.check_override("closing", "Viele Grüße") is None


@pytest.mark.parametrize(("key", "text", "expected"), [
    ("register_by", "Bitte melden Sie sich bald an.", "fehlt der Platzhalter {date}"),
    ("time_range", "{from} Uhr", "fehlt der Platzhalter {to}"),
    ("salutation", "Hallo {vorname},", "fehlt der Platzhalter {name}"),
    ("closing", "Grüße {name}", "unbekannten Platzhalter {name}"),
    ("register_by", "Bis {date anmelden.", "einzelne geschweifte Klammer"),
    ("register_by", "   ", "ist leer"),
    ("gibt_es_nicht", "Text", "Unbekannter Brieftext"),
])
def test_check_override_rejects_broken_texts(key: str, text: str, expected: str):
    message = texts.check_override(key, text)
    assert message is not None and expected in message, message


def test_documents_cover_every_course_type_and_exist():
    documents = load_toml("letters", "documents.toml")
    known = set(documents["documents"])
    for entry in load_toml("matching", "course_types.toml")["entry"]:
        ids = texts.documents_for(entry["code"])
        assert ids and set(ids) <= known, entry["code"]
        assert f"doc.{ids[0]}" in texts.source_texts()
    assert "bamf_berechtigung" in texts.documents_for("ik_allgemein")
    assert "bsk_berechtigung" in texts.documents_for("bsk_b2")
    assert texts.documents_for("neue_kursart") == documents["by_course_type"]["default"]
    assert set(documents["by_course_type"]) - {"default"} <= {e["code"] for e in
                                                              load_toml("matching", "course_types.toml")["entry"]}


def test_return_slip_maps_answers_onto_referral_statuses():
    slip = texts.return_slip()
    assert slip.intro == "Bitte zurück an die Bildungskoordination, per Post, Fax oder E-Mail"
    assert {"Name", "Aktenzeichen", "Kurs", "Kursbeginn"} <= set(slip.fields)
    assert slip.signature_fields == ("Datum", "Unterschrift/Stempel")
    by_id = {option.id: option for option in slip.options}
    assert by_id["angemeldet"].status == "angemeldet" and by_id["angemeldet"].fill_in
    assert not by_id["angemeldet"].reason
    assert by_id["nicht_erschienen"].status == "nicht_erschienen"
    assert by_id["kein_platz"].status == "vorgeschlagen"
    assert by_id["voraussetzungen"].status == by_id["will_nicht"].status == "abgelehnt"
    assert by_id["sonstiges"].status is None and by_id["sonstiges"].fill_in
    assert all(option.reason for option in slip.options if option.id != "angemeldet")


def test_tool_check_passes():
    result = subprocess.run([sys.executable, "tools/update_letter_catalogs.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def tool():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import update_letter_catalogs
        yield update_letter_catalogs
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_tool_marks_a_changed_german_text_fuzzy_keeps_it_stable_and_keeps_review_state(tool, tmp_path):
    template = tool.build_template()
    for key, text in [("closing", "Viele Grüße"), ("intro", "Wir empfehlen Ihnen einen Kurs, der zu Ihren "
                                                           "Deutschkenntnissen und zu Ihrer Lebenssituation passt.")]:
        next(m for m in template if m.context == key).id = text
    po_file = tmp_path / "letters.po"
    po_file.write_bytes((ROOT / "translations" / "fr" / "LC_MESSAGES" / "letters.po").read_bytes())
    data = tool.updated("fr", po_file, template)
    catalog = read_po(io.BytesIO(data), locale="fr")
    closing = next(m for m in catalog if m.context == "closing")
    assert closing.fuzzy and closing.string == "Veuillez agréer nos salutations distinguées"
    assert b'#| msgid "Mit freundlichen Gr\xc3\xbc\xc3\x9fen"\nmsgctxt "closing"' in data
    assert b'"X-Review-State: machine-translated\\n"' in data
    subject = next(m for m in catalog if m.context == "subject")
    assert not subject.fuzzy and subject.string == "Orientation vers un cours : {course_type}"
    po_file.write_bytes(data)
    assert tool.updated("fr", po_file, template) == data  # a second run changes nothing


def test_outdated_or_fuzzy_translation_is_not_printed(tmp_path, monkeypatch):
    po_dir = tmp_path / "en" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    text = (ROOT / "translations" / "en" / "LC_MESSAGES" / "letters.po").read_text(encoding="utf-8")
    text = text.replace('msgid "Mit freundlichen Grüßen"', 'msgid "Hochachtungsvoll"')
    text = text.replace('msgctxt "yes"', '#, fuzzy\nmsgctxt "yes"')
    (po_dir / "letters.po").write_text(text, encoding="utf-8")
    monkeypatch.setattr(texts, "translations_dir", lambda: tmp_path)
    texts.catalog_texts.cache_clear()
    try:
        english = texts.catalog_texts("en")
        assert "closing" not in english and "yes" not in english
        assert english["no"] == "no"
    finally:
        texts.catalog_texts.cache_clear()


def test_language_labels_and_writing_direction_are_cldrs():
    """The labels and the right-to-left list are data (no Babel lookup when the letter dialog opens); they say
    what CLDR says, except where the letter words a name on purpose (fa_AF, ku, ckb)."""
    from babel import Locale

    for language in texts.LETTER_LANGUAGES:
        locale = Locale.parse(language)
        assert texts.is_rtl(language) == (locale.character_order == "right-to-left"), language
        if language not in ("fa_AF", "ku", "ckb"):
            assert texts.language_label(language) == (locale.get_display_name("de"), locale.get_display_name(locale))
