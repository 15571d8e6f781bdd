"""MonitoringService: the one door from the GUI and the CLI to the anonymised counts.

STUB – signatures are fixed; the bodies are being written (tables.py, suppression.py, writers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bildungskoordination.events import ChangeBus
from bildungskoordination.monitoring.model import CountsReport, Period
from bildungskoordination.store.engine import Store

FORMATS = ("xlsx", "csv", "pdf")


@dataclass(frozen=True)
class TableInfo:
    id: str
    title: str


@dataclass(frozen=True)
class ExportLogEntry:
    id: int
    created_at: datetime
    period_start: date
    period_end: date
    tables: tuple[str, ...]
    k: int
    file_format: str


@dataclass(frozen=True)
class Overview:
    """For the coordinator's own in-app charts: NOT suppressed, never exported."""
    contacts_per_month: tuple[tuple[str, int], ...]   # ("2026-01", 42), … every month of the period
    persons_per_month: tuple[tuple[str, int], ...]    # distinct persons counselled per month
    topics: tuple[tuple[str, int], ...]               # (German topic label, contacts), most frequent first
    referrals_by_status: tuple[tuple[str, int], ...]  # (German status label, referrals created in the period)
    referrals_by_course_type: tuple[tuple[str, int], ...]


class MonitoringService:
    def __init__(self, store: Store, bus: ChangeBus) -> None:
        self.store = store
        self.bus = bus

    def available_tables(self) -> list[TableInfo]:
        """Every table an export can contain, in the order they are written."""
        raise NotImplementedError

    def report(self, period: Period, *, tables: list[str] | None = None, k: int = 3) -> CountsReport:
        """Count, then suppress (k ≥ 3 enforced: ValueError below). Reads only. ``warnings`` holds what
        overlaps with earlier exports in the log would reveal."""
        raise NotImplementedError

    def export(self, report: CountsReport, path: Path, file_format: str) -> None:
        """Write the report atomically (store.files), then log it in export_log and the audit log
        (Action.EXPORT, no content) in one transaction."""
        raise NotImplementedError

    def overview(self, period: Period) -> Overview:
        raise NotImplementedError

    def export_history(self) -> list[ExportLogEntry]:
        raise NotImplementedError
