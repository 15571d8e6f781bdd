"""A generic tour through every window the user can reach, for checks that must hold everywhere.

``tour(window, visit)`` shows the main window in every area and every tab (nested tabs too), then presses
every push/tool button and triggers every menu action it finds there; every dialog that opens (``exec``,
``open`` or ``show``) is visited the same way, in all its tabs, and its own buttons are pressed in turn
(a few levels deep). Message boxes and file/input dialogs are answered with "cancel" and their texts kept in
``Tour.messages``. A dialog or tab added later is covered without touching this module.

``visit(scope_name, top_level_widget)`` is called for every state; checks read the *visible* widgets of
that window with the helpers below (``visible_widgets``, ``menus_of``, ``mnemonic``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QToolButton,
    QWidget,
)

Visit = Callable[[str, QWidget], None]
MAX_DEPTH = 3
DEBUG = bool(os.environ.get("UI_WALK_DEBUG"))
_MNEMONIC = re.compile(r"&(?!&)(.)")


def mnemonic(text: str) -> str | None:
    """The Alt key a text gives its control ("&Neue Person" → "n"), or None."""
    match = _MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).lower() if match and not match.group(1).isspace() else None


def visible_widgets(top: QWidget) -> Iterator[QWidget]:
    """The widgets of ``top``'s window that are on screen now (hidden tabs and pages excluded)."""
    for widget in top.findChildren(QWidget):
        if widget.isVisible() and widget.window() is top:
            yield widget


def menus_of(top: QWidget) -> list[QMenu]:
    """The menus of the menu bar (and their submenus) of a main window, and the menus of visible buttons."""
    menus: list[QMenu] = []
    if isinstance(top, QMainWindow) and top.menuBar().isVisible():
        menus += [a.menu() for a in top.menuBar().actions() if a.menu() is not None]
    for button in visible_widgets(top):
        if isinstance(button, (QPushButton, QToolButton)) and button.menu() is not None:
            menus.append(button.menu())
    found: list[QMenu] = []
    while menus:
        menu = menus.pop()
        if menu not in found:
            found.append(menu)
            menus += [a.menu() for a in menu.actions() if a.menu() is not None]
    return found


def top_of(path: list[tuple[QTabWidget, int]]) -> QWidget:
    return path[0][0].window()


def _select_first_rows(top: QWidget | None) -> None:
    """Select the first row of every visible list or table that has rows but no selection, so buttons that
    act on a selection are enabled."""
    widgets = visible_widgets(top) if top is not None else (
        w for t in QApplication.topLevelWidgets() if t.isVisible() for w in visible_widgets(t))
    for view in [w for w in widgets if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView)]:
        model = view.model()
        if (model is not None and model.rowCount() > 0 and view.selectionModel() is not None
                and not view.selectionModel().hasSelection()
                and view.selectionMode() != QAbstractItemView.SelectionMode.NoSelection):
            view.setCurrentIndex(model.index(0, 0))
    _settle()


def _closes_dialog(button: QAbstractButton) -> bool:
    """OK/Cancel/Close/Apply of a dialog's button box (its "action" buttons are pressed like any other)."""
    box = button.parent()
    return isinstance(box, QDialogButtonBox) and box.buttonRole(button) not in (
        QDialogButtonBox.ButtonRole.ActionRole, QDialogButtonBox.ButtonRole.HelpRole)


def _quits(action: QAction) -> bool:
    quit_keys = QKeySequence(QKeySequence.StandardKey.Quit)
    return not quit_keys.isEmpty() and action.shortcut() == quit_keys


def _settle() -> None:
    """Deliver what is pending, and wait for the work a step started (a dialog's list, read on a worker)."""
    from bildungskoordination.gui import operation

    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    deadline = time.monotonic() + 10
    while operation.running() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(3):
        app.processEvents()


