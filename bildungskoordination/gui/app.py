"""Starting the GUI: QApplication, languages, the database (own, given or demo), the main window."""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from bildungskoordination import APP_NAME, START_TIME, i18n
from bildungskoordination.gui import settings
from bildungskoordination.gui.first_paint import after_first_paint
from bildungskoordination.services import Services, default_db_path

DEMO_PERSONS = 400
DEMO_PREFIX = "bildungskoordination-demo-"  # the temporary folder of a --demo database, removed on exit


def _install_qt_translations(app: QApplication, language: str) -> None:
    """Qt's own texts (dialog buttons, context menus) in the UI language."""
    if language == "en":
        return
    translator = QTranslator(app)
    if translator.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))


def open_services(args: argparse.Namespace) -> tuple[Services, bool]:
    if args.demo:
        from bildungskoordination.people.demo import generate_demo

        folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
        try:
            services = Services.open(folder / "demo.sqlite3", unencrypted=True)  # demo data only
            generate_demo(services, DEMO_PERSONS, seed=7)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return services, True
    from bildungskoordination.gui.offline import open_team_or_local
    from bildungskoordination.gui.opening import open_user_database
    from bildungskoordination.gui.team_profile import saved_profile

    # A team database; while its server cannot be reached, the laptop's own is offered (gui/offline.py).
    if isinstance(args.db, str):  # a team database's URL (cli._db_argument)
        return open_team_or_local(args.db), False
    profile = saved_profile() if args.db is None else None
    if profile is not None:
        return open_team_or_local(profile.url()), False
    return open_user_database(Path(args.db or default_db_path())), False


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(settings.ORGANISATION)
    language = args.lang or settings.ui_language()
    i18n.set_language(language)
    _install_qt_translations(app, language)
    if not args.smoke_test:
        from bildungskoordination.gui.error_hook import ErrorHook
        from bildungskoordination.services import default_data_dir

        ErrorHook(default_data_dir()).install()
    from bildungskoordination.gui.opening import Cancelled

    try:
        services, demo = open_services(args)
    except Cancelled:
        return 0
    except Exception as exc:  # noqa: BLE001 – a clear message instead of a traceback
        if args.smoke_test:  # unattended (installer checks, CI): no dialog that nobody can close
            print(f"bildungskoordination: smoke test failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            return 1
        QMessageBox.critical(None, APP_NAME, i18n._("Die Datenbank kann nicht geöffnet werden:\n{error}")
                             .format(error=exc))
        return 1
    opened = time.perf_counter()
    from bildungskoordination.gui.controller import AppController

    demo_folder = services.store.path.parent if demo and services.store.path is not None else None
    try:
        # --smoke-test: the same start as below, so the benchmark measures what a user waits for; only the
        # backup scheduler stays off (its start backup runs on a worker after the first paint, which ends the
        # smoke test).
        controller = AppController(services, demo=demo, backups=not args.smoke_test)
        if args.smoke_test:
            return _smoke_test(app, controller, started, opened)
        controller.show()
        after_first_paint(controller.window, _collector_on)
        return app.exec()
    finally:
        if demo_folder is not None:
            remove_demo_folder(demo_folder)


def _collector_on() -> None:
    """The start runs with the cyclic garbage collector off (cli.main; its passes over the objects every
    import creates cost ≈ 60 ms of the start). Everything built until the first paint (Qt wrappers, ORM
    metadata, vocabularies, the window) lives as long as the app: it is moved out of the collector's reach,
    so that a full collection during a keystroke or a matching run walks only what is new (one measured such
    pause: 38 ms inside a 2 ms matching call), and the collector is switched on again."""
    gc.freeze()
    gc.enable()


def remove_demo_folder(folder: Path) -> None:
    """The demo's invented data goes with the app (the database is closed by then: controller.shutdown on
    aboutToQuit, or the smoke test). Only a folder this app made for a demo is touched."""
    if folder.name.startswith(DEMO_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


class _PaintWatcher(QObject):
    """Notes when the person list's viewport has painted with rows in it (``painted_epoch``: wall clock,
    for a benchmark that measures from the spawn of the process)."""

    def __init__(self, window, app: QApplication) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.window = window
        self.app = app
        self.painted_at: float | None = None
        self.painted_epoch: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            model = self.window.persons.model
            if model.rowCount() == 0 or model.data(model.index(0, 0)):
                # Wait for this paint to finish, then stop.
                QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        if self.painted_at is None:
            self.painted_at = time.perf_counter()
            self.painted_epoch = time.time()
            self.app.quit()


def _smoke_test(app: QApplication, controller, started: float, opened: float) -> int:  # type: ignore[no-untyped-def]
    """The real start (``AppController.show``: window, deferred work after the first paint) until the person
    list has painted its first rows; print timings, end without the backup at exit, exit 0."""
    controller.show()
    app.aboutToQuit.disconnect(controller.shutdown)  # the exit backup is not part of the start
    window = controller.window
    watcher = _PaintWatcher(window, app)
    empty = not window.persons.empty_state.isHidden()  # an empty database shows what to do first, not a table
    (window.persons.empty_state if empty else window.persons.table.viewport()).installEventFilter(watcher)
    QTimer.singleShot(20000, app.quit)
    app.exec()
    try:
        import resource

        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:  # Windows
        peak_kb = 0
    painted = watcher.painted_at
    result = {
        "ok": painted is not None,
        "since_start_s": round((painted or time.perf_counter()) - START_TIME, 4),
        "open_db_s": round(opened - started, 4),
        "window_to_paint_s": round((painted or time.perf_counter()) - opened, 4),
        "painted_epoch": watcher.painted_epoch,
        "persons": window.persons.model.rowCount(),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }
    print(json.dumps(result), flush=True)
    if controller.scheduler is not None:
        controller.scheduler.stop(final=False)
    window.close()
    window.deleteLater()
    controller.services.close()
    return 0 if result["ok"] else 1
