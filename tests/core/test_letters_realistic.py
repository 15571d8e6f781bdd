"""Letters with realistic data, checked from the PDF's text positions (``pdftotext -bbox``): a long multi-part
Arabic name with its original-script form, a shelter address, a district letterhead with a long department line
and office hours, six courses – in each of the 14 languages. Nothing overlaps, nothing of the address is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest
from letter_fixtures import LONG_NAME, REALISTIC_HEAD, SHELTER, SHELTER_LINES
from reportlab.lib.units import mm
from tooling import missing_tool

from bildungskoordination.courses.records import CourseData
from bildungskoordination.letters.address import AddressDoesNotFit, address_block
from bildungskoordination.letters.texts import LETTER_LANGUAGES
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services

COURSE_TYPES = ["ik_allgemein", "ik_alpha", "ik_intensiv", "ik_jugend", "bsk_b2", "bsk_c1"]
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def core(self) -> tuple[float, float]:
        """The middle of the box: poppler's boxes run from the font's ascent to its descent, which is more than
        the leading – neighbouring lines touch there without anything overprinting."""
        height = self.y1 - self.y0
        return self.y0 + 0.3 * height, self.y1 - 0.3 * height


def words_per_page(pdf_path) -> list[list[Word]]:
    if shutil.which("pdftotext") is None:
        missing_tool("poppler-utils not installed")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([Word(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(page)])
    return pages


def overlaps(words: list[Word]) -> list[tuple[str, str]]:
    """Words whose boxes overlap. Poppler reports a combining mark (tanween, the Persian ezafe hamza) as a word
    of its own, drawn over its letter – by design, so marks alone are left out."""
    found = []
    ordered = sorted((w for w in words if not all(unicodedata.category(c) == "Mn" for c in w.text)),
                     key=lambda w: w.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 >= a.x1 - 0.5:
                break
            (a0, a1), (b0, b1) = a.core(), b.core()
            if min(a1, b1) - max(a0, b0) > 0.5:
                found.append((a.text, b.text))
    return found


def _cmap_subtables(font: bytes) -> int:
    import struct

    tables = {font[12 + 16 * i:16 + 16 * i]: struct.unpack(">I", font[20 + 16 * i:24 + 16 * i])[0]
              for i in range(struct.unpack(">H", font[4:6])[0])}
    return struct.unpack(">H", font[tables[b"cmap"] + 2:tables[b"cmap"] + 4])[0]


def assert_pdfa(path) -> None:
    """What can be checked of PDF/A-2b without a validator: every font embedded, XMP with pdfaid part 2 /
    conformance B and the same title, producer and dates as the document information, an sRGB output intent,
    /Lang – and qpdf finds nothing wrong with the file's structure."""
    import pikepdf

    if shutil.which("qpdf") is None:
        missing_tool("qpdf not installed")
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "de-DE"
        for page in pdf.pages:
            for name, font in page.Resources.Font.items():
                descriptor = font.get("/FontDescriptor")
                assert descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"{name} ({font.get('/BaseFont')}) is not embedded"
                if int(descriptor.Flags) & 4:  # symbolic TrueType (6.2.11.6): no /Encoding, one cmap subtable
                    assert "/Encoding" not in font and _cmap_subtables(descriptor.FontFile2.read_bytes()) == 1
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        assert intent.DestOutputProfile.N == 3 and intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        info = pdf.docinfo
        assert meta["dc:title"] == str(info.Title) and meta["pdf:Producer"] == str(info.Producer)
        assert "de-DE" in meta["dc:language"]
        created = str(info.CreationDate)  # D:YYYYMMDDHHmmSS+hh'mm'
        assert not created.startswith("D:2000"), "a real date, not ReportLab's invariant one"
        assert meta["xmp:CreateDate"].startswith(f"{created[2:6]}-{created[6:8]}-{created[8:10]}T{created[10:12]}:")
        assert meta["xmp:ModifyDate"] == meta["xmp:CreateDate"]
    assert b"Helvetica" not in path.read_bytes()


@pytest.fixture(scope="module")
def realistic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("letters")
    services = Services.open(folder / "db.sqlite3", unencrypted=True)
    services.letters.set_letterhead(REALISTIC_HEAD)
    courses = [services.courses.create(CourseData(
        provider="Kreisvolkshochschule Trier-Saarburg", course_number=f"{kind.upper()}-2703-0{n}", course_type=kind,
        entry_level="A1", target_level="B1", start=date(2027, 3, 1), end=date(2027, 9, 24),
        registration_deadline=date(2027, 2, 15), days=["mo", "di", "mi", "do"], time_from="08:30", time_to="12:45",
        places=20, status="offen", childcare=True, address="Brückenstraße 5, 54329 Konz",
        contact_person="Frau Demir-Schneider", phone="06501 1234-0", email="integration@kvhs.example.org"))
        for n, kind in enumerate(COURSE_TYPES, 1)]
    yield services, courses, folder
    services.close()


