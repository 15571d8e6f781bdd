"""Course matching: one person × 500 courses (the "Passende Kurse" tab) and 10 000 persons × 500 courses.

    python benchmarks/bench_matching.py [--persons 10000] [--courses 500] [--seed 1]

Invented persons and courses (no database). Prints each figure with its ratio to a floor: the same pairs
under a trivial level-only filter. Targets (issue 4): one person ≤ 20 ms, all pairs ≤ 10 s. Nothing asserts.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bildungskoordination.domain.dates import PartialDate  # noqa: E402
from bildungskoordination.domain.vocab import district, vocabulary  # noqa: E402
from bildungskoordination.matching import CourseFacts, Matcher, default_rules, rank  # noqa: E402
from bildungskoordination.people.records import PersonData  # noqa: E402

ON = date(2026, 12, 2)
TARGET_ONE_MS = 20.0
TARGET_ALL_S = 10.0
LEVELS = ["keine", "A1", "A2", "B1", "B2", "C1"]
TYPES = [("ik_allgemein", "keine", "B1"), ("ik_alpha", "keine", "A2"), ("ik_zweitschrift", "keine", "B1"),
         ("ik_foerder", "A1", "B1"), ("ik_intensiv", "keine", "B1"), ("bsk_b2", "B1", "B2"), ("bsk_c1", "B2", "C1"),
         ("bsk_spezial", "B1", "B2"), ("eok", "keine", "A1"), ("vhs_kurs", "A2", "B1"), ("sprachcafe", "", ""),
         ("ik_frauen", "keine", "B1")]
TIMES = [("08:30", "12:45"), ("09:00", "13:00"), ("13:30", "16:45"), ("17:30", "20:45")]
DAYS = [["mo", "di", "mi", "do", "fr"], ["mo", "mi"], ["di", "do"], ["sa"]]


def make_courses(n: int, rng: random.Random) -> list[CourseFacts]:
    places = district()["municipalities"]
    out = []
    for i in range(n):
        code, entry, target = rng.choice(TYPES)
        start = ON + timedelta(days=rng.randint(-60, 150))
        t0, t1 = rng.choice(TIMES)
        out.append(CourseFacts(
            course_id=i + 1, course_number=f"K-{i + 1:04d}", provider=f"Träger {i % 17}", course_type=code,
            entry_level=entry, target_level=target, start=start, end=start + timedelta(days=rng.randint(60, 300)),
            registration_deadline=start - timedelta(days=rng.choice([0, 7, 14])), days=tuple(rng.choice(DAYS)),
            time_from=t0, time_to=t1, mode=rng.choice(["praesenz", "praesenz", "online", "hybrid"]),
            municipality=rng.choice(places), childcare=rng.random() < 0.3, free_places=rng.randint(0, 8),
            target_group=("frauen",) if rng.random() < 0.05 else ()))
    return out


def make_persons(n: int, rng: random.Random) -> list[PersonData]:
    places = district()["municipalities"]
    statuses = vocabulary("residence_status").codes()
    out = []
    for _i in range(n):
        out.append(PersonData(
            birth=PartialDate(rng.randint(1960, 2009), rng.randint(1, 12)), gender=rng.choice("wmxd"),
            residence_status=rng.choice(statuses), german_level=rng.choice(LEVELS + [""]),
            literacy=rng.choice(["lateinisch", "lateinisch", "andere_schrift", "nein", ""]),
            municipality=rng.choice(places), needs_childcare=rng.random() < 0.25,
            availability=rng.sample(["vormittags", "nachmittags", "abends"], rng.randint(0, 3)),
            weekdays=rng.sample(["mo", "di", "mi", "do", "fr", "sa"], rng.randint(0, 6))))
    return out


def floor_filter(persons: list[PersonData], courses: list[CourseFacts]) -> int:
    """The trivial level-only filter over the same pairs."""
    order = {lv: i for i, lv in enumerate(default_rules().levels)}
    spans = [(order.get(c.entry_level, 0), order.get(c.target_level, 99)) for c in courses]
    hits = 0
    for p in persons:
        lv = order.get(p.german_level, 0)
        hits += len([1 for lo, hi in spans if lo <= lv < hi])
    return hits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=10_000)
    ap.add_argument("--courses", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    courses = make_courses(args.courses, rng)
    persons = make_persons(args.persons, rng)
    default_rules()  # loading the TOML is start-up, not matching
    # The app freezes what start-up built (gui/app.py); here that is the invented catalogue and people, which
    # would otherwise make every full collection that falls into a timed call walk 10 000 persons.
    gc.freeze()

    # one person against all courses: first a cold Matcher (nothing prepared), then `rank` as the
    # "Passende Kurse" tab calls it, one person after another
    t = time.perf_counter()
    Matcher(courses, ON).rank(persons[0])
    cold = (time.perf_counter() - t) * 1000
    one, one_floor = [], []
    for p in persons[1:101]:
        t = time.perf_counter()
        rank(p, courses, ON)
        one.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        floor_filter([p], courses)
        one_floor.append((time.perf_counter() - t) * 1000)
    med, floor_med = statistics.median(one), statistics.median(one_floor)
    print(f"one person × {len(courses)} courses: first (cold) {cold:.2f} ms; then median {med:.2f} ms, "
          f"max {max(one):.2f} ms (target ≤ {TARGET_ONE_MS:.0f} ms); floor {floor_med:.3f} ms; "
          f"ratio {med / floor_med:.1f}")

    t = time.perf_counter()
    matcher = Matcher(courses, ON)
    n = 0
    for p in persons:
        n += len(matcher.rank(p))
    total = time.perf_counter() - t
    t = time.perf_counter()
    floor_filter(persons, courses)
    floor_total = time.perf_counter() - t
    print(f"{len(persons)} persons × {len(courses)} courses ({n} pairs, ranked): {total:.2f} s "
          f"(target ≤ {TARGET_ALL_S:.0f} s); floor {floor_total:.3f} s; ratio {total / floor_total:.1f}")
    print(json.dumps({"bench": "matching", "courses": len(courses), "one_cold_ms": cold, "one_median_ms": med,
                      "one_max_ms": max(one), "one_floor_ms": floor_med, "target_one_ms": TARGET_ONE_MS,
                      "all_persons": len(persons), "all_s": total, "all_floor_s": floor_total,
                      "target_all_s": TARGET_ALL_S}), flush=True)


if __name__ == "__main__":
    main()
