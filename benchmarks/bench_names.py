"""Name matching on the labelled set in tests/data/names/: recall and false positives per group, per method.

Each variant pair (query, stored) is tried in both directions: does a search for one spelling find a person
filed under the other? Each negative pair is tried as labelled: does the search for the first find the second?

Methods compared on the same pairs (every typed word must match a name word, or the typed words joined must):

- ``app``: the app's rule (domain.names.match_kind: equal, prefix, phonetic key, long key prefix);
- ``old``: the consonant skeleton before issue 11 (equal skeleton or prefix of one);
- ``bmpm`` (abydos Beider–Morse, generic, approx), ``metaphone``, ``nysiis``, ``mra`` (match rating codex)
  and ``soundex`` (jellyfish): equal codes – run only when the library is installed.

    python benchmarks/bench_names.py [--methods app,old,...] [--misses]

Prints a table and, last, one JSON line. Target (issue 11): recall ≥ 0.95, at most 1 negative in 50 found.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bildungskoordination.domain.names import fold, match_kind, words  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "names"
TARGET_RECALL = 0.95
TARGET_FP_PER_50 = 1.0

Pair = tuple[str, str, str]  # group, query, stored


def load(name: str) -> list[Pair]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group, query, stored = line.split("\t")[:3]
            rows.append((group, query, stored))
    return rows


def variant_pairs() -> list[Pair]:
    return load("cyrillic_variants.tsv") + load("variants.tsv")


def negative_pairs() -> list[Pair]:
    return load("negatives.tsv")


# --- the skeleton before issue 11, for comparison --------------------------------------------------------
_OLD_RULES = [("sch", "s"), ("tch", "c"), ("ch", "h"), ("kh", "h"), ("gh", "h"), ("sh", "s"), ("zh", "j"),
              ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("ks", "x"), ("q", "k"), ("c", "k"), ("g", "h"),
              ("w", "v"), ("z", "s"), ("d", "t"), ("x", "ks"), ("p", "b")]


def _old_skeleton(word: str) -> str:
    for old, new in _OLD_RULES:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", word))


def _old_match(query: str, stored: str) -> bool:
    names = words(stored)
    names = names + ["".join(names)] if len(names) > 1 else names
    sk = [_old_skeleton(w) for w in names]
    for q in words(query):
        s = _old_skeleton(q)
        if not (any(w.startswith(q) for w in names) or (len(s) >= 2 and any(k.startswith(s) for k in sk))):
            return False
    return True


def _code_matcher(encode: Callable[[str], str]) -> Callable[[str, str], bool]:
    cache: dict[str, str] = {}

    def code(word: str) -> str:
        if word not in cache:
            cache[word] = encode(word)
        return cache[word]

    def match(query: str, stored: str) -> bool:
        names = words(stored)
        names = names + ["".join(names)] if len(names) > 1 else names
        codes = {code(w) for w in names} - {""}
        qs = words(query)
        if all(any(w.startswith(q) for w in names) or code(q) in codes for q in qs):
            return True
        return len(qs) > 1 and code("".join(qs)) in codes

    return match


def methods(wanted: set[str] | None) -> dict[str, Callable[[str, str], bool]]:
    found: dict[str, Callable[[str, str], bool]] = {
        "app": lambda q, s: match_kind(q, s) is not None,
        "old": _old_match,
    }
    try:
        import jellyfish

        found["metaphone"] = _code_matcher(jellyfish.metaphone)
        found["nysiis"] = _code_matcher(jellyfish.nysiis)
        found["mra"] = _code_matcher(jellyfish.match_rating_codex)
        found["soundex"] = _code_matcher(jellyfish.soundex)
    except ImportError:
        pass
    try:
        from abydos.phonetic import BeiderMorse

        bm = BeiderMorse(language_arg=0, name_mode="gen", match_mode="approx")

        def bmpm(a: str, b: str) -> bool:  # BMPM gives a set of codes per word: any shared code matches
            return _bm_match(bm, a, b)

        found["bmpm"] = bmpm
    except ImportError:
        pass
    return {k: v for k, v in found.items() if wanted is None or k in wanted}


_BM_CACHE: dict[str, set[str]] = {}


def _bm_codes(bm: object, word: str) -> set[str]:
    if word not in _BM_CACHE:
        _BM_CACHE[word] = set(bm.encode(fold(word)).split())  # type: ignore[attr-defined]
    return _BM_CACHE[word]


def _bm_match(bm: object, query: str, stored: str) -> bool:
    names = words(stored)
    names = names + ["".join(names)] if len(names) > 1 else names
    codes = set().union(*(_bm_codes(bm, w) for w in names))
    qs = words(query)
    if all(any(w.startswith(q) for w in names) or _bm_codes(bm, q) & codes for q in qs):
        return True
    return len(qs) > 1 and bool(_bm_codes(bm, "".join(qs)) & codes)


def measure(method: Callable[[str, str], bool], show_misses: bool = False) -> dict:
    recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    negatives: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, false_hits = [], []
    started = time.perf_counter()
    for group, a, b in variant_pairs():
        for query, stored in ((a, b), (b, a)):
            ok = method(query, stored)
            recall[group][0] += ok
            recall[group][1] += 1
            if not ok:
                misses.append(f"{group}: {query} → {stored}")
    for group, a, b in negative_pairs():
        hit = method(a, b)
        negatives[group][0] += hit
        negatives[group][1] += 1
        if hit:
            false_hits.append(f"{group}: {a} → {b}")
    found = sum(v[0] for v in recall.values())
    tried = sum(v[1] for v in recall.values())
    fp = sum(v[0] for v in negatives.values())
    neg = sum(v[1] for v in negatives.values())
    return {
        "recall": round(found / tried, 4), "tried": tried,
        "false_positives": fp, "negatives": neg, "fp_per_50": round(50 * fp / neg, 2),
        "per_group": {g: {"found": f, "tried": t, "recall": round(f / t, 3)} for g, (f, t) in sorted(recall.items())},
        "negatives_per_group": {g: {"found": f, "tried": t} for g, (f, t) in sorted(negatives.items())},
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "misses": misses if show_misses else len(misses),
        "false_hits": false_hits,
    }


def report(results: dict[str, dict]) -> str:
    names = list(results)
    groups = sorted({g for r in results.values() for g in r["per_group"]})
    neg_groups = sorted({g for r in results.values() for g in r["negatives_per_group"]})
    lines = [f"Name matching – {results[names[0]]['tried']} variant lookups (pairs both ways), "
             f"{results[names[0]]['negatives']} negatives", "",
             "  recall per group      " + "".join(f"{n:>10}" for n in names)]
    for g in groups:
        cells = "".join(f"{results[n]['per_group'][g]['recall']:>10.3f}" for n in names)
        lines.append(f"  {g:<22}{cells}   (n={results[names[0]]['per_group'][g]['tried']})")
    lines.append(f"  {'ALL':<22}" + "".join(f"{results[n]['recall']:>10.3f}" for n in names))
    lines += ["", "  negatives found       " + "".join(f"{n:>10}" for n in names)]
    for g in neg_groups:
        cells = "".join(f"{results[n]['negatives_per_group'][g]['found']:>10}" for n in names)
        lines.append(f"  {g:<22}{cells}   (of {results[names[0]]['negatives_per_group'][g]['tried']})")
    lines.append(f"  {'ALL per 50':<22}" + "".join(f"{results[n]['fp_per_50']:>10.2f}" for n in names))
    app = results.get("app")
    if app:
        met = app["recall"] >= TARGET_RECALL and app["fp_per_50"] <= TARGET_FP_PER_50
        lines += ["", f"  target (app): recall ≥ {TARGET_RECALL}, ≤ {TARGET_FP_PER_50:.0f} negative per 50: "
                      f"{'met' if met else 'MISSED'} (recall {app['recall']:.3f}, {app['fp_per_50']:.2f} per 50)",
                  "  app false positives: " + ("; ".join(app["false_hits"]) or "none")]
        if isinstance(app["misses"], list):
            lines += ["  app misses:"] + [f"    {m}" for m in app["misses"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", help="comma-separated subset (default: all available)")
    parser.add_argument("--misses", action="store_true", help="list every pair the app misses")
    args = parser.parse_args(argv)
    wanted = set(args.methods.split(",")) if args.methods else None
    results = {name: measure(fn, args.misses and name == "app") for name, fn in methods(wanted).items()}
    print(report(results), flush=True)
    print(json.dumps({"bench": "names", "results": results}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
