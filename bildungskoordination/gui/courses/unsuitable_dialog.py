"""Referring a person to a course the matching marks not suitable (✗): only with a reason the coordinator
writes down. The reasons against the course are shown; "Trotzdem vermitteln" stays off until a reason is
there. The reason is kept with the referral and the audit log names it (courses.referrals)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from bildungskoordination.i18n import _
from bildungskoordination.matching.facts import Match


class UnsuitableReasonDialog(QDialog):
    def __init__(self, person: str, match: Match, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Vermitteln trotz „nicht geeignet“"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Der Abgleich zeigt den Kurs {course} ({provider}) für {person} als nicht geeignet:")
                       .format(course=match.course.course_number, provider=match.course.provider, person=person))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        against = QLabel("\n".join(f"✗ {r.text}" for r in match.reasons if r.kind == "no"))
        against.setWordWrap(True)
        against.setTextFormat(Qt.TextFormat.PlainText)
        against.setStyleSheet("color: #b3261e;")
        layout.addWidget(against)
        label = QLabel(_("&Begründung für die Vermittlung (Pflicht, wird mit der Vermittlung gespeichert und "
                         "im Protokoll vermerkt):"))
        label.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.reason.setAccessibleName(_("Begründung für die Vermittlung"))
        label.setBuddy(self.reason)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Trotzdem vermitteln"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._on_reason_text_changed)
        self._on_reason_text_changed()

    def value(self) -> str:
        return self.reason.toPlainText().strip()

    def _on_reason_text_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.value()))
