"""The operation helper (gui/operation.py): work on a worker, success with what changed, errors shown, progress
and cancel, and the GUI thread keeps running meanwhile."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from bildungskoordination.gui import operation
from bildungskoordination.gui.operation import Operation, Outcome, Progress
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import StoreError


def _wait_done(qtbot, op) -> None:
    qtbot.waitUntil(lambda: op.finished, timeout=10000)


def test_success_runs_on_a_worker_and_reports_the_changes(qtbot, services):
    seen: list[Outcome] = []
    threads: list[threading.Thread] = []

    def work(_progress: Progress) -> int:
        threads.append(threading.current_thread())
        return services.people.create(PersonData(family_name="Weber", given_name="Anna"))

    op = Operation(None, work, bus=services.bus).success(seen.append).run()
    _wait_done(qtbot, op)
    assert threads[0] is not threading.main_thread()
    [outcome] = seen
    assert services.people.get(outcome.value).family_name == "Weber"  # committed, readable on the GUI thread
    assert outcome.touched("person")
    assert operation.running() == 0


def test_views_hear_the_change_on_the_gui_thread(qtbot, services):
    from bildungskoordination.gui.bus import ChangeSignal

    signal = ChangeSignal(services.bus)
    heard: list[threading.Thread] = []
    signal.changed.connect(lambda _c: heard.append(threading.current_thread()))
    op = Operation(None, lambda _p: services.people.create(PersonData(family_name="Roth", given_name="Ida"))).run()
    _wait_done(qtbot, op)
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0] is threading.main_thread()
    signal.detach()


def test_an_expected_error_is_shown_with_its_message(qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))

    def work(_p: Progress) -> None:
        raise StoreError("Der Sicherungsordner ist voll.")

    op = Operation(None, work, title="Sicherung").run()
    _wait_done(qtbot, op)
    assert shown == ["Sicherung nicht möglich:\nDer Sicherungsordner ist voll."]


def test_an_unexpected_error_goes_to_the_global_error_hook(qtbot, monkeypatch):
    hooked: list[type] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, _exc, _tb: hooked.append(kind))

    def work(_p: Progress) -> None:
        raise KeyError("bug")

    op = Operation(None, work).run()
    _wait_done(qtbot, op)
    assert hooked == [KeyError]


def test_a_call_site_may_show_its_own_message(qtbot):
    failures: list[BaseException] = []
    op = Operation(None, lambda _p: 1 / 0).failure(failures.append).run()
    _wait_done(qtbot, op)
    assert isinstance(failures[0], ZeroDivisionError)


def test_progress_dialog_shows_only_for_long_work_and_cancel_stops_it(qtbot):
    gate, cancelled = threading.Event(), []
    steps: list[int] = []

    def work(progress: Progress) -> str:
        for i in range(1000):
            gate.wait(0.02)
            progress.update(i, 1000, f"Datensatz {i}")
            steps.append(i)
        return "fertig"

    succeeded: list[Outcome] = []
    op = (Operation(None, work, title="Export").with_progress("Wird exportiert …", delay_ms=200)
          .success(succeeded.append).on_cancel(lambda: cancelled.append(True)).run())
    assert op.dialog is None  # not at once
    qtbot.waitUntil(lambda: op.dialog is not None and op.dialog.isVisible(), timeout=5000)
    dialog: QProgressDialog = op.dialog
    assert not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.maximum() == 1000 and dialog.value() > 0, timeout=5000)
    assert dialog.labelText().startswith("Datensatz ")
    dialog.canceled.emit()  # the user pressed "Abbrechen"
    _wait_done(qtbot, op)
    assert cancelled == [True] and not succeeded
    assert len(steps) < 1000
    assert op.dialog is None


def test_short_work_shows_no_dialog(qtbot):
    op = Operation(None, lambda _p: 42).with_progress("Kurz").run()
    _wait_done(qtbot, op)
    qtbot.wait(50)
    assert op.dialog is None


def test_a_visible_dialog_at_once_when_asked(qtbot):
    gate = threading.Event()
    op = Operation(None, lambda _p: gate.wait(5)).with_progress("Sicherung …", cancellable=False,
                                                                  delay_ms=0).run()
    assert op.dialog is not None and op.dialog.isVisible()
    gate.set()
    _wait_done(qtbot, op)


def test_the_gui_thread_keeps_running_while_the_work_runs(qtbot):
    gate = threading.Event()
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    op = Operation(None, lambda _p: gate.wait(10)).run()
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)  # the loop turns while the worker waits
    assert not op.finished
    gate.set()
    _wait_done(qtbot, op)
    timer.stop()


@pytest.fixture(autouse=True)
def _no_leftovers():
    yield
    operation.wait_for_all(10000)


def test_a_closed_widget_gets_no_callback(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    gate, called = threading.Event(), []
    op = Operation(widget, lambda _p: gate.wait(5)).success(lambda _o: called.append(True)).run()
    widget.deleteLater()
    qtbot.waitUntil(lambda: op.parent is None or not __import__("shiboken6").isValid(widget))
    gate.set()
    _wait_done(qtbot, op)
    assert called == []


def test_an_operation_reports_the_changes_on_the_open_database_without_being_told(qtbot, services):
    from bildungskoordination.gui.bus import ChangeSignal

    signal = ChangeSignal(services.bus)  # as the main window has it
    seen: list[Outcome] = []
    op = Operation(None, lambda _p: services.people.create(PersonData(family_name="Roth", given_name="Ida"))) \
        .success(seen.append).run()
    _wait_done(qtbot, op)
    assert seen[0].touched("person")
    signal.detach()


def test_a_loader_shows_only_the_latest_request(qtbot):
    from PySide6.QtWidgets import QWidget

    from bildungskoordination.gui.loader import Loader

    widget = QWidget()
    slow, shown = threading.Event(), []
    loader: Loader[str] = Loader(widget, "Liste")
    loader.load(lambda: slow.wait(5) and "alt", shown.append)
    loader.load(lambda: "neu", shown.append)
    slow.set()
    qtbot.waitUntil(lambda: operation.running() == 0)
    qtbot.wait(20)
    assert shown == ["neu"] and not loader.busy


def test_start_up_work_waits_for_the_first_paint(qtbot):
    from PySide6.QtWidgets import QLabel

    from bildungskoordination.gui.first_paint import after_first_paint

    label, ran = QLabel("Personen"), []
    after_first_paint(label, lambda: ran.append(label.isVisible()))
    qtbot.wait(50)
    assert ran == []  # not shown, not painted: nothing yet
    qtbot.addWidget(label)
    label.show()
    qtbot.waitUntil(lambda: ran == [True])


def test_a_result_that_arrives_after_cancel_is_dropped(qtbot):
    gate, succeeded, cancelled = threading.Event(), [], []
    op = (Operation(None, lambda _p: gate.wait(5) and "fertig").success(succeeded.append)
          .on_cancel(lambda: cancelled.append(True)).run())
    op.cancel()  # the work never checks; it finishes, but nobody wants the result any more
    gate.set()
    _wait_done(qtbot, op)
    assert succeeded == [] and cancelled == [True]


def test_run_soon_counts_as_running_and_a_cancel_or_a_closed_owner_drops_it(qtbot):
    from PySide6.QtWidgets import QWidget

    ran: list[str] = []
    owner = QWidget()
    qtbot.addWidget(owner)
    op = Operation(owner, lambda _p: ran.append("work")).success(lambda _o: ran.append("shown")).run_soon(owner)
    assert operation.running() == 1 and not ran  # a test's settle() waits for it, nothing ran yet
    _wait_done(qtbot, op)
    qtbot.waitUntil(lambda: ran == ["work", "shown"])

    dropped = Operation(owner, lambda _p: ran.append("never")).run_soon(owner)
    dropped.cancel()
    _wait_done(qtbot, dropped)
    gone_owner = QWidget()
    orphan = Operation(gone_owner, lambda _p: ran.append("never")).run_soon(gone_owner)
    gone_owner.deleteLater()
    _wait_done(qtbot, orphan)
    assert "never" not in ran and operation.running() == 0
