"""Screen lock: Ctrl+L and idle time hide every personal detail until the passphrase is given."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView

from bildungskoordination.domain.dates import parse_partial_date
from bildungskoordination.people.records import PersonData

SECRET = "lange genug passphrase"


def _visible_texts(window) -> str:
    texts = []
    for widget in window.findChildren(QLabel) + window.findChildren(QLineEdit):
        if widget.isVisible():
            texts.append(widget.text())
    for view in window.findChildren(QTableView):
        if view.isVisible():
            model = view.model()
            for r in range(model.rowCount()):
                texts.extend(str(model.index(r, c).data()) for c in range(model.columnCount()))
    return "\n".join(texts)


def _encrypted_window(qtbot, tmp_path):
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import MainWindow
    from bildungskoordination.services import Services

    services = Services.open(tmp_path / "enc.sqlite3", passphrase=SECRET, fast_kdf=True)
    pid = services.people.create(PersonData(family_name="Geheimname", given_name="Rania",
                                            birth=parse_partial_date("1994")))
    window = MainWindow(AppContext(services, ChangeSignal(services.bus)))
    qtbot.addWidget(window, before_close_func=lambda w: w.persons.person_file._set_dirty(False))
    window.show()
    qtbot.waitExposed(window)
    window.persons.select_person(pid)
    return window, services


def test_ctrl_l_hides_personal_data_and_wrong_passphrase_is_refused(qtbot, tmp_path):
    window, services = _encrypted_window(qtbot, tmp_path)
    assert "Geheimname" in _visible_texts(window)
    assert window.action_lock.shortcut() == QKeySequence("Ctrl+L")
    window.action_lock.trigger()
    assert window.locked
    assert "Geheimname" not in _visible_texts(window)
    assert not window.menuBar().isVisible()
    page = window.lock_page
    qtbot.keyClicks(page.field, "falsch falsch")
    qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert window.locked
    assert page.error.text() == "Passphrase falsch"
    qtbot.keyClicks(page.field, SECRET)
    qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert not window.locked
    assert "Geheimname" in _visible_texts(window)
    services.close()


def test_idle_time_locks(qtbot, tmp_path):
    window, services = _encrypted_window(qtbot, tmp_path)
    window.idle.set_minutes(0.001)  # 60 ms
    qtbot.waitUntil(lambda: window.locked, timeout=3000)
    assert "Geheimname" not in _visible_texts(window)
    services.close()
