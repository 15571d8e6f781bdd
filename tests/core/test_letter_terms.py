"""Translations in the register of an official letter: the glossary's words and the German official terms in
brackets beside them, formal salutation and closing, "legally binding" – and the review round-trip for
translators (XLSX out, reviewed sheet in, placeholders checked, review state unchanged until recorded)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.glossary import glossary
from bildungskoordination.letters.review import HEADER, SHEET, export_review, read_review

TRANSLATED = [code for code in catalog.LETTER_LANGUAGES if code != catalog.SOURCE_LANGUAGE]
ROOT = Path(__file__).resolve().parents[2]
# Openings and closings of a private note, not of an authority's letter.
INFORMAL_OPENINGS = {"en": "Hello", "fr": "Bonjour", "ar": "مرحب", "fa": "سلام", "fa_AF": "سلام", "ps": "سلام",
                     "ckb": "ڕۆژباش", "tr": "Merhaba", "ku": "Rojbaş", "ti": "ሰላም", "so": "Maalin wanaagsan",
                     "uk": "Добрий день", "ru": "Здравствуйте"}
INFORMAL_CLOSINGS = {"en": "Kind regards", "fr": "Cordialement", "so": "Salaan diirran"}


@pytest.mark.parametrize("language", TRANSLATED)
def test_official_terms_keep_the_german_word_in_brackets_and_the_glossary_word(language):
    source, translated = catalog.source_texts(), catalog.catalog_texts(language)
    for term in glossary():
        for key, german in source.items():
            if term.german not in german or key not in translated:
                continue
            text = translated[key]
            if term.german_in_brackets:
                assert term.german in text, f"{language} {key}: „{term.german}“ missing beside its translation"
            if word := term.translations.get(language):
                assert word.casefold() in text.casefold(), \
                    f"{language} {key}: the glossary's „{word}“ for {term.german} is not used"


@pytest.mark.parametrize("language", TRANSLATED)
def test_salutation_and_closing_are_formal_and_binding_means_legally_binding(language):
    texts = catalog.catalog_texts(language)
    assert not texts["salutation"].startswith(INFORMAL_OPENINGS[language]), texts["salutation"]
    if language in INFORMAL_CLOSINGS:
        assert INFORMAL_CLOSINGS[language] not in texts["closing"]
    assert "mandatory" not in texts["binding_note"].lower()
    if language in ("uk", "ru"):
        assert "Обов" not in texts["binding_note"] and "Обяз" not in texts["binding_note"]  # "obligatory"


def test_aufenthaltsgestattung_is_not_refugee_status():
    for language, wrong in (("fa", "در دوران پناهندگی"), ("fa_AF", "در وقت پناهندگی"), ("ckb", "لە کاتی پەنابەری")):
        assert wrong not in catalog.catalog_texts(language)["doc.aufenthalt"]


def test_the_review_sheet_goes_out_and_comes_back_with_placeholders_checked(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "pruefung-fa.xlsx"
    rows = export_review("fa", path)
    assert rows == len(catalog.source_texts())
    book = load_workbook(path)
    sheet = book[SHEET]
    assert tuple(c.value for c in sheet[1]) == HEADER
    by_key = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert by_key["salutation"][1].value == "Guten Tag {name},"
    assert by_key["salutation"][2].value == catalog.catalog_texts("fa")["salutation"]
    assert any(row[0].value == "Aufenthaltsgestattung" for row in book["Glossar"].iter_rows(min_row=2))
    # The reviewer corrects one text, breaks a placeholder in another and comments on a third.
    by_key["closing"][2].value = "با احترام فراوان"
    by_key["register_by"][2].value = "لطفاً تا تاریخ ثبت‌نام کنید."  # {date} dropped
    by_key["intro"][3].value = "ترجمه روان است."
    book.save(path)
    result = read_review("fa", path)
    assert result.changes == {"closing": "با احترام فراوان"}
    assert result.comments == {"intro": "ترجمه روان است."}
    assert len(result.problems) == 1 and "register_by" in result.problems[0] and "{date}" in result.problems[0]


def test_the_review_tool_writes_the_catalog_and_records_a_review_only_when_asked(tmp_path):
    import shutil

    work = tmp_path / "repo"
    shutil.copytree(ROOT / "translations", work / "translations")
    po = work / "translations" / "fa" / "LC_MESSAGES" / "letters.po"
    sheet = tmp_path / "fa.xlsx"
    tool = [sys.executable, str(ROOT / "tools" / "letter_review.py")]
    run = lambda *args: subprocess.run([*tool, *args, "--translations", str(work / "translations")],  # noqa: E731
                                       capture_output=True, text=True, cwd=ROOT)
    assert run("export", "fa", str(sheet)).returncode == 0
    from openpyxl import load_workbook

    book = load_workbook(sheet)
    for row in book[SHEET].iter_rows(min_row=2):
        if row[0].value == "closing":
            row[2].value = "با احترام فراوان"
        if row[0].value == "register_by":
            row[2].value = "بدون تاریخ"  # placeholder lost: the whole sheet is refused
    book.save(sheet)
    refused = run("import", "fa", str(sheet))
    assert refused.returncode == 1 and "register_by" in refused.stderr
    assert "با احترام فراوان" not in po.read_text(encoding="utf-8")
    book = load_workbook(sheet)
    for row in book[SHEET].iter_rows(min_row=2):
        if row[0].value == "register_by":
            row[2].value = None  # unchanged
    book.save(sheet)
    done = run("import", "fa", str(sheet))
    assert done.returncode == 0, done.stderr
    text = po.read_text(encoding="utf-8")
    assert "با احترام فراوان" in text and "X-Review-State: machine-translated" in text
    recorded = run("import", "fa", str(sheet), "--record-review", "Leyla Karimi, Sprachmittlerin")
    assert recorded.returncode == 0, recorded.stderr
    text = po.read_text(encoding="utf-8")
    assert "X-Review-State: reviewed" in text and "Leyla Karimi" in text
