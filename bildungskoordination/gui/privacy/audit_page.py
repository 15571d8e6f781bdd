"""Protokoll: the audit log, read-only, optionally for one person; how long entries are kept, and purging."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.errors import NotFound
from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.privacy.audit_model import AuditLogModel
from bildungskoordination.gui.privacy.refresh import RefreshingView
from bildungskoordination.gui.table_model import setup_record_table
from bildungskoordination.gui.widgets import FieldError
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.privacy.policy import AUDIT_KEEP_DAYS

MAX_KEEP_DAYS = 3650


class AuditPage(RefreshingView):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        person_label = QLabel(_("Pe&rson:"))
        self.person_field = QLineEdit()
        self.person_field.setPlaceholderText(_("Aktenzeichen oder interne Nummer"))
        self.person_field.setClearButtonEnabled(True)
        self.person_field.setAccessibleName(_("Protokoll einer Person: Aktenzeichen oder interne Nummer"))
        self.person_field.setMinimumWidth(self.person_field.fontMetrics().horizontalAdvance(
            self.person_field.placeholderText()) + 40)
        person_label.setBuddy(self.person_field)
        self.filter_button = QPushButton(_("&Filtern"))
        self.all_button = QPushButton(_("Alle &zeigen"))
        self.filter_error = FieldError()
        self.count_label = QLabel()
        top.addWidget(person_label)
        top.addWidget(self.person_field)
        top.addWidget(self.filter_button)
        top.addWidget(self.all_button)
        top.addWidget(self.filter_error)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout.addLayout(top)

        self._keep_stored: int | None = None
        self.model = AuditLogModel(ctx.services, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, _("Protokoll"), (140, 100, 200, 125, 50, 330))
        layout.addWidget(self.table, 1)
        note = QLabel(_("Das Protokoll nennt nur, wer wann was getan hat, und welche Felder geändert wurden – nie "
                        "die Inhalte. Einträge können nicht bearbeitet oder einzeln gelöscht werden."))
        note.setWordWrap(True)
        layout.addWidget(note)

        keep_box = QGroupBox(_("Aufbewahrung des Protokolls"))
        keep = QHBoxLayout(keep_box)
        keep_label = QLabel(_("Einträge aufbewahren (&Tage):"))
        self.keep_days = QSpinBox()
        self.keep_days.setRange(1, MAX_KEEP_DAYS)
        self.keep_days.setSingleStep(30)
        self.keep_days.setAccessibleName(_("Einträge aufbewahren (Tage)"))
        keep_label.setBuddy(self.keep_days)
        self.keep_apply = QPushButton(_("Ü&bernehmen"))
        self.keep_apply.setAccessibleName(_("Aufbewahrungsfrist übernehmen"))
        self.purge_button = QPushButton(_("&Jetzt bereinigen …"))
        self.purge_button.setToolTip(_("Einträge löschen, die älter als die Aufbewahrungsfrist sind"))
        self.keep_error = FieldError()
        keep.addWidget(keep_label)
        keep.addWidget(self.keep_days)
        keep.addWidget(self.keep_apply)
        keep.addSpacing(24)
        keep.addWidget(self.purge_button)
        keep.addWidget(self.keep_error)
        keep.addStretch(1)
        layout.addWidget(keep_box)

        self.person_field.returnPressed.connect(self._on_person_field_return_pressed)
        self.filter_button.clicked.connect(self._on_filter_button_clicked)
        self.all_button.clicked.connect(self._on_all_button_clicked)
        self.keep_days.valueChanged.connect(self._on_keep_days_value_changed)
        self.keep_apply.clicked.connect(self._on_keep_apply_clicked)
        self.purge_button.clicked.connect(self._on_purge_button_clicked)
        self.keep_days.setEnabled(not ctx.services.store.read_only)
        self._update_keep_buttons()
        self.setTabOrder(self.person_field, self.filter_button)
        self.setTabOrder(self.filter_button, self.all_button)
        self.setTabOrder(self.all_button, self.table)
        self.setTabOrder(self.table, self.keep_days)
        self.setTabOrder(self.keep_days, self.keep_apply)
        self.setTabOrder(self.keep_apply, self.purge_button)

    # --- loading -------------------------------------------------------------------------------
    def concerns(self, change: Change) -> bool:
        return True  # every change writes an entry

    def reload(self) -> None:
        self.model.reload()
        self._update_count()
        stored = self._ctx.services.audit.keep_days()
        editing = self._keep_stored is not None and self.keep_days.value() != self._keep_stored
        self._keep_stored = stored
        if not editing:  # a reload (any change writes an entry) keeps a period being typed
            self.keep_days.setValue(stored)
        self._update_keep_buttons()

    def _update_count(self) -> None:
        n = self.model.total()
        text = ngettext("{n} Eintrag", "{n} Einträge", n).format(n=n)
        if self.model.person_id is not None:
            text = _("{count} zur Person mit der internen Nummer {id}").format(count=text, id=self.model.person_id)
        self.count_label.setText(text)

    def show_person(self, person_id: int | None, *, typed: str | None = None) -> None:
        """Only the entries about this person (None: all); ``typed`` goes into the person field."""
        if typed is not None:
            self.person_field.setText(typed)
        self.filter_error.show_message("")
        self.model.set_person(person_id)
        self._update_count()

    # --- slots ---------------------------------------------------------------------------------
    def _on_person_field_return_pressed(self) -> None:
        self._on_filter_button_clicked()

    def _on_filter_button_clicked(self) -> None:
        text = self.person_field.text().strip()
        if not text:
            self.show_person(None)
            return
        try:
            pid = self._ctx.services.people.resolve(text)
        except NotFound as exc:
            if not text.isdigit():
                self.filter_error.show_message(str(exc))
                return
            pid = int(text)  # an erased person: the log still knows the number
        self.show_person(pid)

    def _on_all_button_clicked(self) -> None:
        self.person_field.clear()
        self.show_person(None)

    def _update_keep_buttons(self) -> None:
        value = self.keep_days.value()
        self.keep_days.setSuffix(" " + ngettext("Tag", "Tage", value))
        writable = not self._ctx.services.store.read_only
        editing = self._keep_stored is not None and value != self._keep_stored
        self.keep_apply.setEnabled(writable and editing)
        self.purge_button.setEnabled(writable and not editing)  # purge by the period in force, not a typed one

    def _on_keep_days_value_changed(self, _value: int) -> None:
        self.keep_error.show_message("")
        self._update_keep_buttons()

    def _on_keep_apply_clicked(self) -> None:
        try:
            self._ctx.services.settings.set(AUDIT_KEEP_DAYS, self.keep_days.value())
        except Exception as exc:  # noqa: BLE001
            self.keep_error.show_message(_("Nicht gespeichert: {error}").format(error=exc))

    def _on_purge_button_clicked(self) -> None:
        audit = self._ctx.services.audit
        days = audit.keep_days()
        answer = QMessageBox.question(
            self, _("Protokoll bereinigen"),
            _("Alle Protokolleinträge, die älter als {days} Tage sind, werden gelöscht. Die Bereinigung selbst wird "
              "protokolliert (nur die Anzahl). Fortfahren?").format(days=days),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            purged = audit.purge_older_than(days)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.critical(self, _("Nicht bereinigt"), _("Bereinigen fehlgeschlagen: {error}").format(error=exc))
            return
        self.keep_error.show_message("")
        QMessageBox.information(
            self, _("Protokoll bereinigen"),
            ngettext("{n} Eintrag gelöscht.", "{n} Einträge gelöscht.", purged).format(n=purged) if purged
            else _("Keine Einträge älter als {days} Tage.").format(days=days))
