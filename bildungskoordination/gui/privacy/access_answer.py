"""„Auskunft nach Art. 15“ for one person: the folder is asked for here, the two files are written on a worker
(a person with years of contacts takes a while), an answer of today is replaced only when the user says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from bildungskoordination.domain.output_target import OutputRefused
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.operation import Operation, Outcome
from bildungskoordination.gui.save_target import ACCESS_EXPORT, confirm_replace, remember_folder, start_folder
from bildungskoordination.i18n import _


def write_access_answer(parent: QWidget, ctx: AppContext, person_id: int, done: Callable[[str], None]) -> None:
    """Ask for the folder, write the answer; ``done`` gets the status line once both files are there."""
    folder = QFileDialog.getExistingDirectory(parent, _("Ordner für die Auskunft nach Art. 15 wählen"),
                                              str(start_folder(ACCESS_EXPORT)))
    if folder:
        remember_folder(ACCESS_EXPORT, folder)
        _write(parent, ctx, person_id, Path(folder), done, overwrite=False)


def _write(parent: QWidget, ctx: AppContext, person_id: int, folder: Path, done: Callable[[str], None], *,
           overwrite: bool) -> None:
    export = ctx.services.access_export.export

    def failed(exc: BaseException) -> None:
        # The folder holds an answer of today already: replace it only when the user says so.
        if isinstance(exc, OutputRefused) and exc.exists and not overwrite and confirm_replace(parent, [exc.path]):
            _write(parent, ctx, person_id, folder, done, overwrite=True)
            return
        QMessageBox.critical(parent, _("Auskunft nicht erstellt"),
                             _("Die Auskunft wurde nicht erstellt: {error}").format(error=exc))

    def written(outcome: Outcome[tuple[Path, Path]]) -> None:
        json_path, pdf_path = outcome.value
        done(_("Auskunft geschrieben: {pdf}, {json}").format(pdf=pdf_path.name, json=json_path.name))
        QMessageBox.information(
            parent, _("Auskunft nach Art. 15 erstellt"),
            _("Zwei Dateien wurden in {folder} geschrieben:\n\n{pdf}  (zum Lesen und Ausdrucken)\n{json}  "
              "(maschinenlesbar)\n\nSie enthalten personenbezogene Daten: bitte nur der Person selbst "
              "übergeben und danach hier löschen.").format(folder=folder, pdf=pdf_path.name, json=json_path.name))

    Operation(parent, lambda _progress: export(person_id, folder, overwrite=overwrite),
              title=_("Auskunft nach Art. 15")) \
        .with_progress(_("Die Auskunft wird geschrieben …"), cancellable=False) \
        .success(written).failure(failed).run()
