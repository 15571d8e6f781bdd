from __future__ import annotations

from datetime import date, timedelta

import pytest

from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services


@pytest.fixture
def services(tmp_path):
    sv = Services.open(tmp_path / "db.sqlite3", unencrypted=True)
    yield sv
    sv.close()


@pytest.fixture
def window(qtbot, services):
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import MainWindow

    ctx = AppContext(services=services, signal=ChangeSignal(services.bus))
    win = MainWindow(ctx)
    # Tests may leave a form half-filled on purpose; skip the "save changes?" question on close.
    qtbot.addWidget(win, before_close_func=lambda w: w.persons.person_file._set_dirty(False))
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def some_people(services):
    ids = []
    today = date.today()
    for fam, given, birth, orig in [
        ("Al-Hassan", "Mohammed", "00.00.1988", "محمد الحسن"),
        ("Kovalenko", "Olena", "22.07.1979", "Олена Коваленко"),
        ("Tesfay", "Yonas", "01.01.2001", "ዮናስ ተስፋይ"),
    ]:
        pid = services.people.create(PersonData(family_name=fam, given_name=given, name_original=orig,
                                                birth=parse_partial_date(birth), consent_date=today))
        ids.append(pid)
    services.contacts.add(ids[1], ContactData(contact_date=today - timedelta(days=20), topics=["arbeit"],
                                              followup_date=today - timedelta(days=2), next_step="Bewerbung prüfen"))
    return ids