@pytest.mark.parametrize("language", LETTER_LANGUAGES)
def test_realistic_letters_have_no_overlap_and_the_whole_address(realistic, language):
    services, courses, folder = realistic
    person = services.people.create(PersonData(
        given_name=LONG_NAME[0], family_name=LONG_NAME[1], name_original=LONG_NAME[2], address=SHELTER,
        letter_language=language, consent_date=date(2026, 11, 3)))
    referrals = [services.referrals.refer(person, course, on=date(2026, 12, 1)) for course in courses]
    out = folder / f"{language}.pdf"
    out.write_bytes(services.letters.render(referrals, language, on=date(2026, 12, 2), action=None))
    assert_pdfa(out)
    pages = words_per_page(out)
    # Each letter: two pages and the return slip on a page of its own; the next letter starts on the front of
    # a new sheet (an empty page after the slip).
    assert len(pages) == 4 * len(courses) - 1
    for number, words in enumerate(pages, 1):
        assert not overlaps(words), f"{language}, page {number}: {overlaps(words)[:5]}"
        footer = " ".join(w.text for w in words if w.y0 > 800)
        assert footer.endswith(f"Seite {(number - 1) % 4 + 1} von 3") if number % 4 else not words
    for first in pages[::4]:
        window = [w for w in first if 20 * mm <= w.x0 and w.x1 <= 105 * mm and 60 * mm <= w.y0 and w.y1 <= 91 * mm]
        printed = " ".join(w.text.rstrip(",") for w in window)
        for expected in ["Mohammed", "Al-Hussein", "Al-Khatib", *" ".join(SHELTER_LINES).split()]:
            assert expected in printed.split(), f"{language}: {expected!r} missing from the address field: {printed}"
        date_word = next(w for w in first if w.text == "2026" and w.x0 > 125 * mm - 1)
        subject = next(w for w in first if w.text == "Vermittlung")
        assert date_word.y1 < subject.y0, "the date runs into the subject"
        # The e-mail address breaks only before "@" or ".".
        email = REALISTIC_HEAD.email
        parts = [w.text for w in first if w.x0 > 125 * mm - 1 and w.y1 < 100 * mm and w.text in email]
        assert "".join(parts) == email and all(part[0] in "@." for part in parts[1:]), parts


def test_the_address_field_gives_way_in_the_right_order():
    block = address_block(LONG_NAME[0], LONG_NAME[1], LONG_NAME[2], SHELTER, "")
    texts = block.texts()
    assert texts[-2:] == ["Dasbachstraße 15", "54292 Trier"] and "c/o Gemeinschaftsunterkunft Trier-Nord" in texts
    assert "Zimmer 214, Haus B" in texts or {"Zimmer 214", "Haus B"} <= set(texts)
    assert block.height <= 27.3 * mm
    # The family name stays whole on one line.
    name_lines = ["".join(p.text for p in line.pieces) for line in block.lines[0].lines]
    assert any("Al-Hussein\u00a0Al-Khatib" in line.replace(" ", "\u00a0") for line in name_lines)
    # One more accommodation line: the original-script name gives way first, nothing of the address does.
    longer = address_block(LONG_NAME[0], LONG_NAME[1], LONG_NAME[2], "c/o Familie Schneider, " + SHELTER, "")
    assert LONG_NAME[2] not in longer.texts() and "c/o Familie Schneider" in longer.texts()


def test_an_address_that_cannot_fit_is_refused_naming_the_person(realistic):
    services, courses, _folder = realistic
    address = ", ".join(["c/o Gemeinschaftsunterkunft Trier-Nord", "Zimmer 214", "Haus B", "Flur 3",
                         "c/o Sozialdienst der Unterkunft", "c/o Verein Willkommen e. V.", "c/o Frau Schneider",
                         "c/o Familie Yusuf", "Dasbachstraße 15",
                         "54292 Trier"])
    person = services.people.create(PersonData(given_name="Amina", family_name="Yusuf", address=address,
                                               consent_date=date(2026, 11, 3)))
    referral = services.referrals.refer(person, courses[0], on=date(2026, 12, 1))
    with pytest.raises(AddressDoesNotFit, match=r"Kein Brief für Amina Yusuf \(Aktenzeichen .*Zeilen"):
        services.letters.render([referral], "de", on=date(2026, 12, 2), action=None)


def test_the_address_column_is_imported_with_its_lines(tmp_path):
    from bildungskoordination.people.importer import import_persons

    path = tmp_path / "liste.csv"
    path.write_text('Nr;Familienname;Vorname;Adresse\nA-1;Yusuf;Amina;"c/o GU Trier-Nord\nZimmer 214\n'
                    'Dasbachstraße 15\n54292 Trier"\n', encoding="utf-8")
    services = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    try:
        report = import_persons(services, path)
        assert report.problems == []
        person = services.people.get(services.people.resolve("A-1"))
        assert person.address == "c/o GU Trier-Nord, Zimmer 214, Dasbachstraße 15, 54292 Trier"
    finally:
        services.close()
