"""Start-up path: Qt's own texts in German, and the smoke test used by benchmarks and packaging."""

import json

from PySide6.QtCore import QCoreApplication


def test_qt_own_texts_are_german(qapp):
    from PySide6.QtCore import QTranslator

    from bildungskoordination.gui.app import _install_qt_translations

    before = set(qapp.findChildren(QTranslator))
    _install_qt_translations(qapp, "de")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    for translator in set(qapp.findChildren(QTranslator)) - before:
        QCoreApplication.removeTranslator(translator)


def test_smoke_test_opens_paints_and_reports(tmp_path):
    """Run as packaging and the benchmarks do: a separate process (its event loop ends with quit)."""
    import os
    import subprocess
    import sys

    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    db = tmp_path / "db.sqlite3"
    services = Services.open(db, unencrypted=True)
    generate_demo(services, 25, seed=2)
    services.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "bildungskoordination", "--db", str(db), "--smoke-test"],
                            capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True
    assert report["persons"] == 25
    assert report["peak_rss_mb"] > 0
