"""Small input widgets shared by the forms: dates as typed, vocabulary pickers, field error labels."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from bildungskoordination.domain.dates import DateParseError, PartialDate, parse_date, parse_partial_date
from bildungskoordination.domain.vocab import Vocabulary
from bildungskoordination.i18n import _


class DateField(QLineEdit):
    """An optional date typed as TT.MM.JJJJ; keeps what was typed even while it is invalid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("TT.MM.JJJJ"))
        self.setMaxLength(10)
        self.setClearButtonEnabled(True)

    def value(self) -> date | None:
        """The date, None if empty; raises DateParseError for text that is not a date."""
        text = self.text().strip()
        return parse_date(text) if text else None

    def set_value(self, value: date | None) -> None:
        self.setText(value.strftime("%d.%m.%Y") if value else "")


class PartialDateField(QLineEdit):
    """A birth date as written in the document: '14.03.1994', '00.00.1988', '05.1997', '1999'."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("TT.MM.JJJJ, MM.JJJJ oder JJJJ"))
        self.setMaxLength(10)

    def value(self) -> PartialDate | None:
        text = self.text().strip()
        return parse_partial_date(text) if text else None

    def set_value(self, value: PartialDate | None) -> None:
        self.setText(value.display() if value else "")


class VocabCombo(QComboBox):
    """A combo box over a vocabulary; stores codes, shows labels, typing filters (for long lists)."""

    def __init__(self, vocab: Vocabulary, *, allow_empty: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Long labels (legal bases) must not widen the form beyond the screen; the popup shows them whole.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        if allow_empty:
            self.addItem("–", "")
        for term in vocab:
            self.addItem(term.display(), term.code)
        if len(vocab.terms) > 15:
            self.setEditable(True)
            self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def code(self) -> str:
        if self.isEditable():
            # What is typed must be an entry; otherwise treat as empty rather than guess.
            index = self.findText(self.currentText(), Qt.MatchFlag.MatchFixedString)
            return str(self.itemData(index)) if index >= 0 else ""
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code or "")
        self.setCurrentIndex(max(index, 0))


class CheckList(QListWidget):
    """Multiple choice from a vocabulary as check boxes (nationalities, languages, availability)."""

    changed = Signal()

    def __init__(self, vocab: Vocabulary, *, max_visible: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for term in vocab:
            item = QListWidgetItem(term.display())
            item.setData(Qt.ItemDataRole.UserRole, term.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(self.sizeHintForRow(0) * max_visible + 6 if self.count() else 80)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def codes(self) -> list[str]:
        checked = []
        for i in range(self.count()):
            item = self.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                checked.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return checked

    def set_codes(self, codes: list[str]) -> None:
        wanted = set(codes)
        self.blockSignals(True)
        first = None
        for i in range(self.count()):
            item = self.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            if on and first is None:
                first = item
        self.blockSignals(False)
        if first is not None:
            self.scrollToItem(first)


class FieldError(QLabel):
    """The message shown right under a field that did not validate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#b3261e"))
        self.setPalette(palette)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


def show_field_errors(labels: dict[str, FieldError], errors) -> None:  # type: ignore[no-untyped-def]
    """Each field's messages under that field; fields without errors are cleared."""
    by_field: dict[str, list[str]] = {}
    for e in errors:
        by_field.setdefault(e.field, []).append(e.message)
    for key, label in labels.items():
        label.show_message("; ".join(by_field.get(key, [])))


def merge_errors(unreadable, problems) -> list:  # type: ignore[no-untyped-def]
    """Everything wrong at once: the fields that could not be read (a date typo) and the service's check of
    the rest – without a second message for a field that could not be read."""
    unreadable = list(unreadable)
    fields = {e.field for e in unreadable}
    return unreadable + [e for e in problems if e.field not in fields]


def in_form_order(errors, keys) -> list:  # type: ignore[no-untyped-def]
    """The errors in the order their fields appear (``keys``, top to bottom); others after them."""
    order = {key: i for i, key in enumerate(keys)}
    return sorted(errors, key=lambda e: order.get(e.field, len(order)))


def mark_labels(labels: dict[str, QLabel], errors) -> None:  # type: ignore[no-untyped-def]
    """The row labels of fields with an error in the error colour, the others back to normal."""
    wrong = {e.field for e in errors}
    for key, label in labels.items():
        label.setStyleSheet("color: #b3261e; font-weight: bold;" if key in wrong else "")


def error_list(errors, label_of) -> str:  # type: ignore[no-untyped-def]
    """One line per problem, "Field: message", for the summary shown above or below a form."""
    return "\n".join(f"• {label_of(e.field)}: {e.message}" for e in errors)


def with_error(field: QWidget, error: FieldError) -> QWidget:
    """Field and its error label stacked, for a QFormLayout row."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(error, 1)
    return box


def check_date(field: DateField | PartialDateField, error: FieldError) -> bool:
    try:
        field.value()
    except DateParseError as exc:
        error.show_message(str(exc))
        return False
    error.show_message("")
    return True
