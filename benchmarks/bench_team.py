"""A team on one database under load (issue 15): 5 client processes for 60 s against one PostgreSQL database.

    python benchmarks/bench_team.py                  # starts a throw-away local cluster (.ci/start_pg), 5 × 60 s
    BILDUNGSKOORDINATION_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bk_test python benchmarks/bench_team.py
    python benchmarks/bench_team.py --sqlite         # the same load on one SQLite file (no server needed)
    python benchmarks/bench_team.py --clients 5 --seconds 60 --floor-seconds 10

Each client does what coordinators do at the same time, through the services: searches as you type; edits of
the SAME people (three "hot" files every client writes to) and of its OWN people; new counselling contacts and
an edit of one shared contact; referrals through their statuses. Every save passes the version it loaded; a
ConflictError is counted and resolved as the dialog would (take the stored values, add one's own change, save
again against the new version).

Lost updates are counted, not assumed: every client records what it believes it committed – each token it
appended to a shared note, the last phone number of each of its own people, each contact it added, the last
status of each referral – and after the run the final state is checked against all of it. 0 is the only
acceptable figure. Throughput and p95 latency are printed next to a floor: the same load with ONE client for
``--floor-seconds`` in the same run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

HOT_PEOPLE = 3
OWN_PEOPLE = 20
NAMES = ["Haddad", "Kovalenko", "Yilmaz", "Tesfay", "Ahmadi", "Nguyen", "Popescu", "Sahin", "Mansour", "Osman"]
GIVEN = ["Lina", "Olena", "Mehmet", "Yonas", "Farid", "Mai", "Ioana", "Ayse", "Rami", "Hodan"]
SEARCHES = ["Had", "Kowalenko", "Yil", "Tesfai", "Ahmad", "Ngu", "Pope", "Schahin", "Mansur", "Osm"]
WEIGHTS = {"search": 30, "hot_edit": 20, "own_edit": 20, "contact_add": 12, "contact_edit": 8, "referral": 10}
ADVANCE = {"vorgeschlagen": "angemeldet", "angemeldet": "begonnen", "begonnen": "abgeschlossen"}


# --- the database ------------------------------------------------------------------------------------------
def _open(target: str) -> Any:
    from bildungskoordination.services import Services
    from bildungskoordination.store.engine import Store

    if target.startswith("postgresql"):
        return Services.open(target)
    # Several processes on one file stand for several users; the instance lock is for one laptop's windows.
    return Services.on_store(Store.open(Path(target)))


def _close(services: Any) -> None:
    if services.store.path is None:
        services.close()
    else:
        services.store.close()


def start_server(folder: Path) -> str:
    """A throw-away cluster (.ci/start_pg); as root it runs as another user, who must reach the folder."""
    folder.parent.chmod(0o755)
    done = subprocess.run(["bash", str(REPO / ".ci" / "start_pg"), str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"PostgreSQL ließ sich nicht starten (.ci/start_pg): {done.stderr.strip()[-500:]}")
    return done.stdout.strip()


def stop_server(folder: Path) -> None:
    subprocess.run(["bash", str(REPO / ".ci" / "stop_pg"), str(folder)], check=False, capture_output=True)


def fresh_database(url: str) -> str:
    """A new database beside the one in ``url`` (so a test database keeps its contents); else ``url`` itself."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"bk_bench_{os.getpid()}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 – no CREATEDB right: use the given database
        print(f"(eigene Datenbank nicht anlegbar, nutze {base.database}: {str(exc).splitlines()[0]})")
        return url
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        engine.dispose()


def seed(target: str, clients: int) -> dict[str, Any]:
    from bildungskoordination.courses.records import CourseData
    from bildungskoordination.people.records import ContactData, PersonData

    services = _open(target)
    try:
        def person(i: int) -> int:
            return services.people.create(PersonData(family_name=NAMES[i % len(NAMES)], given_name=GIVEN[i % len(GIVEN)],
                                                     consent_date=date.today()))
        hot = [person(i) for i in range(HOT_PEOPLE)]
        own = [[person(c * OWN_PEOPLE + i) for i in range(OWN_PEOPLE)] for c in range(clients)]
        hot_contact = services.contacts.add(hot[0], ContactData(topics=["sprachkurs"], next_step="Anruf"))
        start = date.today() + timedelta(days=30)
        courses = [services.courses.create(CourseData(
            provider="VHS Last", course_number=f"IK-{n}", course_type="ik_allgemein", target_level="B1",
            start=start, end=start + timedelta(days=200), places=10_000, status="offen")) for n in range(6)]
    finally:
        _close(services)
    return {"hot": hot, "own": own, "hot_contact": hot_contact, "courses": courses}


