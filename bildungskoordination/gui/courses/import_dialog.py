"""Kursliste einlesen: the provider's columns are mapped (gui/imports/dialog.py), the file is checked (dry run)
and shown – every problem, or the courses that would be written. Nothing is stored before "Einlesen"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from bildungskoordination.courses.importer import CourseImportReport, import_courses
from bildungskoordination.courses.records import CourseData
from bildungskoordination.gui.courses.models import fmt_date, type_label
from bildungskoordination.gui.imports.dialog import ImportDialog
from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _
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


class CourseImportDialog(ImportDialog):
    """Mapping step and preview of one course file; "Einlesen" writes it with one service call."""

    kind = "courses"
    record_widths = (130, 230, 200, 90)

    def __init__(self, services: Services, path: Path | str, parent: QWidget | None = None) -> None:
        self.title = _("Kursliste einlesen")
        self.records_name = _("Kurse der Datei")
        self._rules = services.matching.rules
        super().__init__(services, path, parent)

    def run(self, *, dry_run: bool, mapping: dict[str, str]) -> CourseImportReport:
        return import_courses(self._services, self._path, dry_run=dry_run, mapping=mapping)

    def make_records_model(self) -> ImportPreviewModel:
        return ImportPreviewModel(self._rules, self)

    def fill_records(self, report: CourseImportReport) -> None:
        rows = [] if report.problems else list(zip(report.courses, report.existing, strict=True))
        self.model.set_rows(rows)

    def preview_text(self, report: CourseImportReport) -> str:
        updates = sum(report.existing)
        return _("{n} Kurse werden eingelesen: {new} neu, {updated} aktualisiert.").format(
            n=len(report.courses), new=len(report.courses) - updates, updated=updates)

    def done_text(self, report: CourseImportReport) -> str:
        return _("{created} Kurse angelegt, {updated} Kurse aktualisiert.").format(
            created=len(report.created_ids), updated=len(report.updated_ids))
