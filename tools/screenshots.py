"""Screenshots for docs/: the main window with demo data at 1366×768 (run with QT_QPA_PLATFORM=offscreen),
the Datenschutz page (Löschvorschläge, Protokoll) and a person whose processing is restricted.

    python tools/screenshots.py docs/
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from bildungskoordination import i18n
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import MainWindow
    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    i18n.set_language("de")
    services = Services.open(Path(tempfile.mkdtemp()) / "demo.sqlite3", unencrypted=True)
    generate_demo(services, 400, seed=7, today=date.today())
    window = MainWindow(AppContext(services, ChangeSignal(services.bus), demo=True))
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    persons = window.persons
    # A person with contacts and an original-script name, on the contacts tab.
    for pid in services.people.search_ids(""):
        data = services.people.get(pid)
        if data.name_original and len(services.contacts.for_person(pid)) >= 4 and data.consent_date:
            break
    persons.select_person(pid)
    app.processEvents()
    window.grab().save(str(out / "hauptfenster-stammdaten.png"))
    persons.person_file.tabs.setCurrentIndex(1)
    app.processEvents()
    window.grab().save(str(out / "hauptfenster.png"))
    persons.search.setText("Muhamad")
    persons._on_search_timer_timeout()
    app.processEvents()
    window.grab().save(str(out / "suche-varianten.png"))
    window.nav.setCurrentRow(1)
    app.processEvents()
    window.grab().save(str(out / "wiedervorlagen.png"))
    _privacy_screenshots(app, window, services, out)
    persons.person_file._set_dirty(False)
    window.close()
    services.close()


def _privacy_screenshots(app, window, services, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Datenschutz (Löschvorschläge, Protokoll) and a person whose processing is restricted."""
    from datetime import timedelta

    from bildungskoordination.people.records import ContactData

    services.retention.set_period("inaktiv", years=2)  # the demo files are up to three years old: some are due
    ids = services.people.search_ids("")
    # A few everyday entries for the log: a change, a contact, a withdrawal, an Art. 15 export.
    first, second, third = ids[3], ids[10], ids[17]
    data = services.people.get(first)
    data.phone, data.address = "0151 2345678", "Bahnhofstraße 3"
    services.people.update(first, data)
    services.contacts.add(second, ContactData(topics=["sprachkurs"], note="vertraulich", next_step="Anmeldung VHS"))
    services.people.withdraw_consent(third, date.today() - timedelta(days=12))
    services.access_export.export(second, Path(tempfile.mkdtemp()))
    window.nav.setCurrentRow(2)
    privacy = window.privacy
    privacy.show_erasure()
    app.processEvents()
    window.grab().save(str(out / "datenschutz.png"))
    privacy.show_audit()
    app.processEvents()
    window.grab().save(str(out / "datenschutz-protokoll.png"))
    window.nav.setCurrentRow(0)
    window.persons.select_person(third)
    window.persons.person_file.tabs.setCurrentIndex(0)
    app.processEvents()
    window.grab().save(str(out / "person-eingeschraenkt.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
