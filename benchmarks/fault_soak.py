#!/usr/bin/env python
"""Fault soak: the attack round of issue 16 as a repeatable script – kills, damaged files, hostile input.

    python benchmarks/fault_soak.py                  # 100 per file kind, 100 kills, 100 hostile inputs
    python benchmarks/fault_soak.py --n 300 --kills 200 --seed 7

Each corruption trial starts from a crash image – a database with 45 people whose last saves are only in
its ``-wal``, one person erased (ledger + ``.erasures``), a backup taken before the erasure – damages ONE
file (database, WAL, key file, lock file, erasure side file, backup) and then does what the user would:
open the database (for the side file also: restore the backup from inside the app, then open; for the
backup: restore it). Outcomes:

- held: every confirmed save there with its data, the erased person absent, nobody else erased – or a loud
  refusal (``StoreError``: recovery dialog / German message) or a warning shown at start;
- failed: an unexpected exception (a traceback for the user);
- silent loss: the app opened normally, said nothing, and a confirmed save is missing, an innocent person
  is erased or an erased person is back. The run exits 1 if there is one.

Random bit flips anywhere are used where the file can tell (encrypted pages carry an HMAC; WAL frames a
checksum; lock record a CRC; key file and side file a checksum/MAC). An UNENCRYPTED SQLite page has no
checksum – a flipped letter in a stored name is a valid database with other content – so plain database and
backup files get structural damage (page headers, zeroed pages, truncation, appended bytes) as in
tests/reliability/test_corruption.py. Half the trials of each kind use the encrypted store (cheap KDF).

Kills: ``crashkit.run_cycles`` (workers saving, closing and reopening, SIGKILLed at random moments).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))
os.environ.setdefault("BILDUNGSKOORDINATION_DATA_DIR", tempfile.mkdtemp(prefix="bk-fault-soak-data-"))
os.environ.pop("BILDUNGSKOORDINATION_PASSPHRASE", None)

import _fault_kit as kit  # noqa: E402

KINDS = ("datenbank", "wal", "schluesseldatei", "sperrdatei", "loeschliste", "sicherung")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="corruptions per file kind (default 100)")
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs in save/close/open cycles (default 100)")
    parser.add_argument("--inputs", type=int, default=100, help="hostile command-line inputs (default 100)")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="bk-fault-soak-"))
    print(f"fault soak, seed {args.seed}, work folder {work}")
    started = time.monotonic()
    totals: Counter = Counter()
    silent: list[str] = []
    failed: list[str] = []
    try:
        images = {enc: kit.make_image(work / f"image-{'e' if enc else 'p'}", encrypted=enc) for enc in (False, True)}
        for kind in KINDS:
            outcomes: Counter = Counter()
            t0 = time.monotonic()
            for i in range(args.n):
                encrypted = kind == "schluesseldatei" or i % 2 == 1
                trial = work / "trial"
                shutil.rmtree(trial, ignore_errors=True)
                image = kit.copy_image(images[encrypted], trial)
                outcome, detail, what = kit.run_trial(kind, image, rng)
                outcomes[outcome] += 1
                tag = f"{kind}/{'e' if encrypted else 'p'}/{what}"
                if outcome == "silent":
                    silent.append(f"{tag}: {detail}")
                elif outcome == "failed":
                    failed.append(f"{tag}: {detail}")
            held = outcomes["intact"] + outcomes["refused"] + outcomes["warned"]
            totals.update(tries=args.n, held=held, failed=outcomes["failed"], silent=outcomes["silent"])
            print(f"{kind:16s} Versuche {args.n:4d}  gehalten {held:4d} (intakt {outcomes['intact']}, abgewiesen "
                  f"{outcomes['refused']}, gewarnt {outcomes['warned']})  fehlgeschlagen {outcomes['failed']}  "
                  f"stille Verluste {outcomes['silent']}  [{time.monotonic() - t0:.0f} s]", flush=True)
        if args.inputs:
            result = kit.hostile_inputs(images[False], images[True], work / "inputs", args.inputs, rng)
            totals.update(tries=result["tries"], held=result["held"], failed=len(result["failed"]),
                          silent=len(result["silent"]))
            failed += result["failed"]
            silent += result["silent"]
            print(f"{'eingaben':16s} Versuche {result['tries']:4d}  gehalten {result['held']:4d}  fehlgeschlagen "
                  f"{len(result['failed'])}  stille Verluste {len(result['silent'])}", flush=True)
        if args.kills:
            kills = kit.kill_cycles(work / "kills", args.kills, args.seed)
            totals.update(tries=kills["tries"], held=kills["held"], failed=kills["failed"], silent=kills["silent"])
            silent += kills["lost"]
            print(f"{'sigkill':16s} Versuche {kills['tries']:4d}  gehalten {kills['held']:4d}  fehlgeschlagen "
                  f"{kills['failed']}  stille Verluste {kills['silent']}  ({kills['detail']})", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    for line in failed[:20]:
        print(f"FEHLGESCHLAGEN {line}")
    for line in silent[:20]:
        print(f"STILLER VERLUST {line}")
    print(f"GESAMT: Versuche {totals['tries']}, gehalten {totals['held']}, fehlgeschlagen {totals['failed']}, "
          f"stille Verluste {totals['silent']}  ({time.monotonic() - started:.0f} s)")
    return 1 if totals["silent"] or totals["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
