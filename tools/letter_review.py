"""A translator's review of one letter language: export an XLSX sheet, import the reviewed sheet.

    python tools/letter_review.py export fa pruefung-fa.xlsx
    python tools/letter_review.py import fa pruefung-fa.xlsx [--record-review "Name, Funktion"]

The sheet has one row per text – Schlüssel, Deutsch, Übersetzung, Kommentar – and the language's glossary on a
second sheet (bildungskoordination/letters/review.py). Import checks every row (key known, German text
unchanged since the export, placeholders kept); if any row is wrong, nothing is written and each problem is
listed. Accepted changes go into translations/<code>/LC_MESSAGES/letters.po, the reviewer's comments as
"# Prüfung: …" comments. The catalog's review state (X-Review-State) stays as it is – "machine-translated"
until a review is recorded with --record-review, which sets "reviewed" and names the reviewer and the date.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from babel.messages.pofile import read_po  # noqa: E402
from update_letter_catalogs import TRANSLATIONS, _with_review_header, render, review_header  # noqa: E402

from bildungskoordination.letters.review import export_review, read_review  # noqa: E402
from bildungskoordination.letters.texts import DOMAIN, LETTER_LANGUAGES, REVIEW_STATES, SOURCE_LANGUAGE  # noqa: E402

COMMENT = "Prüfung: "


def _po(translations: Path, language: str) -> Path:
    return translations / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _current(po_file: Path, language: str) -> dict[str, str]:
    with po_file.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    return {m.context: m.string for m in catalog if m.context and isinstance(m.string, str) and not m.fuzzy}


def import_sheet(language: str, sheet: Path, translations: Path, reviewer: str = "") -> list[str]:
    """Write the reviewed sheet into the catalog; the problems (nothing written then)."""
    po_file = _po(translations, language)
    result = read_review(language, sheet, _current(po_file, language))
    if result.problems:
        return result.problems
    with po_file.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    for message in catalog:
        if message.context in result.changes:
            message.string = result.changes[message.context]
            message.flags.discard("fuzzy")
        if message.context in result.comments:
            kept = [c for c in message.user_comments if not c.startswith(COMMENT)]
            message.user_comments = [*kept, COMMENT + result.comments[message.context].replace("\n", " ")]
    header = review_header(po_file)
    if reviewer:
        header = {"X-Review-State": "reviewed",
                  "X-Review-Note": f"{REVIEW_STATES['reviewed']} ({reviewer}, {date.today():%d.%m.%Y})"}
    po_file.write_bytes(_with_review_header(render(catalog), header))
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("export", "import"))
    parser.add_argument("language", choices=[c for c in LETTER_LANGUAGES if c != SOURCE_LANGUAGE])
    parser.add_argument("sheet", type=Path, metavar="DATEI.xlsx")
    parser.add_argument("--record-review", default="", metavar="NAME",
                        help="nach dem Einlesen den Prüfstand auf „geprüft“ setzen, mit Name und Datum")
    parser.add_argument("--translations", type=Path, default=TRANSLATIONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    po_file = _po(args.translations, args.language)
    if args.action == "export":
        rows = export_review(args.language, args.sheet, _current(po_file, args.language))
        print(f"{args.sheet}: {rows} Texte zur Prüfung")
        return 0
    problems = import_sheet(args.language, args.sheet, args.translations, args.record_review.strip())
    for problem in problems:
        print(f"{args.sheet}: {problem}", file=sys.stderr)
    if problems:
        print("Nichts übernommen.", file=sys.stderr)
        return 1
    print(f"{po_file}: übernommen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
