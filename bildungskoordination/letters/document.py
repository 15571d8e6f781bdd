"""The referral letter as a PDF: A4, DIN 5008 form B (address field for a DL window envelope, fold and hole
marks), German first and binding, each part followed by its translation in a marked box, the return slip for
the provider last. Parts are kept together, so a page never breaks inside one – except the course table, which
may go on on the next page between two rows (heading repeated) rather than leave half of page 1 empty."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from bildungskoordination.letters.address import AddressBlock, address_block, short_name
from bildungskoordination.letters.body import SlipStart, body
from bildungskoordination.letters.content import LetterData, LetterTexts
from bildungskoordination.letters.fonts import chain_for, register_fonts
from bildungskoordination.letters.head import draw_first_page, first_page
from bildungskoordination.letters.layout import TextStyle, draw_lines, layout
from bildungskoordination.letters.pdfa import make_pdfa
from bildungskoordination.letters.style import (
    BODY_W,
    FOOTER,
    LEFT,
    MAX_PAGES,
    PAGE_H,
    RIGHT,
    SCALES,
    TINY,
    styles_at,
)


def render_letters(letters: Sequence[tuple[LetterData, LetterTexts, LetterTexts]]) -> bytes:
    """One PDF with one letter per (data, German texts, translation texts); each letter starts on a new page
    and has its own page numbers. A letter that would run onto a third page (long names, addresses, a wordy
    translation) is set again a little smaller – parts are never split, so this is what keeps it at two."""
    if not letters:
        raise ValueError("keine Vermittlung für einen Brief ausgewählt")
    register_fonts()
    for data, _german, _other in letters:
        address_of(data)  # refused before anything is drawn: AddressDoesNotFit names the person
    steps = [0] * len(letters)  # index into SCALES per letter
    while True:
        pdf, pages = _build(letters, [SCALES[step] for step in steps])  # body pages, without the return slip
        again = [i for i, count in enumerate(pages) if count > MAX_PAGES and steps[i] < len(SCALES) - 1]
        if not again:
            return make_pdfa(pdf, title="Vermittlungsschreiben", author=letters[0][0].letterhead.office)
        for i in again:
            steps[i] += 1


def _build(letters: Sequence[tuple[LetterData, LetterTexts, LetterTexts]], scales: list[float]) -> tuple[bytes, list[int]]:
    """The PDF and each letter's page count."""
    buffer = io.BytesIO()
    doc = _LetterDoc(buffer)
    story: list[Flowable] = []
    for index, ((data, german, other), scale) in enumerate(zip(letters, scales, strict=True)):
        start = _LetterStart(data, german, other, address_of(data), first=index == 0)
        if index == 0:
            doc.current = start  # the first page begins before the first flowable is handled
        story.append(start)
        overflow = first_page(data, german).overflow
        if overflow:  # a long information block: the subject starts below it
            story.append(Spacer(1, overflow))
        story.extend(body(data, german, other, styles_at(scale)))
    doc.build(story, canvasmaker=_paged_canvas(doc))
    return buffer.getvalue(), doc.body_pages


