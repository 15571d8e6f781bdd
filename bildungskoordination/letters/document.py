"""The referral letter as a PDF: A4, DIN 5008 form B (address field for a DL window envelope, fold and hole
marks), German first and binding, each part followed by its translation in a marked box, the return slip for
the provider last. Parts are kept together, so a page never breaks inside one – except the course table, which
may go on on the next page between two rows (heading repeated) rather than leave half of page 1 empty."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, KeepTogether, PageTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from bildungskoordination.letters import texts as catalog
from bildungskoordination.letters.content import LetterData, LetterTexts
from bildungskoordination.letters.flowables import BidiParagraph, Stack
from bildungskoordination.letters.fonts import chain_for, fully_covered, register_fonts
from bildungskoordination.letters.layout import TextStyle, draw_lines, layout
from bildungskoordination.letters.parts import course_table, documents_table, marker, return_slip, same_script, shorten
from bildungskoordination.letters.style import (
    BAR,
    BODY,
    BODY_W,
    COURSE_TABLE_MIN,
    HEAD,
    LEFT,
    MAX_PAGES,
    PAGE_H,
    RIGHT,
    SCALES,
    SMALL,
    TINT,
    TINY,
    Styles,
    styles_at,
)


def render_letters(letters: Sequence[tuple[LetterData, LetterTexts, LetterTexts]]) -> bytes:
    """One PDF with one letter per (data, German texts, translation texts); each letter starts on a new page
    and has its own page numbers. A letter that would run onto a third page (long names, addresses, a wordy
    translation) is set again a little smaller – parts are never split, so this is what keeps it at two."""
    if not letters:
        raise ValueError("keine Vermittlung für einen Brief ausgewählt")
    register_fonts()
    steps = [0] * len(letters)  # index into SCALES per letter
    while True:
        pdf, pages = _build(letters, [SCALES[step] for step in steps])
        again = [i for i, count in enumerate(pages) if count > MAX_PAGES and steps[i] < len(SCALES) - 1]
        if not again:
            return pdf
        for i in again:
            steps[i] += 1


def _build(letters: Sequence[tuple[LetterData, LetterTexts, LetterTexts]], scales: list[float]) -> tuple[bytes, list[int]]:
    """The PDF and each letter's page count."""
    buffer = io.BytesIO()
    doc = _LetterDoc(buffer)
    story: list[Flowable] = []
    for index, ((data, german, other), scale) in enumerate(zip(letters, scales, strict=True)):
        start = _LetterStart(data, german, other, first=index == 0)
        if index == 0:
            doc.current = start  # the first page begins before the first flowable is handled
        story.append(start)
        story.extend(_body(data, german, other, styles_at(scale)))
    doc.build(story)
    firsts = [*doc.first_pages, doc.page + 1]
    return buffer.getvalue(), [b - a for a, b in zip(firsts, firsts[1:], strict=False)]


class _LetterStart(Flowable):
    """Zero-size marker: switches the page template to this letter's first page and remembers its data."""

    def __init__(self, data: LetterData, german: LetterTexts, other: LetterTexts, *, first: bool) -> None:
        super().__init__()
        self.data, self.german, self.other, self.first = data, german, other, first

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _LetterDoc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO) -> None:
        super().__init__(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=20 * mm,
                         bottomMargin=22 * mm, title="Vermittlungsschreiben", author="Bildungskoordination",
                         creator="Bildungskoordination", invariant=1)
        first = Frame(LEFT, 22 * mm, BODY_W, PAGE_H - 98.5 * mm - 22 * mm, id="first", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        later = Frame(LEFT, 22 * mm, BODY_W, PAGE_H - 42 * mm, id="later", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("first", [first], onPage=self._first_page, autoNextPageTemplate="later"),
                               PageTemplate("later", [later], onPage=self._later_page)])
        self.current: _LetterStart | None = None
        self.letter_first_page = 1
        self.first_pages: list[int] = []  # page number of each letter's first page

    def handle_flowable(self, flowables: list[Flowable]) -> None:  # noqa: D102 – ReportLab hook
        if flowables and isinstance(flowables[0], _LetterStart):
            start = flowables[0]
            if not start.first:
                self.handle_nextPageTemplate("first")
                self.handle_pageBreak()
            self.current = start
        super().handle_flowable(flowables)

    def beforePage(self) -> None:  # noqa: N802 – ReportLab hook
        pass

    def _first_page(self, canvas: object, doc: object) -> None:
        self.letter_first_page = self.page
        self.first_pages.append(self.page)
        _draw_first_page(canvas, self.current)
        self._footer(canvas)

    def _later_page(self, canvas: object, doc: object) -> None:
        _draw_later_header(canvas, self.current)
        self._footer(canvas)

    def _footer(self, c: object) -> None:
        assert self.current is not None
        head = self.current.data.letterhead
        number = self.page - self.letter_first_page + 1
        line = " · ".join(p for p in (head.office, head.department, head.street, head.postcode_city) if p)
        _text(c, line, LEFT, 14 * mm, TINY, BODY_W)
        _text(c, f"Seite {number}", LEFT, 14 * mm, TINY, BODY_W, align="end")


