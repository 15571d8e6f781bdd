"""Is the GUI thread ever blocked? The real main window on the encrypted 50 000-person database, every area and
the common actions, with a watchdog on the event loop.

A PreciseTimer fires every 10 ms on the GUI thread; how late each tick arrives is how long the loop could not
run (a stall). Each action is started from the event loop and given time to settle (its operations finished,
at least 0.3 s); the longest stall while it ran is its figure. The floor is the same watchdog on an idle event
loop (no database, no window) in the same process, measured first.

    python benchmarks/bench_responsiveness.py [--rebuild] [--persons-db PATH]

Works on a copy of the cached database (bench-out/demo50k-enc.sqlite3) in a temporary folder: the actions save
contacts and take backups. Offscreen Qt, private QSettings. Prints one line per action, then one JSON line:
{"bench": "responsiveness", "max_stall_ms": …, "per_action": {…}, "floor_ms": …}. No assertions.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import BENCH_PASSPHRASE, PASSPHRASE_ENV, XDG_CONFIG, ensure_db  # noqa: E402

TICK_MS = 10
TARGET_MS = 100.0
SETTLE_MS = 300
IDLE_MS = 2000


class Watchdog:
    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.current: str | None = None
        self.worst: dict[str, float] = {}
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        late = max(0.0, (now - self._last) * 1000 - TICK_MS)
        self._last = now
        if self.current is not None:
            self.worst[self.current] = max(self.worst.get(self.current, 0.0), late)


def _copy_db(source: Path, folder: Path) -> Path:
    target = folder / source.name
    for suffix in ("", "-wal", ".key.json"):
        if source.with_name(source.name + suffix).exists():
            shutil.copy2(source.with_name(source.name + suffix), target.with_name(target.name + suffix))
    return target


def _no_modal_questions() -> None:
    """Message boxes would wait for a click: answer them at once (the default button), so nothing blocks."""
    from PySide6.QtWidgets import QMessageBox

    for name in ("information", "warning", "critical"):
        setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)  # type: ignore[method-assign]


def _actions(window, out: Path) -> list[tuple[str, Callable[[], object]]]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QItemSelectionModel, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFileDialog

    from bildungskoordination.gui.privacy.backups_page import BackupsPage
    from bildungskoordination.monitoring import periods
    from bildungskoordination.people.records import ContactData

    persons = window.persons

    def area(n: int) -> Callable[[], None]:
        return lambda: QTest.keyClick(window, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier)

    def type_search() -> None:
        persons.search.setFocus()
        QTest.keyClicks(persons.search, "Schmi")  # one event per key, as typed (ASCII only)

    def open_person() -> None:
        persons.search.clear()
        persons.table.setFocus()
        persons.table.selectRow(3)

    def save_contact() -> None:
        persons.person_file.entry.submitted.emit(ContactData(contact_date=date.today(), topics=["arbeit"]))

    def letter(n: int) -> Callable[[], None]:
        def run() -> None:
            window.nav.setCurrentRow(4)
            page = window.referrals
            page.table.clearSelection()
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            for row in range(min(n, page.proxy.rowCount())):
                page.table.selectionModel().select(page.proxy.index(row, 0), flags)
            dialog = page.open_letter_dialog()
            if dialog is not None:
                dialog.show()
                window._bench_dialogs.append(dialog)
        return run

    def export_dialog() -> None:
        window.nav.setCurrentRow(5)
        dialog = window.monitoring.open_export_dialog()
        dialog.show()
        window._bench_dialogs.append(dialog)

    def export_save() -> None:
        QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(out / "monitoring.csv"), ""))  # type: ignore[method-assign]
        dialog = window._bench_dialogs[-1]
        dialog.format_buttons["csv"].setChecked(True)
        dialog.save_button.click()

    def access_export() -> None:
        QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: str(out))  # type: ignore[method-assign]
        window.nav.setCurrentRow(0)
        persons.person_file._on_action_export_triggered()

    def backup_now() -> None:
        window.nav.setCurrentRow(2)
        for page in window.findChildren(BackupsPage):
            page.backup_button.click()

    def other_period() -> None:
        window.nav.setCurrentRow(5)
        window.monitoring.period.set_period(periods.year(date.today().year - 1))

    def close_dialogs() -> None:
        for dialog in window._bench_dialogs:
            dialog.close()
        window._bench_dialogs.clear()

    window._bench_dialogs = []
    return [
        *[(f"area Ctrl+{n}", area(n)) for n in (2, 3, 4, 5, 6, 1)],
        ("search typing", type_search),
        ("open a person", open_person),
        ("save a contact", save_contact),
        ("likely duplicates", persons.show_duplicates),
        ("close the pairs list", close_dialogs),
        ("Auswertung: other period", other_period),
        ("export dialog", export_dialog),
        ("export save", export_save),
        ("close the export dialog", close_dialogs),
        ("letter dialog (1)", letter(1)),
        ("close the letter (1)", close_dialogs),
        ("letter dialog (20)", letter(20)),
        ("close the letters (20)", close_dialogs),
        ("access export", access_export),
        ("backup now", backup_now),
    ]


def run(db: Path) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    dog = Watchdog()
    floor: dict[str, float] = {}

    def measure_idle(then: Callable[[], None]) -> None:
        dog.current = "floor"
        QTimer.singleShot(IDLE_MS, lambda: (floor.setdefault("ms", dog.worst.pop("floor", 0.0)),
                                            setattr(dog, "current", None), then()))

    dog.start()
    measure_idle(app.quit)
    app.exec()

    from bildungskoordination.gui import operation
    from bildungskoordination.gui.controller import AppController
    from bildungskoordination.gui.opening import open_user_database

    _no_modal_questions()
    services = open_user_database(db)
    controller = AppController(services)
    controller.show()
    gc.freeze()
    dog.start()  # opening the database and building the window came before the loop: bench_startup's figure
    window = controller.window
    steps = [("start (first paint, start backup)", lambda: None), *_actions(window, db.parent),
             ("quit (exit backup)", window.close)]
    pending = list(steps)
    started = {"t": 0.0}

    def settled() -> bool:
        busy = operation.running() > 0 or (controller.scheduler is not None and controller.scheduler.busy)
        return not busy and (time.perf_counter() - started["t"]) * 1000 >= SETTLE_MS

    def next_step() -> None:
        if not pending:
            dog.current = None
            app.quit()
            return
        name, action = pending.pop(0)
        if os.environ.get("BENCH_VERBOSE"):
            print(f"  … {name}", file=sys.stderr, flush=True)
        dog.current = name
        started["t"] = time.perf_counter()
        try:
            action()
        except Exception as exc:  # noqa: BLE001 – report, go on with the next action
            print(f"  {name}: failed ({type(exc).__name__}: {exc})", flush=True)
        # Settling counts from here: the watchdog's next ticks (which measure this action's own stall) come
        # before the next action starts.
        started["t"] = time.perf_counter()
        wait()

    def wait() -> None:
        if settled() or time.perf_counter() - started["t"] > 180:
            QTimer.singleShot(0, next_step)
        else:
            QTimer.singleShot(50, wait)

    QTimer.singleShot(0, next_step)
    profiler = None
    if os.environ.get("BENCH_PROFILE"):  # what the GUI thread spends its time on (cProfile sees only it)
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    app.exec()
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats("bildungskoordination", 40)
    if window.isVisible():
        window.close()
    controller.shutdown()
    per_action = {name: round(ms, 1) for name, ms in dog.worst.items()}
    return {"bench": "responsiveness", "max_stall_ms": max(per_action.values(), default=0.0),
            "per_action": per_action, "floor_ms": round(floor.get("ms", 0.0), 1), "target_ms": TARGET_MS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    source = ensure_db(encrypted=True, rebuild=args.rebuild)
    XDG_CONFIG.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(XDG_CONFIG)
    os.environ[PASSPHRASE_ENV] = BENCH_PASSPHRASE
    with tempfile.TemporaryDirectory(prefix="bench-responsiveness-") as tmp:
        os.environ["BILDUNGSKOORDINATION_DATA_DIR"] = tmp
        result = run(_copy_db(source, Path(tmp)))
    print(f"floor (idle event loop): {result['floor_ms']:7.1f} ms")
    for name, ms in result["per_action"].items():
        verdict = "ok" if ms <= TARGET_MS else "STALL"
        print(f"{name:38s} {ms:7.1f} ms  {verdict}")
    passed = result["max_stall_ms"] <= TARGET_MS
    print(f"longest stall {result['max_stall_ms']:.1f} ms – {'met' if passed else 'NOT met'} "
          f"(target ≤ {TARGET_MS:.0f} ms)")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
