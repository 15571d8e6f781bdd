"""Einstellungen: UI language (takes effect at the next start), screen lock, how long the log is kept.

The dialog only collects values; the main window applies them (QSettings, the idle watcher, the services),
so nothing here reaches into other widgets or writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.i18n import UI_LANGUAGES, _, ngettext

MAX_LOCK_MINUTES = 240
MAX_AUDIT_KEEP_DAYS = 3650


@dataclass(frozen=True)
class SettingsValues:
    language: str
    lock_minutes: int
    audit_keep_days: int | None  # None: not changeable here (read-only database)


class SettingsDialog(QDialog):
    def __init__(self, values: SettingsValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Einstellungen"))
        layout = QVBoxLayout(self)

        general = QGroupBox(_("Dieser Computer"))
        form = QFormLayout(general)
        self.language = QComboBox()
        for code, name in UI_LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(values.language), 0))
        self.language.setAccessibleName(_("Sprache der Oberfläche"))
        label = QLabel(_("&Sprache der Oberfläche"))
        label.setBuddy(self.language)
        form.addRow(label, self.language)
        form.addRow(QLabel(_("Die Sprache wechselt beim nächsten Start.")))
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(1, MAX_LOCK_MINUTES)
        self.lock_minutes.setValue(max(1, min(MAX_LOCK_MINUTES, values.lock_minutes)))
        self.lock_minutes.setAccessibleName(_("Sperren nach Minuten ohne Eingabe"))
        self.lock_minutes.valueChanged.connect(self._on_lock_minutes_value_changed)
        self._on_lock_minutes_value_changed(self.lock_minutes.value())
        label = QLabel(_("Sperren &nach"))
        label.setBuddy(self.lock_minutes)
        form.addRow(label, self.lock_minutes)
        layout.addWidget(general)

        data = QGroupBox(_("Diese Datenbank"))
        data_form = QFormLayout(data)
        self.audit_keep_days = QSpinBox()
        self.audit_keep_days.setRange(1, MAX_AUDIT_KEEP_DAYS)
        self.audit_keep_days.setSingleStep(30)
        self.audit_keep_days.setAccessibleName(_("Protokolleinträge aufbewahren (Tage)"))
        self.audit_keep_days.valueChanged.connect(self._on_audit_keep_days_value_changed)
        if values.audit_keep_days is None:
            self.audit_keep_days.setEnabled(False)
        else:
            self.audit_keep_days.setValue(max(1, min(MAX_AUDIT_KEEP_DAYS, values.audit_keep_days)))
        self._on_audit_keep_days_value_changed(self.audit_keep_days.value())
        label = QLabel(_("&Protokoll aufbewahren"))
        label.setBuddy(self.audit_keep_days)
        data_form.addRow(label, self.audit_keep_days)
        hint = QLabel(_("Ältere Einträge löscht „Jetzt bereinigen“ unter Datenschutz → Protokoll."))
        hint.setWordWrap(True)
        data_form.addRow(hint)
        layout.addWidget(data)
        self._audit_editable = values.audit_keep_days is not None

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.language.setFocus()

    def values(self) -> SettingsValues:
        """What the coordinator chose (read after ``exec`` returned Accepted)."""
        return SettingsValues(language=str(self.language.currentData()), lock_minutes=self.lock_minutes.value(),
                              audit_keep_days=self.audit_keep_days.value() if self._audit_editable else None)

    def _on_lock_minutes_value_changed(self, value: int) -> None:
        self.lock_minutes.setSuffix(" " + ngettext("Minute ohne Eingabe", "Minuten ohne Eingabe", value))

    def _on_audit_keep_days_value_changed(self, value: int) -> None:
        self.audit_keep_days.setSuffix(" " + ngettext("Tag", "Tage", value))
