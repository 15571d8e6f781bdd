"""Run every benchmark and print a summary table plus one machine-readable JSON line.

    python benchmarks/run_all.py [--rounds 3] [--runs 5] [--encrypted] [--profile] [--rebuild]

``--encrypted`` also prints the targets of issue 13 ("Fast at any size, never frozen") as met/MISSED with the
floor beside each figure: start-up to the painted list against the bare window, the 50 000 start against the
5 000 start, a whole-process CLI search, one person × 500 courses, and the longest GUI-thread stall (read from
benchmarks/bench_responsiveness.py's JSON line when that benchmark exists).

Each benchmark runs in a process of its own (so its peak RSS is its own) and prints its full report;
this script collects the JSON line each ends with. ``--encrypted`` adds the same benchmarks on the
SQLCipher-encrypted twin of the database (what a real installation uses by default). ``--profile`` runs
benchmarks/profile_app.py for every area that misses its target. No assertions, exit code 0 unless a
benchmark itself failed to run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    BENCH_DIR,
    REPO,
    TARGET_CLI_SEARCH_S,
    TARGET_GROWTH_RATIO,
    TARGET_MATCH_WORST_MS,
    TARGET_PEAK_RSS_MB,
    TARGET_SEARCH_P95_MS,
    TARGET_STALL_MS,
    TARGET_STARTUP_RATIO,
    ensure_db,
    machine,
    machine_line,
)


def run_streaming(args: list[str]) -> dict | None:
    """Run a benchmark script, echo its report, return the JSON line it ends with."""
    proc = subprocess.Popen([sys.executable, *args], cwd=REPO, stdout=subprocess.PIPE, text=True,
                            encoding="utf-8", errors="replace")
    result = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("{") and '"bench"' in line:
            try:
                result = json.loads(line)
                continue
            except json.JSONDecodeError:
                pass
        print(line, end="", flush=True)
    proc.wait()
    if proc.returncode != 0:
        print(f"!! {' '.join(args)} exited with {proc.returncode}", flush=True)
    return result


def _status(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "MISSED")


def condense(search: dict | None, startup: dict | None, monitoring: dict | None = None,
             letters: dict | None = None) -> dict:
    """The figures of the summary, as plain numbers (ms, s, MB)."""
    out: dict = {}
    if letters:
        out["letters"] = dict(letters, met=letters["one_ms"] <= 300 and letters["batch_s"] <= 20)
    if monitoring:
        m = monitoring["median_s"]
        out["monitoring"] = {
            "year": monitoring["year"], "contacts": monitoring["contacts_in_year"],
            "report_s": _r(m["report"]), "xlsx_s": _r(m["xlsx"]), "csv_s": _r(m["csv"]), "pdf_s": _r(m["pdf"]),
            "all_s": _r(m["all"]), "floor_s": _r(m["floor"]), "ratio": _r(monitoring["ratio_all_to_floor"], 2),
            "target_s": monitoring["target_all_s"], "met": monitoring["met"],
        }
    if search:
        s = search["stats_ms"]
        out["search"] = {
            "keystrokes": search["keystrokes"] * search["rounds"],
            "app_p50_ms": round(s["app"]["p50"], 2), "app_p95_ms": round(s["app"]["p95"], 2),
            "app_max_ms": round(s["app"]["max"], 2),
            "app_search_ids_p50_ms": round(s["app_search"]["p50"], 2),
            "app_rows_p50_ms": round(s["app_rows"]["p50"], 2),
            "floor_p50_ms": round(s["floor"]["p50"], 2), "floor_p95_ms": round(s["floor"]["p95"], 2),
            "ratio_p50": round(search["ratio_p50"], 2), "ratio_p95": round(search["ratio_p95"], 2),
            "peak_rss_mb": search["peak_rss_mb"],
            "target_p95_ms": TARGET_SEARCH_P95_MS, "met": s["app"]["p95"] <= TARGET_SEARCH_P95_MS,
        }
    if startup:
        m = startup["median"]
        ratio = startup["ratio_to_paint"]
        out["startup"] = {
            "runs": startup["runs"],
            "app_to_paint_s": _r(m["app"]["to_paint_s"]), "floor_to_paint_s": _r(m["floor"]["to_paint_s"]),
            "ratio_to_paint": _r(ratio, 2), "growth": startup.get("growth"),
            "app_wall_s": _r(m["app"]["wall_s"]), "floor_wall_s": _r(m["floor"]["wall_s"]),
            "app_since_start_s": _r(m["app"]["since_start_s"]), "floor_since_start_s": _r(m["floor"]["since_start_s"]),
            "app_open_db_s": _r(m["app"]["open_db_s"]),
            "app_window_to_paint_s": _r(m["app"]["window_to_paint_s"]),
            "floor_window_to_paint_s": _r(m["floor"]["window_to_paint_s"]),
            "ratio_wall": _r(ratio, 2), "ratio_since_start": _r(startup["ratio_since_start"], 2),
            "app_peak_rss_mb": m["app"]["peak_rss_mb"], "floor_peak_rss_mb": m["floor"]["peak_rss_mb"],
            "app_returncodes": startup["app_returncodes"], "app_problems": startup["app_problems"],
            "target_ratio": TARGET_STARTUP_RATIO, "met": ratio is not None and ratio <= TARGET_STARTUP_RATIO,
        }
    peaks = {k: v for k, v in (("smoke_test_peak_rss_mb", out.get("startup", {}).get("app_peak_rss_mb")),
                                ("search_process_peak_rss_mb", out.get("search", {}).get("peak_rss_mb")))
             if v is not None}
    if peaks:
        out["memory"] = dict(peaks, target_mb=TARGET_PEAK_RSS_MB,
                             met=all(v <= TARGET_PEAK_RSS_MB for v in peaks.values()))
    return out


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(x, digits)


def _f3(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _fx(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}×"


def issue13(startup: dict | None, cli: dict | None, matching: dict | None, stall: dict | None) -> list[dict]:
    """The targets of issue 13, each with its figure, the floor it is measured against, and met/MISSED."""
    rows: list[dict] = []
    if startup:
        m = startup["median"]
        rows.append({"target": f"start-up to painted list, 50 000 ≤ {TARGET_STARTUP_RATIO:.0f}× bare window",
                     "figure": f"{_f3(m['app']['to_paint_s'])} s", "floor": f"{_f3(m['floor']['to_paint_s'])} s",
                     "ratio": _fx(startup["ratio_to_paint"]),
                     "met": startup["ratio_to_paint"] is not None and startup["ratio_to_paint"] <= TARGET_STARTUP_RATIO})
        g = startup.get("growth")
        if g and g.get("ratio") is not None:
            large, small = m["app" + str(g["large"])], m["app" + str(g["small"])]
            rows.append({"target": f"50 000 start ≤ {TARGET_GROWTH_RATIO}× the 5 000 start",
                         "figure": f"{_f3(large['to_paint_s'])} s",
                         "floor": f"{_f3(small['to_paint_s'])} s (5 000)",
                         "ratio": _fx(g["ratio"]), "met": g["ratio"] <= TARGET_GROWTH_RATIO})
    if cli:
        rows.append({"target": f"whole-process CLI search, 50 000 ≤ {TARGET_CLI_SEARCH_S} s",
                     "figure": f"{cli['app_median_s']:.3f} s", "floor": f"{cli['floor_median_s']:.3f} s (python)",
                     "ratio": _fx(cli["ratio"]), "met": cli["app_median_s"] <= TARGET_CLI_SEARCH_S})
    if matching:
        rows.append({"target": f"one person × {matching['courses']} courses, worst ≤ {TARGET_MATCH_WORST_MS:.0f} ms",
                     "figure": f"{matching['one_max_ms']:.2f} ms", "floor": f"{matching['one_floor_ms']:.3f} ms",
                     "ratio": _fx(matching["one_max_ms"] / matching["one_floor_ms"] if matching["one_floor_ms"] else None),
                     "met": matching["one_max_ms"] <= TARGET_MATCH_WORST_MS})
    if stall and stall.get("max_stall_ms") is not None:
        worst = max((stall.get("per_action") or {}).items(), key=lambda kv: _stall_ms(kv[1]), default=None)
        floor = stall.get("floor_ms")
        rows.append({"target": f"GUI thread never blocked > {TARGET_STALL_MS:.0f} ms (50 000)",
                     "figure": f"{stall['max_stall_ms']:.0f} ms" + (f" ({worst[0]})" if worst else ""),
                     "floor": f"{floor:.0f} ms" if isinstance(floor, (int, float)) else "–",
                     "ratio": "", "met": stall["max_stall_ms"] <= TARGET_STALL_MS})
    else:
        rows.append({"target": f"GUI thread never blocked > {TARGET_STALL_MS:.0f} ms (50 000)",
                     "figure": "not measured", "floor": "", "ratio": "", "met": None,
                     "note": "benchmarks/bench_responsiveness.py missing or without a JSON line"})
    return rows


def _stall_ms(value: object) -> float:
    if isinstance(value, dict):
        value = value.get("max_stall_ms", 0)
    return float(value) if isinstance(value, (int, float)) else 0.0


def issue13_table(rows: list[dict]) -> list[str]:
    widths = (52, 22, 22, 9, 6)
    fmt = lambda r: "  " + " ".join(  # noqa: E731
        v.ljust(w) if i in (0, 4) else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
    lines = ["ISSUE 13 TARGETS – SQLCipher-encrypted databases, figures and floors from this run",
             fmt(("target", "figure", "floor", "ratio", "")), "  " + "-" * (sum(widths) + len(widths) - 1)]
    for r in rows:
        lines.append(fmt((r["target"], r["figure"], r["floor"], r["ratio"], _status(r["met"]))))
        if r.get("note"):
            lines.append(f"    ({r['note']})")
    return lines


def table(label: str, c: dict) -> list[str]:
    rows: list[tuple[str, str, str, str, str, str]] = []
    s, st, mem, mon, let = c.get("search"), c.get("startup"), c.get("memory"), c.get("monitoring"), c.get("letters")
    if s:
        rows += [
            ("search per keystroke p50 (ms)", f"{s['app_p50_ms']:.1f}", f"{s['floor_p50_ms']:.1f}",
             f"{s['ratio_p50']:.2f}×", "", ""),
            ("search per keystroke p95 (ms)", f"{s['app_p95_ms']:.1f}", f"{s['floor_p95_ms']:.1f}",
             f"{s['ratio_p95']:.2f}×", f"p95 ≤ {TARGET_SEARCH_P95_MS:.0f} ms", _status(s["met"])),
            ("search per keystroke max (ms)", f"{s['app_max_ms']:.1f}", "", "", "", ""),
        ]
    if st:
        rows += [
            ("start-up to painted list (s)", _f3(st["app_to_paint_s"]), _f3(st["floor_to_paint_s"]),
             _fx(st["ratio_to_paint"]), f"≤ {TARGET_STARTUP_RATIO:.0f}× floor", _status(st["met"])),
            ("  wall to exit, median (s)", f"{st['app_wall_s']:.3f}", f"{st['floor_wall_s']:.3f}",
             f"{st['ratio_wall']:.2f}×", "", ""),
            ("  since_start_s (s)", f"{st['app_since_start_s']:.3f}", f"{st['floor_since_start_s']:.3f}",
             f"{st['ratio_since_start']:.2f}×", "", ""),
            ("  open_db_s (s)", f"{st['app_open_db_s']:.3f}", "", "", "", ""),
            ("  window_to_paint_s (s)", f"{st['app_window_to_paint_s']:.3f}", f"{st['floor_window_to_paint_s']:.3f}",
             "", "", ""),
        ]
    if mon:
        rows.append((f"counts {mon['year']}, all formats (s)", f"{mon['all_s']:.2f}", f"{mon['floor_s']:.2f}",
                     f"{mon['ratio']:.1f}×", f"≤ {mon['target_s']:.0f} s", _status(mon["met"])))
    if let:
        rows.append(("one letter, median (ms)", f"{let['one_ms']:.0f}", f"{let['floor_ms']:.1f}",
                     f"{let['one_ms'] / let['floor_ms']:.0f}×", "≤ 300 ms", _status(let["one_ms"] <= 300)))
        rows.append((f"{let['letters']} letters in a batch (s)", f"{let['batch_s']:.2f}", "", "", "≤ 20 s",
                     _status(let["batch_s"] <= 20)))
    if mem:
        if "smoke_test_peak_rss_mb" in mem:
            floor_rss = st["floor_peak_rss_mb"] if st else None
            smoke_rss = mem["smoke_test_peak_rss_mb"]
            rows.append(("peak RSS, smoke test (MB)", f"{smoke_rss:.1f}",
                         f"{floor_rss:.1f}" if floor_rss is not None else "", "",
                         f"≤ {TARGET_PEAK_RSS_MB:.0f} MB", _status(smoke_rss <= TARGET_PEAK_RSS_MB)))
        if "search_process_peak_rss_mb" in mem:
            rows.append(("peak RSS, search bench (MB)", f"{mem['search_process_peak_rss_mb']:.1f}", "", "",
                         f"≤ {TARGET_PEAK_RSS_MB:.0f} MB",
                         _status(mem["search_process_peak_rss_mb"] <= TARGET_PEAK_RSS_MB)))
    head = ("", "app", "floor", "ratio", "target", "")
    widths = [32, 9, 9, 8, 16, 6]
    fmt = lambda r: "  " + " ".join(  # noqa: E731
        (v.ljust(w) if i in (0, 4, 5) else v.rjust(w)) for i, (v, w) in enumerate(zip(r, widths, strict=True)))
    lines = [f"{label}", fmt(head), "  " + "-" * (sum(widths) + len(widths) - 1)] + [fmt(r) for r in rows]
    if st and st["app_problems"]:
        lines.append(f"  app start-up exit codes {st['app_returncodes']}: {'; '.join(st['app_problems'])}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="search: measured passes over all keystrokes")
    parser.add_argument("--runs", type=int, default=5, help="start-up: measured runs of app and floor")
    parser.add_argument("--encrypted", action="store_true", help="also benchmark the SQLCipher-encrypted twin")
    parser.add_argument("--profile", action="store_true", help="profile every area that misses its target")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases first")
    args = parser.parse_args(argv)

    info = machine()
    print(machine_line(info), flush=True)
    variants = [False, True] if args.encrypted else [False]
    for encrypted in variants:
        ensure_db(encrypted=encrypted, rebuild=args.rebuild)
        if encrypted:
            ensure_db(encrypted=True, rebuild=args.rebuild, persons=5000)

    results: dict[str, dict] = {}
    startup_encrypted: dict | None = None
    for encrypted in variants:
        flag = ["--encrypted"] if encrypted else []
        # The encrypted search is ~10× slower per keystroke: one measured round is plenty there.
        rounds = 1 if encrypted else args.rounds
        print(flush=True)
        search = run_streaming([str(BENCH_DIR / "bench_search.py"), "--rounds", str(rounds), *flag])
        print(flush=True)
        sizes = ["--sizes", "5000,50000"] if encrypted else []  # issue 13: the 50 000 start against the 5 000
        startup = run_streaming([str(BENCH_DIR / "bench_startup.py"), "--runs", str(args.runs), *flag, *sizes])
        if encrypted:
            startup_encrypted = startup
        monitoring = letters = None
        if not encrypted:  # counting reads the same pages either way; the plain file shows the code's cost
            print(flush=True)
            monitoring = run_streaming([str(BENCH_DIR / "bench_monitoring.py")])
            print(flush=True)
            letters = run_streaming([str(BENCH_DIR / "bench_letters.py")])
            print(flush=True)  # name matching on the labelled set (no database; its own report)
            run_streaming([str(BENCH_DIR / "bench_names.py")])
        results["encrypted" if encrypted else "plain"] = condense(search, startup, monitoring, letters)

    targets: list[dict] = []
    if args.encrypted:
        print(flush=True)
        cli = run_streaming([str(BENCH_DIR / "bench_cli_search.py"), "--encrypted"])
        print(flush=True)
        matching = run_streaming([str(BENCH_DIR / "bench_matching.py")])
        stall = None
        responsiveness = BENCH_DIR / "bench_responsiveness.py"
        if responsiveness.exists():  # written by another part of issue 13; its JSON line has max_stall_ms
            print(flush=True)
            stall = run_streaming([str(responsiveness)])
        targets = issue13(startup_encrypted, cli, matching, stall)
        results["issue13"] = {"targets": targets}

    if args.profile:  # before the summary, so the summary and the JSON line stay last
        for key, c in results.items():
            if key == "issue13":
                continue
            flag = ["--encrypted"] if key == "encrypted" else []
            for area in ("search", "startup"):  # profile_app.py knows these two areas
                if area in c and not c[area]["met"]:
                    print(f"\n--- profile: {area} ({key}) ---", flush=True)
                    subprocess.run([sys.executable, str(BENCH_DIR / "profile_app.py"), area, *flag], cwd=REPO)

    if hasattr(os, "getloadavg"):
        info["loadavg_1m_end"] = round(os.getloadavg()[0], 2)
    print("\n" + "=" * 86)
    end_load = f"  (load avg at the end: {info['loadavg_1m_end']})" if "loadavg_1m_end" in info else ""
    print(machine_line(info) + end_load)
    for key, c in results.items():
        if key == "issue13":
            continue
        label = ("SUMMARY – 50 000 persons, unencrypted database (bench-out/demo50k.sqlite3)" if key == "plain" else
                 "SUMMARY – 50 000 persons, SQLCipher-encrypted database (bench-out/demo50k-enc.sqlite3)")
        print()
        print("\n".join(table(label, c)))
    if targets:
        print()
        print("\n".join(issue13_table(targets)))
    print("=" * 86, flush=True)
    if not args.profile and any(area in c and not c[area]["met"] for k, c in results.items() if k != "issue13"
                                for area in ("search", "startup")):
        print("targets missed – where the time goes: python benchmarks/profile_app.py search|startup "
              "[--encrypted] [--cprofile] [--what-if], or run_all.py --profile", flush=True)
    print(json.dumps({"benchmarks": "bildungskoordination", "machine": info, **results}, ensure_ascii=False),
          flush=True)

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
