"""Kursliste einlesen: the provider's file is checked first (dry run) and shown – either every problem, or the
courses that would be written. Nothing is stored before "Einlesen"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.courses.importer import CourseImportReport, import_courses
from bildungskoordination.courses.records import CourseData
from bildungskoordination.gui.courses.models import fmt_date, type_label
from bildungskoordination.gui.operation import Operation, show_error
from bildungskoordination.gui.table_model import RecordTableModel, setup_record_table
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.matching.rules import RuleSet
from bildungskoordination.services import Services


class ImportPreviewModel(RecordTableModel[tuple[CourseData, bool]]):
    """The courses of the file as they would be written, and whether each is new or updates one."""

    columns = [N_("Kursnummer"), N_("Träger"), N_("Kursart"), N_("Beginn"), N_("Aktion")]

    def __init__(self, rules: RuleSet, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules = rules

    def cell(self, record: tuple[CourseData, bool], column: int) -> Any:
        c, existing = record
        return [c.course_number, c.provider, type_label(self._rules, c.course_type), fmt_date(c.start),
                _("aktualisieren") if existing else _("neu")][column]


class CourseImportDialog(QDialog):
    """Preview of one course file; "Einlesen" writes it with one service call."""

    def __init__(self, services: Services, path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._path = Path(path)
        self.result_report: CourseImportReport | None = None
        self.setWindowTitle(_("Kursliste einlesen"))
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)

        self.problems = QListWidget()
        self.problems.setAccessibleName(_("Fehler in der Datei"))
        layout.addWidget(self.problems, 1)
        self.model = ImportPreviewModel(services.matching.rules, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, _("Kurse der Datei"), (130, 230, 200, 90))
        layout.addWidget(self.table, 1)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.warnings)

        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(_("&Einlesen"))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(_("Schließen"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        # The file is checked on a worker (a long list, a slow share); "Einlesen" waits for the check.
        self.preview: CourseImportReport | None = None
        self.import_button.setEnabled(False)
        self.summary.setText(_("Die Datei wird geprüft …"))
        self.operation = (Operation(self, lambda _progress: import_courses(services, self._path, dry_run=True),
                                    title=_("Kursliste einlesen"))
                          .with_progress(_("Die Kursliste wird geprüft …"))
                          .success(lambda outcome: self._checked(outcome.value))
                          .on_cancel(self.reject).run())

    @property
    def busy(self) -> bool:
        return not self.operation.finished

    def _checked(self, report: CourseImportReport) -> None:
        self.preview = report
        self.import_button.setEnabled(True)
        self._show_preview(report)

    def problem_texts(self) -> list[str]:
        return [self.problems.item(i).text() for i in range(self.problems.count())]

    def _show_preview(self, report: CourseImportReport) -> None:
        self.warnings.setText("\n".join(report.warnings))
        self.warnings.setVisible(bool(report.warnings))
        if report.problems:
            self.problems.addItems([str(p) for p in report.problems])
            self.summary.setText(ngettext(
                "Die Datei enthält {n} Fehler. Es wird nichts eingelesen; bitte die Datei korrigieren.",
                "Die Datei enthält {n} Fehler. Es wird nichts eingelesen; bitte die Datei korrigieren.",
                len(report.problems)).format(n=len(report.problems)))
            self.table.hide()
            self.import_button.setEnabled(False)
            self.close_button.setDefault(True)
            return
        self.problems.hide()
        self.model.set_rows(list(zip(report.courses, report.existing, strict=True)))
        updates = sum(report.existing)
        self.summary.setText(_("{n} Kurse werden eingelesen: {new} neu, {updated} aktualisiert.").format(
            n=len(report.courses), new=len(report.courses) - updates, updated=updates))
        self.import_button.setDefault(True)

    def _on_import_button_clicked(self) -> None:
        self.import_button.setEnabled(False)
        services, path = self._services, self._path
        self.operation = (Operation(self, lambda _progress: import_courses(services, path),
                                    title=_("Kursliste einlesen"), bus=services.bus)
                          .with_progress(_("Die Kurse werden eingelesen …"), cancellable=False)
                          .success(lambda outcome: self._imported(outcome.value))
                          .failure(self._import_failed).run())

    def _import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        show_error(self, _("Kursliste einlesen"), exc)

    def _imported(self, report: CourseImportReport) -> None:
        self.result_report = report
        if report.problems:
            QMessageBox.warning(self, _("Kursliste nicht eingelesen"),
                                _("Es wurde nichts übernommen:") + "\n" + "\n".join(str(p) for p in report.problems))
            self.reject()
            return
        QMessageBox.information(self, _("Kursliste eingelesen"),
                                _("{created} Kurse angelegt, {updated} Kurse aktualisiert.").format(
                                    created=len(report.created_ids), updated=len(report.updated_ids)))
        self.accept()
