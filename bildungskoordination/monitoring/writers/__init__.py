"""The export writers of the anonymised counts: CSV, XLSX, PDF, each from the same ``CountsReport``.

Writers publish ``Cell.published`` / ``Cell.published_value`` only – never ``Cell.value`` of a suppressed cell.
openpyxl and ReportLab are imported only for the format asked for.
"""

from __future__ import annotations

from pathlib import Path

from bildungskoordination.i18n import _
from bildungskoordination.monitoring.model import CountsReport
from bildungskoordination.store.files import atomic_write_bytes

FORMATS = ("xlsx", "csv", "pdf")


def render(report: CountsReport, file_format: str) -> bytes:
    """The whole file in memory (the tables are small); ValueError for an unknown format."""
    fmt = file_format.strip().lower().lstrip(".")
    if fmt == "csv":
        from bildungskoordination.monitoring.writers.csv_writer import render_csv

        return render_csv(report)
    if fmt == "xlsx":
        from bildungskoordination.monitoring.writers.xlsx_writer import render_xlsx

        return render_xlsx(report)
    if fmt == "pdf":
        from bildungskoordination.monitoring.writers.pdf_writer import render_pdf

        return render_pdf(report)
    raise ValueError(_("Unbekanntes Ausgabeformat „{format}“: möglich sind xlsx, csv und pdf").format(format=file_format))


def write_report(report: CountsReport, path: Path, file_format: str) -> None:
    """Render, then replace ``path`` whole (temporary file, fsync, rename): never a half-written export."""
    atomic_write_bytes(Path(path), render(report, file_format))