def _text(c: object, text: str, x: float, y_top: float, style: TextStyle, width: float, *, align: str = "start",
          language: str = "de", rtl: bool = False, max_lines: int = 3) -> float:
    """Draw text at a fixed place (at most ``max_lines`` lines: the fields of a form have fixed room);
    returns the height used."""
    styled = TextStyle(style.size, style.leading, style.bold, style.color, align)
    lines = layout(text, chain_for(language), styled, width, rtl)[:max_lines]
    draw_lines(c, lines, x, y_top, styled)
    return len(lines) * style.leading


def _draw_first_page(c: object, start: _LetterStart | None) -> None:
    assert start is not None
    data, head = start.data, start.data.letterhead
    top = PAGE_H
    _draw_logo(c, head.logo, top)
    # Letterhead, top right (DIN 5008: the upper 45 mm).
    y = top - 15 * mm
    y -= _text(c, head.office, 110 * mm, y, HEAD, 80 * mm)
    y -= _text(c, head.department, 110 * mm, y, BODY, 80 * mm)
    # Fold marks (105 mm, 210 mm) and hole mark (148.5 mm) of form B, at the left edge.
    c.setStrokeColor(colors.Color(0.6, 0.6, 0.6))  # type: ignore[attr-defined]
    c.setLineWidth(0.3)  # type: ignore[attr-defined]
    for from_top, length in ((105 * mm, 4 * mm), (210 * mm, 4 * mm), (148.5 * mm, 6 * mm)):
        c.line(3 * mm, top - from_top, 3 * mm + length, top - from_top)  # type: ignore[attr-defined]
    # Address field: 20 mm from the left, 45 mm from the top, 85 × 45 mm; the first 17.7 mm are the return line.
    ax, ay = 20 * mm, top - 45 * mm
    _text(c, head.return_address(), ax + 5 * mm, ay - 10 * mm, TINY, 80 * mm)
    c.line(ax + 5 * mm, ay - 13 * mm, ax + 80 * mm, ay - 13 * mm)  # type: ignore[attr-defined]
    y = ay - 17.7 * mm
    # Six lines in all (DIN 5008 address zone): name, original-script name, up to four address lines.
    used = 0
    for text, language in [(shorten(data.latin_name), "de"), (shorten(data.name_original), "ar"),
                           *[(line, "de") for line in _address_lines(data.address, data.municipality)]]:
        if not text or used >= 6 or (language == "ar" and not fully_covered(text, chain_for("ar"))):
            continue
        rtl = _is_rtl_text(text)
        y -= _text(c, text, ax + 5 * mm, y, BODY, 80 * mm, language=language, rtl=rtl, align="left", max_lines=1)
        used += 1
    # Information block: 125 mm from the left, from 50 mm below the top.
    bx, by = 125 * mm, top - 50 * mm
    rows = [("Ihr Zeichen / Aktenzeichen", data.file_number), ("Ansprechperson", head.coordinator),
            ("Telefon", head.phone), ("E-Mail", head.email), ("Sprechzeiten", head.office_hours),
            ("Datum", start.german.date(data.on))]
    for label, value in rows:
        if not value:
            continue
        _text(c, label, bx, by, TINY, 65 * mm)
        by -= TINY.leading
        by -= _text(c, value, bx, by, SMALL, 65 * mm) + 1.5


