"""What the user SEES at start (GUI): lost saves open the recovery dialog naming them, read-only; a refused
erasure-ledger line is a warning dialog, not a line in a log."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import populate, side, snapshot_open, state


def test_lost_saves_show_the_recovery_dialog_and_open_read_only(qtbot, plain_db: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QDialog, QLabel

    from bildungskoordination.gui import opening
    from bildungskoordination.gui.privacy.recovery import RecoveryDialog
    from bildungskoordination.services import Services

    services = Services.open(plain_db)
    try:
        populate(services, 10, prefix="NEU")
        crashed = snapshot_open(services, tmp_path / "crashed")
    finally:
        services.close()
    with side(crashed, "-wal").open("r+b") as fh:
        fh.truncate(side(crashed, "-wal").stat().st_size // 3)
    side(crashed, "-shm").unlink(missing_ok=True)
    before = state(crashed)
    shown: list[str] = []

    def exec_(self: RecoveryDialog) -> int:
        shown.extend(label.text() for label in self.findChildren(QLabel))
        self.choice = "read_only"
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RecoveryDialog, "exec", exec_)
    opened = opening.open_user_database(crashed)
    try:
        assert opened.store.read_only
        assert any("bestätigte Speicherung(en) fehlen" in text and "-wal" in text for text in shown), shown
    finally:
        opened.close()
    assert state(crashed) == before


def test_a_refused_ledger_line_is_shown_at_start(qtbot, plain_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from bildungskoordination.gui import opening

    side(plain_db, ".erasures").write_text('{"person_id": 3, "erased_at": "2026-01-01T09:00:00", "mac": "00"}\n',
                                           encoding="utf-8")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warned.append(text))
    services = opening.open_user_database(plain_db)
    try:
        assert services.people.count() == 50
        assert len(warned) == 1 and "Echtheitsprüfung" in warned[0]
    finally:
        services.close()
