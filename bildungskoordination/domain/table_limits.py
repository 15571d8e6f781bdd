"""How big a table the importers accept. Checked while reading, before memory grows with the file.

A person or course list of a district office has hundreds or a few thousand rows; the caps are far above
that and far below what would exhaust a laptop's memory. Tests and tools may pass smaller ``Limits``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    rows: int = 1_000_000  # data rows (without the header; empty rows are not counted)
    columns: int = 200  # filled columns; empty cells beyond are ignored
    cell_chars: int = 10_000  # characters in one cell
    xlsx_uncompressed: int = 200 * 1024 * 1024  # declared size of the sheet XML and shared strings, in bytes


DEFAULT_LIMITS = Limits()


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}".replace(",", ".")


def thousands(n: int) -> str:
    """1000000 → „1.000.000“ (German digit grouping)."""
    return f"{n:,}".replace(",", ".")
