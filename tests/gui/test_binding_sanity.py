"""The Qt binding itself must not leak or drop references: a desktop session makes millions of calls."""

import sys


def test_qt_calls_keep_none_refcount_stable(qapp):
    from PySide6.QtGui import QColor, QFont

    color, font = QColor(), QFont()
    before = sys.getrefcount(None)
    for _ in range(2000):
        color.setRed(1)
        font.setBold(True)
    # A faulty binding (PySide6 6.12.0) loses one reference per call and later aborts the interpreter.
    assert abs(sys.getrefcount(None) - before) < 100
