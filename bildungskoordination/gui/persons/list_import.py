"""Reading a person list (CSV, XLSX) from the GUI: check everything first, say every problem, then all or nothing.

The same core import as ``import-persons`` (people/importer.py); a column mapping step is a separate dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from bildungskoordination.i18n import _, ngettext
from bildungskoordination.services import Services

MAX_SHOWN = 15


def import_person_list(services: Services, parent: QWidget | None = None, path: Path | None = None) -> int:
    """Ask for a file (starting in the documents folder), check it, and after a yes import it; the number read."""
    from bildungskoordination.people.importer import import_persons

    if path is None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _filter = QFileDialog.getOpenFileName(parent, _("Personenliste einlesen"), start,
                                                      _("Listen (*.xlsx *.csv);;Alle Dateien (*)"))
        if not chosen:
            return 0
        path = Path(chosen)
    try:
        preview = import_persons(services, path, dry_run=True)
    except (OSError, ValueError) as exc:
        QMessageBox.warning(parent, _("Personenliste einlesen"), str(exc))
        return 0
    if preview.problems:
        lines = [str(p) for p in preview.problems[:MAX_SHOWN]]
        if len(preview.problems) > MAX_SHOWN:
            lines.append(_("… und {n} weitere").format(n=len(preview.problems) - MAX_SHOWN))
        QMessageBox.warning(parent, _("Nichts eingelesen"),
                            _("Die Liste hat {n} Fehler; es wurde nichts eingelesen:").format(n=len(preview.problems))
                            + "\n\n" + "\n".join(lines))
        return 0
    question = ngettext("{n} Person einlesen?", "{n} Personen einlesen?", len(preview.people)).format(
        n=len(preview.people))
    if preview.duplicates:
        question += "\n" + _("{n} Zeilen sehen aus wie schon erfasste Personen.").format(n=len(preview.duplicates))
    if preview.warnings:
        question += "\n\n" + "\n".join(preview.warnings)
    if QMessageBox.question(parent, _("Personenliste einlesen"), question) != QMessageBox.StandardButton.Yes:
        return 0
    report = import_persons(services, path)
    if report.problems:
        QMessageBox.warning(parent, _("Nichts eingelesen"), "\n".join(str(p) for p in report.problems[:MAX_SHOWN]))
        return 0
    return len(report.created_ids)
