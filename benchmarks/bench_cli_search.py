"""A whole-process CLI ``search`` on the 50 000-person database: what someone at a terminal (or a script) waits.

App:   ``bildungskoordination --db bench-out/demo50k[-enc].sqlite3 search TEXT`` – interpreter start, imports,
       key derivation (Argon2id, encrypted only), opening, the search, closing.
Floor: ``python -c "import sqlite3"`` – the interpreter alone. Both are spawned the same way and interleaved;
one unmeasured warm-up each, medians of N runs. Target (issue 13): ≤ 0.6 s on 50 000 encrypted people.
Where the time goes: ``python -X importtime -m bildungskoordination … search TEXT``.

    python benchmarks/bench_cli_search.py [--runs 7] [--encrypted]

Prints a report and, last, one JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import TARGET_CLI_SEARCH_S, app_command, app_env, ensure_db, ratio, run_child  # noqa: E402

QUERIES = ["Ahmadi", "Kovalenko", "Müller", "Schewtschenko"]


def measure(db: Path, runs: int, encrypted: bool) -> dict:
    env = app_env(encrypted)
    floor_cmd = [sys.executable, "-c", "import sqlite3"]
    app: list[float] = []
    floor: list[float] = []
    problems: set[str] = set()
    for i in range(runs + 1):
        query = QUERIES[i % len(QUERIES)]
        cmd = [*app_command(), "--db", str(db), "search", query]
        pair = [("app", cmd), ("floor", floor_cmd)] if i % 2 == 0 else [("floor", floor_cmd), ("app", cmd)]
        for who, command in pair:
            run = run_child(command, env=env)
            if run.problem():
                problems.add(f"{who}: {run.problem()} {run.stderr.strip()[-200:]}")
            if i > 0:
                (app if who == "app" else floor).append(run.wall_s)
    med_app, med_floor = statistics.median(app), statistics.median(floor)
    return {"bench": "cli_search", "encrypted": encrypted, "runs": runs, "database": str(db),
            "app_median_s": med_app, "app_max_s": max(app), "floor_median_s": med_floor,
            "ratio": ratio(med_app, med_floor), "target_s": TARGET_CLI_SEARCH_S,
            "met": med_app <= TARGET_CLI_SEARCH_S, "problems": sorted(problems)}


def report(r: dict) -> str:
    return "\n".join([
        f"Whole-process CLI search – median of {r['runs']} runs (+1 warm-up), {r['database']}"
        f"{' (ENCRYPTED)' if r['encrypted'] else ''}",
        f"  app   {r['app_median_s']:.3f} s (max {r['app_max_s']:.3f} s)",
        f"  floor {r['floor_median_s']:.3f} s (python -c 'import sqlite3')   ratio {r['ratio']:.1f}×",
        f"  target ≤ {r['target_s']} s: {'met' if r['met'] else 'MISSED'}",
        *(f"  WARNING: {p}" for p in r["problems"]),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--encrypted", action="store_true")
    args = parser.parse_args(argv)
    db = ensure_db(encrypted=args.encrypted)
    result = measure(db, max(1, args.runs), args.encrypted)
    print(report(result), flush=True)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
