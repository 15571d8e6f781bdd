"""Where the time goes, when a benchmark target is missed. Reads the app, never changes it.

    python benchmarks/profile_app.py search   [--cprofile] [--encrypted] [--what-if]  # per keystroke: ORM/SQL/plan
    python benchmarks/profile_app.py startup  [--cprofile] [--encrypted]  # smoke-test start-up, phase by phase

``search`` times the person service per probe – search_ids with its list order cached and right after a change
(order read again), the FTS5 hit count on bare sqlite3 – and captures the SQL of ``rows`` (engine event) to replay
it on bare sqlite3, splitting Python/ORM overhead from SQLite time, with SQLite's query plans.
``startup`` wraps the app's own functions with timers (inclusive wall ms, no profiler overhead) and runs the
smoke test in this process. ``--cprofile`` adds a cProfile listing (slower; figures inflated).
``search --what-if`` replays the rows SQL on a copy of the database (bench-out/whatif*.sqlite3) with an extra
covering index and ANALYZE statistics – what those alone would buy, app code untouched.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PASSPHRASE_ENV, ensure_db, open_raw, open_services, qt_env  # noqa: E402

PROBES = ["M", "Moh", "Mohammed", "Muhamad Al", "TS-2025-00", "Müller"]


def _median_ms(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _sql_ms(raw, sql: str, params) -> float:  # type: ignore[no-untyped-def]
    return _median_ms(lambda: raw.execute(sql, params).fetchall())


def _print_cprofile(prof: cProfile.Profile, sort: str, limit: int = 25) -> None:
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats(sort).print_stats(limit)
    text = out.getvalue()
    print(text[text.find("   ncalls"):] if "   ncalls" in text else text)


# --- search -----------------------------------------------------------------------------------------------
WHAT_IF_DDL = ("CREATE INDEX ix_whatif_person_search ON person "
               "(sort_name, id, search_folded, search_skeleton, file_number)")


def _what_if_path(db: Path) -> Path:
    return db.with_name("whatif-" + db.name)


def _what_if_copy(db: Path, encrypted: bool):  # type: ignore[no-untyped-def]
    """A copy of ``db`` with a covering index for the search and ANALYZE statistics; returns a raw connection."""
    import shutil

    copy = _what_if_path(db)
    for suffix in ("", ".key.json"):
        src = db.with_name(db.name + suffix)
        if src.exists():
            shutil.copyfile(src, copy.with_name(copy.name + suffix))
    con = open_raw(copy, encrypted)
    started = time.perf_counter()
    con.execute(WHAT_IF_DDL)
    con.execute("ANALYZE")
    con.commit()
    print(f"\nwhat-if copy {copy.name}: {WHAT_IF_DDL}; ANALYZE ({time.perf_counter() - started:.1f} s)")
    return con


def profile_search(db: Path, use_cprofile: bool, encrypted: bool, what_if: bool = False) -> None:
    from sqlalchemy import event

    from bildungskoordination.people.search import search_plan

    services = open_services(db, encrypted)
    captured: list[tuple[str, object]] = []

    @event.listens_for(services.store.engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    raw = open_raw(db, encrypted)
    people = services.people

    def cold(prefix: str) -> list[int]:
        people._orders.clear()  # as after a change to any person: the list order is read again
        return people.search_ids(prefix)

    print(f"{'prefix':<12} {'hits':>6} {'search_ids':>10} {'cold':>6} {'FTS count':>9} │ "
          f"{'rows(200)':>9} {'its SQL':>8} {'due via pid':>11}   (ms, median of 5)")
    plans: dict[str, list[str]] = {}
    replay: list[tuple[str, str, object]] = []
    for prefix in PROBES:
        people.search_ids(prefix)  # warm
        t_ids = _median_ms(lambda p=prefix: people.search_ids(p))
        t_cold = _median_ms(lambda p=prefix: cold(p))
        plan = search_plan(prefix)
        count_sql = "SELECT count(*) FROM person_fts WHERE person_fts MATCH ?"
        t_count = _sql_ms(raw, count_sql, (plan.match,)) if plan.match else 0.0
        ids = people.search_ids(prefix)
        page = ids[:200]
        captured.clear()
        t_rows = _median_ms(lambda pg=page: people.rows(pg))
        rows_sql, rows_params = captured[-1]
        t_rows_raw = _sql_ms(raw, rows_sql, rows_params)
        marks = ",".join("?" * len(page))
        due_sql = (f"SELECT person_id, min(followup_date) FROM contact WHERE person_id IN ({marks}) "
                   "AND +followup_done = 0 AND followup_date IS NOT NULL GROUP BY person_id")
        t_due = _sql_ms(raw, due_sql, page) if page else 0.0
        replay.append((prefix, rows_sql, rows_params))
        print(f"{prefix:<12} {len(ids):>6} {t_ids:>10.1f} {t_cold:>6.1f} {t_count:>9.1f} │ "
              f"{t_rows:>9.1f} {t_rows_raw:>8.1f} {t_due:>11.1f}")
        if plan.match and "search_ids FTS query" not in plans:
            plans["search_ids FTS query"] = [f"MATCH {plan.match}"]
        if "rows SQL" not in plans:
            plans["rows SQL"] = [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + rows_sql, rows_params)]
            plans["follow-up lookup with +followup_done"] = [
                r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + due_sql, page)]
            example = rows_sql
    print("\ncolumns: search_ids = the service call with the list order cached; 'cold' = the same right after a "
          "change\n(the list order is read again); 'FTS count' = counting the hits in person_fts on bare sqlite3 / "
          "sqlcipher3;\nrows = the service call; 'its SQL' = its statement on the bare connection (fetchall); "
          "'due via pid' = the\nnext-follow-up lookup for the same 200 ids through ix_contact_person_id.")
    stat1 = raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0]
    print(f"sqlite_stat1 present (ANALYZE run): {'yes' if stat1 else 'no'}")
    for label, steps in plans.items():
        print(f"\nplan – {label}:")
        for step in steps:
            print(f"  {step}")
    print("rows SQL:\n  " + " ".join(example.split())[:400] + " …")
    if what_if:
        alt = _what_if_copy(db, encrypted)
        print(f"{'prefix':<12} {'rows SQL':>9}   (the app's statement replayed on the copy, ms)")
        for prefix, rows_sql, rows_params in replay:
            print(f"{prefix:<12} {_sql_ms(alt, rows_sql, rows_params):>9.1f}")
        _prefix, rows_sql, rows_params = replay[2]
        print("plan on the copy – rows SQL:")
        for r in alt.execute("EXPLAIN QUERY PLAN " + rows_sql, rows_params):
            print(f"  {r[3]}")
        alt.close()
        for suffix in ("", ".key.json", "-wal", "-shm"):  # ~110 MB: do not keep it around
            copy = _what_if_path(db)
            copy.with_name(copy.name + suffix).unlink(missing_ok=True)
    if use_cprofile:
        from bench_search import LATIN_QUERIES, keystrokes

        prof = cProfile.Profile()
        prof.enable()
        for _query, prefix in keystrokes(LATIN_QUERIES):
            people.rows(people.search_ids(prefix)[:200])
        prof.disable()
        print("\ncProfile, one pass over the Latin-script keystrokes, by internal time:")
        _print_cprofile(prof, "tottime", 15)
    raw.close()
    services.close()


# --- startup ----------------------------------------------------------------------------------------------
# (label, "module:attribute path", indent) – inclusive wall time of each call, summed over calls.
STARTUP_TARGETS = [
    ("open_services (lock, key, checks, schema)", "bildungskoordination.gui.app:open_services", 0),
    ("InstanceLock.acquire", "bildungskoordination.store.lock:InstanceLock.acquire", 1),
    ("crypto.derive_key (Argon2id)", "bildungskoordination.store.crypto:derive_key", 1),
    ("check_files (header, size)", "bildungskoordination.store.engine:check_files", 1),
    ("precheck (read-only; whole-file quick_check only after an unclean end)",
     "bildungskoordination.store.engine:precheck", 1),
    ("ensure_schema (revision check)", "bildungskoordination.store.migrate:ensure_schema", 1),
    ("MainWindow.__init__", "bildungskoordination.gui.main_window:MainWindow.__init__", 0),
    ("PersonsPage.__init__", "bildungskoordination.gui.persons.page:PersonsPage.__init__", 1),
    ("PersonListModel.reload", "bildungskoordination.gui.persons.list_model:PersonListModel.reload", 2),
    ("PersonService.search_ids", "bildungskoordination.people.service:PersonService.search_ids", 3),
    ("PersonFile.__init__", "bildungskoordination.gui.persons.person_file:PersonFile.__init__", 2),
    ("PersonForm.__init__", "bildungskoordination.gui.persons.form:PersonForm.__init__", 3),
    ("ContactEntry.__init__", "bildungskoordination.gui.persons.contact_entry:ContactEntry.__init__", 3),
    ("FollowUpsPage.__init__", "bildungskoordination.gui.followups.page:FollowUpsPage.__init__", 1),
    ("FollowUpsPage.reload", "bildungskoordination.gui.followups.page:FollowUpsPage.reload", 2),
    ("FollowUpModel.set_rows (reset + proxy sort)", "bildungskoordination.gui.followups.model:FollowUpModel.set_rows",
     3),
    ("MainWindow._update_followup_badge", "bildungskoordination.gui.main_window:MainWindow._update_followup_badge", 1),
    ("ContactService.due_followups (all calls)", "bildungskoordination.people.contacts:ContactService.due_followups",
     1),
    ("_smoke_test (show → first paint → quit)", "bildungskoordination.gui.app:_smoke_test", 0),
    ("AppController.show", "bildungskoordination.gui.controller:AppController.show", 1),
    ("PersonService.rows (first page)", "bildungskoordination.people.service:PersonService.rows", 1),
    ("vocabulary() – all calls; the first ones load Babel", "bildungskoordination.domain.vocab:vocabulary", 0),
]


class _Timers:
    def __init__(self) -> None:
        self.total: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, key: str, fn):  # type: ignore[no-untyped-def]
        @functools.wraps(fn)
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.total[key] = self.total.get(key, 0.0) + time.perf_counter() - started
                self.calls[key] = self.calls.get(key, 0) + 1

        return timed


def _install(timers: _Timers, key: str) -> None:
    module_name, path = key.split(":")
    module = importlib.import_module(module_name)
    owner = module
    *parents, name = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    wrapped = timers.wrap(key, original)
    setattr(owner, name, wrapped)
    if not parents:  # a module-level function may also be imported by name elsewhere
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("bildungskoordination") and getattr(mod, name, None) is original:
                setattr(mod, name, wrapped)


def profile_startup(db: Path, use_cprofile: bool, encrypted: bool) -> None:
    os.environ.pop(PASSPHRASE_ENV, None)
    os.environ.update(qt_env(encrypted))
    t0 = time.perf_counter()
    import bildungskoordination  # noqa: F401 – START_TIME is set here

    t1 = time.perf_counter()
    import bildungskoordination.gui.app as gui_app

    t2 = time.perf_counter()
    import bildungskoordination.gui.main_window  # noqa: F401 – run() imports it after opening the database

    t3 = time.perf_counter()
    timers = _Timers()
    for _label, key, _indent in STARTUP_TARGETS:
        _install(timers, key)
    from bildungskoordination.cli import build_parser

    args = build_parser().parse_args(["--db", str(db), "--smoke-test"])
    prof = cProfile.Profile() if use_cprofile else None
    if prof:
        prof.enable()
    t4 = time.perf_counter()
    gui_app.run(args)  # prints the smoke-test JSON line
    t5 = time.perf_counter()
    if prof:
        prof.disable()
    print(f"\nstart-up phases (inclusive wall ms{', under cProfile' if prof else ''}):")
    print(f"  {'import bildungskoordination':<52} {1000 * (t1 - t0):8.1f}")
    print(f"  {'import gui.app (PySide6, SQLAlchemy, services)':<52} {1000 * (t2 - t1):8.1f}")
    print(f"  {'import gui.main_window (all pages)':<52} {1000 * (t3 - t2):8.1f}")
    print(f"  {'gui.app.run() total':<52} {1000 * (t5 - t4):8.1f}")
    for label, key, indent in STARTUP_TARGETS:
        ms = 1000 * timers.total.get(key, 0.0)
        calls = timers.calls.get(key, 0)
        print(f"  {'  ' * (indent + 1) + label:<52} {ms:8.1f}  ({calls} call{'s' if calls != 1 else ''})")
    print("  (QApplication creation, translations, show/paint and resizeColumnsToContents are the remainders;")
    print("   the JSON line's since_start_s counts from this process' first import of the package)")
    if prof:
        print("\ncProfile of gui.app.run(), by cumulative time:")
        _print_cprofile(prof, "cumulative", 30)
    sys.stdout.flush()
    # PySide6 6.12 on CPython 3.11 can abort at interpreter shutdown (None refcount, see README); skip it.
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["search", "startup"])
    parser.add_argument("--cprofile", action="store_true", help="add a cProfile listing")
    parser.add_argument("--encrypted", action="store_true", help="profile on the SQLCipher-encrypted twin")
    parser.add_argument("--what-if", action="store_true",
                        help="search: also replay the SQL on a copy with a covering index + ANALYZE")
    args = parser.parse_args(argv)
    db = ensure_db(encrypted=args.encrypted)
    if args.what == "search":
        profile_search(db, args.cprofile, args.encrypted, args.what_if)
    else:
        profile_startup(db, args.cprofile, args.encrypted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
