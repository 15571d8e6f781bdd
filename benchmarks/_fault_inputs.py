"""Hostile command-line input for benchmarks/fault_soak.py: every answer is one German line or a result,
never a traceback, an English OS text, or a change to the real database."""

from __future__ import annotations

import contextlib
import io
import os
import random
from pathlib import Path

from _fault_kit import Image, copy_image, open_and_check

from bildungskoordination import cli

WEIRD = ["", " ", "'; DROP TABLE person; --", '"', "NEAR(", "a*", "AND OR NOT", "\x00", "\u202e", "ﷺ" * 300,
         "-1", "0", "99999999999999999999", "1e9", "TS-2025-", "%", "_", "\\", "../../etc/passwd", "Ωμέγα",
         "x" * 5000, "NULL", "1; 2", "\n", "$(echo hi)"]


def _cases(plain: Path, enc: Path, root: Path, rng: random.Random) -> list[tuple[list[str], str | None]]:
    word = rng.choice(WEIRD)
    folder = root / "ordner.sqlite3"
    folder.mkdir(exist_ok=True)
    text_file = root / "text.sqlite3"
    text_file.write_text("keine Datenbank\n" * 40)
    empty_file = root / "leer.sqlite3"
    empty_file.write_bytes(b"")
    new = root / f"neu-{rng.randrange(10**9)}.sqlite3"
    return [
        (["--db", str(folder), "search", "a"], None),
        (["--db", str(root / "fehlt" / "x.sqlite3"), "search", "a"], None),
        (["--db", str(root / "vertippt.sqlite3"), rng.choice(["search", "show", "match"]), "1"], None),
        (["--db", str(empty_file), "search", "a"], None),
        (["--db", str(text_file), "show", "1"], None),
        (["--db", "/dev/null", "search", "a"], None),
        (["--db", str(plain), "show", word], None),
        (["--db", str(plain), "search", word], None),
        (["--db", str(plain), "match", word], None),
        (["--db", str(plain), "due", "--days", rng.choice(["-99999999999", "99999999999", "x"])], None),
        (["--db", str(plain), "demo", "--persons", rng.choice(["5", "-1", "0"])], None),
        (["--db", str(plain), "match", "1", "--date", rng.choice(["2026-13-45", "gestern", ""])], None),
        (["--db", str(plain), "candidates", word, "--limit", rng.choice(["0", "-5", "3"])], None),
        (["--db", str(plain), "refer", "999999", word], None),
        (["--db", str(plain), "referral-status", word, "angemeldet"], None),
        (["--db", str(plain), "letter", "1", "--out", str(root / "fehlt" / "b.pdf")], None),
        (["--db", str(new), "init"], rng.choice(["x", "kurz", "         a"])),
        (["--db", str(enc), "search", "a"], rng.choice(["falsche aber lange Passphrase", "x", ""])),
        (["--db", str(enc), "search", "a"], None),
        (["--db", str(plain), rng.choice(["gibtsnicht", "--bogus", ""])], None),
    ]


def run_inputs(plain: Image, encrypted: Image, root: Path, n: int, rng: random.Random) -> dict:
    root.mkdir(parents=True, exist_ok=True)
    live_p = copy_image(plain, root / "p")
    live_e = copy_image(encrypted, root / "e")
    out: dict = {"tries": 0, "held": 0, "failed": [], "silent": []}
    for i in range(n):
        cases = _cases(live_p.db, live_e.db, root, rng)
        argv, env = cases[i % len(cases)] if i < len(cases) else rng.choice(cases)
        if env is None:
            os.environ.pop("BILDUNGSKOORDINATION_PASSPHRASE", None)
        else:
            os.environ["BILDUNGSKOORDINATION_PASSPHRASE"] = env
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = cli.main(argv)
        except SystemExit as exc:  # argparse: usage error, exit 2
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # noqa: BLE001
            out["failed"].append(f"eingabe {argv[:4]}: {type(exc).__name__}: {exc}"[:300])
            continue
        finally:
            os.environ.pop("BILDUNGSKOORDINATION_PASSPHRASE", None)
        out["tries"] += 1
        err = stderr.getvalue()
        if "Traceback" in err or "Errno" in err or (code == 0 and "Fehler" in err):
            out["failed"].append(f"eingabe {argv[:4]} -> {code}: {err[-200:]}")
            continue
        out["held"] += 1
    os.environ.pop("BILDUNGSKOORDINATION_PASSPHRASE", None)
    for image in (live_p, live_e):  # the real databases: every confirmed save still there
        outcome, detail = open_and_check(image, image.expected)
        if outcome not in ("intact",):
            out["silent"].append(f"eingaben veränderten {image.db}: {outcome} {detail}")
    return out