@dataclass
class Tour:
    visit: Visit
    skip_actions: set[QAction] = field(default_factory=set)
    messages: list[tuple[str, str]] = field(default_factory=list)  # (title, text) of every message box
    dialogs: list[str] = field(default_factory=list)  # class names of the dialogs visited
    _seen_dialogs: set[int] = field(default_factory=set)
    _pressed: set[int] = field(default_factory=set)
    _keep: list[object] = field(default_factory=list)  # keeps the wrappers alive, so ids stay unique
    _depth: int = 0
    open_file: Callable[[str], str] = lambda _filter: ""  # the file a "choose a file" dialog returns

    # --- states of one window ---------------------------------------------------------------------
    def explore(self, name: str, top: QWidget, restore: Callable[[], None]) -> None:
        """Visit ``top`` in every tab of every visible tab widget (recursively), then press what is there;
        ``restore()`` brings the window back to its starting state before each press."""
        restore()
        _settle()
        states: list[tuple[str, list[tuple[QTabWidget, int]]]] = []
        self._tab_states(name, top, [], states, set())
        if self._depth >= MAX_DEPTH:
            return
        for state_name, path in states:
            self._apply(restore, path)
            for target in self._pressables(top):
                if id(target) in self._pressed:
                    continue
                self._pressed.add(id(target))
                self._keep.append(target)
                self._apply(restore, path)
                if isinstance(target, QAbstractButton):
                    if not (target.isVisible() and target.isEnabled()):
                        continue
                    press = target.click
                else:
                    press = target.trigger
                if DEBUG:
                    print("press", state_name, "→", target.text() or target.toolTip())
                self._around(top, press)

    def _apply(self, restore: Callable[[], None], path: list[tuple[QTabWidget, int]]) -> None:
        restore()
        for tabs, index in path:
            tabs.setCurrentIndex(index)
        _settle()
        _select_first_rows(top_of(path) if path else None)

    def _tab_states(self, name: str, top: QWidget, path: list[tuple[QTabWidget, int]],
                    states: list[tuple[str, list[tuple[QTabWidget, int]]]], seen: set[int]) -> None:
        self.visit(name, top)
        states.append((name, list(path)))
        for tabs in [w for w in visible_widgets(top) if isinstance(w, QTabWidget)]:
            if id(tabs) in seen or not tabs.isVisible():
                continue
            seen.add(id(tabs))
            self._keep.append(tabs)
            before = tabs.currentIndex()
            for index in range(tabs.count()):
                if index == before or not tabs.isTabEnabled(index):
                    continue
                tabs.setCurrentIndex(index)
                _settle()
                self._tab_states(f"{name} › {tabs.tabText(index).replace('&', '')}", top,
                                 [*path, (tabs, index)], states, seen)
            tabs.setCurrentIndex(before)
            _settle()

    def _pressables(self, top: QWidget) -> list[QAbstractButton | QAction]:
        """Push/tool buttons (not those of a dialog's button box, not toggles) and menu entries."""
        found: list[QAbstractButton | QAction] = [
            w for w in visible_widgets(top) if isinstance(w, QAbstractButton)
            and not isinstance(w, (QCheckBox, QRadioButton)) and w.isEnabled()
            and not _closes_dialog(w) and not w.isCheckable()
            and not (isinstance(w, (QPushButton, QToolButton)) and w.menu() is not None)
            and bool(w.text() or w.toolTip())]
        for menu in menus_of(top):
            found += [a for a in menu.actions() if a.menu() is None and not a.isSeparator() and a.isEnabled()
                      and a not in self.skip_actions and not _quits(a)]
        return found

    def _around(self, top: QWidget, press: Callable[[], None]) -> None:
        before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
        press()
        _settle()
        for widget in QApplication.topLevelWidgets():
            if (isinstance(widget, QDialog) and widget.isVisible() and id(widget) not in before
                    and widget is not top):
                self.dialog(widget)
                widget.hide()
                _settle()

    def dialog(self, dialog: QDialog) -> None:
        if id(dialog) in self._seen_dialogs:
            return
        self._seen_dialogs.add(id(dialog))
        self._keep.append(dialog)
        name = type(dialog).__name__
        self.dialogs.append(name)
        dialog.show()
        _settle()
        self._depth += 1
        try:
            self.explore(f"{name} „{dialog.windowTitle()}“", dialog, dialog.show)
        finally:
            self._depth -= 1

    # --- stand-ins for modal loops -----------------------------------------------------------------
    def patch(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        tour = self

        def exec_(dialog: QDialog) -> int:
            tour.dialog(dialog)
            dialog.hide()
            return int(QDialog.DialogCode.Rejected)

        def open_(dialog: QDialog) -> None:
            tour.dialog(dialog)
            dialog.hide()

        def message(*args, **_kwargs):  # type: ignore[no-untyped-def]
            texts = [a for a in args if isinstance(a, str)]
            tour.messages.append((texts[0] if texts else "", " ".join(texts[1:])))
            return QMessageBox.StandardButton.Cancel

        def message_exec(box: QMessageBox) -> int:
            tour.messages.append((box.windowTitle(), box.text() + " " + box.informativeText()))
            return int(QMessageBox.StandardButton.Cancel)

        monkeypatch.setattr(QDialog, "exec", exec_)
        monkeypatch.setattr(QDialog, "open", open_)
        monkeypatch.setattr(QMessageBox, "exec", message_exec)
        for static in ("question", "warning", "critical", "information", "about"):
            monkeypatch.setattr(QMessageBox, static, message)
        def open_file(*args, **kwargs):  # type: ignore[no-untyped-def]
            texts = [a for a in args if isinstance(a, str)] + [v for v in kwargs.values() if isinstance(v, str)]
            return tour.open_file(" ".join(texts)), ""

        monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([], ""))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
        monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
        monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (0, False))
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog

            monkeypatch.setattr(QPrintDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
            monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
        except ImportError:  # pragma: no cover
            pass


def tour(window: QMainWindow, visit: Visit, monkeypatch, *, areas: Callable[[int], None],  # type: ignore[no-untyped-def]
         area_count: int, area_name: Callable[[int], str] = str, reset: Callable[[], None] = lambda: None,
         skip_actions: set[QAction] | None = None, open_file: Callable[[str], str] | None = None,
         scenarios: Sequence[tuple[str, Callable[[], None]]] = ()) -> Tour:
    """Every area of the main window (``areas(i)`` switches to area i), each with its tabs and dialogs;
    ``reset()`` undoes what a press may have changed (an unsaved form) before the next one. ``scenarios`` are
    (name, steps) for states a single press does not reach (e.g. saving a likely duplicate): the window is
    visited after the steps, and every dialog they open is visited as above."""
    walker = Tour(visit, skip_actions=set(skip_actions or ()))
    if open_file is not None:
        walker.open_file = open_file
    walker.patch(monkeypatch)
    for index in range(area_count):
        def restore(index: int = index) -> None:
            reset()
            if not window.isVisible():
                window.show()
            areas(index)

        walker.explore(area_name(index), window, restore)
    for name, steps in scenarios:
        reset()
        steps()
        _settle()
        walker.visit(name, window)
    reset()
    return walker


__all__ = ["Tour", "menus_of", "mnemonic", "tour", "visible_widgets", "Qt"]
