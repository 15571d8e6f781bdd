#!/usr/bin/env python
"""Crash soak: the crash test of tests/reliability/test_crash_safety.py, longer, plus close/open cycles.

    python benchmarks/crash_soak.py                      # 300 + 200 kills, ~5 frozen images each, 150 cycle kills
    python benchmarks/crash_soak.py --kills 1000 --encrypted-kills 500 --seed 7 --verify-every 2
    python benchmarks/crash_soak.py --kills 0 --encrypted-kills 0 --cycles 500     # only the cycle experiment

Lanes (see tests/reliability/crashkit.py): a chain of worker processes saves people, contacts and
500-row imports into one database; every worker is SIGKILLed at a random moment and frozen (SIGSTOP) a few
times before for an exact crash image; every image is opened with ``Services.open`` and checked against
the acknowledgements: every save that returned is there with the data sent, the in-flight one is whole or
absent, imports are all-or-nothing, integrity_check is ok, nothing else exists. Any violation stops the run
with exit status 1 and the message.

Cycles: workers that save three people, close, reopen, … are killed at random moments; the next start must
open the database. A refusal "die Journaldatei (-wal) fehlt" with every acknowledged save intact is the known
false alarm of the WAL-expected check (crash while closing / before the first read); it is counted, not
fatal. A lost acknowledged save is fatal.

Figures go to stdout and bench-out/crash_soak.json. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
os.environ.setdefault("BILDUNGSKOORDINATION_DATA_DIR", tempfile.mkdtemp(prefix="bk-soak-data-"))

from reliability import crashkit  # noqa: E402

PASSPHRASE = "Absturz Test Passphrase 42"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=300, help="SIGKILLs on the unencrypted lane (default 300)")
    parser.add_argument("--encrypted-kills", type=int, default=200, help="SIGKILLs on the encrypted lane (200)")
    parser.add_argument("--cycles", type=int, default=150, help="kills in close/open cycles (default 150)")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000, help="random seed (default: time)")
    parser.add_argument("--import-share", type=float, default=0.2, help="share of import incarnations (0.2)")
    parser.add_argument("--snapshots", default="3,6", help="frozen images per incarnation, min,max (3,6)")
    parser.add_argument("--verify-every", type=int, default=1, help="check only every n-th frozen image (1)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--out", type=Path, default=REPO / "bench-out" / "crash_soak.json")
    args = parser.parse_args(argv)
    low, high = (int(x) for x in args.snapshots.split(","))

    work = Path(tempfile.mkdtemp(prefix="bk-crash-soak-"))
    report: dict = {"seed": args.seed, "work": str(work), "lanes": [], "cycles": None, "failure": None}
    print(f"crash soak, seed {args.seed}, work folder {work}")
    status = 0
    try:
        for lane, kills, passphrase in (("p", args.kills, None), ("e", args.encrypted_kills, PASSPHRASE)):
            if kills <= 0:
                continue
            result = crashkit.run_lane(work / lane, lane=lane, passphrase=passphrase, kills=kills,
                                       seed=args.seed + (lane == "e"), import_share=args.import_share,
                                       snapshots=(low, high), verify_every=args.verify_every, log=print)
            print(result.summary())
            report["lanes"].append({"lane": lane, "encrypted": passphrase is not None, "kills": result.kills,
                                    "snapshots": result.snapshots, "points": result.points,
                                    "phases": dict(result.phases), "committed_unacked": result.committed_unacked,
                                    "imports_committed": result.imports_committed,
                                    "seconds": round(result.seconds, 1)})
        if args.cycles > 0:
            for label, passphrase in (("unverschlüsselt", None), ("verschlüsselt", PASSPHRASE)):
                cycles = crashkit.run_cycles(work / f"cycles-{label}", kills=args.cycles // 2 or 1,
                                             seed=args.seed, passphrase=passphrase, log=print)
                print(f"Zyklen ({label}): {cycles.summary()}")
                report.setdefault("cycle_runs", []).append({
                    "encrypted": passphrase is not None, "kills": cycles.kills, "opened": cycles.opened,
                    "refused_wal_missing": cycles.refused_wal_missing, "refused_other": cycles.refused_other,
                    "lost": cycles.lost})
                if cycles.lost or cycles.refused_other:
                    status = 1
                    print("FEHLER:", *cycles.lost, *cycles.refused_other, sep="\n  ")
    except crashkit.CrashTestFailure as exc:
        report["failure"] = str(exc)
        print(f"FEHLER (seed {args.seed}): {exc}", file=sys.stderr)
        status = 1
        args.keep = True
    finally:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    total = sum(lane["points"] for lane in report["lanes"])
    print(f"{total} crash points checked; report in {args.out}; {'FAILED' if status else 'ok'}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
