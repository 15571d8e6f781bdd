"""MonitoringService: the one door from the GUI and the CLI to the anonymised counts.

A report always counts and suppresses ALL tables together and then keeps the ones asked for: a cell's status
so never depends on which tables were chosen, and two exports of the same period with different table choices
cannot be combined to recover a hidden count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, text

from bildungskoordination.domain.vocab import district
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.i18n import _, current_language
from bildungskoordination.monitoring import export_log
from bildungskoordination.monitoring.categories import categories
from bildungskoordination.monitoring.model import CountsReport, CountTable, Period
from bildungskoordination.monitoring.suppression import check_k, suppress, violations
from bildungskoordination.monitoring.tables import IN_PERIOD, TABLE_TITLES, build_tables, count, not_restricted
from bildungskoordination.privacy.audit import Action, add_event
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import ExportLog
from bildungskoordination.store.outputs import OutputGuard

if TYPE_CHECKING:
    from bildungskoordination.privacy.settings import SettingsService

FORMATS = ("xlsx", "csv", "pdf")
K_SETTING = "monitoring.k"


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
    def __init__(self, store: Store, bus: ChangeBus, settings: SettingsService | None = None) -> None:
        self.store = store
        self.bus = bus
        self.settings = settings
        self.outputs = OutputGuard(store.path)  # Services passes the one that knows the backup folder
        # Suppressed tables per (start, end, k): the GUI's preview and the overlap check ask for the same periods
        # again and again. Any change announced on the bus (a contact saved, an import, …) empties it.
        self._cache: dict[tuple[date, date, int, str], tuple[tuple[CountTable, ...], list[tuple[str, str]]]] = {}
        bus.subscribe(self._on_bus_change)

    def _on_bus_change(self, change: Change) -> None:
        if change.entity != "export_log":
            self._cache.clear()

    def available_tables(self) -> list[TableInfo]:
        """Every table an export can contain, in the order they are written."""
        area_title = _("Beratene Personen nach {area}").format(area=categories().area_title)
        return [TableInfo(tid, area_title if tid == "personen_gebiet" else _(title)) for tid, title in TABLE_TITLES]

    def default_k(self) -> int:
        """k from the setting ``monitoring.k``, else resources/monitoring/categories.toml; never below 3."""
        fallback = categories().default_k
        k = self.settings.get_int(K_SETTING, fallback) if self.settings is not None else fallback
        return max(k, fallback)

    def report(self, period: Period, *, tables: list[str] | None = None, k: int | None = None) -> CountsReport:
        """Count, then suppress (k ≥ 3 enforced: ValueError below; None = ``default_k()``). Reads only.
        ``warnings`` holds what overlaps with earlier exports in the log would reveal."""
        k = check_k(self.default_k() if k is None else k)
        known = [tid for tid, _title in TABLE_TITLES]
        wanted = known if tables is None else list(tables)
        unknown = [t for t in wanted if t not in known]
        if unknown:
            raise ValueError(_("Unbekannte Tabelle(n): {tables} (möglich: {known})").format(
                tables=", ".join(unknown), known=", ".join(known)))
        if not wanted:
            raise ValueError(_("Keine Tabelle gewählt."))
        all_tables, merges = self._suppressed(period, k)
        chosen = tuple(t for t in all_tables if t.id in wanted)
        row_titles = {t.row_title for t in chosen}
        report = CountsReport(period=period, k=k, tables=chosen, created_at=datetime.now().replace(microsecond=0),
                              district=str((self.settings.get("district.name") if self.settings is not None else None)
                                           or district().get("name", "")),
                              merges=tuple(m for m in merges if m[0] in row_titles))
        with self.store.read() as s:
            earlier = [export_log.logged_export(r.id, r.created_at, r.period_from, r.period_to, r.tables, r.k,
                                                r.details) for r in s.scalars(select(ExportLog))]
        warnings = export_log.overlap_warnings(report, earlier, lambda p: self._suppressed(p, k)[0])
        warnings += export_log.recovery_warnings(report, earlier, all_tables)
        return CountsReport(report.period, report.k, report.tables, report.created_at, report.district,
                            report.merges, tuple(warnings))

    def _suppressed(self, period: Period, k: int) -> tuple[tuple[CountTable, ...], list[tuple[str, str]]]:
        key = (period.start, period.end, k, current_language())  # labels follow the UI language
        if key not in self._cache:
            cats = categories()
            with self.store.read() as s:
                raw = count(s, period, cats)
            tables, merges = build_tables(raw, cats, k)
            if len(self._cache) > 32:
                self._cache.clear()
            # Internal tables only tie cells of the others together for the suppression: never published.
            self._cache[key] = (tuple(t for t in suppress(tables, k) if not t.internal), merges)
        return self._cache[key]

    def export(self, report: CountsReport, path: Path, file_format: str, *, overwrite: bool = False) -> None:
        """Write the report atomically, then log it in export_log and the audit log (Action.EXPORT, no content)
        in one transaction. Refuses (ValueError, nothing written or logged) an unknown format, a report that
        is not safely suppressed, and a target the output guard refuses (OutputRefused: an app file, a device,
        an existing file without ``overwrite``, …)."""
        from bildungskoordination.monitoring import writers

        if file_format not in FORMATS:
            raise ValueError(_("Unbekanntes Format „{format}“ (möglich: {known})").format(
                format=file_format, known=", ".join(FORMATS)))
        check_k(report.k)
        problems = violations(report.tables, report.k)
        if problems:  # never write unsafe numbers, whoever built the report
            raise ValueError(_("Die Auswertung ist nicht ausreichend anonymisiert: {problems}").format(
                problems="; ".join(problems[:3])))
        with self.outputs.staged(path, overwrite=overwrite) as tmp:  # checked before anything is logged
            with self.store.unit_of_work() as s:
                row = ExportLog(created_at=datetime.now().replace(microsecond=0), period_from=report.period.start,
                                period_to=report.period.end, tables=[t.id for t in report.tables], k=report.k,
                                file_format=file_format, details=export_log.details_for(report))
                s.add(row)
                s.flush()
                log_id = row.id
                add_event(s, Action.EXPORT, "monitoring", log_id,
                          detail=f"{report.period.label}; {len(report.tables)} Tabellen; {file_format}")
                # Written before the commit: a failed write rolls the log back. Renamed after it: a failed
                # commit leaves an earlier file of the same name as it was.
                writers.write_report(report, tmp, file_format)
            self.outputs.publish(tmp, path)
        self.bus.publish(Change("export_log", "created", (log_id,)))

    def overview(self, period: Period) -> Overview:
        cats = categories()
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        with self.store.read() as s:
            raw = count(s, period, cats)
            if self.store.on_server:
                from bildungskoordination.monitoring.server_counts import months_on_server

                monthly = months_on_server(s, period)
            else:
                monthly = {m: (int(c), int(p)) for m, c, p in s.execute(text(
                    "SELECT substr(c.contact_date, 1, 7) AS m, count(*), count(DISTINCT c.person_id) FROM contact c "
                    f"WHERE {IN_PERIOD}{not_restricted(s, 'c.person_id')} GROUP BY m"),
                    params)}
        months = _months(period)
        topic_label = {c.code: c.label for c in cats.topics}
        topics = sorted(((topic_label.get(code, code), n) for code, (n, _p) in raw.by_topic.items()),
                        key=lambda item: (-item[1], item[0]))
        by_status = {s.code: 0 for s in cats.statuses}
        by_type: dict[str, int] = {}
        for (course_type, status), n in raw.referrals.items():
            by_status[status] = by_status.get(status, 0) + n
            by_type[course_type] = by_type.get(course_type, 0) + n
        status_label = {c.code: c.label for c in cats.statuses}
        type_label = {c.code: c.label for c in cats.course_types}
        return Overview(
            contacts_per_month=tuple((m, monthly.get(m, (0, 0))[0]) for m in months),
            persons_per_month=tuple((m, monthly.get(m, (0, 0))[1]) for m in months),
            topics=tuple(topics),
            referrals_by_status=tuple((status_label.get(c, c), n) for c, n in by_status.items()),
            referrals_by_course_type=tuple(sorted(((type_label.get(c, c), n) for c, n in by_type.items()),
                                                  key=lambda item: (-item[1], item[0]))))

    def export_history(self) -> list[ExportLogEntry]:
        """Newest first."""
        with self.store.read() as s:
            rows = s.scalars(select(ExportLog).order_by(ExportLog.created_at.desc(), ExportLog.id.desc())).all()
            return [ExportLogEntry(r.id, r.created_at, r.period_from, r.period_to, tuple(r.tables), r.k, r.file_format)
                    for r in rows]


def _months(period: Period) -> list[str]:
    months: list[str] = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months
