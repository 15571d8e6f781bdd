"""Datei → Passphrase ändern …: old, new twice, the same rules as everywhere; the database then opens only with
the new one, and the log says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bildungskoordination.gui.privacy.passphrase import ChangePassphraseDialog
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import Services, WrongPassphrase

OLD, NEW = "die erste lange Passphrase", "eine ganz andere lange Passphrase"


@pytest.fixture
def encrypted(tmp_path: Path):
    services = Services.open(tmp_path / "enc.sqlite3", passphrase=OLD, fast_kdf=True)
    services.people.create(PersonData(family_name="Kovalenko", given_name="Olena"))
    yield services
    services.close()


def _fill(qtbot, dialog: ChangePassphraseDialog, old: str, new: str, again: str) -> None:
    for field, text in ((dialog.old, old), (dialog.first, new), (dialog.second, again)):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(("old", "new", "again", "message"), [
    ("nicht die richtige", NEW, NEW, "Die bisherige Passphrase ist falsch."),
    (OLD, "zu kurz", "zu kurz", "mindestens 10 Zeichen"),
    (OLD, "          x", "          x", "mindestens 10 Zeichen"),  # as for the environment: spaces do not count
    (OLD, NEW, NEW + "!", "stimmen nicht überein"),
])
def test_mistakes_are_named_and_change_nothing(qtbot, encrypted: Services, old, new, again, message):
    dialog = ChangePassphraseDialog(encrypted)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, old, new, again)
    assert dialog.isVisible() and message in dialog.error.text() and dialog.error.isVisible()
    assert encrypted.verify_passphrase(OLD)


def test_the_new_passphrase_opens_the_database_and_the_log_says_so(qtbot, encrypted: Services):
    dialog = ChangePassphraseDialog(encrypted)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, OLD, NEW, NEW)
    assert dialog.result() == ChangePassphraseDialog.DialogCode.Accepted
    assert encrypted.verify_passphrase(NEW) and not encrypted.verify_passphrase(OLD)
    assert any(row.action == "rekey" for row in encrypted.audit.list())
    path = encrypted.store.path
    encrypted.close()
    with pytest.raises(WrongPassphrase):
        Services.open(path, passphrase=OLD)
    reopened = Services.open(path, passphrase=NEW)
    assert reopened.people.count() == 1
    reopened.close()


def test_the_file_menu_offers_it_only_for_an_encrypted_database(window):
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Passphrase ändern …" in texts
    assert not window.action_change_passphrase.isEnabled()  # the fixture's database is unencrypted
