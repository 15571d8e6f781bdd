"""Person import at scale: 1 000 000 rows (time and peak RSS) and 100 000 rows without file numbers.

Each measurement runs in a process of its own, so its peak RSS is its own:

- floor: the bare ``csv.reader`` over the same file (decode + split, nothing kept) – a lower bound;
- read: ``domain.tabular.read_table`` (encoding check, caps, header mapping; keeps the compact rows);
- check: ``import_persons(..., dry_run=True)`` – read, map and check every row, write nothing;
- import: ``import_persons`` into a new, unencrypted database (one transaction, audit entry per person).

    python benchmarks/bench_import.py [--rows 1000000] [--no-number-rows 100000] [--write-big]

``--write-big`` also writes the 1 000 000 rows (minutes). Target (issue 16): 100 000 rows without file
numbers imported in under a minute. Prints a report and, last, one JSON line. No assertions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import REPO, machine, machine_line  # noqa: E402

TARGET_NO_NUMBERS_S = 60.0
HEADER = ("Nr;Familienname;Vorname;Name in Originalschrift;Geburtsdatum;Geschlecht;Staatsangehörigkeit;"
          "Aufenthaltsstatus;Einreise;Wohnort;Telefon;Deutschniveau;Alphabetisierung;Sprachen;"
          "Kinderbetreuung;Verfügbarkeit;Briefsprache;Einwilligung")
ROWS = (
    "{nr};Al-Hassan{i};Rania;رانيا الحسن;14.03.1994;w;Syrien;§ 25 Abs. 2 AufenthG;11.09.2023;Konz;0170 1234567;"
    "A1;lateinisch;ar, en;ja;vormittags;ar;02.10.2025",
    "{nr};Kovalenko{i};Olena;Олена Коваленко;22.07.1979;w;Ukraine;§ 24 AufenthG;15.04.2022;Saarburg;;A2;"
    "lateinisch;uk, ru;nein;abends;uk;20.05.2022",
    "{nr};Yılmaz{i};Zeynep;;05.1997;w;Türkei;§ 30 AufenthG;01.12.2024;Trier-Land;0160 5555555;A1;lateinisch;"
    "tr, ku;ja;vormittags;tr;03.12.2024",
)

CHILD = r"""
import csv, json, resource, sys, time
mode, path, db = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
if mode == "floor":
    with open(path, encoding="utf-8", newline="") as fh:
        rows = sum(1 for _row in csv.reader(fh, delimiter=";"))
elif mode == "read":
    from bildungskoordination.domain.tabular import read_table
    from bildungskoordination.people.importer import PERSON_TABLE
    table = read_table(path, PERSON_TABLE)
    assert not table.problems, table.problems[:3]
    rows = len(table.rows)
else:
    from bildungskoordination.people.importer import import_persons
    from bildungskoordination.services import Services
    services = Services.open(None if mode == "check" else db, unencrypted=True)
    report = import_persons(services, path, dry_run=mode == "check")
    assert report.ok, [str(p) for p in report.problems[:3]]
    rows = report.rows
    services.close()
print(json.dumps({"rows": rows, "seconds": time.perf_counter() - start,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_csv(path: Path, rows: int, numbers: bool) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\n")
        for i in range(rows):
            nr = f"TS-2025-{i + 1:07d}" if numbers else ""
            fh.write(ROWS[i % len(ROWS)].format(nr=nr, i=i) + "\n")


def measure(mode: str, path: Path, db: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(db)], cwd=REPO, check=True,
                         capture_output=True, text=True, env={**_env(), "PYTHONPATH": str(REPO)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--no-number-rows", type=int, default=100_000)
    parser.add_argument("--write-big", action="store_true", help="also import the big file into a database")
    args = parser.parse_args()
    print(machine_line(machine()))
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        for name, rows, numbers, modes in (
                ("big", args.rows, True, ("floor", "read", "check") + (("import",) if args.write_big else ())),
                ("no_numbers", args.no_number_rows, False, ("floor", "import"))):
            path = folder / f"{name}.csv"
            t0 = time.perf_counter()
            write_csv(path, rows, numbers)
            size_mb = path.stat().st_size / 1e6
            print(f"\n{name}: {rows:,} rows, {size_mb:.0f} MB (written in {time.perf_counter() - t0:.1f} s)")
            floor = None
            for mode in modes:
                result = measure(mode, path, folder / f"{name}-{mode}.sqlite3")
                results[f"{name}_{mode}"] = result
                floor = floor or result
                ratio = result["seconds"] / floor["seconds"] if floor["seconds"] else 0.0
                print(f"  {mode:<7} {result['seconds']:8.2f} s  {ratio:6.1f}× floor   peak RSS {result['peak_rss_mb']:7.0f} MB"
                      f"   ({result['rows']:,} rows)")
    no_numbers = results["no_numbers_import"]["seconds"]
    verdict = "reached" if no_numbers <= TARGET_NO_NUMBERS_S else "MISSED"
    print(f"\ntarget: {args.no_number_rows:,} rows without file numbers ≤ {TARGET_NO_NUMBERS_S:.0f} s – "
          f"{no_numbers:.1f} s, {verdict}")
    print(json.dumps({"benchmark": "import", **{k: v for k, v in results.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
