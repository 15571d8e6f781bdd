"""Sicherungen: where backups go, the list, back up now, check one, restore one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.events import Change
from bildungskoordination.gui import settings
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.operation import Operation, Outcome, Progress, show_error
from bildungskoordination.gui.privacy.backups_model import BackupListModel
from bildungskoordination.i18n import _
from bildungskoordination.services import BackupInfo, BackupPassphraseRequired, StoreError


class BackupsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        intro = QLabel(_("Sicherungen werden beim Start, beim Beenden und täglich angelegt, verschlüsselt wie die "
                         "Datenbank und nach dem Anlegen geprüft. Aufbewahrt wird jeweils die neueste Sicherung der "
                         "letzten 7 Tage, 4 Wochen und 12 Monate. Der Ordner kann auf einem USB-Stick oder Netzlaufwerk "
                         "liegen."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        folder_row = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_button = QPushButton(_("&Ordner wählen …"))
        self.folder_button.setIcon(icon("choose_folder"))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        layout.addLayout(folder_row)
        self.model = BackupListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(_("Sicherungen"))
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.status = QLabel()
        buttons.addWidget(self.status, 1)
        self.backup_button = QPushButton(_("&Jetzt sichern"))
        self.backup_button.setIcon(icon("backup"))
        self.check_button = QPushButton(_("Prü&fen"))
        self.check_button.setIcon(icon("verify"))
        self.restore_button = QPushButton(_("&Zurückspielen …"))
        self.restore_button.setIcon(icon("restore"))
        for button in (self.backup_button, self.check_button, self.restore_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        ctx.signal.changed.connect(self._on_signal_changed)
        enabled = ctx.services.backups is not None and not ctx.services.store.read_only
        for widget in (self.folder_button, self.backup_button, self.check_button, self.restore_button):
            widget.setEnabled(enabled)
        self.reload()

    def reload(self) -> None:
        backups = self._ctx.services.backups
        if backups is None:
            self.folder_label.setText(_("Diese Datenbank liegt nur im Arbeitsspeicher; es gibt keine Sicherungen."))
            return
        self.folder_label.setText(_("Sicherungsordner: {folder}").format(folder=backups.folder))
        try:
            self.model.set_rows(backups.list())
        except StoreError as exc:
            self.model.set_rows([])
            self.status.setText(str(exc))
            return
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _selected(self):  # type: ignore[no-untyped-def]
        return self.model.info(self.table.currentIndex().row())

    def _on_folder_button_clicked(self) -> None:
        backups = self._ctx.services.backups
        if backups is None:
            return
        chosen = QFileDialog.getExistingDirectory(self, _("Sicherungsordner wählen"), str(backups.folder))
        if chosen:
            backups.folder = Path(chosen)
            settings.set_backup_folder(str(backups.folder))
            self.reload()

    def _on_backup_button_clicked(self) -> None:
        backups = self._ctx.services.backups
        if backups is None:
            return

        def take(_progress: Progress) -> BackupInfo:
            info = backups.take("manuell")
            backups.rotate()
            return info

        self.backup_button.setEnabled(False)
        self.status.setText(_("Sicherung läuft …"))
        self.operation = (Operation(self, take, title=_("Sicherung"))
                          .with_progress(_("Die Datenbank wird gesichert und geprüft …"), cancellable=False)
                          .success(self._on_backup_taken).failure(self._on_backup_failed).run())

    def _on_backup_taken(self, outcome: Outcome[BackupInfo]) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText(_("Gesichert und geprüft: {name}").format(name=outcome.value.path.name))
        self._ctx.services.bus.publish(Change("backup", "created"))

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.status.setText("")
        if isinstance(exc, StoreError):
            QMessageBox.warning(self, _("Sicherung fehlgeschlagen"), str(exc))
        else:
            show_error(self, _("Sicherung"), exc)

    def _ask_passphrase(self, name: str) -> str | None:
        text, ok = QInputDialog.getText(self, _("Passphrase der Sicherung"),
                                        _("Die Sicherung {name} wurde vor einem Passphrasenwechsel angelegt.\n"
                                          "Passphrase, die damals galt:").format(name=name), QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def _on_check_button_clicked(self) -> None:
        info = self._selected()
        backups = self._ctx.services.backups
        if info is None or backups is None:
            return
        passphrase = None
        try:
            backups.key_for(info)
        except BackupPassphraseRequired:
            passphrase = self._ask_passphrase(info.path.name)
            if passphrase is None:
                return
        except StoreError as exc:
            QMessageBox.warning(self, _("Sicherung nicht in Ordnung"), str(exc))
            return

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StoreError):
                QMessageBox.warning(self, _("Sicherung nicht in Ordnung"), str(exc))
            else:
                show_error(self, _("Sicherung prüfen"), exc)

        self.status.setText(_("{name} wird geprüft …").format(name=info.path.name))
        self.operation = (Operation(self, lambda _progress: backups.check(info, passphrase), title=_("Sicherung prüfen"))
                          .with_progress(_("Die Sicherung wird vollständig gelesen und geprüft …"), cancellable=False)
                          .success(lambda _outcome: self.status.setText(
                              _("{name}: in Ordnung (integrity_check ok).").format(name=info.path.name)))
                          .failure(failed).run())

    def _on_restore_button_clicked(self) -> None:
        info = self._selected()
        if info is None:
            return
        answer = QMessageBox.question(
            self, _("Sicherung zurückspielen"),
            _("Die Datenbank wird durch die Sicherung vom {when} ersetzt. Alles, was danach erfasst wurde, ist "
              "dann nicht mehr in der Datenbank (vorher wird der jetzige Stand selbst gesichert). Gelöschte "
              "Personen bleiben gelöscht. Fortfahren?").format(when=info.created.strftime("%d.%m.%Y %H:%M")))
        if answer == QMessageBox.StandardButton.Yes:
            self._ctx.requests.restore_backup.emit(info)

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity == "backup":
            self.reload()
