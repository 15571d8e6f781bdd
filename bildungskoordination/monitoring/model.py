"""What an anonymised-counts report is made of. Shared by the computation (tables.py, suppression.py), the
writers (CSV, XLSX, PDF), the CLI and the GUI's preview – so every output shows exactly the same cells.

A ``Cell`` always carries its true count (the in-app preview shows it greyed); writers must publish
``cell.published`` only, which is "." for a suppressed cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bildungskoordination.i18n import N_

SUPPRESSED_SYMBOL = "."
# The legend of the German statistics offices (Zeichenerklärung, as used by Destatis and the Länder).
LEGEND: tuple[tuple[str, str], ...] = (
    ("0", N_("nichts vorhanden (genau null)")),
    (".", N_("Zahlenwert unbekannt oder geheim zu halten")),
    ("–", N_("nichts vorhanden bzw. Angabe nicht sinnvoll")),
)
MIN_K = 3


class CellStatus(StrEnum):
    SHOWN = "shown"          # published as it is (0 or ≥ k)
    PRIMARY = "primary"      # 1 … k-1: suppressed because it is small
    SECONDARY = "secondary"  # suppressed so that no primary cell can be recovered from totals or other tables

    @property
    def suppressed(self) -> bool:
        return self is not CellStatus.SHOWN


@dataclass(frozen=True)
class Cell:
    value: int
    status: CellStatus = CellStatus.SHOWN
    # Identifies the population this cell counts, independent of the table it appears in (e.g.
    # ("persons", "gender=w")): the same key has the same status in every table of one report.
    key: tuple[str, ...] = ()

    @property
    def suppressed(self) -> bool:
        return self.status.suppressed

    @property
    def published(self) -> str:
        return SUPPRESSED_SYMBOL if self.suppressed else str(self.value)

    @property
    def published_value(self) -> int | None:
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class CountTable:
    id: str                    # stable, e.g. "beratung_themen"; also the XLSX sheet / CSV block name
    title: str                 # German, e.g. "Beratungskontakte nach Thema"
    row_title: str             # header of the label column, e.g. "Thema"
    columns: tuple[str, ...]   # column headers of the cells (the total column, if any, last)
    rows: tuple[Row, ...]      # the total row, if any, last
    # False where one unit can fall into several rows (topics: several per contact), so the total is not the
    # sum of the rows; differencing then works only through the totals that are sums.
    rows_additive: bool = True
    columns_additive: bool = True
    note: str = ""             # e.g. "Mehrfachnennungen möglich"
    # True when the last column is the total of the others (then each row is a line that adds up).
    total_column: bool = False
    # Columns whose rows do NOT add up to the total row even though ``rows_additive`` is True (e.g. distinct
    # persons by channel beside contacts by channel): they are left out of the row-wise differencing check.
    nonadditive_columns: tuple[int, ...] = ()
    # Never published: states for the suppression how cells of other tables hang together (course starts =
    # referrals now "begonnen" + now "abgeschlossen" when none dropped out after the start).
    internal: bool = False


@dataclass(frozen=True)
class Period:
    start: date
    end: date                  # inclusive
    label: str                 # "2026", "1. Quartal 2026", "März 2026", "01.03.2026 – 15.04.2026"

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class CountsReport:
    period: Period
    k: int
    tables: tuple[CountTable, ...]
    created_at: datetime
    district: str = ""                                     # from the district settings
    merges: tuple[tuple[str, str], ...] = ()              # (category, "merged into …") notes for the legend
    warnings: tuple[str, ...] = field(default=())         # overlap / differencing warnings, German

    def table(self, table_id: str) -> CountTable:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)
