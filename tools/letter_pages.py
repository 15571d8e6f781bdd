"""Render sample referral letters to PNG for docs/ (and for looking at them): both pages side by side.

    python tools/letter_pages.py docs/ [ar ti …]      # default: ar ti → docs/brief-ar.png, docs/brief-ti.png

A throw-away database with a realistic letterhead (tests/letter_fixtures.py: long department line, office hours,
invented contact data), one invented person per language – for Arabic the long multi-part name in a shelter
address – one course and one referral each. Pages side by side: the letter's two pages and the return slip.
Needs pypdfium2 and Pillow.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from letter_fixtures import LONG_NAME, REALISTIC_HEAD, SHELTER  # noqa: E402

from bildungskoordination.courses.records import CourseData  # noqa: E402
from bildungskoordination.people.records import PersonData  # noqa: E402
from bildungskoordination.services import Services  # noqa: E402

PEOPLE = {
    "ar": ("Yusuf", "Amina", "أمينة يوسف"), "fa": ("Ahmadi", "Zahra", "زهرا احمدی"),
    "fa_AF": ("Noori", "Farid", "فرید نوری"), "ps": ("Zadran", "Gul", "ګل زدران"), "ckb": ("Aziz", "Shilan", "شیلان عەزیز"),
    "ti": ("Girmay", "Sara", "ሳራ ግርማይ"), "uk": ("Kovalenko", "Olena", "Олена Коваленко"),
    "ru": ("Ivanova", "Irina", "Ирина Иванова"),
}


def main(out: Path, languages: list[str]) -> None:
    import pypdfium2
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    services = Services.open(Path(tempfile.mkdtemp()) / "letters.sqlite3", unencrypted=True)
    services.letters.set_letterhead(REALISTIC_HEAD)
    try:
        course = services.courses.create(CourseData(
            provider="Kreisvolkshochschule Beispielkreis", course_number="IK-2703-01", course_type="ik_allgemein",
            entry_level="A1", target_level="B1", start=date(2027, 3, 1), end=date(2027, 9, 24),
            registration_deadline=date(2027, 2, 15), days=["mo", "di", "mi", "do"], time_from="08:30",
            time_to="12:45", places=20, status="offen", childcare=True, address="Brückenstraße 5, 54329 Konz",
            contact_person="Frau Demir-Schneider", phone="06501 1234-0", email="integration@kvhs-beispiel.example"))
        for language in languages:
            family, given, original = PEOPLE.get(language, ("Muster", "Alex", ""))
            address = "Am Markt 3, 54329 Konz"
            if language == "ar":
                (given, family, original), address = LONG_NAME, SHELTER
            person = services.people.create(PersonData(
                family_name=family, given_name=given, name_original=original, letter_language=language,
                address=address, consent_date=date(2026, 11, 3)))
            referral = services.referrals.refer(person, course, on=date(2026, 12, 1))
            pdf = pypdfium2.PdfDocument(services.letters.render([referral], language, on=date(2026, 12, 2)))
            pages = [pdf[i].render(scale=90 / 72).to_pil() for i in range(len(pdf))]
            sheet = Image.new("RGB", (sum(p.width for p in pages) + 20 * (len(pages) - 1), pages[0].height), "#9aa0a6")
            x = 0
            for page in pages:
                sheet.paste(page, (x, 0))
                x += page.width + 20
            target = out / f"brief-{language}.png"
            sheet.save(target, optimize=True)
            print(target)
    finally:
        services.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"), sys.argv[2:] or ["ar", "ti"])
