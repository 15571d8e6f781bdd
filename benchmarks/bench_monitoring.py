"""Anonymised counts: count, suppress and export the busiest year of the 50 000-person demo in XLSX, CSV, PDF.

"app": ``services.monitoring.report(year)`` (counting + primary and secondary suppression), then
``monitoring.writers.write_report`` once per format (render + atomic write). ``export()`` is not used so the
cached database gets no export-log entries; the log insert is one small transaction.

The floor is the least SQL a hand-written tally would run with the stdlib ``sqlite3`` on the same file over
the same contacts: contacts per channel, contacts per topic (``json_each``) and distinct persons per gender,
each one ``SELECT count(*) … GROUP BY``. It suppresses nothing and writes no file, so it is a lower bound.

    python benchmarks/bench_monitoring.py [--persons 50000] [--runs 3] [--rebuild]

Target (issue "Anonymised counts", 7): a year of the 50 000-person demo in all formats ≤ 5 s. Prints a report
and, last, one JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import OUT, PERSONS, REPO, SEED, app_command, app_env, ensure_db, open_services, peak_rss_mb  # noqa: E402

TARGET_ALL_S = 5.0
FORMATS = ("xlsx", "csv", "pdf")
FLOOR_QUERIES = (
    "SELECT channel, count(*) FROM contact WHERE contact_date BETWEEN ? AND ? GROUP BY channel",
    "SELECT t.value, count(*) FROM contact c, json_each(c.topics) t WHERE c.contact_date BETWEEN ? AND ? "
    "GROUP BY t.value",
    "SELECT p.gender, count(DISTINCT c.person_id) FROM contact c JOIN person p ON p.id = c.person_id "
    "WHERE c.contact_date BETWEEN ? AND ? GROUP BY p.gender",
)


def demo_db(persons: int, rebuild: bool) -> Path:
    """The shared 50k database (benchmarks/_common.py), or a cached smaller one for quick runs."""
    if persons == PERSONS:
        return ensure_db(rebuild=rebuild)
    path = OUT / f"demo{persons}.sqlite3"
    marker = path.with_name(path.name + ".bench.json")
    from bildungskoordination.store.migrate import HEAD_REVISION

    expected = {"persons": persons, "seed": SEED, "schema": HEAD_REVISION}
    if not rebuild and path.exists() and marker.exists() and json.loads(marker.read_text()) == expected:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", ".lock", ".bench.json"))):
        stale.unlink(missing_ok=True)
    print(f"building {path} ({persons} persons, seed {SEED}) …", flush=True)
    subprocess.run([*app_command(), "--db", str(path), "demo", "--persons", str(persons), "--seed", str(SEED)],
                   check=True, cwd=REPO, stdout=subprocess.DEVNULL, env=app_env(False))
    marker.write_text(json.dumps(expected))
    return path


def busiest_year(con: sqlite3.Connection) -> tuple[int, int]:
    year, contacts = con.execute("SELECT substr(contact_date, 1, 4) AS y, count(*) FROM contact GROUP BY y "
                                 "ORDER BY 2 DESC LIMIT 1").fetchone()
    return int(year), int(contacts)


def floor_once(con: sqlite3.Connection, start: str, end: str) -> float:
    started = time.perf_counter()
    for sql in FLOOR_QUERIES:
        con.execute(sql, (start, end)).fetchall()
    return time.perf_counter() - started


def measure(db: Path, runs: int) -> dict:
    from bildungskoordination.monitoring import periods
    from bildungskoordination.monitoring.writers import write_report

    con = sqlite3.connect(db)
    year, contacts = busiest_year(con)
    persons = int(con.execute("SELECT count(*) FROM person").fetchone()[0])
    period = periods.year(year)
    start, end = period.start.isoformat(), period.end.isoformat()
    services = open_services(db, False)
    samples: dict[str, list[float]] = {k: [] for k in ("report", *FORMATS, "all", "floor")}
    sizes: dict[str, int] = {}
    tables = suppressed = 0
    try:
        with tempfile.TemporaryDirectory(prefix="bench-monitoring-") as tmp:
            for run in range(runs + 1):  # run 0 warms the page cache and imports; not counted
                floor = floor_once(con, start, end)
                services.monitoring._cache.clear()  # measure the counting itself, not the service's cache
                started = time.perf_counter()
                report = services.monitoring.report(period)
                t_report = time.perf_counter() - started
                writes = {}
                for fmt in FORMATS:
                    target = Path(tmp) / f"zahlen-{year}.{fmt}"
                    started = time.perf_counter()
                    write_report(report, target, fmt)
                    writes[fmt] = time.perf_counter() - started
                    sizes[fmt] = target.stat().st_size
                if run == 0:
                    tables = len(report.tables)
                    suppressed = sum(1 for t in report.tables for r in t.rows for c in r.cells if c.suppressed)
                    continue
                samples["floor"].append(floor)
                samples["report"].append(t_report)
                for fmt in FORMATS:
                    samples[fmt].append(writes[fmt])
                samples["all"].append(t_report + sum(writes.values()))
    finally:
        services.close()
        con.close()
    med = {k: statistics.median(v) for k, v in samples.items()}
    return {"bench": "monitoring", "persons": persons, "year": year, "contacts_in_year": contacts, "runs": runs,
            "tables": tables, "suppressed_cells": suppressed, "median_s": med, "bytes": sizes,
            "ratio_all_to_floor": med["all"] / med["floor"] if med["floor"] else None,
            "target_all_s": TARGET_ALL_S, "met": med["all"] <= TARGET_ALL_S, "peak_rss_mb": round(peak_rss_mb(), 1)}


def report_text(r: dict) -> str:
    m = r["median_s"]
    lines = [f"Anonymised counts – {r['persons']} persons, year {r['year']} ({r['contacts_in_year']} contacts), "
             f"{r['tables']} tables, {r['suppressed_cells']} cells suppressed; median of {r['runs']} runs (+1 warm-up)",
             f"  {'step':<34} {'s':>8}",
             f"  {'count + suppress (report)':<34} {m['report']:>8.3f}"]
    for fmt in FORMATS:
        step = f"write {fmt} ({r['bytes'][fmt] // 1024} KiB)"
        lines.append(f"  {step:<34} {m[fmt]:>8.3f}")
    lines += [f"  {'all three formats (report + writes)':<34} {m['all']:>8.3f}",
              f"  {'floor (3 × sqlite3 GROUP BY)':<34} {m['floor']:>8.3f}",
              f"  ratio all/floor: {r['ratio_all_to_floor']:.1f}×",
              f"  target all formats ≤ {r['target_all_s']:.0f} s: {'met' if r['met'] else 'MISSED'} ({m['all']:.2f} s)",
              f"  peak RSS of this process: {r['peak_rss_mb']:.1f} MB"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=PERSONS, help=f"demo size (default {PERSONS}; smaller is cached "
                        "separately in bench-out/)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs (default 3)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database first")
    args = parser.parse_args(argv)
    db = demo_db(max(1, args.persons), args.rebuild)
    result = measure(db, max(1, args.runs))
    print(report_text(result), flush=True)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
