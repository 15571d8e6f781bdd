"""Waiting in GUI tests for work the app does on a worker (gui/operation.py). A module of its own, not
conftest: ``from conftest import`` would be ambiguous between tests/core/conftest.py and tests/gui/conftest.py."""

from __future__ import annotations


def settle(qtbot) -> None:
    """Lists that take long on a large district are read on a worker (gui/operation.py): wait until every
    such read has reported back and the view shows it."""
    from bildungskoordination.gui import operation

    qtbot.waitUntil(lambda: operation.running() == 0, timeout=10000)


def settle_now() -> None:
    """The same without qtbot: wait for the workers, then deliver what they reported."""
    from PySide6.QtCore import QCoreApplication

    from bildungskoordination.gui import operation

    operation.wait_for_all(10000)
    for _ in range(3):
        QCoreApplication.processEvents()
