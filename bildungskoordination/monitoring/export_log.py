"""What an export leaves in ``export_log`` (never counts) and the differencing check against earlier exports.

The rule (kept simple on purpose): two exports whose periods overlap but differ (nested or shifted) publish, for
the same cell key, counts of two populations that share the overlap. Their difference is the count of the part
that is not shared (for nested periods exactly; for shifted ones a difference of two such parts). When that
difference is from 1 to k-1, the pair of exports reveals a small count that suppression would have hidden.
So for every earlier export whose period overlaps the new one without being equal, each key published in both
(the earlier one's published keys: its tables minus the suppressed keys it logged) is compared – the earlier
count is recomputed from today's data, as the log keeps no counts – and a German warning names the earlier
export, its period and how many cells are affected. Exports of exactly the same period are not flagged (they
publish the same cells with the same suppression).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bildungskoordination.i18n import _
from bildungskoordination.monitoring.model import CountsReport, CountTable, Period

Key = tuple[str, ...]
MAX_COMPARED = 6    # most recent distinct overlapping periods checked; each costs one recount (< 1 s)


@dataclass(frozen=True)
class LoggedExport:
    id: int
    created_at: datetime
    period: Period
    tables: tuple[str, ...]
    k: int
    suppressed: frozenset[Key]


def details_for(report: CountsReport) -> dict[str, Any]:
    """``ExportLog.details``: period label, merges and the keys of the suppressed cells – no values."""
    hidden = sorted({cell.key for t in report.tables for row in t.rows for cell in row.cells if cell.suppressed})
    return {"period_label": report.period.label, "merges": [list(m) for m in report.merges],
            "suppressed": [list(key) for key in hidden]}


def logged_export(row_id: int, created_at: datetime, start: date, end: date, tables: Iterable[str], k: int,
                  details: dict[str, Any] | None) -> LoggedExport:
    details = details or {}
    label = str(details.get("period_label") or f"{start:%d.%m.%Y} – {end:%d.%m.%Y}")
    suppressed = frozenset(tuple(str(part) for part in key) for key in details.get("suppressed", []))
    return LoggedExport(row_id, created_at, Period(start, end, label), tuple(tables), k, suppressed)


def _values(tables: Iterable[CountTable], table_ids: Iterable[str] | None = None) -> dict[Key, tuple[int, str]]:
    """key → (count, where it is shown), for the tables named (all when None)."""
    wanted = None if table_ids is None else set(table_ids)
    out: dict[Key, tuple[int, str]] = {}
    for table in tables:
        if wanted is not None and table.id not in wanted:
            continue
        for row in table.rows:
            for cell in row.cells:
                if cell.key:
                    out.setdefault(cell.key, (cell.value, f"{table.title}: {row.label}"))
    return out


def overlap_warnings(report: CountsReport, earlier: Sequence[LoggedExport],
                     recount: Callable[[Period], Sequence[CountTable]]) -> list[str]:
    """German warnings, one per earlier period whose exports would, together with ``report``, reveal a small
    count (newest periods first; at most MAX_COMPARED periods are recounted)."""
    new = _values(report.tables)
    hidden_now = {c.key for t in report.tables for row in t.rows for c in row.cells if c.suppressed}
    by_span: dict[tuple[date, date], list[LoggedExport]] = {}
    for entry in sorted(earlier, key=lambda e: e.created_at, reverse=True):
        p = entry.period
        if p.overlaps(report.period) and (p.start, p.end) != (report.period.start, report.period.end):
            by_span.setdefault((p.start, p.end), []).append(entry)
    warnings: list[str] = []
    for entries in list(by_span.values())[:MAX_COMPARED]:
        old_tables = recount(entries[0].period)
        risky: dict[Key, str] = {}
        for entry in entries:
            old = _values(old_tables, entry.tables)
            for key, (value, where) in new.items():
                if (key in old and key not in hidden_now and key not in entry.suppressed
                        and 0 < abs(value - old[key][0]) < report.k):
                    risky.setdefault(key, where)
        if risky:
            newest, p = entries[0], entries[0].period
            warnings.append(_(
                "Vorsicht: Die Ausfuhr vom {at} (Zeitraum {earlier}) überschneidet sich mit dem Zeitraum {period}. "
                "Bei {n} Zahlen ergibt die Differenz beider Ausfuhren eine Fallzahl unter {k} für den nicht "
                "gemeinsamen Zeitraum, z. B. „{example}“. Bitte denselben Zeitraum wie damals oder einen "
                "überschneidungsfreien wählen.").format(
                at=f"{newest.created_at:%d.%m.%Y %H:%M}", earlier=p.label, period=report.period.label, n=len(risky),
                k=report.k, example=next(iter(risky.values()))))
    return warnings
