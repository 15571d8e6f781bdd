"""The full ``quick_check`` of a database, off the path to the first window.

Reading every page of a 50 000-person SQLCipher file takes about a second, and the time grows with the file,
so a start after a clean end does not wait for it: SQLCipher authenticates each page (HMAC) whenever it is
read, so damage in what the start reads is found anyway. The whole file is checked

- before opening after an unclean end (or when the lock record cannot tell) – ``Store.open(full_check=True)``;
- in the background after every other start (``BackgroundCheck``, own read-only connection on a thread);
- with every backup (the backup reads every page and ``integrity_check`` runs on the copy).

Damage found after the start goes to one place, ``DamageWatch``: the GUI listens there and offers the
recovery dialog the moment it is reported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from bildungskoordination.store.errors import DatabaseDamaged

DamageListener = Callable[[DatabaseDamaged], None]


class DamageWatch:
    """Where damage found after the start is reported (from any thread); listeners are called at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[DamageListener] = []
        self.found: DatabaseDamaged | None = None

    def subscribe(self, listener: DamageListener) -> None:
        """Called for every report; a report made before subscribing is passed on at once."""
        with self._lock:
            self._listeners.append(listener)
            found = self.found
        if found is not None:
            listener(found)

    def report(self, problem: DatabaseDamaged) -> None:
        with self._lock:
            first = self.found is None
            if first:
                self.found = problem
            listeners = list(self._listeners)
        if first:
            for listener in listeners:
                listener(problem)


def quick_check(path: Path, key: bytes | None, *, on_connect: Callable[[object], None] | None = None) -> None:
    """``PRAGMA quick_check`` of the whole file on a read-only connection of its own; raises DatabaseDamaged.
    ``on_connect`` gets the connection first (so another thread can ``interrupt()`` it)."""
    from bildungskoordination.store.checks import _first_line
    from bildungskoordination.store.engine import DBAPI_ERRORS, raw_connect

    try:
        conn = raw_connect(path, key, read_only=True)
        try:
            if on_connect is not None:
                on_connect(conn)
            result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except DBAPI_ERRORS as exc:
        if "interrupt" in str(exc).lower():
            raise CheckInterrupted() from None
        raise DatabaseDamaged(path, _first_line(exc)) from None
    if result != ["ok"]:
        raise DatabaseDamaged(path, "; ".join(result[:3]))


class CheckInterrupted(Exception):
    """The check was stopped (the database is being closed); it says nothing about the file."""


class BackgroundCheck:
    """``quick_check`` on a daemon thread; damage goes to ``watch``. ``stop()`` interrupts it (at close)."""

    def __init__(self, path: Path, key: bytes | None, watch: DamageWatch,
                 on_finished: Callable[[bool], None] | None = None) -> None:
        self.path = path
        self.key = key
        self.watch = watch
        self.on_finished = on_finished  # called with True (file ok) or False (damaged), not when stopped
        self.result: bool | None = None
        self._conn: object | None = None
        self._stopped = False
        self._guard = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)

    def start(self) -> BackgroundCheck:
        self._thread.start()
        return self

    def _keep(self, conn: object) -> None:
        with self._guard:
            self._conn = conn
            stopped = self._stopped
        if stopped:
            raise CheckInterrupted()

    def _run(self) -> None:
        try:
            quick_check(self.path, self.key, on_connect=self._keep)
        except CheckInterrupted:
            return
        except DatabaseDamaged as problem:
            if self._stopped:
                return
            self.result = False
            self.watch.report(problem)
        except Exception:  # noqa: BLE001 – e.g. the file vanished during a restore: nothing to report
            return
        else:
            self.result = True
        finally:
            with self._guard:
                self._conn = None
        if self.on_finished is not None and not self._stopped:
            self.on_finished(bool(self.result))

    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool | None:
        self._thread.join(timeout)
        return self.result

    def stop(self) -> None:
        """Interrupt the check and wait for its connection to close (before the database is closed)."""
        with self._guard:
            self._stopped = True
            conn = self._conn
        if conn is not None:
            try:
                conn.interrupt()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 – already closed
                pass
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(10)
