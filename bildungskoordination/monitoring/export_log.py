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

A second check (``recovery_warnings``) looks at sums: contacts, referrals and course starts of a period are the
sums of those of its parts, so a cell hidden now is revealed when earlier exports published it for periods that
add up to this one (four quarters → the year; the year minus January–September → the fourth quarter), and a
cell hidden in an earlier export is revealed when this export completes such a sum. Only the logged periods
and suppressed keys are needed: linear algebra over the pieces the periods cut the calendar into. (Distinct
persons do not add up over periods: for them only an export of the very same period counts here, e.g. with
another k; the differencing check above covers nested ones.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bildungskoordination.i18n import _
from bildungskoordination.monitoring import audit
from bildungskoordination.monitoring.model import CountsReport, CountTable, Period

Key = tuple[str, ...]
MAX_COMPARED = 6    # most recent distinct overlapping periods checked; each costs one recount (< 1 s)
# Key prefixes whose counts add up over periods (each contact, referral, start lies in exactly one day).
PERIOD_ADDITIVE = ("contacts", "referrals", "starts")
MAX_LINKED = 200    # most recent linked exports in the sum check (no recount needed, milliseconds)


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


def recovery_warnings(report: CountsReport, earlier: Sequence[LoggedExport],
                      all_tables: Sequence[CountTable]) -> list[str]:
    """German warnings for hidden cells that sums and differences of published periods reveal (see the module
    docstring). ``all_tables``: every table of the new period (the key → table map and the cell names).
    Persons do not add up over periods, but an export of the very same period (another k, corrected data)
    publishes the same population: for them only identical periods count."""
    tables_of: dict[Key, set[str]] = {}
    for table in all_tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.key:
                    tables_of.setdefault(cell.key, set()).add(table.id)
    where = {key: w for key, (_value, w) in _values(all_tables).items()}
    shown_now = {c.key: not c.suppressed for t in report.tables for row in t.rows for c in row.cells if c.key}
    linked = _linked(report.period, earlier)
    vec = _vectors([report.period, *(e.period for e in linked)])

    def published(entry: LoggedExport, key: Key) -> bool:
        return bool(tables_of[key].intersection(entry.tables)) and key not in entry.suppressed

    def hidden(entry: LoggedExport, key: Key) -> bool:
        return bool(tables_of[key].intersection(entry.tables)) and key in entry.suppressed

    def follows(key: Key, known: list[Period]) -> Callable[[Period], bool]:
        if key[0] in PERIOD_ADDITIVE:
            span = audit.basis([vec(p) for p in known])
            return lambda target: audit.in_span(vec(target), span)
        spans = {(p.start, p.end) for p in known}
        return lambda target: (target.start, target.end) in spans

    revealed_now: list[Key] = []
    revealed_old: dict[int, list[Key]] = {}
    for key in sorted(shown_now):
        before = [e.period for e in linked if published(e, key)]
        if not shown_now[key]:
            if follows(key, before)(report.period):
                revealed_now.append(key)
            continue
        earlier_hidden = [e for e in linked if hidden(e, key)]
        if earlier_hidden:
            old_only, with_new = follows(key, before), follows(key, [*before, report.period])
            for entry in earlier_hidden:
                if with_new(entry.period) and not old_only(entry.period):
                    revealed_old.setdefault(entry.id, []).append(key)
    warnings: list[str] = []
    if revealed_now:
        warnings.append(_(
            "Vorsicht: {n} hier geheim gehaltene Zahlen lassen sich aus früheren Ausfuhren errechnen (Summe oder "
            "Differenz der dort veröffentlichten Zeiträume), z. B. „{example}“. Bitte einen Zeitraum wählen, der "
            "sich mit den früheren Ausfuhren nicht so zusammensetzen lässt.").format(
            n=len(revealed_now), example=where.get(revealed_now[0], "/".join(revealed_now[0]))))
    if revealed_old:   # one warning for all earlier exports (a long list would hide the point)
        hit = [e for e in linked if e.id in revealed_old]
        keys = revealed_old[hit[0].id]
        labels = list(dict.fromkeys(f"{e.period.label} ({e.created_at:%d.%m.%Y})" for e in hit))
        warnings.append(_(
            "Vorsicht: Zusammen mit früheren Ausfuhren macht diese Ausfuhr Zahlen errechenbar, die dort geheim "
            "gehalten wurden ({n} Zahlen in {m} Ausfuhren: {exports}), z. B. „{example}“.").format(
            n=sum(len(v) for v in revealed_old.values()), m=len(hit),
            exports=", ".join(labels[:4]) + (" …" if len(labels) > 4 else ""),
            example=where.get(keys[0], "/".join(keys[0]))))
    return warnings


def _linked(period: Period, earlier: Sequence[LoggedExport]) -> list[LoggedExport]:
    """The earlier exports joined to ``period`` by a chain of overlapping periods (newest first): only they can
    take part in a sum or difference that gives a count of ``period`` or of one of them."""
    todo = sorted(earlier, key=lambda e: e.created_at, reverse=True)[:MAX_LINKED]
    reached, spans = [], [period]
    grown = True
    while grown:
        grown = False
        for entry in list(todo):
            if any(entry.period.overlaps(p) for p in spans):
                reached.append(entry)
                spans.append(entry.period)
                todo.remove(entry)
                grown = True
    return sorted(reached, key=lambda e: e.created_at, reverse=True)


def _vectors(spans: Sequence[Period]) -> Callable[[Period], dict[int, int]]:
    """Period → indicator vector over the pieces that all ``spans`` cut the calendar into."""
    cuts = sorted({p.start for p in spans} | {p.end + timedelta(days=1) for p in spans})

    def vector(p: Period) -> dict[int, int]:
        return {i: 1 for i in range(len(cuts) - 1) if p.start <= cuts[i] and cuts[i + 1] <= p.end + timedelta(days=1)}

    return vector
