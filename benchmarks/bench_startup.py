"""Start-up to the first painted person list, and the peak memory of that start, against a bare PySide6 floor.

App:   ``bildungskoordination --db bench-out/demo50k.sqlite3 --smoke-test`` (50 000 persons).
Floor: ``python benchmarks/floor_window.py`` – QApplication, QMainWindow, an empty 7-column QTableView.
Both run as subprocesses with QT_QPA_PLATFORM=offscreen and a private XDG_CONFIG_HOME (no saved window
geometry or language of the developer). Wall time is measured from just before the spawn to the process'
exit; the JSON line each prints gives since_start_s, window_to_paint_s and peak_rss_mb (ru_maxrss). One
unmeasured warm-up run each, then N runs, interleaved; medians are reported.

    python benchmarks/bench_startup.py [--runs 5] [--rebuild]

Prints a report and, last, one JSON line. No assertions.
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
    TARGET_PEAK_RSS_MB,
    TARGET_STARTUP_RATIO,
    ChildRun,
    app_command,
    ensure_db,
    qt_env,
    ratio,
    run_child,
)

FIELDS = ("wall_s", "since_start_s", "open_db_s", "window_to_paint_s", "peak_rss_mb")


def _record(run: ChildRun) -> dict:
    data = run.json_line() or {}
    return {
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


def measure(db: Path, runs: int, encrypted: bool = False) -> dict:
    commands = {
        "app": [*app_command(), "--db", str(db), "--smoke-test"],
        "floor": [sys.executable, str(BENCH_DIR / "floor_window.py")],
    }
    envs = {"app": qt_env(encrypted), "floor": qt_env(False)}
    records: dict[str, list[dict]] = {"app": [], "floor": []}
    for i in range(runs + 1):  # run 0 warms the OS file cache and is not counted
        order = ("app", "floor") if i % 2 == 0 else ("floor", "app")
        for who in order:
            rec = _record(run_child(commands[who], env=envs[who]))
            if i > 0:
                records[who].append(rec)
    medians = {who: {f: _median(recs, f) for f in (*FIELDS, "wait4_maxrss_mb")} for who, recs in records.items()}
    problems = sorted({r["problem"] for r in records["app"] if r["problem"]})
    return {
        "bench": "startup",
        "encrypted": encrypted,
        "runs": runs,
        "commands": {k: " ".join(v) for k, v in commands.items()},
        "median": medians,
        "ratio_wall": _ratio(medians, "wall_s"),
        "ratio_since_start": _ratio(medians, "since_start_s"),
        "ratio_window_to_paint": _ratio(medians, "window_to_paint_s"),
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


def report(r: dict) -> str:
    m = r["median"]
    encrypted = " (ENCRYPTED database, passphrase from the environment)" if r["encrypted"] else ""
    lines = [f"Start-up to first painted person list – median of {r['runs']} runs (+1 warm-up), "
             f"{r['app_persons']} persons{encrypted}",
             f"  app:   {r['commands']['app']}",
             f"  floor: {r['commands']['floor']}",
             "",
             f"  {'median':<22} {'app':>9} {'floor':>9} {'ratio':>8}"]
    for field, unit in (("wall_s", "s"), ("since_start_s", "s"), ("open_db_s", "s"), ("window_to_paint_s", "s"),
                        ("peak_rss_mb", "MB")):
        a, b = m["app"][field], m["floor"][field]
        rat = f"{ratio(a, b):>7.2f}×" if a is not None and b is not None else "      –"
        fa = f"{a:>9.3f}" if unit == "s" and a is not None else (f"{a:>9.1f}" if a is not None else "        –")
        fb = f"{b:>9.3f}" if unit == "s" and b is not None else (f"{b:>9.1f}" if b is not None else "        –")
        lines.append(f"  {field + ' (' + unit + ')':<22} {fa} {fb} {rat}")
    wall_ratio = r["ratio_wall"]
    lines.append(f"  target wall ≤ {r['target_ratio']:.0f}× floor: "
                 f"{'met' if wall_ratio is not None and wall_ratio <= r['target_ratio'] else 'MISSED'}"
                 f" ({wall_ratio:.2f}×)" if wall_ratio is not None else "  target: no data")
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
    args = parser.parse_args(argv)
    db = ensure_db(encrypted=args.encrypted, rebuild=args.rebuild)
    result = measure(db, max(1, args.runs), args.encrypted)
    print(report(result), flush=True)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
