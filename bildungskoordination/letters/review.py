"""A translator's review of one letter language as an XLSX sheet, and back.

``export_review`` writes one row per letter text – key, German, translation, comment (empty, for the reviewer)
– plus the language's glossary on a second sheet. ``read_review`` reads the reviewed sheet and checks every
row: the key must exist, the German text must still be the one the sheet was made from, and a changed
translation must keep the placeholders of the German text ({name}, {date} …). Writing the accepted changes
into the catalog is tools/letter_review.py's job; the catalog's review state stays "machine-translated"
until a review is recorded explicitly there (``--record-review``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bildungskoordination.i18n import _
from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.glossary import glossary

SHEET = "Prüfung"
HEADER = ("Schlüssel", "Deutsch", "Übersetzung", "Kommentar")


@dataclass
class ReviewResult:
    changes: dict[str, str] = field(default_factory=dict)    # key → new translation
    comments: dict[str, str] = field(default_factory=dict)   # key → the reviewer's comment
    problems: list[str] = field(default_factory=list)        # "Zeile 7 (salutation): …"; nothing is taken then


def export_review(language: str, path: Path, current: dict[str, str] | None = None) -> int:
    """Write the review sheet for ``language``; returns the number of texts. ``current``: the translations to
    show (default: the catalog's; untranslated and outdated texts have an empty cell)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    translations = catalog.catalog_texts(language) if current is None else current
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = 0
    for key, german in catalog.source_texts().items():
        sheet.append((key, german, translations.get(key, ""), ""))
        rows += 1
    for column, width in zip("ABCD", (28, 60, 60, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    terms = book.create_sheet("Glossar")
    terms.append(("Deutsch", "Übersetzung", "Hinweis"))
    for term in glossary():
        terms.append((term.german, term.translations.get(language, ""), term.note))
    terms.column_dimensions["A"].width = terms.column_dimensions["B"].width = 40
    terms.column_dimensions["C"].width = 70
    book.save(path)
    return rows


def read_review(language: str, path: Path, current: dict[str, str] | None = None) -> ReviewResult:
    """The changes and comments of a reviewed sheet, each row checked; ``problems`` lists what is wrong."""
    from openpyxl import load_workbook

    translations = catalog.catalog_texts(language) if current is None else current
    source = catalog.source_texts()
    result = ReviewResult()
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 – not an XLSX file, damaged, …: one clear message
        result.problems.append(_("{path}: keine lesbare XLSX-Datei ({error})").format(path=path, error=exc))
        return result
    if SHEET not in book.sheetnames:
        result.problems.append(_("{path}: das Blatt „{sheet}“ fehlt").format(path=path, sheet=SHEET))
        return result
    rows = book[SHEET].iter_rows(values_only=True)
    header = tuple(str(c or "").strip() for c in next(rows, ()))[:4]
    if header != HEADER:
        result.problems.append(_("{path}: erwartet werden die Spalten {columns}").format(
            path=path, columns=", ".join(HEADER)))
        return result
    for number, row in enumerate(rows, start=2):
        key, german, text, comment = (str(c).strip() if c is not None else "" for c in (*row, "", "", "", "")[:4])
        if not key:
            continue

        def problem(message: str, number: int = number, key: str = key) -> None:
            result.problems.append(_("Zeile {row} ({key}): {message}").format(row=number, key=key, message=message))

        if key not in source:
            problem(_("unbekannter Schlüssel"))
            continue
        if german != source[key].strip():
            problem(_("der deutsche Text hat sich seit der Ausfuhr geändert – bitte eine neue Prüfliste ausführen"))
            continue
        if comment:
            result.comments[key] = comment
        if text and text != translations.get(key, "").strip():
            if reason := catalog.check_override(key, text):
                problem(reason)
                continue
            result.changes[key] = text
    book.close()
    return result
