"""Referral letters: every language prints with real glyphs, RTL lines read right to left across wraps, hostile
input prints as written, at most two pages; the service refuses restricted persons and logs what it prints."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date

import pypdfium2
import pytest
from reportlab.pdfbase import pdfmetrics
from tooling import missing_tool

from bildungskoordination.courses.records import CourseData
from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.letters import layout as layout_module
from bildungskoordination.letters.address import AddressDoesNotFit
from bildungskoordination.letters.content import Letterhead
from bildungskoordination.letters.fonts import chain_for
from bildungskoordination.letters.layout import TextStyle, layout
from bildungskoordination.letters.shaping import visual_order
from bildungskoordination.letters.texts import LETTER_LANGUAGES, RTL_LANGUAGES
from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.restriction import ProcessingRestricted
from bildungskoordination.services import Services

ORIGINAL_NAMES = {"ar": "أمينة يوسف", "fa": "امینه یوسفی", "fa_AF": "امینه یوسفی", "ps": "امينه ګل", "ckb": "ئامینە یوسف",
                  "ti": "ኣሚና ዮሴፍ", "uk": "Аміна Юсуф", "ru": "Амина Юсуф"}
TEST_HEAD = Letterhead(office="Kreisverwaltung Beispielkreis", street="Musterstraße 1", postcode_city="12345 Beispielstadt",
                       phone="01234 567-0", email="bildung@beispielkreis.example.org", coordinator="Bildungskoordination")
HOSTILE_NAME = "<font color=red>Evil</font> & <b>Co</b> \u202eRLO\u202c <para>"


@pytest.fixture
def services(tmp_path):
    sv = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    sv.letters.set_letterhead(TEST_HEAD)
    yield sv
    sv.close()


def refer(services, language="ar", family="Yusuf", given="Amina", original="", address="Am Markt 3, 54329 Konz",
          number="IK-1") -> int:
    pid = services.people.create(PersonData(family_name=family, given_name=given, name_original=original,
                                            address=address, letter_language=language, consent_date=date(2026, 1, 5)))
    cid = services.courses.create(CourseData(
        provider="Volkshochschule Trier", course_number=number, course_type="ik_allgemein", entry_level="A1",
        target_level="B1", start=date(2027, 3, 1), end=date(2027, 9, 30), registration_deadline=date(2027, 2, 15),
        days=["mo", "mi", "fr"], time_from="09:00", time_to="12:15", places=20, status="offen",
        address="Brückenstraße 5, 54329 Konz", contact_person="Frau Schmitt", phone="0651 718-1234"))
    return services.referrals.refer(pid, cid, on=date(2026, 12, 1))


@pytest.fixture
def drawn():
    pieces: list = []
    observer = lambda piece, x, y: pieces.append((piece, x, y))  # noqa: E731
    layout_module.DRAW_OBSERVERS.append(observer)
    yield pieces
    layout_module.DRAW_OBSERVERS.remove(observer)


def page_count(pdf: bytes) -> int:
    return len(pypdfium2.PdfDocument(pdf))


@pytest.mark.parametrize("language", LETTER_LANGUAGES)
def test_every_language_prints_every_character_with_a_real_glyph(services, drawn, language):
    rid = refer(services, language, original=ORIGINAL_NAMES.get(language, ""))
    pdf = services.letters.render([rid], language, on=date(2026, 12, 2))
    assert 1 <= page_count(pdf) <= 3  # two pages and the return slip
    texts = [piece.text for piece, _x, _y in drawn]
    assert texts, "nothing drawn"
    for piece, _x, _y in drawn:
        assert 0 not in piece.glyph_ids, f"{language}: .notdef for {piece.text!r} in {piece.font}"
        cmap = pdfmetrics.getFont(piece.font).face.charToGlyph
        for char in piece.text:
            if char not in "\u200c\u200d":
                assert ord(char) in cmap, f"{language}: {char!r} (U+{ord(char):04X}) not in {piece.font}"
    if language != "de":  # the translation is there, in its own script
        script_chars = "".join(texts)
        if language in RTL_LANGUAGES:
            assert any(unicodedata.bidirectional(c) == "AL" for c in script_chars)
        if language == "ti":
            assert any("\u1200" <= c <= "\u137f" for c in script_chars)


@pytest.mark.parametrize("language", sorted(RTL_LANGUAGES))
def test_rtl_lines_read_right_to_left_across_wraps(language):
    words = ["كلمة1", "ثانية", "Trier-Land", "ثالثة", "12.03.2026", "رابعة", "خامسة", "سادسة", "سابعة", "ثامنة"]
    words = [w.replace("1", "") for w in words]
    text = " ".join(words)
    lines = layout(text, chain_for(language), TextStyle(size=10, leading=13), 120, rtl=True)
    assert len(lines) >= 2, "the test needs at least one wrap"
    read: list[str] = []
    for line in lines:
        # Reading an RTL line = its pieces from right to left; an LTR word inside stays one piece.
        read += [p.text for p in sorted(line.pieces, key=lambda p: -p.x)]
        assert all(line.pieces[i].x <= line.pieces[i + 1].x for i in range(len(line.pieces) - 1))
    assert read == words


def test_visual_order_reverses_rtl_runs_and_keeps_embedded_ltr_runs():
    # Levels of "ab CD ef" in an RTL paragraph where ab/ef are Arabic (1) and CD Latin (2).
    assert visual_order([1, 1, 1, 2, 2, 1, 1, 1]) == [7, 6, 5, 3, 4, 2, 1, 0]
    assert visual_order([0, 0, 1, 1, 0]) == [0, 1, 3, 2, 4]


def test_arabic_letter_lines_run_right_to_left_and_copy_out_in_reading_order(services, tmp_path, drawn):
    rid = refer(services, "ar", original="أمينة يوسف")
    out = tmp_path / "brief.pdf"
    services.letters.save([rid], out, "ar", on=date(2026, 12, 2))
    texts = services.letters.letter_texts("ar")
    # The drawing: every line of the (wrapping) contact paragraph, read from the right, is the logical text.
    contact = texts.get("contact_text", name="Bildungskoordination", phone="0651 715-0", email="a@b.de").split()
    by_line: dict[float, list] = {}
    for piece, x, y in drawn:
        if piece.font.startswith("NotoNaskh") and piece.text in contact:
            by_line.setdefault(round(y, 1), []).append((x, piece.text))
    read = [word for y in sorted(by_line, reverse=True) for _x, word in sorted(by_line[y], reverse=True)]
    arabic_words = [w for w in contact if any("\u0600" <= c <= "\u06ff" for c in w)]
    assert [w for w in read if w in arabic_words][:4] == arabic_words[:4]
    # Copying out (poppler, as in Evince/Okular): real letters in reading order, no private-use codes.
    if shutil.which("pdftotext") is None:
        missing_tool("poppler-utils not installed")
    plain = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert not any("\ue000" <= c <= "\uf8ff" for c in plain)
    words = " ".join(plain.replace("\u202b", " ").replace("\u202c", " ").split())
    assert " ".join(texts.get("intro").split()[:2]) in words  # poppler may move sentence punctuation, not words


def test_hostile_input_prints_as_written_and_never_raises(services, drawn):
    rid = refer(services, "ar", family=HOSTILE_NAME, given="Amina", original="<b>&amp;</b>\u202e",
                address="<img src=x>, 5 & 6 <br/> Straße")
    pdf = services.letters.render([rid], "ar", on=date(2026, 12, 2))
    assert page_count(pdf) <= 3
    long_name = refer(services, "ar", family="Ü" * 25, given="Ä" * 25, original="ب" * 300, number="IK-2",
                      address="Am Markt 3, 54329 Konz")
    assert page_count(services.letters.render([long_name], "ar", on=date(2026, 12, 2))) <= 3
    # What cannot be printed whole is refused, naming the person – never printed with lines left out.
    too_long = refer(services, "ar", family="Ü" * 300, given="Ä" * 300, number="IK-3",
                     address=", ".join(["Sehr lange Straße 1"] * 20))
    with pytest.raises(AddressDoesNotFit, match="Kein Brief für ÄÄÄ.*Aktenzeichen"):
        services.letters.render([too_long], "ar", on=date(2026, 12, 2))
    printed = " ".join(piece.text for piece, _x, _y in drawn)
    assert "<font" in printed and "color=red>Evil</font>" in printed and "<b>Co</b>" in printed
    assert "<img" in printed and "&" in printed
    assert "\u202e" not in printed and "\u202c" not in printed


def test_restricted_person_gets_no_letter_and_nothing_is_logged(services, tmp_path):
    rid = refer(services, "ar")
    services.people.withdraw_consent(services.referrals.get(rid).person_id, on=date(2026, 12, 1))
    before = len(services.audit.list())
    with pytest.raises(ProcessingRestricted):
        services.letters.save([rid], tmp_path / "x.pdf", "ar")
    assert not (tmp_path / "x.pdf").exists()
    assert len(services.audit.list()) == before


def test_printing_and_saving_are_logged_per_referral(services, tmp_path):
    first, second = refer(services, "ar"), refer(services, "ti", family="Tesfay", number="IK-2")
    pdf = services.letters.render([first, second], on=date(2026, 12, 2))  # each person's own language
    assert page_count(pdf) >= 2
    services.letters.save([first], tmp_path / "b.pdf", "ps")
    events = [(e.action, e.entity_id, e.detail) for e in services.audit.list() if e.entity == "letter"]
    assert ("print", first, "ar") in events and ("print", second, "ti") in events
    assert ("export", first, "ps") in events


def test_replacement_texts_are_checked_stored_and_printed(services, drawn):
    with pytest.raises(ValidationError, match="fehlt der Platzhalter"):
        services.letters.set_text("ar", "subject", "إحالة إلى دورة")  # {course_type} dropped
    assert all(entry.override == "" for entry in services.letters.texts("ar"))
    services.letters.set_text("ar", "closing", "مع أطيب التحيات من المنطقة")
    entry = next(e for e in services.letters.texts("ar") if e.key == "closing")
    assert entry.override == entry.effective == "مع أطيب التحيات من المنطقة"
    services.letters.render([refer(services, "ar")], "ar", on=date(2026, 12, 2))
    assert "المنطقة" in {piece.text for piece, _x, _y in drawn}
    services.letters.reset_text("ar", "closing")
    assert next(e for e in services.letters.texts("ar") if e.key == "closing").override == ""


def test_letterhead_comes_from_the_settings(services, drawn):
    head = services.letters.letterhead()
    from dataclasses import replace

    services.letters.set_letterhead(replace(head, office="Kreisverwaltung Beispielhausen"))
    services.letters.render([refer(services, "de")], "de", on=date(2026, 12, 2))
    assert "Beispielhausen" in " ".join(piece.text for piece, _x, _y in drawn)


def test_cli_writes_the_letter_and_refuses_unknown_languages(tmp_path):
    from bildungskoordination.cli import main

    db = tmp_path / "db.sqlite3"
    sv = Services.open(db, unencrypted=True)
    sv.letters.set_letterhead(TEST_HEAD)
    rid = refer(sv, "ps")
    sv.close()
    out = tmp_path / "brief.pdf"
    assert main(["--db", str(db), "letter", str(rid), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and page_count(out.read_bytes()) <= 3
    bad = tmp_path / "nein.pdf"
    assert main(["--db", str(db), "letter", str(rid), "--lang", "xx", "--out", str(bad)]) == 1
    assert main(["--db", str(db), "letter", "999", "--out", str(bad)]) == 1
    assert not bad.exists()


def test_the_preview_is_not_logged_but_still_refused_for_restricted_persons(services):
    rid = refer(services, "ar")
    before = len(services.audit.list())
    assert page_count(services.letters.render([rid], "ar", action=None)) <= 3
    assert len(services.audit.list()) == before
    services.people.withdraw_consent(services.referrals.get(rid).person_id, on=date(2026, 12, 1))
    with pytest.raises(ProcessingRestricted):
        services.letters.render([rid], "ar", action=None)


def test_logo_from_the_letterhead_is_printed_and_a_broken_one_is_left_out(services, tmp_path):
    from dataclasses import replace

    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), "#1f4e79").save(logo)
    services.letters.set_letterhead(replace(services.letters.letterhead(), logo=str(logo)))
    rid = refer(services, "de")
    assert b"/Subtype /Image" in services.letters.render([rid], "de", action=None)
    logo.write_bytes(b"not an image")
    assert b"/Subtype /Image" not in services.letters.render([rid], "de", action=None)


@pytest.mark.parametrize("language", ["fa", "fa_AF", "ckb"])
def test_zero_width_non_joiner_reaches_the_shaper(language):
    # "می‌خواهم": without the ZWNJ, ی would join خ and the word would read "میخواهم".
    word = "می\u200cخواهم"
    lines = layout(word, chain_for(language), TextStyle(), 300, rtl=True)
    pieces = [p for line in lines for p in line.pieces]
    assert "".join(p.text for p in pieces) == word
    joined = layout(word.replace("\u200c", ""), chain_for(language), TextStyle(), 300, rtl=True)
    assert [p.glyph_ids for p in pieces] != [p.glyph_ids for line in joined for p in line.pieces]


def test_a_replaced_german_text_withdraws_its_old_translation_until_it_is_replaced_too(services, drawn):
    catalog_intro = services.letters.letter_texts("ar").get("intro")
    assert catalog_intro
    services.letters.set_text("de", "intro", "Wir haben für Sie einen ganz neuen Kurs gefunden.")
    entry = next(e for e in services.letters.texts("ar") if e.key == "intro")
    assert entry.outdated and entry.effective == "" and entry.catalog == catalog_intro
    services.letters.render([refer(services, "ar")], "ar", on=date(2026, 12, 2))
    printed = " ".join(piece.text for piece, _x, _y in drawn)
    assert "ganz neuen Kurs" in printed
    assert catalog_intro.split()[1] not in printed.split(), "the translation of the old German text was printed"
    services.letters.set_text("ar", "intro", "وجدنا لكم دورة جديدة تماما.")
    entry = next(e for e in services.letters.texts("ar") if e.key == "intro")
    assert not entry.outdated and entry.effective == "وجدنا لكم دورة جديدة تماما."
    drawn.clear()
    services.letters.render([refer(services, "ar", number="IK-2")], "ar", on=date(2026, 12, 2))
    assert "جديدة" in {piece.text for piece, _x, _y in drawn}
    assert not any(e.outdated for e in services.letters.texts("fa") if e.key != "intro")


LONG_COURSE = dict(
    provider="Gemeinnützige Bildungs- und Beschäftigungsgesellschaft für Integration, Qualifizierung und Arbeit im "
             "Landkreis Trier-Saarburg mbH (Zweigstelle Hermeskeil-Thalfang)",
    course_number="IK-2703-01-ABCDEFGH", course_type="bsk_spezial", entry_level="B1", target_level="C1",
    start=date(2027, 3, 1), end=date(2027, 9, 24), registration_deadline=date(2027, 2, 15),
    days=["mo", "di", "mi", "do", "fr", "sa"], time_from="08:30", time_to="12:45", places=20, status="offen",
    address="Bildungszentrum am Alten Güterbahnhof, Gebäude C, 3. Obergeschoss, Raum 3.217, "
            "Friedrich-Wilhelm-Raiffeisen-Straße 123a, 54411 Hermeskeil-Höfchen",
    contact_person="Frau Dr. Anna-Katharina Demir-Schneider (Fachbereichsleitung Sprache und Integration)",
    phone="+49 (0) 6503 12345-6789", email="anna-katharina.demir-schneider@bildungsgesellschaft-trier-saarburg.example")


@pytest.mark.parametrize("language", ["fr", "so", "ar", "ti"])
def test_long_provider_address_and_contact_still_fit_on_two_pages(services, language):
    cid = services.courses.create(CourseData(**LONG_COURSE))
    pid = services.people.create(PersonData(
        family_name="Abdulrahman-Al-Hashimi", given_name="Mohammed Abdullah", name_original="محمد عبدالله الهاشمي",
        address="c/o Unterkunft Am Sportplatz, Zimmer 12, Hauptstraße 150, 54411 Hermeskeil", letter_language=language,
        consent_date=date(2026, 1, 5)))
    rid = services.referrals.refer(pid, cid, on=date(2026, 12, 1))
    pdf = services.letters.render([rid, refer(services, language)], language, on=date(2026, 12, 2), action=None)
    document = pypdfium2.PdfDocument(pdf)
    footers = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    # Two pages each and the return slip on a page of its own; the second letter starts on a new sheet.
    assert len(footers) == 7, "each letter of the batch must stay within two pages (and its slip)"
    assert [t.strip()[-13:] for t in footers] == ["Seite 1 von 3", "Seite 2 von 3", "Seite 3 von 3", "",
                                                  "Seite 1 von 3", "Seite 2 von 3", "Seite 3 von 3"]


def test_ligatures_and_contextual_forms_copy_out_as_their_letters(services, tmp_path):
    if shutil.which("pdftotext") is None:
        missing_tool("poppler-utils not installed")
    rid = refer(services, "fa", family="Ahmadi", given="Fiona", original="لالا می‌خواهم")
    out = tmp_path / "b.pdf"
    services.letters.save([rid], out, "fa", on=date(2026, 12, 2))
    plain = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Fiona" in plain  # "fi" is a ligature glyph in Noto Sans
    assert "Verpflichtung" in plain.replace("\n", " ") or "Verpflichtung" not in services.letters.letter_texts(
        "de").get("doc.bamf_berechtigung")  # "fl" is one too, with a code point of its own (U+FB02)
    assert "\ufb02" not in plain and "\ufb01" not in plain
    assert not any("\ue000" <= c <= "\uf8ff" or "\ufb50" <= c <= "\ufeff" and c != "\ufeff" for c in plain)


def test_a_phone_number_in_rtl_text_stays_on_one_line_and_in_order():
    from bildungskoordination.letters.content import LetterTexts

    text = LetterTexts("ar").get("contact_text", name="Bildungskoordination", phone="0651 715-0", email="a@b.de")
    for width in range(120, 320, 7):  # wherever the line breaks, the number is one piece, left to right
        lines = layout(text, chain_for("ar"), TextStyle(size=10, leading=13), width, rtl=True)
        drawn = ["".join(p.text for p in line.pieces) for line in lines]  # each line left to right
        assert any("0651\u00a0715-0" in line for line in drawn), (width, drawn)
