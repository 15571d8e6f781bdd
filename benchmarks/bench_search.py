"""Search latency per keystroke on 50 000 persons: the app's services against bare sqlite3 on the same file.

Per keystroke the GUI calls ``services.people.search_ids(text, ranked=True)`` (best matches first, issue 11)
and then, when the view paints,
``services.people.rows(...)`` for the first page of 200 ids. That is what is timed here ("app").

The floor is the least SQL a hand-written app would run on the same file with the stdlib ``sqlite3``:
``SELECT id FROM person WHERE search_folded LIKE '% <folded>%' ORDER BY sort_name`` (folded with
``domain.names.fold``), then the 200 visible rows' columns by id, including the next open follow-up
(the list's "Wiedervorlage" column) read through the contact.person_id index. The floor matches less
(no consonant skeleton, no file number), so it is a lower bound, not an equivalent.

    python benchmarks/bench_search.py [--rounds 3] [--rebuild]

Prints a report and, last, one JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    TARGET_PEAK_RSS_MB,
    TARGET_SEARCH_P95_MS,
    ensure_db,
    open_raw,
    open_services,
    peak_rss_mb,
    ratio,
    summary,
)

PAGE = 200  # rows the person list fetches per page (gui/persons/list_model.PAGE_SIZE)
LATIN_QUERIES = ["Mohammed", "Muhamad Al", "Kovalenko", "Serhii", "TS-2025-00", "Ahmadi Farid", "Müller"]
# German spellings from issue 11 (after the queries above, so their figures stay comparable with older runs).
GERMAN_QUERIES = ["Schewtschenko", "Dschafari", "Shevchenko Julia"]

FLOOR_SEARCH = "SELECT id FROM person WHERE search_folded LIKE ? ORDER BY sort_name"
FLOOR_ROW_COLUMNS = ("id, file_number, family_name, given_name, name_original, birth_date_written, birth_year, "
                     "birth_month, birth_day, municipality, german_level, consent_date")


def arabic_name(con: sqlite3.Connection) -> str:
    """The first two-word name in Arabic script in the data (deterministic for a given database)."""
    for (name,) in con.execute("SELECT name_original FROM person WHERE name_original <> '' ORDER BY id"):
        parts = name.split()
        letters = [c for c in name if not c.isspace()]
        if len(parts) == 2 and letters and all("ARABIC" in unicodedata.name(c, "") for c in letters):
            return name
    return "محمد"


def keystrokes(queries: list[str]) -> list[tuple[str, str]]:
    """(query, prefix) for every keystroke while typing each query letter by letter."""
    return [(q, q[:i]) for q in queries for i in range(1, len(q) + 1)]


class Floor:
    """Hand-written SQL on a bare DB-API connection to the same file (stdlib sqlite3; sqlcipher3 if encrypted)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        from bildungskoordination.domain.names import fold

        self.fold = fold
        self.con = con

    def search_ids(self, prefix: str) -> list[int]:
        return [r[0] for r in self.con.execute(FLOOR_SEARCH, (f"% {self.fold(prefix)}%",))]

    def rows(self, ids: list[int]) -> list[tuple]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {r[0]: r for r in
                 self.con.execute(f"SELECT {FLOOR_ROW_COLUMNS} FROM person WHERE id IN ({marks})", ids)}
        # '+followup_done' keeps SQLite on the person_id index (see README: the planner's other choice is slow).
        due = dict(self.con.execute(
            f"SELECT person_id, min(followup_date) FROM contact WHERE person_id IN ({marks}) "
            "AND +followup_done = 0 AND followup_date IS NOT NULL GROUP BY person_id", ids))
        return [(*found[i], due.get(i)) for i in ids if i in found]

    def close(self) -> None:
        self.con.close()


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) * 1000


