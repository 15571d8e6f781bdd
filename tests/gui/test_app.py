"""Start-up path: Qt's own texts in German, and the smoke test used by benchmarks and packaging."""

import argparse
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


def test_smoke_test_opens_paints_and_reports(qapp, tmp_path, capsys):
    from bildungskoordination.gui.app import run
    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    db = tmp_path / "db.sqlite3"
    services = Services.open(db, unencrypted=True)
    generate_demo(services, 25, seed=2)
    services.close()
    args = argparse.Namespace(demo=False, db=db, smoke_test=True, lang="de", command=None)
    assert run(args) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["ok"] is True
    assert report["persons"] == 25
    assert report["peak_rss_mb"] > 0
