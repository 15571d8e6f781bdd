"""„Briefe einrichten“: the letterhead and the letter texts per language, as one page (tabs) and as the
dialog the menu opens."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.letters.letterhead_form import LetterheadForm
from bildungskoordination.gui.letters.texts_editor import LetterTextsEditor
from bildungskoordination.i18n import _


class LetterSettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.letterhead = LetterheadForm(ctx)
        self.texts = LetterTextsEditor(ctx)
        self.tabs.addTab(self.letterhead, _("Brief&kopf"))
        self.tabs.addTab(self.texts, _("Brie&ftexte"))
        layout.addWidget(self.tabs)


class LetterSettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, intro: str = "") -> None:
        """``intro``: why the dialog opened by itself (the first letter asks for the letterhead)."""
        super().__init__(parent)
        self.setWindowTitle(_("Briefe einrichten"))
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        if intro:
            hint = QLabel(intro)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        self.page = LetterSettingsPage(ctx)
        layout.addWidget(self.page, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Schließen"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def open_letter_settings(ctx: AppContext, parent: QWidget | None = None) -> None:
    """The menu entry „Briefe einrichten …“."""
    LetterSettingsDialog(ctx, parent).exec()
