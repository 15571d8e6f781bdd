"""The letter texts of one language: German source, the catalog's translation (with its review state) and the
coordinator's own replacement, which is kept in the database and wins over the catalog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.letters.letter_dialog import (
    TRUSTED_STATES,
    WARNING_STYLE,
    error_message,
    language_item_text,
)
from bildungskoordination.gui.table_model import RecordTableModel, setup_record_table
from bildungskoordination.gui.widgets import FieldError
from bildungskoordination.i18n import N_, _
from bildungskoordination.letters.service import LanguageInfo, TextEntry
from bildungskoordination.letters.texts import SOURCE_LANGUAGE


class TextEntryModel(RecordTableModel[TextEntry]):
    columns = [N_("Text"), N_("Deutsch"), N_("Übersetzung (Katalog)"), N_("Eigene Fassung")]
    rtl = False

    def row_of(self, key: str) -> int:
        return next((i for i, e in enumerate(self._rows) if e.key == key), -1)

    def cell(self, e: TextEntry, column: int) -> Any:
        if e.outdated and column in (2, 3):  # what the letter prints is what the table must say
            return _("– veraltet, wird nicht gedruckt –") if column == 2 or e.override else ""
        return _one_line([e.key, e.german, e.catalog or _("– fehlt –"), e.override][column])

    def extra(self, e: TextEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2, 3):
            return [e.german, e.catalog, e.override][column - 1] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3) and self.rtl:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _read_only_text() -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    edit.setMaximumHeight(70)
    return edit


def set_direction(edit: QPlainTextEdit, rtl: bool) -> None:
    """Right-to-left scripts: layout, text direction and alignment of the editor follow the language."""
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    edit.setLayoutDirection(direction)
    option = edit.document().defaultTextOption()
    option.setTextDirection(direction)
    option.setAlignment(Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft)
    edit.document().setDefaultTextOption(option)


class LetterTextsEditor(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._letters = ctx.services.letters
        self._read_only = ctx.services.store.read_only
        self._languages: dict[str, LanguageInfo] = {info.code: info for info in self._letters.languages()}
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel(_("S&prache:"))
        self.language = QComboBox()
        for info in self._languages.values():
            self.language.addItem(language_item_text(info), info.code)
        self.language.setAccessibleName(_("Sprache der Brieftexte"))
        label.setBuddy(self.language)
        row.addWidget(label)
        row.addWidget(self.language, 1)
        layout.addLayout(row)
        self.review = QLabel()
        self.review.setObjectName("reviewState")
        self.review.setStyleSheet(WARNING_STYLE)
        self.review.setWordWrap(True)
        layout.addWidget(self.review)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = TextEntryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, _("Brieftexte"), (150, 260, 260))
        splitter.addWidget(self.table)
        editor = QWidget()
        form = QFormLayout(editor)
        form.setContentsMargins(0, 0, 0, 0)
        self.german = _read_only_text()
        self.german.setAccessibleName(_("Deutscher Ausgangstext"))
        self.catalog = _read_only_text()
        self.catalog.setAccessibleName(_("Übersetzung aus dem Katalog"))
        self.replacement = QPlainTextEdit()
        self.replacement.setAccessibleName(_("Eigene Fassung"))
        self.replacement.setTabChangesFocus(True)
        self.replacement.setPlaceholderText(_("leer: der Katalogtext gilt"))
        self.error = FieldError()
        self.outdated = QLabel(_("Der deutsche Text wurde durch eine eigene Fassung ersetzt. Diese Übersetzung "
                                 "gehört zum alten Text und wird nicht gedruckt – der Brief zeigt diesen Teil nur "
                                 "auf Deutsch, bis Sie hier eine neue eigene Fassung übernehmen."))
        self.outdated.setObjectName("outdatedTranslation")
        self.outdated.setWordWrap(True)
        self.outdated.setStyleSheet(WARNING_STYLE.replace("#reviewState", "#outdatedTranslation"))
        self.outdated.setProperty("warn", "true")
        self.outdated.setVisible(False)
        form.addRow(self.outdated)
        form.addRow(_("Deutsch:"), self.german)
        form.addRow(_("Katalog:"), self.catalog)
        replacement_label = QLabel(_("&Eigene Fassung:"))
        replacement_label.setBuddy(self.replacement)
        form.addRow(replacement_label, self.replacement)
        form.addRow("", self.error)
        buttons = QHBoxLayout()
        self.status = QLabel()
        buttons.addWidget(self.status, 1)
        self.apply_button = QPushButton(_("Ü&bernehmen"))
        self.reset_button = QPushButton(_("&Zurücksetzen"))
        self.reset_button.setToolTip(_("Die eigene Fassung löschen; dann gilt wieder der Katalogtext"))
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.reset_button)
        form.addRow(buttons)
        splitter.addWidget(editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        self.language.currentIndexChanged.connect(self._on_language_current_index_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.reload()

    # --- state -----------------------------------------------------------------------------------
    def language_code(self) -> str:
        return str(self.language.currentData())

    def select_language(self, code: str) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(code)))

    def select_key(self, key: str) -> None:
        row = self.model.row_of(key)
        if row >= 0:
            self.table.selectRow(row)

    def selected_entry(self) -> TextEntry | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def reload(self) -> None:
        code = self.language_code()
        info = self._languages[code]
        selected = self.selected_entry()
        warn = info.review.code not in TRUSTED_STATES
        self.review.setText(_("Übersetzung: {state}").format(state=info.review.label))
        self.review.setProperty("warn", "true" if warn else "false")
        self.review.style().unpolish(self.review)
        self.review.style().polish(self.review)
        self.model.rtl = info.rtl
        self.model.set_rows(self._letters.texts(code))
        for edit in (self.catalog, self.replacement):
            set_direction(edit, info.rtl)
        row = self.model.row_of(selected.key) if selected is not None else -1
        self.table.selectRow(max(row, 0))
        self._show_entry()

    def _show_entry(self) -> None:
        entry = self.selected_entry()
        self.german.setPlainText(entry.german if entry else "")
        self.catalog.setPlainText(entry.catalog if entry else "")
        self.replacement.setPlainText(entry.override if entry else "")
        self.error.show_message("")
        self.outdated.setVisible(bool(entry and entry.outdated))
        editable = entry is not None and not self._read_only
        self.replacement.setReadOnly(not editable)
        self.apply_button.setEnabled(editable)
        self.reset_button.setEnabled(editable and bool(entry and entry.override))

    # --- slots -----------------------------------------------------------------------------------
    def _on_language_current_index_changed(self, _index: int) -> None:
        self.status.setText("")
        self.reload()

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_entry()

    def _on_apply_button_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        text = self.replacement.toPlainText().strip()
        try:
            if text:
                self._letters.set_text(self.language_code(), entry.key, text)
            else:  # an empty replacement means "the catalog's text again"
                self._letters.reset_text(self.language_code(), entry.key)
        except (ValidationError, ValueError) as exc:
            self.error.show_message(error_message(exc))
            self.status.setText(_("Nicht übernommen."))
            return
        self.reload()
        if self.language_code() == SOURCE_LANGUAGE and text:
            self.status.setText(_("Übernommen. Die Übersetzungen dieses Textes werden nicht mehr gedruckt, bis "
                                  "Sie sie in den anderen Sprachen ebenfalls ersetzen."))
        else:
            self.status.setText(_("Übernommen."))

    def _on_reset_button_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        self._letters.reset_text(self.language_code(), entry.key)
        self.reload()
        self.status.setText(_("Zurückgesetzt: es gilt wieder der Katalogtext."))
