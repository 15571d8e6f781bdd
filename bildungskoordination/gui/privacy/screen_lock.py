"""Screen lock: after N idle minutes or on Ctrl+L all personal data is hidden until the passphrase is typed.

The locked window shows only the lock page: the main content is hidden (not merely covered), the menu bar
is hidden and open dialogs are closed, so nothing personal stays visible or reachable by keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.widgets import FieldError
from bildungskoordination.i18n import _

DEFAULT_IDLE_MINUTES = 10
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard or mouse input anywhere in the application."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None, *, watch: bool = True) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        if watch:
            self.watch()

    def watch(self) -> None:
        """Start seeing input: a filter on every event of the application (the main window starts it after
        its first paint, so the start's own flood of events does not pass through it)."""
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        self._timer.start()

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY:
            self._timer.start()
        return False

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockPage(QWidget):
    """What a locked window shows: no names, only the passphrase field."""

    unlock_requested = Signal(str)

    def __init__(self, encrypted: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._encrypted = encrypted
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(_("Gesperrt"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = (_("Zum Entsperren die Passphrase eingeben.") if encrypted else
                _("Diese Datenbank ist unverschlüsselt; Entsperren ohne Passphrase."))
        info = QLabel(text)
        info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(info)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(_("Passphrase"))
        self.field.setMaximumWidth(360)
        self.field.setVisible(encrypted)
        self.error = FieldError()
        self.button = QPushButton(_("&Entsperren"))
        self.button.setIcon(icon("unlock"))
        self.button.setDefault(True)
        for widget in (self.field, self.error, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.button.clicked.connect(self._on_button_clicked)
        self.field.returnPressed.connect(self._on_button_clicked)

    def reset(self) -> None:
        self.field.clear()
        self.error.show_message("")
        (self.field if self._encrypted else self.button).setFocus()

    def show_wrong(self) -> None:
        self.error.show_message(_("Passphrase falsch"))
        self.field.selectAll()
        self.field.setFocus()

    def _on_button_clicked(self) -> None:
        self.unlock_requested.emit(self.field.text())


def close_open_dialogs(window: QWidget) -> None:
    """Dialogs may show personal data: reject them before locking."""
    for dialog in window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.reject()
