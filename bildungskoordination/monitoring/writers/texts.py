"""What every format says around the tables: the header block, the legend, the secrecy rule, safe cell text.

The texts are German and follow the user interface language (an English UI exports English documents);
titles and the legend are marked for translation where they are defined.
"""

from __future__ import annotations

import re

from bildungskoordination.i18n import N_, _
from bildungskoordination.monitoring.model import LEGEND, SUPPRESSED_SYMBOL, CountsReport, CountTable

REPORT_TITLE = N_("Anonymisierte Fallzahlen der Bildungskoordination für Neuzugewanderte")
EXPLANATION_TITLE = N_("Erläuterungen")
LEGEND_TITLE = N_("Zeichenerklärung")

# Spreadsheet programs treat a cell starting with one of these as a formula (or DDE call).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XLSX cannot store and that have no business in a published table.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def rule_text(k: int) -> str:
    """The secrecy rule with the actual k (1 … k−1 is the primary range)."""
    small = "1" if k - 1 == 1 else _("1 bis {high}").format(high=k - 1)
    return _("Werte von {small} (Mindestfallzahl k = {k}) und zur Verhinderung der Rückrechnung weitere Werte "
             "sind durch „{symbol}“ ersetzt.").format(small=small, k=k, symbol=SUPPRESSED_SYMBOL)


def period_text(report: CountsReport) -> str:
    p = report.period
    span = f"{p.start:%d.%m.%Y} – {p.end:%d.%m.%Y}"
    return span if p.label == span else f"{p.label} ({span})"


def created_text(report: CountsReport) -> str:
    return f"{report.created_at:%d.%m.%Y %H:%M}"


def info_pairs(report: CountsReport) -> list[tuple[str, str]]:
    """(label, value) lines of the header block, in the order every format prints them."""
    pairs = [(_("Bericht"), _(REPORT_TITLE))]
    if report.district:
        pairs.append((_("Gebiet"), report.district))
    pairs += [(_("Berichtszeitraum"), period_text(report)), (_("Erstellt am"), created_text(report)),
              (_("Mindestfallzahl (k)"), str(report.k)), (_("Geheimhaltung"), rule_text(report.k))]
    return pairs


def legend() -> list[tuple[str, str]]:
    return [(symbol, _(meaning)) for symbol, meaning in LEGEND]


def merges(report: CountsReport) -> list[tuple[str, str]]:
    return list(report.merges)


def table_notes(report: CountsReport) -> list[tuple[str, str]]:
    """(table title, note) for every table that carries a note."""
    return [(t.title, t.note) for t in report.tables if t.note]


def suppressed_count(report: CountsReport) -> int:
    return sum(1 for t in report.tables for row in t.rows for cell in row.cells if cell.suppressed)


def header_row(table: CountTable) -> list[str]:
    return [table.row_title, *table.columns]


def clean(text: str) -> str:
    """Text without control characters (tab and CR are kept so ``neutralise`` can see them)."""
    return _CONTROL.sub("", text)


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet can never run as a formula: a leading ' in front of = + - @ TAB CR."""
    text = clean(text)
    return "'" + text if looks_like_formula(text) else text


def thousands(value: int) -> str:
    """1234567 → "1 234 567": a space, because "." already means "secret" in these tables."""
    return f"{value:,}".replace(",", "\u00a0")
