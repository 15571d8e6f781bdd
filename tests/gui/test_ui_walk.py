"""Checks over every window the user can reach (tests/ui_walk.py tours them all, dialogs added later too):
unique Alt keys per window and per menu, every mnemonic reaches a control, an accessible name on every
control, and no German left in the English UI."""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date

import pytest
from german_text import german_in
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from ui_walk import menus_of, mnemonic, tour, visible_widgets

from bildungskoordination import i18n

DUMP = bool(os.environ.get("UI_WALK_DEBUG"))


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("de")


@pytest.fixture
def demo_window(qtbot, services):
    from bildungskoordination.gui.bus import ChangeSignal
    from bildungskoordination.gui.context import AppContext
    from bildungskoordination.gui.main_window import MainWindow
    from bildungskoordination.people.demo import generate_demo

    generate_demo(services, 25, seed=3, today=date.today())
    twin = services.people.get(services.people.search_ids("")[0])  # a likely duplicate, for the merge dialog
    twin.file_number = ""
    services.people.create(twin)
    win = MainWindow(AppContext(services=services, signal=ChangeSignal(services.bus)))
    qtbot.addWidget(win, before_close_func=lambda w: w.persons.person_file._set_dirty(False))
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    first = services.people.search_ids("")[0]
    win.persons.select_person(first)
    return win


COURSE_LIST = (
    "Träger;Kursnummer;Kursart;Einstiegsniveau;Zielniveau;Beginn;Ende;Uhrzeit;Form;Ort;Plätze\n"
    "Kreisvolkshochschule Trier-Saarburg;IK-2026-014;Allgemeiner Integrationskurs;keine;B1;12.01.2026;"
    "30.10.2026;08:30-12:45;Präsenz;Konz;20\n")


def _tour(window: QMainWindow, visit, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    person_file = window.persons.person_file
    first = window._ctx.services.people.search_ids("")[0]

    def reset() -> None:  # a press may have opened a new, unsaved form: back to the first person
        person_file._set_dirty(False)
        person_file.show_person(first)

    table = tmp_path / "liste.csv"
    table.write_text(COURSE_LIST, encoding="utf-8")

    def open_file(filters: str) -> str:  # a list for every "read a list" dialog (courses, people, …)
        return str(table) if "*.csv" in filters else ""

    def save_a_likely_duplicate() -> None:  # opens the "already recorded?" dialog before anything is stored
        existing = window._ctx.services.people.get(first)
        window.nav.setCurrentRow(0)
        window.persons.new_person()
        person_file.form.family_name.setText(existing.family_name)
        person_file.form.given_name.setText(existing.given_name)
        person_file.save()

    def locked() -> None:  # the lock screen replaces the window's content
        window.lock()
        assert window.locked

    def unlock() -> None:
        if window.locked:
            window._on_lock_page_unlock_requested("")
        reset()

    quit_action = next(a for a in window.actions() if a.text() == i18n._("&Beenden"))
    walker = tour(window, visit, monkeypatch, skip_actions={window.action_lock, quit_action}, reset=reset,
                  areas=window.nav.setCurrentRow, area_count=window.nav.count(),
                  area_name=lambda i: window.nav.item(i).text().split(" (")[0], open_file=open_file,
                  scenarios=[("Neue Person, Doppelerfassung?", save_a_likely_duplicate), ("Gesperrt", locked)])
    unlock()
    return walker


# --- Alt keys -----------------------------------------------------------------------------------------
def _keyed_controls(top: QWidget) -> list[tuple[str, str]]:
    """(key, text) of every visible control with a mnemonic in the window ``top``."""
    keyed: list[tuple[str, str]] = []
    for widget in visible_widgets(top):
        texts: list[str] = []
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            texts = [widget.text()]
        elif isinstance(widget, QAbstractButton):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        for text in texts:
            if (key := mnemonic(text)) is not None:
                keyed.append((key, text))
    if isinstance(top, QMainWindow) and top.menuBar().isVisible():
        keyed += [(key, a.text()) for a in top.menuBar().actions() if (key := mnemonic(a.text())) is not None]
    return keyed


def _clashes(keyed: list[tuple[str, str]]) -> list[str]:
    by_key: dict[str, set[str]] = defaultdict(set)
    for key, text in keyed:
        by_key[key].add(text)
    return [f"Alt+{key.upper()}: {' / '.join(sorted(texts))}" for key, texts in sorted(by_key.items())
            if len(texts) > 1]


def _mnemonic_problems(window, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    problems: dict[str, set[str]] = defaultdict(set)

    def visit(scope: str, top: QWidget) -> None:
        if DUMP:
            print("KEYS", scope, sorted(_keyed_controls(top)))
        for clash in _clashes(_keyed_controls(top)):
            problems[scope].add(clash)
        for menu in menus_of(top):
            keyed = [(key, a.text()) for a in menu.actions() if a.isVisible()
                     and (key := mnemonic(a.text())) is not None]
            for clash in _clashes(keyed):
                problems[f"Menü {menu.title()}"].add(clash)
        for widget in visible_widgets(top):
            if isinstance(widget, QLabel) and mnemonic(widget.text()) and not _rich(widget):
                buddy = widget.buddy()
                if buddy is None:
                    problems[scope].add(f"{widget.text()!r}: Alt-Taste ohne Ziel (kein buddy)")
                elif not buddy.isVisible():
                    problems[scope].add(f"{widget.text()!r}: Ziel nicht sichtbar")

    walker = _tour(window, visit, monkeypatch, tmp_path)
    return problems, walker


def _rich(label: QLabel) -> bool:
    return label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text()))


def _report(problems: dict[str, set[str]]) -> str:
    return "\n".join(f"{scope}:\n  " + "\n  ".join(sorted(found)) for scope, found in sorted(problems.items()))