# --- one client ------------------------------------------------------------------------------------------
def client(target: str, number: int, plan: dict[str, Any], seconds: float, out: Any) -> None:
    from bildungskoordination.domain.conflicts import ConflictError
    from bildungskoordination.domain.errors import ValidationError
    from bildungskoordination.people.records import ContactData
    from bildungskoordination.store.identity import act_as

    rng = random.Random(number)
    services = _open(target)
    act_as(services.store, f"client{number}")
    latencies: dict[str, list[float]] = defaultdict(list)
    counts = {"conflicts": 0, "retried_errors": 0, "refused": 0}
    tokens: list[tuple[int, str]] = []  # (hot person, token) believed committed
    contact_tokens: list[str] = []
    phones: dict[int, str] = {}
    contacts: list[int] = []
    referrals: dict[int, str] = {}
    open_refs: dict[int, tuple[int, int]] = {}  # rid -> (person, course)
    own = plan["own"][number]
    seq = 0

    def append_token(load, save, token: str) -> None:  # type: ignore[no-untyped-def]
        for _attempt in range(50):
            data, version = load()
            data.note = f"{data.note}\n{token}" if data.note else token
            try:
                save(data, version)
                return
            except ConflictError:
                counts["conflicts"] += 1  # take theirs, add mine, save against the new version
        raise RuntimeError("no save after 50 conflicts")

    def op_search() -> None:
        services.people.search_ids(rng.choice(SEARCHES), ranked=True, limit=50)

    def op_hot_edit() -> None:
        pid = rng.choice(plan["hot"])
        token = f"c{number}-{seq}"
        append_token(lambda: services.people.get_versioned(pid),
                     lambda d, v: services.people.update(pid, d, expected_version=v), token)
        tokens.append((pid, token))

    def op_own_edit() -> None:
        pid = rng.choice(own)
        data, version = services.people.get_versioned(pid)
        data.phone = f"0651 {number}{seq:06d}"
        services.people.update(pid, data, expected_version=version)
        phones[pid] = data.phone

    def op_contact_add() -> None:
        contacts.append(services.contacts.add(rng.choice(own), ContactData(topics=["sprachkurs"], next_step="Rückruf")))

    def op_contact_edit() -> None:
        cid = plan["hot_contact"]
        token = f"c{number}-{seq}"

        def load():  # type: ignore[no-untyped-def]
            row = services.contacts.get(cid)
            return row.data, row.version

        append_token(load, lambda d, v: services.contacts.update(cid, d, expected_version=v), token)
        contact_tokens.append(token)

    def op_referral() -> None:
        advancing = [rid for rid, status in referrals.items() if status in ADVANCE]
        if advancing and rng.random() < 0.7:
            rid = rng.choice(advancing)
            version = services.referrals.get(rid).version
            services.referrals.set_status(rid, ADVANCE[referrals[rid]], expected_version=version)
            referrals[rid] = ADVANCE[referrals[rid]]
            return
        pid, cid = rng.choice(own), rng.choice(plan["courses"])
        if any(v == (pid, cid) and referrals[r] in ADVANCE for r, v in open_refs.items()):
            return
        rid = services.referrals.refer(pid, cid)
        referrals[rid] = "vorgeschlagen"
        open_refs[rid] = (pid, cid)

    ops = {"search": op_search, "hot_edit": op_hot_edit, "own_edit": op_own_edit, "contact_add": op_contact_add,
           "contact_edit": op_contact_edit, "referral": op_referral}
    names, weights = list(WEIGHTS), list(WEIGHTS.values())
    began = time.perf_counter()
    end = began + seconds
    try:
        while time.perf_counter() < end:
            name = rng.choices(names, weights)[0]
            seq += 1
            started = time.perf_counter()
            try:
                ops[name]()
            except ValidationError:
                counts["refused"] += 1
                continue
            except Exception as exc:  # noqa: BLE001 – e.g. "database is locked" on SQLite: counted, not fatal
                counts["retried_errors"] += 1
                counts.setdefault("last_error", str(exc).splitlines()[0][:200])  # type: ignore[arg-type]
                continue
            latencies[name].append(time.perf_counter() - started)
    finally:
        _close(services)
    out.put({"client": number, "elapsed": time.perf_counter() - began,
             "latencies": dict(latencies), "counts": counts, "tokens": tokens,
             "contact_tokens": contact_tokens, "phones": phones, "contacts": contacts, "referrals": referrals})


# --- the run and its check -------------------------------------------------------------------------------
def run_clients(target: str, plan: dict[str, Any], clients: int,
                seconds: float) -> tuple[list[dict[str, Any]], float]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=client, args=(target, n, plan, seconds, out)) for n in range(clients)]
    for p in procs:
        p.start()
    results = [out.get(timeout=seconds + 300) for _p in procs]
    for p in procs:
        p.join(timeout=60)
    # Throughput over the load itself, not over starting Python and importing in every process.
    return results, max(r["elapsed"] for r in results)


