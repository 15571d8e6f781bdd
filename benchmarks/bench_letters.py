"""Referral letters: one letter once the fonts are loaded, and a batch of 100 letters in one PDF.

    python benchmarks/bench_letters.py [--letters 100] [--language ar]

A temporary database with invented people, courses and referrals (the demo generator). The floor, measured
in the same run: ReportLab drawing a two-page PDF of the same amount of plain Latin text with a built-in font
(no shaping, no bidi, no embedded TrueType). Targets (issue 5): one letter ≤ 300 ms, 100 letters ≤ 20 s.
Nothing asserts; the last line is JSON for run_all.py.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bildungskoordination.people.demo import generate_demo  # noqa: E402
from bildungskoordination.services import Services  # noqa: E402

TARGET_ONE_MS = 300.0
TARGET_BATCH_S = 20.0


def floor_once() -> float:
    """A two-page PDF of ~600 words of plain text with Helvetica: what any PDF costs at least."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    start = time.perf_counter()
    canvas = Canvas(io.BytesIO(), pagesize=A4)
    for _page in range(2):
        y = 800.0
        for line in range(55):
            canvas.drawString(70, y, f"Zeile {line}: Bitte melden Sie sich bis zum 15. Februar beim Kursträger an.")
            y -= 13
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--language", default="ar")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp())
    services = Services.open(folder / "bench.sqlite3", unencrypted=True)
    services.settings.set("demo_database", True)  # the demo's invented letterhead (cli.DEMO_MARKER)
    try:
        generate_demo(services, max(400, args.letters * 4), seed=3, today=date(2026, 12, 2))
        with services.store.read() as s:
            from sqlalchemy import select

            from bildungskoordination.store.models import Person, Referral

            ids = list(s.scalars(select(Referral.id).join(Person, Person.id == Referral.person_id)
                                 .where(Person.consent_withdrawn_at.is_(None)).order_by(Referral.id)))
        ids = ids[: args.letters]
        t0 = time.perf_counter()
        services.letters.render([ids[0]], args.language, allow_past=True)  # loads fonts, catalogs, HarfBuzz faces
        first = time.perf_counter() - t0
        singles = []
        for rid in ids[1:21]:
            t0 = time.perf_counter()
            services.letters.render([rid], args.language, allow_past=True)
            singles.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pdf = services.letters.render(ids, None, allow_past=True)  # each person's own language, as a batch is printed
        batch = time.perf_counter() - t0
    finally:
        services.close()
    floors = [floor_once() for _ in range(10)]
    floor = statistics.median(floors)
    one = statistics.median(singles)
    worst = max(singles)
    print(f"first letter (fonts load): {first * 1000:7.1f} ms")
    print(f"one letter ({args.language}), median of {len(singles)}: {one * 1000:7.1f} ms   worst {worst * 1000:.1f} ms   "
          f"floor {floor * 1000:.1f} ms   ratio {one / floor:.1f}×   target ≤ {TARGET_ONE_MS:.0f} ms: "
          f"{'met' if one * 1000 <= TARGET_ONE_MS else 'MISSED'}")
    print(f"{len(ids)} letters in one PDF ({len(pdf) // 1024} KiB): {batch:6.2f} s   "
          f"per letter {batch / len(ids) * 1000:.0f} ms   "
          f"target ≤ {TARGET_BATCH_S:.0f} s: {'met' if batch <= TARGET_BATCH_S else 'MISSED'}")
    print(json.dumps({"bench": "letters", "one_ms": round(one * 1000, 1), "worst_ms": round(worst * 1000, 1),
                      "first_ms": round(first * 1000, 1), "floor_ms": round(floor * 1000, 2),
                      "batch_s": round(batch, 2), "letters": len(ids)}))


if __name__ == "__main__":
    main()
