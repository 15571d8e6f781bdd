"""Confirmation before a person is erased for good (Art. 17 DSGVO) – from the Löschvorschläge or the file."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.gui.icons import icon
from bildungskoordination.i18n import _
from bildungskoordination.privacy.policy import ERASURE_REASONS

# Chosen by the program itself (replaying the erasure ledger after a restore), never by the coordinator.
_SYSTEM_REASONS = {"wiederholt"}


class EraseDialog(QDialog):
    """Accepted = erase with ``reason()`` (a key of policy.ERASURE_REASONS)."""

    def __init__(self, name: str, file_number: str, person_id: int, *, reason: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Person endgültig löschen"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        who = QLabel(_("<b>{name}</b> (Aktenzeichen {number}) wird endgültig gelöscht: die Stammdaten, alle "
                       "Beratungskontakte und Wiedervorlagen.").format(name=escape(name), number=escape(file_number)))
        who.setWordWrap(True)
        layout.addWidget(who)
        warning = QLabel(_("Das kann nicht rückgängig gemacht werden."))
        warning.setObjectName("eraseWarning")
        warning.setStyleSheet("#eraseWarning { color: #b3261e; font-weight: bold; }")
        layout.addWidget(warning)
        rest = QLabel(_("Übrig bleibt nur ein Eintrag im Löschverzeichnis: die interne Nummer {id} und das Datum "
                        "der Löschung. Das Protokoll behält seine Einträge – ohne Namen und ohne Inhalte. Wird "
                        "später eine ältere Sicherung zurückgespielt, löscht das Programm die Person dabei "
                        "erneut.").format(id=person_id))
        rest.setWordWrap(True)
        layout.addWidget(rest)
        self.summary = "\n".join(w.text() for w in (who, warning, rest))

        form = QFormLayout()
        self.reason_combo = QComboBox()
        self.reason_combo.addItem(_("– bitte wählen –"), "")
        for key, text in ERASURE_REASONS.items():
            if key not in _SYSTEM_REASONS:
                self.reason_combo.addItem(_(text), key)
        self.reason_combo.setAccessibleName(_("Grund der Löschung"))
        self.reason_combo.setCurrentIndex(max(self.reason_combo.findData(reason or ""), 0))
        label = QLabel(_("&Grund"))
        label.setBuddy(self.reason_combo)
        form.addRow(label, self.reason_combo)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = QPushButton(_("Endgültig &löschen"))
        self.erase_button.setIcon(icon("erase"))
        self.erase_button.setAutoDefault(False)
        self.buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)  # Enter never erases
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_combo.currentIndexChanged.connect(self._on_reason_combo_current_index_changed)
        self._on_reason_combo_current_index_changed(self.reason_combo.currentIndex())
        self.reason_combo.setFocus()

    def reason(self) -> str:
        return str(self.reason_combo.currentData() or "")

    def set_reason(self, reason: str) -> None:
        self.reason_combo.setCurrentIndex(max(self.reason_combo.findData(reason), 0))

    def _on_reason_combo_current_index_changed(self, _index: int) -> None:
        self.erase_button.setEnabled(bool(self.reason()))
