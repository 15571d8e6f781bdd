"""Screenshots for docs/: the main window with demo data at 1366×768 (run with QT_QPA_PLATFORM=offscreen),
the Datenschutz page (Löschvorschläge, Protokoll) and a person whose processing is restricted; with
``--courses`` only the course screenshots (Passende Kurse, Kurse, Vermittlungen); with ``--monitoring`` only
the Auswertung (overview charts, export dialog with its preview).

    python tools/screenshots.py docs/
    python tools/screenshots.py docs/ --courses
    python tools/screenshots.py docs/ --monitoring
    python tools/screenshots.py docs/ --letters    (Brief erstellen with an Arabic letter)
    python tools/screenshots.py docs/ --all        (all of the above, and the main window in English)

Under Xvfb (``xvfb-run -a env QT_QPA_PLATFORM=xcb python tools/screenshots.py /tmp/shots --all``) the same
pictures come from the real X11 platform plugin, e.g. to check fonts and icons as a user sees them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def settle(app) -> None:  # type: ignore[no-untyped-def]
    """Lists are read on a worker (gui/operation.py): wait for them, then let the views show what came back."""
    from bildungskoordination.gui import operation

    for _ in range(3):
        app.processEvents()
        operation.wait_for_all(10000)
    app.processEvents()


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
    settle(app)
    persons = window.persons
    # A person with contacts and an original-script name, on the contacts tab.
    for pid in services.people.search_ids(""):
        data = services.people.get(pid)
        if data.name_original and len(services.contacts.for_person(pid)) >= 4 and data.consent_date:
            break
    persons.select_person(pid)
    settle(app)
    window.grab().save(str(out / "hauptfenster-stammdaten.png"))
    persons.person_file.tabs.setCurrentIndex(1)
    settle(app)
    window.grab().save(str(out / "hauptfenster.png"))
    persons.search.setText("Muhamad")
    persons._on_search_timer_timeout()
    settle(app)
    window.grab().save(str(out / "suche-varianten.png"))
    window.nav.setCurrentRow(1)
    settle(app)
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
    settle(app)
    window.grab().save(str(out / "datenschutz.png"))
    privacy.show_audit()
    settle(app)
    window.grab().save(str(out / "datenschutz-protokoll.png"))
    window.nav.setCurrentRow(0)
    window.persons.select_person(third)
    window.persons.person_file.tabs.setCurrentIndex(0)
    settle(app)
    window.grab().save(str(out / "person-eingeschraenkt.png"))


def english_main(out: Path) -> None:
    """The main window in English (the UI language chosen under Datei → Einstellungen)."""
    from PySide6.QtWidgets import QApplication

    from bildungskoordination import i18n
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import MainWindow
    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    i18n.set_language("en")
    services = Services.open(Path(tempfile.mkdtemp()) / "demo.sqlite3", unencrypted=True)
    generate_demo(services, 120, seed=7, today=date.today())
    window = MainWindow(AppContext(services, ChangeSignal(services.bus), demo=True))
    window.resize(1366, 768)
    window.show()
    for pid in services.people.search_ids(""):
        if len(services.contacts.for_person(pid)) >= 4 and services.people.get(pid).consent_date:
            break
    window.persons.select_person(pid)
    window.persons.person_file.tabs.setCurrentIndex(1)
    settle(app)
    window.grab().save(str(out / "main-window-en.png"))
    window.persons.person_file._set_dirty(False)
    window.close()
    services.close()
    i18n.set_language("de")


def courses_main(out: Path) -> None:
    """Passende Kurse for a person of the demo data, the Kurse catalogue and the Vermittlungen to follow up."""
    from datetime import timedelta

    from PySide6.QtWidgets import QApplication

    from bildungskoordination import i18n
    from bildungskoordination.courses.records import CourseData
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import PAGE_COURSES, PAGE_REFERRALS, MainWindow
    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    i18n.set_language("de")
    services = Services.open(Path(tempfile.mkdtemp()) / "demo.sqlite3", unencrypted=True)
    generate_demo(services, 120, seed=7, today=date.today())
    today = date.today()
    week = ["mo", "di", "mi", "do", "fr"]
    for provider, number, kind, entry, target, weeks, place, places, days, times in [
        ("Kreisvolkshochschule Trier-Saarburg", "IK-26-014", "ik_allgemein", "keine", "B1", 3, "Konz", 20, week,
         ("08:30", "12:45")),
        ("Kreisvolkshochschule Trier-Saarburg", "IK-26-019", "ik_allgemein", "A2", "B1", 9, "Saarburg", 18, week,
         ("17:30", "20:45")),
        ("Bildungswerk Beispiel gGmbH", "ALPHA-26-02", "ik_alpha", "keine", "A2", 5, "Hermeskeil", 15, week,
         ("09:00", "13:00")),
        ("Bildungswerk Beispiel gGmbH", "IK-E-26-03", "ik_eltern", "keine", "B1", 6, "Trier", 16, week,
         ("08:45", "12:00")),
        ("Sprachschule Mosel", "IKI-26-07", "ik_intensiv", "A1", "B1", 2, "Trier", 2, week, ("08:00", "13:15")),
        ("Sprachschule Mosel", "BSK-B2-26-04", "bsk_b2", "B1", "B2", 7, "Trier", 25, ["di", "do"],
         ("17:00", "20:15")),
        ("Bildungswerk Beispiel gGmbH", "BSK-C1-26-01", "bsk_c1", "B2", "C1", 12, "Trier", 20, ["mo", "mi"],
         ("17:00", "20:15")),
        ("Kreisvolkshochschule Trier-Saarburg", "CAFE-26", "sprachcafe", "keine", "", 1, "Konz", 30, ["mi"],
         ("15:00", "17:00")),
    ]:
        start = today + timedelta(weeks=weeks)
        services.courses.create(CourseData(
            provider=provider, course_number=number, course_type=kind, entry_level=entry, target_level=target,
            start=start, end=start + timedelta(weeks=30), registration_deadline=start - timedelta(days=7),
            days=days, time_from=times[0], time_to=times[1], municipality=place, places=places, status="offen"))
    window = MainWindow(AppContext(services, ChangeSignal(services.bus), demo=True))
    window.resize(1366, 768)
    window.show()
    settle(app)
    for pid in services.people.search_ids(""):
        data = services.people.get(pid)
        adult = data.birth is not None and data.birth.age_on(today) >= 25
        if data.german_level == "A1" and data.has_consent and data.municipality and adult and data.residence_issued:
            break
    window.persons.select_person(pid)
    person_file = window.persons.person_file
    person_file.tabs.setCurrentIndex(person_file.matches_tab_index)
    settle(app)
    tab = person_file.matches
    tab.table.selectRow(0)
    settle(app)
    window.grab().save(str(out / "passende-kurse.png"))
    tab._on_refer_button_clicked()
    settle(app)
    window.nav.setCurrentRow(PAGE_COURSES)
    settle(app)
    window.grab().save(str(out / "kurse.png"))
    window.nav.setCurrentRow(PAGE_REFERRALS)
    settle(app)
    window.grab().save(str(out / "vermittlungen.png"))
    person_file._set_dirty(False)
    window.close()
    services.close()


def monitoring_main(out: Path) -> None:
    """Auswertung on the demo data: the overview of the current year (two earlier exports in the log) and the
    export dialog over it – warning about the overlapping export – on the preview tab with the most "." cells."""
    from datetime import timedelta

    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from bildungskoordination import i18n
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import PAGE_MONITORING, MainWindow
    from bildungskoordination.monitoring import periods
    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    i18n.set_language("de")
    services = Services.open(Path(tempfile.mkdtemp()) / "demo.sqlite3", unencrypted=True)
    today = date.today()
    generate_demo(services, 400, seed=7, today=today)  # with courses and referrals
    # Two earlier exports for the log; the second overlaps the year so that the preview warns about it.
    monitoring, folder = services.monitoring, Path(tempfile.mkdtemp())
    monitoring.export(monitoring.report(periods.quarter(today.year, 1), k=3), folder / "1-Quartal.xlsx", "xlsx")
    last_month_end = max(today.replace(day=1) - timedelta(days=1), date(today.year, 1, 31))  # in January: January
    until_last_month = periods.free_range(date(today.year, 1, 1), last_month_end)
    monitoring.export(monitoring.report(until_last_month, k=3), folder / "bis-Vormonat.csv", "csv")
    window = MainWindow(AppContext(services, ChangeSignal(services.bus), demo=True))
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(PAGE_MONITORING)
    settle(app)
    window.grab().save(str(out / "auswertung.png"))
    dialog = window.monitoring.open_export_dialog()
    dialog.show()
    dialog.refresh()
    settle(app)
    hidden = [sum(1 for row in table.rows for cell in row.cells if cell.suppressed) for table in dialog.report.tables]
    dialog.tabs.setCurrentIndex(hidden.index(max(hidden)))
    settle(app)
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(QPoint((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2), dialog.grab())
    painter.end()
    shot.save(str(out / "auswertung-export.png"))
    dialog.close()
    window.persons.person_file._set_dirty(False)
    window.close()
    services.close()


def letters_main(out: Path) -> None:
    """Brief erstellen over the Vermittlungen page: the letter of a person who reads Arabic, in the preview."""
    from datetime import timedelta

    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QApplication

    from bildungskoordination import i18n
    from bildungskoordination.courses.records import CourseData
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.letters.letter_dialog import LetterDialog
    from bildungskoordination.gui.main_window import PAGE_REFERRALS, MainWindow
    from bildungskoordination.people.demo import generate_demo
    from bildungskoordination.services import Services

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    i18n.set_language("de")
    services = Services.open(Path(tempfile.mkdtemp()) / "demo.sqlite3", unencrypted=True)
    services.settings.set("demo_database", True)  # the demo's invented letterhead (cli.DEMO_MARKER)
    today = date.today()
    generate_demo(services, 120, seed=7, today=today)
    start = today + timedelta(weeks=3)
    course_id = services.courses.create(CourseData(
        provider="Kreisvolkshochschule Trier-Saarburg", course_number="IK-26-014", course_type="ik_allgemein",
        entry_level="keine", target_level="B1", start=start, end=start + timedelta(weeks=30),
        registration_deadline=start - timedelta(days=7), days=["mo", "di", "mi", "do", "fr"], time_from="08:30",
        time_to="12:45", municipality="Konz", places=20, status="offen"))
    for pid in services.people.search_ids(""):
        data = services.people.get(pid)
        if data.letter_language == "ar" and data.has_consent and data.name_original and data.address:
            break
    referral = services.referrals.refer(pid, course_id)
    window = MainWindow(AppContext(services, ChangeSignal(services.bus), demo=True))
    window.resize(1366, 768)
    window.show()
    window.nav.setCurrentRow(PAGE_REFERRALS)
    window.referrals.select_referral(referral)
    settle(app)
    dialog = LetterDialog(window._ctx, [referral], window)
    dialog.show()
    settle(app)
    # Scroll to where German and Arabic stand side by side (subject, greeting, the course table).
    dialog.preview.verticalScrollBar().setValue(dialog.preview.pages[0].height() * 2 // 5)
    settle(app)
    shot = window.grab()
    painter = QPainter(shot)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 90))  # dimmed behind the dialog, as a window manager would
    corner = QPoint((shot.width() - dialog.width()) // 2, (shot.height() - dialog.height()) // 2)
    painter.drawPixmap(corner, dialog.grab())
    painter.setPen(QColor("#555555"))
    painter.drawRect(corner.x() - 1, corner.y() - 1, dialog.width() + 1, dialog.height() + 1)
    painter.end()
    shot.save(str(out / "brief-dialog.png"))
    dialog.close()
    window.persons.person_file._set_dirty(False)
    window.close()
    services.close()


if __name__ == "__main__":
    target = Path(next((a for a in sys.argv[1:] if not a.startswith("--")), "docs"))
    if "--courses" in sys.argv:
        courses_main(target)
    elif "--monitoring" in sys.argv:
        monitoring_main(target)
    elif "--letters" in sys.argv:
        letters_main(target)
    elif "--all" in sys.argv:
        main(target)
        courses_main(target)
        monitoring_main(target)
        letters_main(target)
        english_main(target)
    else:
        main(target)
