"""Einlesen einer Liste in two steps: which column goes where (skipped when every column is known by its
spelling or a remembered mapping), then a preview of what would be written – every problem by row and
field, and what is not taken over. Nothing is stored before "Einlesen", which is one service call; the
mapping is then remembered for the next file with the same headers. Both the check (a dry run, cancellable: back
to the mapping step) and the write (one transaction, not cancellable) run on a worker (gui/operation.py).

Subclasses say how their list is read and shown (``run``, ``fill_records``, ``preview_text``, ``done_text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.column_mapping import list_columns, mapping_file_text, setting_key, usable
from bildungskoordination.domain.output_target import OutputRefused
from bildungskoordination.domain.tabular import ImportReport, TableReadError, quoted, read_header
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.imports.choice_delegate import ChoiceDelegate
from bildungskoordination.gui.imports.mapping_model import TARGET_COLUMN, ColumnMappingModel
from bildungskoordination.gui.imports.preview_models import ProblemModel
from bildungskoordination.gui.operation import Operation, Outcome, show_error
from bildungskoordination.gui.table_model import RecordTableModel, setup_record_table
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.services import Services


def _label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ImportDialog(QDialog):
    kind = ""  # "persons" or "courses" (resources/imports/columns.toml)
    title = ""
    records_name = ""  # accessible name of the preview table
    record_widths: Sequence[int] = ()

    def __init__(self, services: Services, path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._path = Path(path)
        self.preview: ImportReport | None = None
        self.result_report: ImportReport | None = None
        self._checking: Operation[ImportReport] | None = None  # the dry run under way
        self._writing: Operation[ImportReport] | None = None
        self.setWindowTitle(self.title)
        self.resize(920, 560)
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_mapping_page())
        self.stack.addWidget(self._build_preview_page())

        self.buttons = QDialogButtonBox()
        self.back_button = QPushButton(_("&Zurück zur Zuordnung"))
        self.next_button = QPushButton(_("&Weiter zur Vorschau"))
        self.import_button = QPushButton(_("&Einlesen"))
        self.import_button.setIcon(icon("import"))
        for button in (self.back_button, self.next_button, self.import_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(_("Schließen"), QDialogButtonBox.ButtonRole.RejectRole)
        self.back_button.clicked.connect(self.show_mapping)
        self.next_button.clicked.connect(self.show_preview)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self._header: list[str] = []
        try:
            self._header, samples = read_header(self._path)
        except TableReadError:
            samples = []  # the preview names the problem, with the file's row
        remembered = usable(services.settings.get(setting_key(self.kind, self._header)), self.kind, self._header)
        self.mapping_model.set_source(self._header, samples, remembered)
        for row in range(self.mapping_model.rowCount()):
            self.mapping_table.openPersistentEditor(self.mapping_model.index(row, TARGET_COLUMN))
        self._update_open()
        if self.mapping_model.unassigned():
            self.show_mapping()
        else:
            self.show_preview()

    # --- step 1: mapping ---------------------------------------------------------------------
    def _build_mapping_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = _label()
        intro.setText(_("Bitte für jede Spalte der Datei wählen, in welches Feld sie übernommen wird – oder "
                        "„nicht übernehmen“. Die Zuordnung wird für die nächste Datei mit denselben Spalten "
                        "gemerkt."))
        layout.addWidget(intro)
        self.mapping_model = ColumnMappingModel(list_columns(self.kind), self)
        self.mapping_table = QTableView()
        self.mapping_table.setModel(self.mapping_model)
        self.mapping_table.setItemDelegateForColumn(TARGET_COLUMN, ChoiceDelegate(self.mapping_table))
        setup_record_table(self.mapping_table, _("Zuordnung der Spalten"), (200, 360))
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        layout.addWidget(self.mapping_table, 1)
        row = QHBoxLayout()
        self.open_label = _label()
        row.addWidget(self.open_label, 1)
        self.skip_rest_button = QPushButton(_("&Rest nicht übernehmen"))
        self.skip_rest_button.setToolTip(_("Alle Spalten, die noch keine Zuordnung haben, nicht übernehmen"))
        self.skip_rest_button.clicked.connect(self._on_skip_rest_button_clicked)
        row.addWidget(self.skip_rest_button)
        self.save_mapping_button = QPushButton(_("Zuordnung &speichern …"))
        self.save_mapping_button.setToolTip(_("Als Datei für die Kommandozeile speichern (import … --mapping DATEI)"))
        self.save_mapping_button.clicked.connect(self._on_save_mapping_button_clicked)
        row.addWidget(self.save_mapping_button)
        layout.addLayout(row)
        self.mapping_model.dataChanged.connect(self._update_open)
        return page

    def _update_open(self, *_args: Any) -> None:
        open_columns = self.mapping_model.unassigned()
        conflicts = [self.mapping_model.columns.display(c) for c in self.mapping_model.conflicts()]
        texts = []
        if open_columns:
            texts.append(ngettext("Noch {n} Spalte ohne Zuordnung: {names}", "Noch {n} Spalten ohne Zuordnung: {names}",
                                  len(open_columns)).format(n=len(open_columns), names=quoted(open_columns)))
        if conflicts:
            texts.append(_("Mehreren Spalten zugeordnet, jeweils nur eine möglich: {names}").format(
                names=quoted(conflicts)))
        self.open_label.setText("\n".join(texts) or _("Jede Spalte ist zugeordnet."))
        self.skip_rest_button.setEnabled(bool(open_columns))
        self.next_button.setEnabled(not open_columns and not conflicts)

    def _on_skip_rest_button_clicked(self) -> None:
        self.mapping_model.skip_unassigned()

    def _on_save_mapping_button_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Zuordnung speichern"), "zuordnung.toml",
                                                    _("Zuordnung (*.toml)"))
        if not path:
            return
        text = mapping_file_text(self.mapping_model.mapping())
        try:  # the file dialog asked before replacing a file; the guard keeps the database's files safe
            self._services.outputs.write_bytes(path, text.encode("utf-8"), overwrite=True)
        except (OutputRefused, OSError) as exc:
            QMessageBox.warning(self, _("Zuordnung nicht gespeichert"), str(exc))

    def show_mapping(self) -> None:
        self._update_open()
        self.stack.setCurrentIndex(0)
        self.back_button.hide()
        self.import_button.hide()
        self.next_button.show()
        self.next_button.setDefault(True)

    # --- step 2: preview ---------------------------------------------------------------------
    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary = _label()
        layout.addWidget(self.summary)
        self.problem_model = ProblemModel(list_columns(self.kind), self)
        self.problems = QTableView()
        self.problems.setModel(self.problem_model)
        setup_record_table(self.problems, _("Fehler in der Datei"), (60, 180))
        layout.addWidget(self.problems, 1)
        self.model = self.make_records_model()
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, self.records_name, self.record_widths)
        layout.addWidget(self.table, 2)
        self.skipped = _label()
        self.warnings = _label()
        layout.addWidget(self.skipped)
        layout.addWidget(self.warnings)
        layout.addStretch(0)  # while the file is checked (tables hidden) the summary stays at the top
        return page

    def show_preview(self) -> None:
        """Check the file with the current mapping on a worker; the preview shows once it is done."""
        if self._checking is not None or self._writing is not None:
            return
        self.stack.setCurrentIndex(1)
        self.summary.setText(_("Die Datei wird geprüft …"))
        for widget in (self.problems, self.table, self.skipped, self.warnings):
            widget.hide()
        self.next_button.hide()
        self.back_button.setVisible(bool(self._header))
        self.import_button.show()
        self._set_busy(True)
        mapping, run = self.mapping_model.mapping(), self.run
        self._checking = (Operation(self, lambda _progress: run(dry_run=True, mapping=mapping), title=self.title)
                          .with_progress(_("Die Datei wird geprüft …"))
                          .success(self._checked).failure(self._check_failed).on_cancel(self._check_cancelled)
                          .run())

    def _set_busy(self, busy: bool) -> None:
        for button in (self.back_button, self.next_button, self.import_button):
            button.setEnabled(not busy)
        self.close_button.setEnabled(not busy or self._writing is None)  # the write is not cancellable

    def _checked(self, outcome: Outcome[ImportReport]) -> None:
        self._checking = None
        self._set_busy(False)
        self._show_report(outcome.value)

    def _check_failed(self, exc: BaseException) -> None:
        self._checking = None
        self._set_busy(False)
        show_error(self, self.title, exc)
        self.show_mapping()

    def _check_cancelled(self) -> None:
        self._checking = None
        self._set_busy(False)
        self.show_mapping()

    def _show_report(self, report: ImportReport) -> None:
        self.preview = report
        self.problem_model.set_rows(report.problems)
        self.problems.setVisible(bool(report.problems))
        self.fill_records(report)
        self.table.setVisible(self.model.rowCount() > 0)
        self.skipped.setText(_("Nicht übernommen: {names}").format(names=quoted(report.skipped)))
        self.skipped.setVisible(bool(report.skipped))
        others = report.warnings[1:] if report.skipped else report.warnings  # the first names the skipped
        self.warnings.setText("\n".join(others))
        self.warnings.setVisible(bool(others))
        if report.problems:
            self.summary.setText(ngettext(
                "Die Datei enthält {n} Fehler. Es wird nichts eingelesen; bitte die Datei korrigieren.",
                "Die Datei enthält {n} Fehler. Es wird nichts eingelesen; bitte die Datei korrigieren.",
                len(report.problems)).format(n=len(report.problems)))
        else:
            self.summary.setText(self.preview_text(report))
        self.stack.setCurrentIndex(1)
        self.next_button.hide()
        self.back_button.setVisible(bool(self._header))
        self.import_button.show()
        self.import_button.setEnabled(not report.problems)
        (self.close_button if report.problems else self.import_button).setDefault(True)

    def problem_texts(self) -> list[str]:
        return [str(self.problem_model.record(i)) for i in range(self.problem_model.rowCount())]

    # --- writing -----------------------------------------------------------------------------
    def _on_import_button_clicked(self) -> None:
        if self._checking is not None or self._writing is not None:
            return
        mapping, run = self.mapping_model.mapping(), self.run
        self._writing = Operation(self, lambda _progress: run(dry_run=False, mapping=mapping), title=self.title,
                                  bus=self._services.bus)
        self._set_busy(True)
        self._writing.with_progress(_("Liste wird eingelesen …"), cancellable=False) \
            .success(lambda outcome: self._written(outcome.value, mapping)).failure(self._write_failed).run()

    def _write_failed(self, exc: BaseException) -> None:
        self._writing = None
        self._set_busy(False)
        self.import_button.setEnabled(self.preview is not None and not self.preview.problems)
        show_error(self, self.title, exc)

    def _written(self, report: ImportReport, mapping: dict[str, str]) -> None:
        self._writing = None
        self._set_busy(False)
        self.result_report = report
        if report.problems:
            QMessageBox.warning(self, _("Nicht eingelesen"),
                                _("Es wurde nichts übernommen:") + "\n" + "\n".join(str(p) for p in report.problems))
            self.reject()
            return
        if self._header:
            self._services.settings.set(setting_key(self.kind, self._header), mapping)
        text = self.done_text(report)
        if report.skipped:
            text += "\n" + _("Nicht übernommen: {names}").format(names=quoted(report.skipped))
        QMessageBox.information(self, _("Eingelesen"), text)
        self.accept()

    def reject(self) -> None:
        """Escape or "Schließen": a check under way is cancelled; during the write the dialog stays open."""
        if self._writing is not None:
            return
        if self._checking is not None:
            self._checking.cancel()
        super().reject()

    # --- what the list decides ---------------------------------------------------------------
    def run(self, *, dry_run: bool, mapping: dict[str, str]) -> ImportReport:
        """Runs on a worker thread: ``mapping`` was taken on the GUI thread when the user asked."""
        raise NotImplementedError

    def make_records_model(self) -> RecordTableModel[Any]:
        raise NotImplementedError

    def fill_records(self, report: Any) -> None:
        raise NotImplementedError

    def preview_text(self, report: Any) -> str:
        raise NotImplementedError

    def done_text(self, report: Any) -> str:
        raise NotImplementedError
