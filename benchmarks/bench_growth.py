"""Growth: how the everyday figures change from 5 000 to 50 000 to 500 000 people (encrypted, as installed).

For each size, the demo database (``bildungskoordination demo --persons N --seed 1``, cached in bench-out/ like
every benchmark database; the 500 000 build takes minutes) is measured in a child process of its own:

- open:       ``Services.open`` with the passphrase (key derivation, checks, start bookkeeping);
- search p95: per keystroke ``people.search_ids(prefix, ranked=True)`` + ``people.rows(first 200)``, as the list;
- person p95: opening a person – ``people.get`` + ``contacts.for_person`` + ``referrals.for_person`` (50 people);
- due:        ``contacts.due_followups(today)`` (the Wiedervorlagen page) and ``count_due`` (the badge);
- export:     the busiest year's anonymised counts, counted and written as CSV (``monitoring.report`` + writer).

Start-up (spawn → painted person list) comes from benchmarks/bench_startup.py over the same sizes in one
interleaved run, with the bare window as the floor. Each figure is printed with its growth factor against the
smallest size (×10 people per step). Prints a table and, last, one JSON line. No assertions.

    python benchmarks/bench_growth.py [--sizes 5000,50000,500000] [--runs 3] [--no-startup]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BENCH_PASSPHRASE, REPO, app_env, ensure_db, percentile  # noqa: E402

SIZES = (5_000, 50_000, 500_000)
QUERIES = ("Mohammed", "Kovalenko", "Ahmadi", "Schewtschenko", "Müller")


def _ms(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) * 1000


def measure_in_process(db: Path) -> dict:
    """Everything but the start-up, on one database (run in a child: ``--child DB``)."""
    from bildungskoordination.monitoring import periods
    from bildungskoordination.monitoring.writers import write_report
    from bildungskoordination.services import Services

    started = time.perf_counter()
    services = Services.open(db, passphrase=BENCH_PASSPHRASE)
    open_s = time.perf_counter() - started
    try:
        people = services.people
        persons = people.count()
        keys = [q[:n] for q in QUERIES for n in range(1, len(q) + 1)]
        search: list[float] = []
        for rnd in range(2):  # round 0 warms the page cache
            for prefix in keys:
                ids, t1 = _ms(lambda p: people.search_ids(p, ranked=True), prefix)
                _, t2 = _ms(people.rows, ids[:200])
                if rnd:
                    search.append(t1 + t2)
        all_ids = people.search_ids("")
        picks = random.Random(1).sample(all_ids, min(51, len(all_ids)))
        person: list[float] = []
        for n, pid in enumerate(picks):
            started = time.perf_counter()
            people.get(pid)
            services.contacts.for_person(pid)
            services.referrals.for_person(pid)
            if n:  # the first also loads the course code
                person.append((time.perf_counter() - started) * 1000)
        today = date.today()
        due_rows, due_ms = _ms(services.contacts.due_followups, today)
        _, due_again_ms = _ms(services.contacts.due_followups, today)
        count, badge_ms = _ms(services.contacts.count_due, today)
        with services.store.read() as s:
            year = int(s.connection().exec_driver_sql(
                "SELECT substr(contact_date, 1, 4) AS y FROM contact GROUP BY y ORDER BY count(*) DESC LIMIT 1"
            ).scalar() or today.year)
        with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
            started = time.perf_counter()
            report = services.monitoring.report(periods.year(year))
            write_report(report, Path(tmp) / f"zahlen-{year}.csv", "csv")
            export_s = time.perf_counter() - started
    finally:
        services.close()
    return {"persons": persons, "open_s": open_s, "search_p95_ms": percentile(search, 95),
            "search_p50_ms": percentile(search, 50), "person_p95_ms": percentile(person, 95),
            "due_ms": min(due_ms, due_again_ms), "due_rows": len(due_rows), "badge_ms": badge_ms,
            "badge_count": count, "export_year": year, "export_s": export_s}


def _child(db: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(db)], cwd=REPO, env=app_env(True),
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"{db}: {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


FIGURES = (("start-up to painted list (s)", "to_paint_s", "{:.3f}"), ("open database (s)", "open_s", "{:.3f}"),
           ("search per keystroke p95 (ms)", "search_p95_ms", "{:.1f}"), ("open a person p95 (ms)", "person_p95_ms",
                                                                         "{:.1f}"),
           ("due follow-ups page (ms)", "due_ms", "{:.0f}"), ("follow-up badge count (ms)", "badge_ms", "{:.0f}"),
           ("a year's counts as CSV (s)", "export_s", "{:.2f}"), ("peak RSS of the start (MB)", "start_rss_mb", "{:.0f}"))


def table(sizes: list[int], results: dict[int, dict], floor_paint: float | None) -> str:
    head = f"  {'':<32}" + "".join(f"{n:>12,}".replace(",", " ") for n in sizes) + "   growth per ×10"
    lines = ["Growth – encrypted demo databases, seed 1", head, "  " + "-" * (len(head) - 2)]
    for label, key, fmt in FIGURES:
        values = [results[n].get(key) for n in sizes]
        cells = "".join(f"{fmt.format(v):>12}" if v is not None else f"{'–':>12}" for v in values)
        steps = [f"{b / a:.2f}×" for a, b in zip(values, values[1:], strict=False) if a and b]
        lines.append(f"  {label:<32}{cells}   {' / '.join(steps)}")
    if floor_paint:
        lines.append(f"  (floor: bare window painted in {floor_paint:.3f} s in the same run)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--runs", type=int, default=3, help="start-up runs per size (default 3)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up runs")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure_in_process(args.child)), flush=True)
        return 0
    sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    dbs = {}
    for n in sizes:
        started = time.perf_counter()
        dbs[n] = ensure_db(encrypted=True, persons=n)
        print(f"  database {dbs[n].name}: ready ({time.perf_counter() - started:.0f} s)", flush=True)
    results = {n: _child(db) for n, db in dbs.items()}
    floor_paint = None
    if not args.no_startup:
        import bench_startup

        startup = bench_startup.measure(dbs, max(1, args.runs), encrypted=True)
        floor_paint = startup["median"]["floor"]["to_paint_s"]
        for n in sizes:
            results[n]["to_paint_s"] = startup["median"][f"app{n}"]["to_paint_s"]
            results[n]["start_rss_mb"] = startup["median"][f"app{n}"]["peak_rss_mb"]
    print(table(sizes, results, floor_paint), flush=True)
    growth = {key: [results[b][key] / results[a][key] if results[a].get(key) and results[b].get(key) else None
                    for a, b in zip(sizes, sizes[1:], strict=False)] for _, key, _ in FIGURES}
    print(json.dumps({"bench": "growth", "sizes": sizes, "results": {str(n): r for n, r in results.items()},
                      "floor_to_paint_s": floor_paint, "growth_per_step": growth}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
