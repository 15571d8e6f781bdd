"""What an empty database shows instead of an empty list: what to do first, with buttons and shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bildungskoordination.i18n import _


class EmptyState(QWidget):
    import_requested = Signal()
    new_person_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Erste Schritte"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(_("Noch keine Personen erfasst"))
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(_("So fangen Sie an: Lesen Sie die Excel-Liste der Menschen ein, die Sie schon beraten "
                             "(eine Zeile je Person, Spalten wie Familienname, Vorname, Geburtsdatum) – oder legen "
                             "Sie die erste Person von Hand an."))
        self.text.setWordWrap(True)
        self.hints = QLabel(_("Strg+N: neue Person · Strg+F: suchen · Strg+K: Beratungskontakt · "
                              "Datei → Briefe einrichten: Briefkopf"))
        self.hints.setWordWrap(True)
        for label in (self.title, self.text, self.hints):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(_("Excel-Liste &importieren …"))
        self.import_button.setDefault(True)
        self.new_button = QPushButton(_("Erste Person &anlegen"))
        self.new_button.setToolTip(_("Strg+N"))
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.import_button.clicked.connect(self.import_requested)
        self.new_button.clicked.connect(self.new_person_requested)