def test_alt_keys_are_unique_in_every_window_german(demo_window, monkeypatch, tmp_path):
    problems, walker = _mnemonic_problems(demo_window, monkeypatch, tmp_path)
    reached = set(walker.dialogs)
    assert {"SettingsDialog", "CourseDialog", "MergeDialog", "CourseImportDialog", "LetterDialog", "DuplicateDialog",
            "StatusDialog", "ExportDialog", "EraseDialog"} <= reached, reached
    assert not problems, "\n" + _report(problems)


def test_alt_keys_are_unique_in_every_window_english(english, demo_window, monkeypatch, tmp_path):
    problems, _walker = _mnemonic_problems(demo_window, monkeypatch, tmp_path)
    assert not problems, "\n" + _report(problems)


# --- accessible names ---------------------------------------------------------------------------------
INTERACTIVE = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QAbstractItemView,
               QAbstractSlider, QAbstractButton)


def _is_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a control (the line edit of a spin box, a header, a scroll bar …)."""
    parent = widget.parent()
    return (widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView)
            or isinstance(parent, (QAbstractSpinBox, QComboBox, QTabBar, QLineEdit))  # e.g. a clear button
            or (parent is not None and parent.objectName().startswith("qt_")))


def _labelled_by_buddy(top: QWidget) -> set[int]:
    return {id(w.buddy()) for w in top.findChildren(QLabel) if w.buddy() is not None}


def test_every_control_has_an_accessible_name(demo_window, monkeypatch, tmp_path):
    nameless: dict[str, set[str]] = defaultdict(set)

    def visit(scope: str, top: QWidget) -> None:
        buddies = _labelled_by_buddy(top)
        for widget in visible_widgets(top):
            if not isinstance(widget, INTERACTIVE) or _is_internal(widget):
                continue
            if isinstance(widget, QAbstractButton) and widget.text().strip():
                continue
            if widget.accessibleName().strip() or id(widget) in buddies:
                continue
            described = widget.toolTip() or getattr(widget, "placeholderText", lambda: "")()
            parent = type(widget.parent()).__name__
            nameless[scope].add(f"{type(widget).__name__} {widget.objectName()!r} in {parent} ({described!r})")

    _tour(demo_window, visit, monkeypatch, tmp_path)
    assert not nameless, "\n" + _report(nameless)


# --- English UI -----------------------------------------------------------------------------------------
def _data_words(services) -> set[str]:  # type: ignore[no-untyped-def]
    """Words of names and places from the data (persons, courses, district): proper names, not UI text."""
    import re

    from bildungskoordination.domain.vocab import district, vocabulary

    texts: list[str] = [str(district().get("name", "")), str(district().get("office", ""))]
    texts += [str(m) for m in district().get("municipalities", [])]
    for pid in services.people.search_ids(""):
        person = services.people.get(pid)
        texts += [person.family_name, person.given_name, person.name_original or "", person.address or "",
                  person.municipality or ""]
    texts += [t.aliases[0] for t in vocabulary("languages") if t.aliases]  # languages' own names (endonyms)
    for course in services.courses.list():
        texts += [str(getattr(course, name, "") or "") for name in ("provider", "course_number", "place", "address")]
    texts.append(COURSE_LIST.splitlines()[0])  # the column headers of the user's own file are data too
    return {w.lower() for text in texts for w in re.findall(r"\w[\w-]*", text)}


def _visible_texts(top: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything a user can read in this window state."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QListWidget, QTableView, QTreeView

    found: list[tuple[str, str]] = [("Fenstertitel", top.windowTitle())]
    for widget in visible_widgets(top):
        kind = type(widget).__name__
        if isinstance(widget, QLabel):
            found.append((kind, widget.text()))
        elif isinstance(widget, QAbstractButton):
            found.append((kind, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((kind, widget.title()))
        elif isinstance(widget, QTabBar):
            found += [(kind, widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            found.append((kind + " Platzhalter", widget.placeholderText()))
        if isinstance(widget, QComboBox):
            found += [(kind + " Eintrag", widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            found += [(kind + " Eintrag", widget.item(i).text()) for i in range(widget.count())]
        if isinstance(widget, (QTableView, QTreeView)) and widget.model() is not None:
            model = widget.model()
            found += [(kind + " Spalte", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                      for c in range(model.columnCount(QModelIndex()))]
        found += [(kind + " Tooltip", widget.toolTip()), (kind + " accessibleName", widget.accessibleName()),
                  (kind + " accessibleDescription", widget.accessibleDescription())]
    for menu in menus_of(top):
        found.append(("Menü", menu.title()))
        found += [("Menüeintrag", a.text()) for a in menu.actions()]
        found += [("Menüeintrag Tooltip", a.toolTip()) for a in menu.actions() if a.toolTip() != a.text()]
    return [(where, text) for where, text in found if text and text.strip()]


def test_the_english_ui_has_no_german_left(english, demo_window, monkeypatch, tmp_path):
    services = demo_window._ctx.services
    data_words = _data_words(services)
    german: dict[str, set[str]] = defaultdict(set)

    def visit(scope: str, top: QWidget) -> None:
        for where, text in _visible_texts(top):
            if DUMP:
                print("TEXT", where, "|", text.replace("\n", " ")[:200])
            if words := german_in(text, data_words):
                german[scope].add(f"{where}: {text[:140]!r} ({', '.join(sorted(set(words)))})")

    walker = _tour(demo_window, visit, monkeypatch, tmp_path)
    for title, text in walker.messages:
        if words := german_in(title + " " + text, data_words):
            german["Meldungen"].add(f"{title}: {text[:140]!r} ({', '.join(sorted(set(words)))})")
    assert not german, "\n" + _report(german)
