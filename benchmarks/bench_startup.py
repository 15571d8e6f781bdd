"""Start-up to the first painted person list, and the peak memory of that start, against a bare PySide6 floor.

App:   ``bildungskoordination --db bench-out/demo50k.sqlite3 --smoke-test`` (50 000 persons) – the real start
       path (AppController: window, backup scheduler, background check), so this is what a user waits for.
Floor: ``python benchmarks/floor_window.py`` – QApplication, QMainWindow, an empty 7-column QTableView.
Both run as subprocesses with QT_QPA_PLATFORM=offscreen and a private XDG_CONFIG_HOME (no saved window
geometry or language of the developer). ``to_paint_s`` runs from just before the spawn to the moment the
list has painted (the child's wall-clock stamp ``painted_epoch``) – the target figure; ``wall_s`` to the
process' exit (the smoke test then waits for the start backup's worker, which a user never waits for).
One unmeasured warm-up run each, then N runs, interleaved; medians are reported.

    python benchmarks/bench_startup.py [--runs 5] [--rebuild] [--encrypted] [--sizes 5000,50000]

``--sizes`` starts on the demo databases of each size in the same interleaved run and reports how the start
grows (issue 13: the 50 000 start within 1.25× the 5 000 start). Prints a report and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    BENCH_DIR,
    PERSONS,
    TARGET_GROWTH_RATIO,
    TARGET_PEAK_RSS_MB,
    TARGET_STARTUP_RATIO,
    ChildRun,
    app_command,
    ensure_db,
    qt_env,
    ratio,
    run_child,
)

FIELDS = ("to_paint_s", "wall_s", "since_start_s", "open_db_s", "window_to_paint_s", "peak_rss_mb")


def _record(run: ChildRun) -> dict:
    data = run.json_line() or {}
    painted = data.get("painted_epoch")
    return {
        "to_paint_s": painted - run.started_epoch if painted else None,
        "wall_s": run.wall_s,
        "since_start_s": data.get("since_start_s"),
        "open_db_s": data.get("open_db_s"),
        "window_to_paint_s": data.get("window_to_paint_s"),
        "peak_rss_mb": data.get("peak_rss_mb"),
        "wait4_maxrss_mb": run.maxrss_mb,
        "persons": data.get("persons"),
        "ok": bool(data.get("ok")),
        "returncode": run.returncode,
        "problem": run.problem(),
    }


def _median(records: list[dict], field: str) -> float | None:
    values = [r[field] for r in records if r[field] is not None]
    return statistics.median(values) if values else None


def measure(dbs: dict[int, Path], runs: int, encrypted: bool = False) -> dict:
    """``dbs``: persons → database. The largest is "app" (the target figures), every size is reported."""
    main_size = PERSONS if PERSONS in dbs else max(dbs)
    commands = {f"app{n}": [*app_command(), "--db", str(db), "--smoke-test"] for n, db in dbs.items()}
    commands["floor"] = [sys.executable, str(BENCH_DIR / "floor_window.py")]
    envs = {who: qt_env(encrypted if who != "floor" else False) for who in commands}
    records: dict[str, list[dict]] = {who: [] for who in commands}
    names = list(commands)
    for i in range(runs + 1):  # run 0 warms the OS file cache and is not counted
        order = names if i % 2 == 0 else names[::-1]
        for who in order:
            rec = _record(run_child(commands[who], env=envs[who]))
            if i > 0:
                records[who].append(rec)
    medians = {who: {f: _median(recs, f) for f in (*FIELDS, "wait4_maxrss_mb")} for who, recs in records.items()}
    medians["app"] = medians[f"app{main_size}"]
    records["app"] = records[f"app{main_size}"]
    commands["app"] = commands[f"app{main_size}"]
    problems = sorted({r["problem"] for r in records["app"] if r["problem"]})
    growth = None
    if len(dbs) > 1:
        small = min(dbs)
        a, b = medians[f"app{main_size}"]["to_paint_s"], medians[f"app{small}"]["to_paint_s"]
        growth = {"small": small, "large": main_size, "ratio": ratio(a, b) if a and b else None,
                  "target": TARGET_GROWTH_RATIO}
    return {
        "bench": "startup",
        "encrypted": encrypted,
        "runs": runs,
        "sizes": sorted(dbs),
        "commands": {k: " ".join(v) for k, v in commands.items()},
        "median": medians,
        "ratio_to_paint": _ratio(medians, "to_paint_s"),
        "ratio_wall": _ratio(medians, "wall_s"),
        "ratio_since_start": _ratio(medians, "since_start_s"),
        "ratio_window_to_paint": _ratio(medians, "window_to_paint_s"),
        "growth": growth,
        "app_persons": records["app"][0]["persons"] if records["app"] else None,
        "app_all_ok": all(r["ok"] for r in records["app"]),
        "app_returncodes": [r["returncode"] for r in records["app"]],
        "app_problems": problems,
        "target_ratio": TARGET_STARTUP_RATIO,
        "runs_detail": records,
    }


def _ratio(medians: dict, field: str) -> float | None:
    a, b = medians["app"][field], medians["floor"][field]
    return ratio(a, b) if a is not None and b is not None else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "        –"
    return f"{value:>9.3f}" if unit == "s" else f"{value:>9.1f}"


def report(r: dict) -> str:
    m = r["median"]
    encrypted = " (ENCRYPTED database, passphrase from the environment)" if r["encrypted"] else ""
    lines = [f"Start-up to first painted person list – median of {r['runs']} runs (+1 warm-up), "
             f"{r['app_persons']} persons{encrypted}",
             f"  app:   {r['commands']['app']}",
             f"  floor: {r['commands']['floor']}",
             "",
             f"  {'median':<22} {'app':>9} {'floor':>9} {'ratio':>8}"]
    for field, unit in (("to_paint_s", "s"), ("wall_s", "s"), ("since_start_s", "s"), ("open_db_s", "s"),
                        ("window_to_paint_s", "s"), ("peak_rss_mb", "MB")):
        a, b = m["app"][field], m["floor"][field]
        rat = f"{ratio(a, b):>7.2f}×" if a is not None and b is not None else "      –"
        lines.append(f"  {field + ' (' + unit + ')':<22} {_fmt(a, unit)} {_fmt(b, unit)} {rat}")
    to_paint = r["ratio_to_paint"]
    lines.append(f"  target spawn → painted list ≤ {r['target_ratio']:.0f}× floor: "
                 f"{'met' if to_paint is not None and to_paint <= r['target_ratio'] else 'MISSED'}"
                 f" ({to_paint:.2f}×)" if to_paint is not None else "  target: no data")
    if r["growth"]:
        g = r["growth"]
        for n in r["sizes"]:
            lines.append(f"  {n:>7} persons: to_paint {_fmt(m[f'app{n}']['to_paint_s'], 's')} s, "
                         f"open_db {_fmt(m[f'app{n}']['open_db_s'], 's')} s")
        if g["ratio"] is not None:
            lines.append(f"  target {g['large']} start ≤ {g['target']}× the {g['small']} start: "
                         f"{'met' if g['ratio'] <= g['target'] else 'MISSED'} ({g['ratio']:.2f}×)")
    rss = m["app"]["peak_rss_mb"]
    if rss is not None:
        lines.append(f"  target peak RSS ≤ {TARGET_PEAK_RSS_MB:.0f} MB: "
                     f"{'met' if rss <= TARGET_PEAK_RSS_MB else 'MISSED'} ({rss:.1f} MB)")
    if not r["app_all_ok"]:
        lines.append("  WARNING: not every app run reported ok=true (person list never painted?)")
    if r["app_problems"]:
        lines.append(f"  WARNING: app exit codes {r['app_returncodes']} – {'; '.join(r['app_problems'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default 5)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database first")
    parser.add_argument("--encrypted", action="store_true",
                        help="start on the SQLCipher-encrypted twin bench-out/demo50k-enc.sqlite3 instead")
    parser.add_argument("--sizes", default=str(PERSONS),
                        help=f"comma-separated person counts (default {PERSONS}; e.g. 5000,50000 for the growth)")
    args = parser.parse_args(argv)
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    dbs = {n: ensure_db(encrypted=args.encrypted, rebuild=args.rebuild, persons=n) for n in sizes}
    result = measure(dbs, max(1, args.runs), args.encrypted)
    print(report(result), flush=True)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