def lost_updates(target: str, results: list[dict[str, Any]]) -> dict[str, int]:
    """What the clients believe they committed and the final state does not show."""
    services = _open(target)
    lost = {"hot_tokens": 0, "contact_tokens": 0, "own_phones": 0, "contacts": 0, "referrals": 0}
    try:
        notes: dict[int, set[str]] = {}
        for r in results:
            for pid, token in r["tokens"]:
                if pid not in notes:
                    notes[pid] = set(services.people.get(pid).note.split("\n"))
                lost["hot_tokens"] += token not in notes[pid]
        if any(r["contact_tokens"] for r in results):
            cid = next(iter(results))["plan_hot_contact"]
            shared = set(services.contacts.get(cid).data.note.split("\n"))
            lost["contact_tokens"] = sum(t not in shared for r in results for t in r["contact_tokens"])
        for r in results:
            for pid, phone in r["phones"].items():
                lost["own_phones"] += services.people.get(int(pid)).phone != phone
            for cid in r["contacts"]:
                try:
                    services.contacts.get(cid)
                except Exception:  # noqa: BLE001 – NotFound: a contact the client saw committed is gone
                    lost["contacts"] += 1
            for rid, status in r["referrals"].items():
                lost["referrals"] += services.referrals.get(int(rid)).status != status
    finally:
        _close(services)
    return lost


def summarise(results: list[dict[str, Any]], wall: float) -> dict[str, Any]:
    every = [x for r in results for xs in r["latencies"].values() for x in xs]
    per_op = defaultdict(list)
    for r in results:
        for name, xs in r["latencies"].items():
            per_op[name].extend(xs)

    def p95(xs: list[float]) -> float:
        return statistics.quantiles(xs, n=20)[-1] * 1000 if len(xs) >= 20 else (max(xs) * 1000 if xs else 0.0)

    counts: dict[str, int] = defaultdict(int)
    for r in results:
        for k, v in r["counts"].items():
            if isinstance(v, int):
                counts[k] += v
    return {"ops": len(every), "ops_per_s": len(every) / wall, "p95_ms": p95(every),
            "p95_ms_by_op": {k: round(p95(v), 1) for k, v in sorted(per_op.items())},
            "ops_by_op": {k: len(v) for k, v in sorted(per_op.items())}, **counts,
            "errors": [r["counts"]["last_error"] for r in results if "last_error" in r["counts"]]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--floor-seconds", type=float, default=10.0, help="one client alone first (0: skip)")
    parser.add_argument("--sqlite", action="store_true", help="one SQLite file instead of PostgreSQL")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bk-bench-team-"))
    server_dir: Path | None = None
    created: str | None = None
    try:
        if args.sqlite:
            target, engine = str(folder / "team.sqlite3"), "SQLite (eine Datei, mehrere Prozesse)"
        else:
            url = os.environ.get("BILDUNGSKOORDINATION_TEST_PG_URL")
            if not url:
                server_dir = folder / "pg"
                url = start_server(server_dir)
            target, engine = fresh_database(url), "PostgreSQL"
            created = target if target != url else None
        _close(_open(target))  # creates the schema
        plan = seed(target, args.clients)
        print(f"Teamlast: {engine}, {args.clients} Clients × {args.seconds:.0f} s")
        floor = None
        if args.floor_seconds > 0:
            floor_results, floor_wall = run_clients(target, plan, 1, args.floor_seconds)
            floor = summarise(floor_results, floor_wall)
            print(f"  Boden (1 Client, {args.floor_seconds:.0f} s): {floor['ops_per_s']:.1f} Aktionen/s, "
                  f"p95 {floor['p95_ms']:.1f} ms")
        results, wall = run_clients(target, plan, args.clients, args.seconds)
        for r in results:
            r["plan_hot_contact"] = plan["hot_contact"]
        summary = summarise(results, wall)
        lost = lost_updates(target, results)
        summary["lost_updates"] = sum(lost.values())
        summary["lost_by_kind"] = lost
        print(f"  Durchsatz: {summary['ops_per_s']:.1f} Aktionen/s ({summary['ops']} in {wall:.1f} s)"
              + (f" = {summary['ops_per_s'] / floor['ops_per_s']:.2f} × Boden" if floor else ""))
        print(f"  p95-Latenz: {summary['p95_ms']:.1f} ms" + (f" = {summary['p95_ms'] / floor['p95_ms']:.2f} × Boden"
                                                              if floor and floor["p95_ms"] else ""))
        print("  je Aktion (Anzahl / p95 ms): " + ", ".join(
            f"{k} {summary['ops_by_op'][k]}/{v}" for k, v in summary["p95_ms_by_op"].items()))
        print(f"  Konflikte erkannt: {summary['conflicts']}   abgewiesen (Regeln): {summary['refused']}   "
              f"Fehler (wiederholt): {summary['retried_errors']}")
        print(f"  verlorene Änderungen: {summary['lost_updates']}  {lost}")
        for error in summary["errors"]:
            print(f"  Fehler z. B.: {error}")
        print(json.dumps({"engine": "sqlite" if args.sqlite else "postgresql", "clients": args.clients,
                          "seconds": args.seconds, "floor": floor and {k: floor[k] for k in ("ops_per_s", "p95_ms")},
                          **{k: v for k, v in summary.items() if k != "errors"}}, default=str))
        return 0 if summary["lost_updates"] == 0 else 1
    finally:
        if created is not None and server_dir is None:
            drop_database(created)  # on a server someone else runs, leave nothing behind
        if server_dir is not None:
            stop_server(server_dir)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