def _paged_canvas(doc: _LetterDoc) -> type[Canvas]:
    class _PagedCanvas(Canvas):
        """Keeps every page until the end, then lets the document draw "Seite n von m" on each."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            # ReportLab's initial font would be Helvetica – declared in the PDF without being embedded (no PDF/A).
            super().__init__(*args, **{**kwargs, "initialFontName": "NotoSans"})  # type: ignore[arg-type]
            self._kept: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 – ReportLab API
            self._kept.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for index, state in enumerate(self._kept):
                self.__dict__.update(state)
                doc.finish_page(self, index)
                Canvas.showPage(self)
            Canvas.save(self)

    return _PagedCanvas


class _LetterStart(Flowable):
    """Zero-size marker: switches the page template to this letter's first page and remembers its data."""

    def __init__(self, data: LetterData, german: LetterTexts, other: LetterTexts, address: AddressBlock, *,
                 first: bool) -> None:
        super().__init__()
        self.data, self.german, self.other, self.first = data, german, other, first
        self.address = address

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _LetterDoc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO) -> None:
        super().__init__(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=20 * mm,
                         bottomMargin=22 * mm, title="Vermittlungsschreiben", author="Bildungskoordination",
                         creator="Bildungskoordination")
        first = Frame(LEFT, 22 * mm, BODY_W, PAGE_H - 98.5 * mm - 22 * mm, id="first", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        later = Frame(LEFT, 22 * mm, BODY_W, PAGE_H - 42 * mm, id="later", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("first", [first], onPage=self._first_page, autoNextPageTemplate="later"),
                               PageTemplate("later", [later], onPage=self._later_page),
                               PageTemplate("blank", [later], autoNextPageTemplate="first")])
        self.current: _LetterStart | None = None
        self.letter_first_page = 1
        self.first_pages: list[int] = []  # page number of each letter's first page
        self.numbers: dict[int, int] = {}  # page number → its letter's first page (blank pages have none)
        self.body_pages: list[int] = []  # per letter: pages before the return slip

    def handle_flowable(self, flowables: list[Flowable]) -> None:  # noqa: D102 – ReportLab hook
        if flowables and isinstance(flowables[0], SlipStart):
            self.body_pages.append(self.page - self.letter_first_page + 1)
            self.handle_nextPageTemplate("later")
            self.handle_pageBreak()
        elif flowables and isinstance(flowables[0], _LetterStart):
            start = flowables[0]
            if not start.first:
                if (self.page - self.letter_first_page + 1) % 2:  # each letter starts on the front of a sheet
                    self.handle_nextPageTemplate("blank")
                    self.handle_pageBreak()
                    self.clean_hanging()  # begin the empty back of the slip …
                    super().handle_flowable([Spacer(1, 1)])  # … and give it content, so it is a page
                self.handle_nextPageTemplate("first")
                self.handle_pageBreak()
            self.current = start
        super().handle_flowable(flowables)

    def beforePage(self) -> None:  # noqa: N802 – ReportLab hook
        pass

    def _first_page(self, canvas: object, doc: object) -> None:
        self.letter_first_page = self.page
        self.first_pages.append(self.page)
        assert self.current is not None
        _draw_logo(canvas, self.current.data.letterhead.logo, PAGE_H)
        draw_first_page(canvas, self.current.data, self.current.german, self.current.address)
        self._footer(canvas)

    def _later_page(self, canvas: object, doc: object) -> None:
        _draw_later_header(canvas, self.current)
        self._footer(canvas)

    def _footer(self, c: object) -> None:
        assert self.current is not None
        head = self.current.data.letterhead
        line = " · ".join(p for p in (head.office, head.street, head.postcode_city) if p)
        _text(c, line, LEFT, 14 * mm, FOOTER, BODY_W - 28 * mm)
        self.numbers[self.page] = self.letter_first_page

    def finish_page(self, c: object, index: int) -> None:
        """Called by _PagedCanvas when the whole document is laid out: "Seite n von m" per letter."""
        page = index + 1
        if page not in self.numbers:
            return
        first = self.numbers[page]
        total = sum(1 for letter_first in self.numbers.values() if letter_first == first)
        _text(c, f"Seite {page - first + 1} von {total}", LEFT, 14 * mm, FOOTER, BODY_W, align="end")


def _text(c: object, text: str, x: float, y_top: float, style: TextStyle, width: float, *, align: str = "start",
          language: str = "de", rtl: bool = False, max_lines: int = 3) -> float:
    """Draw text at a fixed place (at most ``max_lines`` lines: the fields of a form have fixed room);
    returns the height used."""
    styled = TextStyle(style.size, style.leading, style.bold, style.color, align)
    lines = layout(text, chain_for(language), styled, width, rtl)[:max_lines]
    draw_lines(c, lines, x, y_top, styled)
    return len(lines) * style.leading


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
    line = f"{short_name(data.given_name, data.family_name)} · {data.file_number} · {start.german.date(data.on)}"
    _text(c, line, LEFT, PAGE_H - 12 * mm, TINY, BODY_W)


@lru_cache(maxsize=128)
def address_of(data: LetterData) -> AddressBlock:
    return address_block(data.given_name, data.family_name, data.name_original, data.address, data.municipality,
                         data.file_number)
