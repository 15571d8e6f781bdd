"""The Art. 15 answer as an A4 PDF (ReportLab), rendered from the dict ``AccessExportService.collect`` built.

Every piece of user text goes through ``_para``, which escapes it for ReportLab's Paragraph markup – a name
or note containing ``<``, ``&`` or ``>`` would otherwise break the layout or inject markup.
A TrueType font with wide coverage is embedded so Arabic, Cyrillic, … names print; without one the PDF
falls back to Helvetica (Latin only) rather than failing. Known limit: ReportLab does not shape Arabic
script or reorder right-to-left text without HarfBuzz, so such names print as isolated letters.
"""

from __future__ import annotations

import re
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bildungskoordination.i18n import N_, _
from bildungskoordination.resources import resource_path

# (regular, bold): a bundled font first (resources/fonts, a later issue), then the usual system places.
_FONT_DIRS = (resource_path("fonts"), Path("/usr/share/fonts/truetype/dejavu"),
              Path("/usr/share/fonts/truetype/noto"))
_FONT_FILES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"))
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2})?)?$")

EXPLANATION_LABELS = {
    "verantwortlicher": N_("Verantwortlicher"), "gebiet": N_("Gebiet"),
    "zweck": N_("Zweck der Verarbeitung"), "rechtsgrundlage": N_("Rechtsgrundlage"),
    "kategorien": N_("Kategorien von Daten"), "empfaenger": N_("Empfänger"), "herkunft": N_("Herkunft der Daten"),
    "speicherdauer": N_("Speicherdauer"), "letzte_aktivitaet": N_("Letzte Aktivität"),
    "rechte": N_("Ihre Rechte"), "hinweis_protokoll": N_("Zum Protokoll"),
}
TECHNICAL_LABELS = {"angelegt_am": N_("Akte angelegt am"), "geaendert_am": N_("zuletzt geändert am"),
                    "interne_nummer": N_("interne Nummer"), "suchschluessel": N_("abgeleitete Suchschlüssel")}


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered with ReportLab once per process."""
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_FILES:
            if not (folder / regular).is_file():
                continue
            try:
                pdfmetrics.registerFont(TTFont("BK-Sans", str(folder / regular)))
                bold_name = "BK-Sans"
                if (folder / bold).is_file():
                    pdfmetrics.registerFont(TTFont("BK-Sans-Bold", str(folder / bold)))
                    bold_name = "BK-Sans-Bold"
                pdfmetrics.registerFontFamily("BK-Sans", normal="BK-Sans", bold=bold_name, italic="BK-Sans",
                                              boldItalic=bold_name)
                return "BK-Sans", bold_name
            except (TTFError, OSError):
                continue  # a damaged font file: try the next one
    return "Helvetica", "Helvetica-Bold"


def text_of(value: Any) -> str:
    """A stored value as a person reads it: German dates, ja/nein, lists joined, '–' for nothing."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, list):
        return ", ".join(text_of(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {text_of(v)}" for k, v in value.items())
    text = str(value)
    if m := _ISO_DATE.match(text):
        day = f"{m.group(3)}.{m.group(2)}.{m.group(1)}"
        return f"{day} {m.group(4)}:{m.group(5)}" if m.group(4) else day
    return text


class _Layout:
    def __init__(self) -> None:
        regular, bold = fonts()
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("bk-body", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=12)
        self.small = ParagraphStyle("bk-small", parent=self.body, fontSize=8.5, leading=10.5)
        self.label = ParagraphStyle("bk-label", parent=self.small, fontName=bold)
        self.title = ParagraphStyle("bk-title", parent=base["Title"], fontName=bold, fontSize=16, leading=20)
        self.h2 = ParagraphStyle("bk-h2", parent=base["Heading2"], fontName=bold, fontSize=12.5, spaceBefore=10)
        self.h3 = ParagraphStyle("bk-h3", parent=base["Heading3"], fontName=bold, fontSize=10.5, spaceBefore=6)
        self.regular = regular

    def para(self, text: Any, style: ParagraphStyle | None = None) -> Paragraph:
        """User text, escaped for Paragraph markup; line breaks kept."""
        return Paragraph(escape(text_of(text)).replace("\n", "<br/>"), style or self.body)

    def pairs(self, rows: list[tuple[str, Any]], widths: tuple[float, float] = (50 * mm, 120 * mm)) -> Table:
        table = Table([[self.para(k, self.label), self.para(v, self.small)] for k, v in rows],
                      colWidths=list(widths), hAlign="LEFT")
        table.setStyle(_GRID)
        return table

    def grid(self, header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
        cells = [[self.para(h, self.label) for h in header]]
        cells += [[self.para(v, self.small) for v in row] for row in rows]
        table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([*_GRID.getCommands(), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
        return table


_GRID = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)])


def _shown(entry: dict[str, Any]) -> Any:
    """The words for a coded value, else the value itself."""
    return entry.get("klartext", entry.get("wert"))


def render_pdf(answer: dict[str, Any], *, compress: bool = True) -> bytes:
    lay = _Layout()
    story: list[Any] = [lay.para(answer["titel"], lay.title)]
    story.append(lay.para(_("Erstellt am {date}").format(date=text_of(answer["erstellt_am"]))))
    story.append(Spacer(0, 4 * mm))
    explanation = answer["erlaeuterung"]
    story += [lay.para(_("Erläuterung"), lay.h2),
              lay.pairs([(_(EXPLANATION_LABELS.get(k, k)), v) for k, v in explanation.items()])]
    story += [lay.para(_("Stammdaten"), lay.h2),
              lay.pairs([(e["bezeichnung"], _shown(e)) for e in answer["stammdaten"]])]
    contacts = answer["beratungskontakte"]
    story.append(lay.para(_("Beratungskontakte ({n})").format(n=len(contacts)), lay.h2))
    if not contacts:
        story.append(lay.para(_("keine")))
    for contact in contacts:
        day = next((e["wert"] for e in contact["felder"] if e["feld"] == "contact_date"), "")
        story.append(lay.para(_("Kontakt vom {date}").format(date=text_of(day)), lay.h3))
        story.append(lay.pairs([(e["bezeichnung"], _shown(e)) for e in contact["felder"]]))
    referrals = answer.get("vermittlungen", [])
    story.append(lay.para(_("Vermittlungen ({n})").format(n=len(referrals)), lay.h2))
    if not referrals:
        story.append(lay.para(_("keine")))
    for r in referrals:
        story.append(lay.para(f"{r['kurs']} – {r['traeger']}", lay.h3))
        story.append(lay.grid([_("Status"), _("am"), _("Grund")],
                              [[e["status"], e["am"], e["grund"]] for e in r["verlauf"]],
                              [50 * mm, 30 * mm, 90 * mm]))
    story.append(lay.para(_("Protokoll der Bearbeitung"), lay.h2))
    log = answer["protokoll"]
    if log:
        story.append(lay.grid(
            [_("Zeitpunkt"), _("Vorgang"), _("Bereich"), _("Felder"), _("Hinweis")],
            [[e["zeitpunkt"], e["aktion"], e["bereich"], e["felder"], e["hinweis"]] for e in log],
            [28 * mm, 34 * mm, 20 * mm, 55 * mm, 33 * mm]))
    else:
        story.append(lay.para(_("keine Einträge")))
    story += [lay.para(_("Technische Angaben"), lay.h2),
              lay.pairs([(_(TECHNICAL_LABELS.get(k, k)), v) for k, v in answer["technisch"].items()])]

    file_number = answer.get("aktenzeichen", "")
    buffer = BytesIO()

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(lay.regular, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{answer['titel']} · {file_number}")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, _("Seite {n}").format(n=doc.page))
        canvas.restoreState()

    # The document title names no person: PDF metadata shows up in file managers and search indexes.
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=answer["titel"], author=explanation.get("verantwortlicher", ""),
                            pageCompression=1 if compress else 0)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
