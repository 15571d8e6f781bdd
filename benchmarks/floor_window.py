"""Start-up floor: the least a PySide6 app must do to paint an (empty) person table.

QApplication, a QMainWindow whose central widget is a QTableView over a QStandardItemModel with the same
seven column headers as the person list and no rows; show it, quit right after the viewport's first
paint. Prints one JSON line with the same fields as ``bildungskoordination --smoke-test``, measured the
same way (``since_start_s`` from the first line of this script, ``window_to_paint_s`` from just after
QApplication is up, ``peak_rss_mb`` from ru_maxrss). No imports from the app: this is the floor.
"""

import time

START = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtGui import QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402

COLUMNS = ["Aktenzeichen", "Name", "Originalschrift", "Geboren", "Wohnort", "Deutsch", "Wiedervorlage"]


class PaintWatcher(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.painted_at: float | None = None
        self.painted_epoch: float | None = None
        self._armed = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 – Qt API
        if event.type() == QEvent.Type.Paint and not self._armed:
            self._armed = True
            QTimer.singleShot(0, self._done)  # let this paint finish, then stop
        return False

    def _done(self) -> None:
        self.painted_at = time.perf_counter()
        self.painted_epoch = time.time()
        self.app.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    opened = time.perf_counter()
    window = QMainWindow()
    model = QStandardItemModel(0, len(COLUMNS), window)
    model.setHorizontalHeaderLabels(COLUMNS)
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1366, 768)
    watcher = PaintWatcher(app)
    table.viewport().installEventFilter(watcher)
    window.show()
    QTimer.singleShot(20000, app.quit)
    app.exec()
    try:
        import resource

        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.platform == "darwin":  # bytes there, kilobytes on Linux
            peak_kb //= 1024
    except ImportError:  # Windows
        peak_kb = 0
    painted = watcher.painted_at
    now = time.perf_counter()
    print(json.dumps({
        "ok": painted is not None,
        "since_start_s": round((painted or now) - START, 4),
        "window_to_paint_s": round((painted or now) - opened, 4),
        "painted_epoch": watcher.painted_epoch,
        "persons": 0,
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }), flush=True)
    return 0 if painted is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