def _draw_logo(c: object, path: str, top: float) -> None:
    """The office's logo, top left, at most 60 × 25 mm; a file that cannot be read leaves the space empty
    rather than stop the letter (the settings check the file when it is chosen)."""
    if not path:
        return
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(path)
        width, height = image.getSize()
    except Exception:  # noqa: BLE001 – a damaged or vanished logo must not block a letter
        return
    scale = min(60 * mm / width, 25 * mm / height)
    c.drawImage(image, LEFT, top - 12 * mm - height * scale, width * scale, height * scale,  # type: ignore[attr-defined]
                mask="auto")


def _draw_later_header(c: object, start: _LetterStart | None) -> None:
    assert start is not None
    data = start.data
    line = f"{shorten(data.latin_name)} · {data.file_number} · {start.german.date(data.on)}"
    _text(c, line, LEFT, PAGE_H - 12 * mm, TINY, BODY_W)


def _is_rtl_text(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _address_lines(address: str, municipality: str) -> list[str]:
    lines = [part.strip() for chunk in address.replace("\r", "\n").split("\n") for part in chunk.split(",")]
    lines = [line for line in lines if line]
    if not lines and municipality:
        lines = [municipality]
    return lines


# --- the body -------------------------------------------------------------------------------------------------

def _body(data: LetterData, de: LetterTexts, other: LetterTexts, st: Styles) -> list[Flowable]:
    lang = other.language
    bilingual = lang != "de"
    rtl = catalog.is_rtl(lang)
    name_local = data.name_original if (data.name_original and same_script(data.name_original, lang)
                                        and fully_covered(data.name_original, chain_for(lang))) else data.latin_name

    def part(german: list[Flowable], translated: list[Flowable], space: float = 5) -> Flowable:
        items: list[Flowable] = list(german)
        if bilingual and translated:
            items += [Spacer(1, 1.2 * mm), Stack([marker(other, st), *translated], tint=TINT, bar=BAR, rtl=rtl,
                                                  padding=1.8 * mm, gap=1)]
        return KeepTogether([*items, Spacer(1, space * mm * st.scale)])

    def p(texts: LetterTexts, key: str, style: TextStyle | None = None, **values: object) -> list[Flowable]:  # noqa: E306
        text = texts.get(key, **values)
        if not text:
            return []
        language = texts.language
        return [BidiParagraph(text, style or st.body, language, rtl=catalog.is_rtl(language), space_after=1.5)]

    course_de, course_tr = de.course_type(data), other.course_type(data)
    story: list[Flowable] = [
        part(p(de, "subject", st.subject, course_type=course_de), p(other, "subject", st.subject, course_type=course_tr)),
    ]
    register = "register_by" if data.registration_deadline else "register_soon"
    story.append(part(
        p(de, "salutation", name=shorten(data.latin_name)) + p(de, "intro")
        + p(de, register, date=de.date(data.registration_deadline)),
        p(other, "salutation", name=shorten(name_local)) + p(other, "intro")
        + p(other, register, date=other.date(data.registration_deadline))))
    # The course table may continue on the next page between two rows (not a half-empty page), once there is
    # room here for its heading and a few rows.
    story += [CondPageBreak(COURSE_TABLE_MIN), course_table(data, de, other, bilingual, rtl, st),
              Spacer(1, 5 * mm * st.scale)]
    docs = catalog.documents_for(data.course_type)
    story.append(part([documents_table(de, other, docs, bilingual, rtl, st)], [], space=4))
    head = data.letterhead
    contact = {"name": head.coordinator, "phone": head.phone, "email": head.email}
    story.append(part(
        p(de, "contact_heading", st.body_bold) + p(de, "contact_text", **contact)
        + p(de, "office_hours", hours=head.office_hours),
        p(other, "contact_heading", st.body_bold) + p(other, "contact_text", **contact)
        + p(other, "office_hours", hours=head.office_hours)))
    notes = (p(de, "binding_note", st.small) if bilingual else [])
    signed = [Spacer(1, 5 * mm * st.scale), BidiParagraph(head.coordinator, st.body, space_after=2)]
    story.append(part(p(de, "closing") + signed + notes,
                      p(other, "closing") + p(other, "binding_note", st.small) + p(other, "interpreter_hint", st.small),
                      space=3))
    story.append(CondPageBreak(75 * mm))
    story.append(return_slip(data, de, st))
    return story
