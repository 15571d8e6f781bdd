"""Shared helpers for the benchmarks: paths, the cached 50k demo database, statistics, the machine, child runs.

Nothing here asserts a timing; the scripts print figures and ratios against a floor measured in the same run.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "benchmarks"
# git-ignored; BILDUNGSKOORDINATION_BENCH_OUT points elsewhere (e.g. a private copy while others measure too).
OUT = Path(os.environ.get("BILDUNGSKOORDINATION_BENCH_OUT") or REPO / "bench-out")
PERSONS = 50_000
SEED = 1
DB = OUT / "demo50k.sqlite3"
# QSettings (window geometry, UI language) are read from here instead of the user's own config,
# so a developer's saved window size or language does not change the start-up figures.
XDG_CONFIG = OUT / "xdg-config"

TARGET_SEARCH_P95_MS = 50.0
TARGET_STARTUP_RATIO = 5.0  # issue 13: spawn → painted person list on 50 000 encrypted, against the bare window
TARGET_GROWTH_RATIO = 1.25  # issue 13: the 50 000 start within 1.25× the 5 000 start
TARGET_CLI_SEARCH_S = 0.6  # issue 13: a whole-process CLI search on 50 000 encrypted
TARGET_MATCH_WORST_MS = 20.0  # issue 13: one person × 500 courses, worst case
TARGET_STALL_MS = 100.0  # issue 13: longest GUI-thread stall (benchmarks/bench_responsiveness.py)
TARGET_PEAK_RSS_MB = 300.0


# --- the cached databases -----------------------------------------------------------------------------
PASSPHRASE_ENV = "BILDUNGSKOORDINATION_PASSPHRASE"
# Only for the invented demo data in bench-out/; a fixed value so the encrypted variant is reproducible.
BENCH_PASSPHRASE = "benchmark-nur-demodaten"
ENC_DB = OUT / "demo50k-enc.sqlite3"


_BYTECODE_READY = False


def ensure_bytecode() -> None:
    """Compile the app's modules to bytecode (``__pycache__``) before anything is timed. Every installation
    has it – ``pip install`` compiles at install time, the packaged app ships it – but a source checkout run
    with PYTHONDONTWRITEBYTECODE=1 (as on this machine) compiles every module at every start (≈ 80 ms of
    the start-up), which no user ever waits for."""
    global _BYTECODE_READY
    if not _BYTECODE_READY:
        import compileall

        compileall.compile_dir(str(REPO / "bildungskoordination"), quiet=1)
        _BYTECODE_READY = True


def app_command() -> list[str]:
    """How to start the app: the installed console script, else ``python -m bildungskoordination``."""
    ensure_bytecode()
    exe = shutil.which("bildungskoordination")
    return [exe] if exe else [sys.executable, "-m", "bildungskoordination"]


def db_path(encrypted: bool = False, persons: int = PERSONS) -> Path:
    """bench-out/demo50k[-enc].sqlite3; other sizes: demo5k, demo500k (benchmarks/bench_growth.py)."""
    if persons == PERSONS:
        return ENC_DB if encrypted else DB
    size = f"{persons // 1000}k" if persons % 1000 == 0 else str(persons)
    return OUT / f"demo{size}{'-enc' if encrypted else ''}.sqlite3"


def app_env(encrypted: bool = False) -> dict[str, str]:
    """Environment for the app: the benchmark passphrase for the encrypted variant, none otherwise."""
    env = dict(os.environ)
    env.pop(PASSPHRASE_ENV, None)
    if encrypted:
        env[PASSPHRASE_ENV] = BENCH_PASSPHRASE
    return env


def _meta(path: Path) -> Path:
    return path.with_name(path.name + ".bench.json")


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".lock", ".key.json", ".bench.json")]


def ensure_db(*, encrypted: bool = False, rebuild: bool = False, quiet: bool = False, persons: int = PERSONS) -> Path:
    """The 50k demo database, built with the app's own ``demo`` command unless a complete one is cached.

    ``bildungskoordination --db bench-out/demo50k.sqlite3 demo --persons 50000 --seed 1``; the encrypted
    variant is the same command with BILDUNGSKOORDINATION_PASSPHRASE set (SQLCipher + Argon2id key file).
    A small ``.bench.json`` beside it marks a finished build (and the schema revision it was built with).
    """
    from bildungskoordination.store.migrate import HEAD_REVISION  # a new schema means a fresh build

    path = db_path(encrypted, persons)
    expected = {"persons": persons, "seed": SEED, "encrypted": encrypted, "schema": HEAD_REVISION}
    if not rebuild and path.exists() and _meta(path).exists():
        try:
            if json.loads(_meta(path).read_text()) == expected:
                return path
        except (OSError, ValueError):
            pass
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in (path, *_companions(path)):
        stale.unlink(missing_ok=True)
    if not quiet:
        print(f"building {path} ({persons} persons, seed {SEED}"
              f"{', encrypted' if encrypted else ''}) …", flush=True)
    started = time.perf_counter()
    subprocess.run([*app_command(), "--db", str(path), "demo", "--persons", str(persons), "--seed", str(SEED)],
                   check=True, cwd=REPO, stdout=subprocess.DEVNULL, env=app_env(encrypted))
    if not encrypted and _person_count(path) != persons:
        raise RuntimeError(f"{path}: expected {persons} persons after the demo command")
    _meta(path).write_text(json.dumps(expected))
    if not quiet:
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def _person_count(path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(con.execute("SELECT count(*) FROM person").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def open_raw(path: Path, encrypted: bool):  # type: ignore[no-untyped-def]
    """A bare DB-API connection: stdlib sqlite3, or for the encrypted file sqlcipher3 with the derived key."""
    if not encrypted:
        return sqlite3.connect(path)
    from bildungskoordination.store import crypto

    params = crypto.load_params(path)
    if params is None:
        raise RuntimeError(f"{path}: no key file")
    return crypto.connect_encrypted(path, crypto.derive_key(BENCH_PASSPHRASE, params))


def open_services(path: Path, encrypted: bool):  # type: ignore[no-untyped-def]
    from bildungskoordination.services import Services

    return Services.open(path, passphrase=BENCH_PASSPHRASE if encrypted else None)


# --- statistics ---------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (q in 0..100)."""
    if not values:
        return float("nan")
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def summary(values: list[float]) -> dict[str, float]:
    nan = float("nan")
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values) if values else nan, "mean": sum(values) / len(values) if values else nan}


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def peak_rss_mb() -> float:
    """This process's peak RSS (ru_maxrss), 0 where unavailable."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":
        kb //= 1024
    return kb / 1024


# --- the machine --------------------------------------------------------------------------------------
def machine() -> dict[str, object]:
    info: dict[str, object] = {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": platform.platform(terse=True),
        "sqlite": sqlite3.sqlite_version,
    }
    if hasattr(os, "sched_getaffinity"):
        info["usable_cores"] = len(os.sched_getaffinity(0))
    if hasattr(os, "getloadavg"):  # other work on the machine makes every figure noisier
        info["loadavg_1m"] = round(os.getloadavg()[0], 2)
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["pyside6"] = PySide6.__version__
        info["qt"] = qVersion()
    except ImportError:
        info["qt"] = None
    try:
        import sqlalchemy

        info["sqlalchemy"] = sqlalchemy.__version__
    except ImportError:
        pass
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        info["ram_gb"] = round(pages * size / 2**30, 1)
    except (AttributeError, ValueError, OSError):
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_line(info: dict[str, object]) -> str:
    cores = f"{info.get('cores')} cores" + (f" ({info['usable_cores']} usable)" if "usable_cores" in info else "")
    load = f", load avg {info['loadavg_1m']}" if "loadavg_1m" in info else ""
    return (f"machine: {info.get('cpu')}, {cores}, {info.get('ram_gb', '?')} GB RAM, {info.get('os')}{load}\n"
            f"         Python {info.get('python')}, Qt {info.get('qt')} (PySide6 {info.get('pyside6')}), "
            f"SQLite {info.get('sqlite')}, SQLAlchemy {info.get('sqlalchemy')}")


# --- child processes ----------------------------------------------------------------------------------
@dataclass
class ChildRun:
    wall_s: float
    returncode: int
    stdout: str
    stderr: str
    maxrss_mb: float | None  # from wait4, also when the child crashed
    started_epoch: float = 0.0  # time.time() just before the spawn (a child's wall-clock stamps are against it)

    def json_line(self) -> dict | None:
        """The last line of stdout that parses as a JSON object."""
        for line in reversed(self.stdout.splitlines()):
            line = line.strip()
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    continue
        return None

    def problem(self) -> str:
        """Why the run did not end cleanly, one line; empty if it did."""
        if self.returncode == 0:
            return ""
        fatal = next((ln.strip() for ln in self.stderr.splitlines() if "Fatal Python error" in ln), "")
        how = f"signal {-self.returncode}" if self.returncode < 0 else f"exit {self.returncode}"
        return f"{how}{': ' + fatal if fatal else ''}"


def run_child(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 120.0) -> ChildRun:
    """Run ``cmd`` (``env`` is the child's whole environment).

    Wall time runs from just before the spawn to the child's exit; its own peak RSS comes from wait4.
    """
    full_env = env if env is not None else dict(os.environ)
    started_epoch = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", errors="replace")
    if not hasattr(os, "wait4"):
        out, err = proc.communicate(timeout=timeout)
        return ChildRun(time.perf_counter() - started, proc.returncode, out, err, None, started_epoch)
    # Read the pipes (small outputs; stderr on a thread so neither pipe can fill up), then reap with wait4
    # to get this child's own rusage. A watchdog kills a child that hangs.
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    err_parts: list[str] = []
    reader = threading.Thread(target=lambda: err_parts.append(proc.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    out = proc.stdout.read()  # type: ignore[union-attr]
    reader.join()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    watchdog.cancel()
    err = "".join(err_parts)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()  # type: ignore[union-attr]
    proc.stderr.close()  # type: ignore[union-attr]
    kb = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    return ChildRun(wall, proc.returncode, out, err, kb / 1024, started_epoch)


def qt_env(encrypted: bool = False) -> dict[str, str]:
    """Full environment for a GUI child: offscreen Qt, private QSettings, passphrase only when encrypted."""
    XDG_CONFIG.mkdir(parents=True, exist_ok=True)
    return dict(app_env(encrypted), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(XDG_CONFIG))


def fmt_ms(x: float) -> str:
    return f"{x:7.1f}"
