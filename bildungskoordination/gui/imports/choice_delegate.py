"""A combo box in a table cell: the model offers the choices (``choices()``: value, label) and keeps the
value in its EditRole."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        header = index.model().headerData(index.column(), Qt.Orientation.Horizontal)
        source = index.model().index(index.row(), 0).data()
        combo.setAccessibleName(f"{header}: {source}")  # "Übernehmen als: Nachname"
        for value, label in index.model().choices():  # type: ignore[attr-defined]
            combo.addItem(label, value)
        # Written at once: a persistent editor would otherwise keep its choice to itself until it loses focus.
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        if position != editor.currentIndex():
            editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        editor.setGeometry(option.rect)


def combo_at(view: Any, row: int, column: int) -> Any:
    """The persistent combo box of a cell (for tests and keyboard focus)."""
    return view.indexWidget(view.model().index(row, column))
