"""The parts of the referral letter's body that are more than a paragraph: the course table, the documents to
bring, the translation marker and the provider's return slip."""

from __future__ import annotations

import unicodedata

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.address import short_name
from bildungskoordination.letters.content import LetterData, LetterTexts
from bildungskoordination.letters.flowables import BidiParagraph, CheckItem, CutLine, Stack
from bildungskoordination.letters.style import BAR, BODY_W, TINT, Styles

# A table's own font for string cells (ReportLab's default is Helvetica, which would be declared in the PDF
# without being embedded – not allowed in PDF/A); our cells are flowables or "".
CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), "NotoSans")


def marker(other: LetterTexts, st: Styles, *, short: bool = False) -> Flowable:
    """One line above each translated part: what it is, in both languages, and that it is not binding."""
    german_name, native = catalog.language_label(other.language)
    marker = other.get("translation_marker") or "Übersetzung"
    text = f"{marker} · {native}" if short else f"{marker} · {native} — Übersetzung ({german_name}), nicht verbindlich"
    return BidiParagraph(text, st.small, other.language, rtl=catalog.is_rtl(other.language))


def same_script(name: str, language: str) -> bool:
    """Is ``name`` written in the script of ``language`` (so it may stand in the translated salutation)?"""
    letters = [c for c in name if c.isalpha()]
    if not letters:
        return False
    first = unicodedata.name(letters[0], "")
    if catalog.is_rtl(language):
        return first.startswith("ARABIC")
    if language.startswith("ti"):
        return first.startswith("ETHIOPIC")
    if language in ("uk", "ru"):
        return first.startswith("CYRILLIC")
    return False


def documents_table(de: LetterTexts, other: LetterTexts, doc_ids: list[str], bilingual: bool, rtl: bool,
               st: Styles) -> Flowable:
    """What to bring: German on the left, each item's translation beside it in the marked column."""
    lang = other.language
    rows: list[list[Flowable]] = []
    header = [BidiParagraph(de.get("documents_heading"), st.body_bold)]
    if bilingual:
        translated_heading = BidiParagraph(other.get("documents_heading"), st.body_bold, lang, rtl=rtl)
        header.append(Stack([marker(other, st, short=True), translated_heading],
                            gap=1))
    rows.append(header)
    for doc_id in doc_ids:
        text_de = de.get(f"doc.{doc_id}")
        if not text_de:
            continue
        row = [BidiParagraph(f"•\u00a0{text_de}", st.body)]
        if bilingual:
            row.append(BidiParagraph(f"•\u00a0{other.get(f'doc.{doc_id}') or text_de}", st.body, lang, rtl=rtl))
        rows.append(row)
    widths = [BODY_W / 2, BODY_W / 2] if bilingual else [BODY_W]
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    style: list[tuple[object, ...]] = [CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
             ("RIGHTPADDING", (0, 0), (-1, -1), 5)]
    if bilingual:
        style += [("BACKGROUND", (1, 0), (1, -1), TINT), ("LEFTPADDING", (1, 0), (1, -1), 5),
                  ("LINEBEFORE" if not rtl else "LINEAFTER", (1, 0), (1, -1), 2, BAR)]
    table.setStyle(TableStyle(style))
    return table


