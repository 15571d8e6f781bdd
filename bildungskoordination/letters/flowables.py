"""Platypus flowables over layout.py: a paragraph in any script and direction, and the marked box a translation
sits in. Text is never parsed as markup – a name like ``<font color=red>`` prints as it is written."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable

from bildungskoordination.letters.fonts import chain_for
from bildungskoordination.letters.layout import Line, TextStyle, draw_lines, layout
from bildungskoordination.letters.style import readable


class BidiParagraph(Flowable):
    """Plain text in ``language``'s fonts and direction, wrapped to the available width; splits by lines."""

    def __init__(self, text: str, style: TextStyle, language: str = "de", *, rtl: bool = False,
                 space_after: float = 0.0, lines: list[Line] | None = None, width: float = 0.0) -> None:
        super().__init__()
        self.text = text
        self.style = readable(style, language)
        self.language = language
        self.rtl = rtl
        self.space_after = space_after
        self._lines = lines
        self._laid_out_width = width if lines is not None else -1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._lines is None or abs(self._laid_out_width - avail_width) > 0.01:
            self._lines = layout(self.text, chain_for(self.language), self.style, avail_width, self.rtl)
            self._laid_out_width = avail_width
        self.width = avail_width
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def getSpaceAfter(self) -> float:  # noqa: N802 – ReportLab API
        return self.space_after

    @property
    def lines(self) -> list[Line]:
        return self._lines or []

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        head, tail = self.lines[:fit], self.lines[fit:]
        return [BidiParagraph(self.text, self.style, self.language, rtl=self.rtl, lines=head, width=avail_width),
                BidiParagraph(self.text, self.style, self.language, rtl=self.rtl, space_after=self.space_after,
                              lines=tail, width=avail_width)]

    def draw(self) -> None:
        draw_lines(self.canv, self.lines, 0, self.height, self.style)


class Stack(Flowable):
    """Flowables one below the other, optionally in a tinted box with a bar on the reading-start side – the
    mark of a translation. Kept together: a part never breaks across pages."""

    def __init__(self, items: list[Flowable], *, tint: colors.Color | None = None, bar: colors.Color | None = None,
                 rtl: bool = False, padding: float = 0.0, gap: float = 2.0) -> None:
        super().__init__()
        self.items = items
        self.tint = tint
        self.bar = bar
        self.rtl = rtl
        self.padding = padding
        self.gap = gap
        self._heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        inner = avail_width - 2 * self.padding - (3 if self.bar else 0)
        self._heights = []
        for item in self.items:
            _, h = item.wrap(inner, avail_height)
            self._heights.append(h + item.getSpaceAfter())
        self.width = avail_width
        self.height = sum(self._heights) + self.gap * max(0, len(self.items) - 1) + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        if self.tint is not None:
            c.setFillColor(self.tint)
            c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.bar is not None:
            c.setFillColor(self.bar)
            c.rect(self.width - 2 if self.rtl else 0, 0, 2, self.height, stroke=0, fill=1)
        x = self.padding + (0 if self.rtl or not self.bar else 3)
        y = self.height - self.padding
        for item, h in zip(self.items, self._heights, strict=True):
            y -= h
            item.drawOn(c, x, y + item.getSpaceAfter())
            y -= self.gap


class CheckItem(Flowable):
    """A tick box (drawn, not a glyph – the bundled fonts have no ☐) followed by text, for the return slip."""

    def __init__(self, paragraph: BidiParagraph, indent: float = 0.0, box: float = 8.0) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.indent = indent
        self.box = box

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, h = self.paragraph.wrap(avail_width - self.indent - self.box - 4, avail_height)
        self.width, self.height = avail_width, max(h, self.box + 2) + 2
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.6)
        c.rect(self.indent, self.height - self.box - 3, self.box, self.box, stroke=1, fill=0)
        self.paragraph.drawOn(c, self.indent + self.box + 4, self.height - self.paragraph.height - 1)


class CutLine(Flowable):
    """A dashed line across the width: where the return slip is cut off."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, 8
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setDash(3, 2)
        c.setLineWidth(0.4)
        c.setStrokeColor(colors.Color(0.5, 0.5, 0.5))
        c.line(0, 4, self.width, 4)
        c.restoreState()