def measure(db: Path, rounds: int, encrypted: bool = False) -> dict:
    floor = Floor(open_raw(db, encrypted))
    queries = LATIN_QUERIES[:-1] + [arabic_name(floor.con)] + LATIN_QUERIES[-1:] + GERMAN_QUERIES
    keys = keystrokes(queries)
    persons = int(floor.con.execute("SELECT count(*) FROM person").fetchone()[0])
    services = open_services(db, encrypted)
    people = services.people
    samples: dict[str, list[float]] = {k: [] for k in
                                       ("app", "app_search", "app_rows", "floor", "floor_search", "floor_rows")}
    per_query: dict[str, dict] = {q: {"app": [], "floor": []} for q in queries}
    try:
        for rnd in range(rounds + 1):  # round 0 warms caches and is not counted
            for n, (query, prefix) in enumerate(keys):
                # Alternate who goes first so neither always meets the other's warm page cache.
                order = ("app", "floor") if (n + rnd) % 2 == 0 else ("floor", "app")
                for who in order:
                    if who == "app":
                        ids, t_search = _timed(lambda p: people.search_ids(p, ranked=True), prefix)
                        rows, t_rows = _timed(people.rows, ids[:PAGE])
                    else:
                        ids, t_search = _timed(floor.search_ids, prefix)
                        rows, t_rows = _timed(floor.rows, ids[:PAGE])
                    if rnd == 0:
                        if prefix == query:
                            per_query[query][f"{who}_hits"] = len(ids)
                        continue
                    samples[who].append(t_search + t_rows)
                    samples[f"{who}_search"].append(t_search)
                    samples[f"{who}_rows"].append(t_rows)
                    per_query[query][who].append(t_search + t_rows)
    finally:
        floor.close()
        services.close()
    stats = {k: summary(v) for k, v in samples.items()}
    return {
        "bench": "search",
        "encrypted": encrypted,
        "persons": persons,
        "queries": queries,
        "keystrokes": len(keys),
        "rounds": rounds,
        "stats_ms": stats,
        "per_query": {q: {"keys": len(q), "app_hits": d.get("app_hits"), "floor_hits": d.get("floor_hits"),
                          "app": summary(d["app"]), "floor": summary(d["floor"])} for q, d in per_query.items()},
        "ratio_p50": ratio(stats["app"]["p50"], stats["floor"]["p50"]),
        "ratio_p95": ratio(stats["app"]["p95"], stats["floor"]["p95"]),
        "target_p95_ms": TARGET_SEARCH_P95_MS,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def report(r: dict) -> str:
    s = r["stats_ms"]
    encrypted = " (ENCRYPTED: SQLCipher, floor on sqlcipher3 too)" if r["encrypted"] else ""
    lines = [f"Search latency per keystroke – {r['persons']} persons{encrypted}, {len(r['queries'])} queries, "
             f"{r['keystrokes']} keystrokes × {r['rounds']} rounds (+1 warm-up round)",
             "  per keystroke: app = people.search_ids(prefix) + people.rows(first 200 ids); "
             f"floor = bare {'sqlcipher3' if r['encrypted'] else 'sqlite3'} LIKE + 200 rows by id",
             "",
             f"  {'query':<16} {'keys':>4} {'hits app':>9} {'hits floor':>10} {'app p50':>8} {'app max':>8} "
             f"{'floor p50':>9}"]
    for q, d in r["per_query"].items():
        lines.append(f"  {q:<16} {d['keys']:>4} {d['app_hits']:>9} {d['floor_hits']:>10} {d['app']['p50']:>8.1f} "
                     f"{d['app']['max']:>8.1f} {d['floor']['p50']:>9.1f}")
    lines += ["", f"  {'ms per keystroke':<24} {'p50':>7} {'p95':>7} {'max':>7}"]
    for key, label in (("app", "app total"), ("app_search", "  search_ids"), ("app_rows", "  rows(200)"),
                       ("floor", "floor total"), ("floor_search", "  LIKE … ORDER BY"), ("floor_rows", "  200 rows")):
        lines.append(f"  {label:<24} {s[key]['p50']:>7.1f} {s[key]['p95']:>7.1f} {s[key]['max']:>7.1f}")
    met = s["app"]["p95"] <= r["target_p95_ms"]
    rss_met = r["peak_rss_mb"] <= TARGET_PEAK_RSS_MB
    lines += [f"  {'ratio app/floor':<24} {r['ratio_p50']:>6.2f}× {r['ratio_p95']:>6.2f}×",
              f"  target app p95 ≤ {r['target_p95_ms']:.0f} ms: {'met' if met else 'MISSED'} "
              f"({s['app']['p95']:.1f} ms)",
              f"  peak RSS of this process (app + floor): {r['peak_rss_mb']:.1f} MB "
              f"(target ≤ {TARGET_PEAK_RSS_MB:.0f} MB: {'met' if rss_met else 'MISSED'})"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured passes over all keystrokes (default 3)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database first")
    parser.add_argument("--encrypted", action="store_true",
                        help="use the SQLCipher-encrypted twin bench-out/demo50k-enc.sqlite3 instead")
    args = parser.parse_args(argv)
    db = ensure_db(encrypted=args.encrypted, rebuild=args.rebuild)
    result = measure(db, max(1, args.rounds), args.encrypted)
    print(report(result), flush=True)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