def course_table(data: LetterData, de: LetterTexts, other: LetterTexts, bilingual: bool, rtl: bool,
                  st: Styles) -> Flowable:
    lang = other.language
    contact = ", ".join(x for x in (data.provider_contact, data.provider_phone, data.provider_email) if x)
    rows: list[tuple[str, str, str]] = [
        ("label_course_type", de.course_type(data), other.course_type(data)),
        ("label_provider", data.provider, data.provider),
        ("label_address", data.course_address or data.provider_address, data.course_address or data.provider_address),
        ("label_start", de.date(data.start), other.date(data.start)),
        ("label_end", de.date(data.end), other.date(data.end)),
        ("label_schedule", de.schedule(data), other.schedule(data)),
        ("label_level", de.level(data), other.level(data)),
        ("label_mode", de.mode(data), other.mode(data)),
        ("label_childcare", de.get("yes") if data.childcare else de.get("no"),
         other.get("yes") if data.childcare else other.get("no")),
        ("label_provider_contact", contact, contact),
    ]
    heading: list[Flowable | str] = [BidiParagraph(de.get("course_heading"), st.body_bold), ""]
    if bilingual:
        translated_heading = BidiParagraph(other.get("course_heading"), st.body_bold, lang, rtl=rtl)
        heading.append(Stack([marker(other, st, short=True), translated_heading], gap=1))
    body: list[list[Flowable | str]] = [heading]
    for key, value_de, value_tr in rows:
        if not value_de:
            continue
        label: Flowable = BidiParagraph(de.get(key), st.small)
        cells: list[Flowable | str] = [label, BidiParagraph(value_de, st.body)]
        if bilingual:
            # The translated label always; the value again only where it reads differently (dates, days …).
            shown = value_tr if value_tr and value_tr != value_de else ""
            translated = ": ".join(part for part in (other.get(key), shown) if part)
            cells.append(BidiParagraph(translated, st.body, lang, rtl=rtl))
        body.append(cells)
    widths = [30 * mm, 70 * mm, BODY_W - 100 * mm] if bilingual else [40 * mm, BODY_W - 40 * mm]
    # One table, the heading its first row: a long table may go on on the next page between two rows, with the
    # heading repeated, instead of leaving half of page 1 empty (_body asks for room for a few rows first).
    table = Table(body, colWidths=widths, hAlign="LEFT", repeatRows=1)
    style = [CELL_FONT, ("SPAN", (0, 0), (1, 0)), ("VALIGN", (0, 0), (-1, 0), "BOTTOM"), ("VALIGN", (0, 1), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.Color(0.8, 0.8, 0.8)),
             ("TOPPADDING", (0, 1), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
             ("LEFTPADDING", (0, 1), (-1, -1), 2), ("RIGHTPADDING", (0, 1), (-1, -1), 4),
             ("TOPPADDING", (0, 0), (-1, 0), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 1.5 * mm),
             ("LEFTPADDING", (0, 0), (-1, 0), 0), ("RIGHTPADDING", (0, 0), (-1, 0), 0)]
    if bilingual:
        style += [("BACKGROUND", (2, 1), (2, -1), TINT), ("LINEBEFORE", (2, 1), (2, -1), 2, BAR)]
    table.setStyle(TableStyle(style))
    return table


def return_slip(data: LetterData, de: LetterTexts, st: Styles) -> Flowable:
    """For the provider, German only: the answers map onto referral statuses (resources/letters/return_slip.toml)."""
    slip = catalog.return_slip()
    head = data.letterhead
    address = " · ".join(x for x in (head.office, head.department, head.street, head.postcode_city, head.email) if x)
    values = {"Name": short_name(data.given_name, data.family_name), "Aktenzeichen": data.file_number,
              "Kurs": f"{de.course_type(data)}, {data.provider}, Nr. {data.course_number}",
              "Kursbeginn": de.date(data.start)}
    fields = [BidiParagraph(f"{name}: {values.get(name, '')}", st.body) for name in slip.fields]
    answers: list[Flowable] = [CheckItem(BidiParagraph(o.text + (" ______________" if o.fill_in else ""), st.body))
                               for o in slip.options if not o.reason]
    answers.append(CheckItem(BidiParagraph(slip.reasons_heading, st.body)))
    reasons: list[Flowable] = [CheckItem(BidiParagraph(o.text + (" ______________" if o.fill_in else ""), st.body))
                               for o in slip.options if o.reason]
    grid = Table([[Stack(fields, gap=0.5), Stack([*answers, Spacer(1, 1), *reasons[:0]], gap=0.5)]],
                 colWidths=[BODY_W * 0.52, BODY_W * 0.48], hAlign="LEFT",
                 style=[CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    reason_grid = Table([[Stack(reasons[: (len(reasons) + 1) // 2], gap=0.5),
                          Stack(reasons[(len(reasons) + 1) // 2:], gap=0.5)]],
                        colWidths=[BODY_W * 0.5, BODY_W * 0.5], hAlign="LEFT",
                        style=[CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (0, -1), 6 * mm)])
    signature = BidiParagraph("      ".join(f"{name}: ____________________" for name in slip.signature_fields), st.body)
    return KeepTogether([CutLine(), BidiParagraph(slip.title, st.subject), BidiParagraph(f"{slip.intro}: {address}", st.small,
                                                                                     space_after=3),
                         grid, reason_grid, Spacer(1, 5 * mm), signature])
