"""Withdrawal and renewal of consent: pick the day, read what follows, confirm."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from bildungskoordination.i18n import _


class ConsentDialog(QDialog):
    """Accepted = record the withdrawal (or renewal) on ``day()``."""

    def __init__(self, name: str, *, withdraw: bool, period: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        if withdraw:
            self.setWindowTitle(_("Einwilligung widerrufen"))
            text = _("<b>{name}</b> hat die Einwilligung zur Datenverarbeitung widerrufen.<br><br>Ab dann wird die "
                     "Akte nur noch gespeichert (Art. 18 DSGVO): keine Änderungen, keine neuen Kontakte, Briefe "
                     "oder Vermittlungen. Auskunft und Löschung bleiben möglich.").format(name=escape(name))
            if period:
                text += "<br><br>" + _("Die Akte wird {period} nach dem Widerruf zur Löschung vorgeschlagen.").format(
                    period=escape(period))
            label_text, ok_text = _("&Widerrufen am"), _("Widerruf &eintragen")
        else:
            self.setWindowTitle(_("Einwilligung erneuert"))
            text = _("<b>{name}</b> hat erneut in die Datenverarbeitung eingewilligt. Die Einschränkung endet; "
                     "die Akte kann wieder bearbeitet werden.").format(name=escape(name))
            label_text, ok_text = _("&Eingewilligt am"), _("Einwilligung &eintragen")
        info = QLabel(text)
        info.setWordWrap(True)
        layout.addWidget(info)
        self.summary = info.text()
        form = QFormLayout()
        self.day_edit = QDateEdit(QDate.currentDate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dd.MM.yyyy")
        self.day_edit.setMaximumDate(QDate.currentDate())  # neither may lie in the future
        self.day_edit.setAccessibleName(label_text.replace("&", ""))
        label = QLabel(label_text)
        label.setBuddy(self.day_edit)
        form.addRow(label, self.day_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.day_edit.setFocus()

    def day(self) -> date:
        day = self.day_edit.date().toPython()
        assert isinstance(day, date)
        return day

    def set_day(self, day: date) -> None:
        self.day_edit.setDate(QDate(day.year, day.month, day.day))
