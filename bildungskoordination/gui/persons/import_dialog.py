"""Personenliste einlesen: the mapping step and preview of gui/imports/dialog.py for people – with the
files each row looks like (likely duplicates), so a person is not entered twice."""

from __future__ import annotations

from typing import Any

from bildungskoordination.gui.imports.dialog import ImportDialog
from bildungskoordination.gui.imports.preview_models import PersonPreviewModel
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.people.importer import ImportReport, import_persons


class PersonImportDialog(ImportDialog):
    kind = "persons"
    records_name = "Personen der Datei"
    record_widths = (50, 150, 130, 95, 170, 220, 110, 150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.title = _("Personenliste einlesen")
        self.records_name = _("Personen der Datei")
        super().__init__(*args, **kwargs)

    def run(self, *, dry_run: bool, mapping: dict[str, str]) -> ImportReport:
        return import_persons(self._services, self._path, dry_run=dry_run, mapping=mapping)

    def make_records_model(self) -> PersonPreviewModel:
        return PersonPreviewModel(self)

    def fill_records(self, report: ImportReport) -> None:
        self.model.set_rows([(number, data, report.duplicates.get(number, []))
                             for number, data in zip(report.row_numbers, report.people, strict=True)])

    def preview_text(self, report: ImportReport) -> str:
        text = ngettext("{n} Person wird eingelesen.", "{n} Personen werden eingelesen.",
                        len(report.people)).format(n=len(report.people))
        if report.duplicates:
            text += " " + ngettext(
                "{n} Zeile sieht aus wie eine schon erfasste Person (gelb markiert) – bitte prüfen.",
                "{n} Zeilen sehen aus wie schon erfasste Personen (gelb markiert) – bitte prüfen.",
                len(report.duplicates)).format(n=len(report.duplicates))
        return text

    def done_text(self, report: ImportReport) -> str:
        return ngettext("{n} Person eingelesen.", "{n} Personen eingelesen.",
                        len(report.created_ids)).format(n=len(report.created_ids))
