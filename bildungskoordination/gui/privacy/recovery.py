"""Start-up recovery: the database is damaged, truncated, lost its journal or cannot be read.

Offers to restore a backup (the damaged files are kept aside, never written to) or to open the
database read-only; never a traceback and never a write to the damaged file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.gui.privacy.backups_model import BackupListModel
from bildungskoordination.i18n import _
from bildungskoordination.services import StoreError, list_backups, recover_from_backup


class RecoveryDialog(QDialog):
    """Result: ``choice`` is "restored", "read_only" or "quit"."""

    def __init__(self, db_path: Path, problem: str, backup_folder: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Datenbank beschädigt"))
        self.db_path = db_path
        self.choice = "quit"
        self.passphrase_used: str | None = None
        layout = QVBoxLayout(self)
        text = QLabel(_("Die Datenbank kann nicht sicher geöffnet werden:\n{problem}\n\nEs wurde nichts an ihr "
                        "verändert. Sie können eine Sicherung zurückspielen (die beschädigte Datei wird "
                        "daneben aufbewahrt) oder die Datenbank schreibgeschützt öffnen, um nachzusehen.")
                      .format(problem=problem))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.model = BackupListModel(self)
        self.model.set_rows(list_backups(db_path, backup_folder))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(_("Sicherungen"))
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            layout.addWidget(QLabel(_("Im Sicherungsordner liegen keine Sicherungen.")))
        layout.addWidget(self.table)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("Passphrase (für verschlüsselte Sicherungen)"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        layout.addWidget(self.passphrase)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(_("Sicherung &zurückspielen"))
        self.restore_button.setEnabled(self.model.rowCount() > 0)
        self.read_only_button = QPushButton(_("&Schreibgeschützt öffnen"))
        self.quit_button = QPushButton(_("&Beenden"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.read_only_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.read_only_button.clicked.connect(self._on_read_only_button_clicked)
        self.quit_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def _on_restore_button_clicked(self) -> None:
        info = self.model.info(self.table.currentIndex().row())
        if info is None:
            return
        passphrase = self.passphrase.text() or None
        try:
            aside = recover_from_backup(info, self.db_path, passphrase)
        except StoreError as exc:
            QMessageBox.warning(self, _("Nicht zurückgespielt"), str(exc))
            return
        QMessageBox.information(self, _("Sicherung zurückgespielt"),
                                _("Die Sicherung vom {when} ist wieder die Datenbank. Die beschädigten Dateien "
                                  "liegen in {aside}.").format(when=info.created.strftime("%d.%m.%Y %H:%M"),
                                                               aside=aside))
        self.choice = "restored"
        self.passphrase_used = passphrase
        self.accept()

    def _on_read_only_button_clicked(self) -> None:
        self.choice = "read_only"
        self.passphrase_used = self.passphrase.text() or None
        self.accept()
