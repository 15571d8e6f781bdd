"""„Brief erstellen“: the bilingual letter for one referral (or one letter per referral for a batch) – choose
the language, see the letter as it will print, print it through the system dialog or save it as a PDF.

Rendering, the refusal for restricted persons and the audit log are the LetterService's; this dialog only
shows what it gets and the German message when it is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.domain.vocab import language_name
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.letters.pdf_pages import PREVIEW_DPI, PRINT_DPI, print_pages, render_pages
from bildungskoordination.gui.letters.preview import PagePreview
from bildungskoordination.gui.operation import Operation, Outcome, Progress, show_error
from bildungskoordination.gui.save_target import LETTERS, may_replace, remember_folder, start_folder
from bildungskoordination.i18n import SOURCE_LANGUAGE, _, current_language, ngettext
from bildungskoordination.letters.service import LanguageInfo

# Catalogs in these states need no warning; everything else ("machine-translated", "missing", …) gets one.
TRUSTED_STATES = frozenset({"source", "reviewed", "official"})
WARNING_STYLE = "#reviewState[warn=\"true\"] { background: #fff4ce; color: #5c4400; padding: 4px; border: 1px solid #e0c36a; }"
ERROR_STYLE = "#letterError { background: #fdecea; color: #8c1d18; padding: 6px; border: 1px solid #b3261e; }"
PERSON_LANGUAGE = ""  # combo data of the batch entry "Sprache der jeweiligen Person"


def error_message(exc: Exception) -> str:
    """The German message of a refusal: the field messages of a ValidationError, else the exception's text."""
    errors = getattr(exc, "errors", None)
    return "; ".join(e.message for e in errors) if errors else str(exc)


@contextmanager
def busy_cursor() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class LetterDialog(QDialog):
    def __init__(self, ctx: AppContext, referral_ids: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._ids = list(referral_ids)
        self._letters = ctx.services.letters
        self._languages = {info.code: info for info in self._letters.languages()}
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)  # kept, so the chosen printer stays
        self.printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        self.setWindowTitle(_("Brief erstellen"))
        self.resize(820, 700)  # fits a 1366×768 laptop screen
        layout = QVBoxLayout(self)

        self.summary = QLabel(self._summary_text())
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        label = QLabel(_("&Sprache des Briefs:"))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Sprache des Briefs"))
        label.setBuddy(self.language)
        row.addWidget(label)
        row.addWidget(self.language, 1)
        layout.addLayout(row)
        self.review = QLabel()
        self.review.setObjectName("reviewState")
        self.review.setStyleSheet(WARNING_STYLE)
        self.review.setWordWrap(True)
        layout.addWidget(self.review)
        self.error = QLabel()
        self.error.setObjectName("letterError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        layout.addWidget(self.error)
        self.pages_label = QLabel()
        layout.addWidget(self.pages_label)
        self.preview = PagePreview()
        layout.addWidget(self.preview, 1)

        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)  # a batch lists many past dates: one line would widen the dialog to 12 000 px
        buttons.addWidget(self.status, 1)
        self.print_button = QPushButton(_("&Drucken …"))
        self.print_button.setIcon(icon("print"))
        self.save_button = QPushButton(_("Als &PDF speichern …"))
        self.save_button.setIcon(icon("pdf"))
        self.close_button = QPushButton(_("Schließen"))
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.setTabOrder(self.language, self.preview)
        self.setTabOrder(self.preview, self.print_button)
        self.setTabOrder(self.print_button, self.save_button)
        self.setTabOrder(self.save_button, self.close_button)

        self._fill_languages()
        self.language.currentIndexChanged.connect(self._on_language_current_index_changed)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.language.setFocus()
        self._generation = 0
        self._pending: Operation[tuple[list[QImage], list[str]]] | None = None
        self._output: Operation[object] | None = None
        self.refresh(defer=True)
        if self._letters.needs_letterhead():  # the first letter on a real database: no silent default
            QTimer.singleShot(0, self.ask_for_letterhead)

    def ask_for_letterhead(self) -> None:
        """Open „Briefe einrichten“ on the letterhead, saying why; show the letter once it is entered."""
        from bildungskoordination.gui.letters.settings_page import LetterSettingsDialog

        dialog = LetterSettingsDialog(self._ctx, self, intro=_(
            "Vor dem ersten Brief: bitte den Briefkopf Ihrer Behörde eintragen (Behörde, Abteilung, Anschrift, "
            "Telefon, E-Mail, Sprechzeiten, Ansprechperson) und speichern. Er steht dann auf jedem Brief."))
        self.letterhead_dialog = dialog
        dialog.exec()
        self.refresh()

    # --- state -----------------------------------------------------------------------------------
    def language_code(self) -> str | None:
        """The chosen letter language; None = each person's own (batch only)."""
        code = self.language.currentData()
        return None if code in (None, PERSON_LANGUAGE) else str(code)

    @property
    def busy(self) -> bool:
        """A preview, a print or a save is still being prepared on a worker."""
        return self._pending is not None or (self._output is not None and not self._output.finished)

    def refresh(self, *, defer: bool = False) -> None:
        """Render the letters in the chosen language on a worker and show them (a batch of 20 takes seconds);
        on a refusal show why, and nothing. A newer choice replaces a preview still being drawn. ``defer``: the
        worker starts once the new dialog painted (Operation.run_soon)."""
        self._show_review_state()
        self.status.setText("")
        self._generation += 1
        generation, ids, code, letters = self._generation, list(self._ids), self.language_code(), self._letters

        def work(progress: Progress) -> tuple[list[QImage], list[str]]:
            pdf = letters.render(ids, code, action=None, allow_past=True)  # the preview is not logged
            progress.check()
            try:
                past = letters.past_dates(ids)
            except NotFound:
                past = []
            return render_pages(pdf, PREVIEW_DPI), past

        self.pages_label.setText(_("Vorschau wird erstellt …"))
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        if self._pending is not None:
            self._pending.cancel()
        self._pending = (Operation(self, work, title=_("Brief erstellen"))
                         .with_progress(ngettext("Der Brief wird erstellt …", "{n} Briefe werden erstellt …",
                                                 len(ids)).format(n=len(ids)))
                         .success(lambda outcome: self._show_preview(generation, *outcome.value))
                         .failure(lambda exc: self._refused(exc, generation))
                         .on_cancel(lambda: self._refused(None, generation)))
        if defer:
            self._pending.run_soon(self)
        else:
            self._pending.run()

    def _show_preview(self, generation: int, images: list[QImage], past: list[str]) -> None:
        if generation != self._generation:
            return
        self._pending = None
        self.error.hide()
        if past:
            self.status.setText(_("Achtung, Termine in der Vergangenheit: {dates}").format(dates="; ".join(past)))
        self.preview.set_pages(images)
        self.pages_label.setText(ngettext("{n} Seite", "{n} Seiten", len(images)).format(n=len(images))
                                 if images else "")
        self.print_button.setEnabled(bool(images))
        self.save_button.setEnabled(bool(images))

    def _refused(self, exc: BaseException | None, generation: int | None = None) -> None:
        """A refusal (ValidationError, NotFound, ValueError) in the dialog; anything else the usual way."""
        if generation is not None:
            if generation != self._generation:
                return
            self._pending = None
            self.preview.set_pages([])
            self.pages_label.setText("")
        if exc is None:
            return
        if isinstance(exc, (ValidationError, NotFound, ValueError)):
            self.error.setText(error_message(exc))
            self.error.show()
        else:
            show_error(self, _("Brief erstellen"), exc)

    def _fill_languages(self) -> None:
        if len(self._ids) > 1:
            self.language.addItem(_("Sprache der jeweiligen Person"), PERSON_LANGUAGE)
            preselect: str = PERSON_LANGUAGE
        else:
            try:
                preselect = self._letters.default_language(self._ids[0]) if self._ids else "de"
            except NotFound:
                preselect = "de"
        for info in self._languages.values():
            self.language.addItem(language_item_text(info), info.code)
            self.language.setItemData(self.language.count() - 1, info.review.label, Qt.ItemDataRole.ToolTipRole)
        self.language.setCurrentIndex(max(0, self.language.findData(preselect)))

    def _show_review_state(self) -> None:
        code = self.language_code()
        if code is None:
            self.review.setText(_("Übersetzung: je nach Sprache der Person (Prüfstand siehe „Briefe einrichten“)"))
            warn = False
        else:
            state = self._languages[code].review
            self.review.setText(_("Übersetzung: {state}").format(state=state.label))
            warn = state.code not in TRUSTED_STATES
        self.review.setProperty("warn", "true" if warn else "false")
        self.review.style().unpolish(self.review)  # the style sheet depends on the property
        self.review.style().polish(self.review)
        self.review.setAccessibleDescription(_("Warnung: nicht geprüfte Übersetzung") if warn else "")


    def confirm_past_dates(self) -> bool | None:
        """None: nothing in the past; True: the user confirmed the named dates; False: cancelled."""
        try:
            lines = self._letters.past_dates(self._ids)
        except NotFound:
            return None
        if not lines:
            return None
        answer = QMessageBox.question(
            self, _("Termine in der Vergangenheit"),
            _("Anmeldeschluss oder Kursbeginn liegen in der Vergangenheit:\n\n{dates}\n\n"
              "Den Brief trotzdem erstellen?").format(dates="\n".join(lines)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _run(self, work: Callable[[Progress], object], label: str, done: Callable[[object], None], *,
             cancellable: bool = True) -> None:
        """Printing and saving: on a worker, with progress after a second; a refusal shows in the dialog."""
        self.error.hide()
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)

        def finish(outcome: Outcome[object]) -> None:
            self._enable_output()
            done(outcome.value)

        def failed(exc: BaseException) -> None:
            self._enable_output()
            self._refused(exc)

        self._output = Operation(self, work, title=_("Brief erstellen")) \
            .with_progress(label, cancellable=cancellable).success(finish) \
            .failure(failed).on_cancel(self._enable_output).run()

    def _enable_output(self) -> None:
        for button in (self.print_button, self.save_button):
            button.setEnabled(bool(self.preview.pages))

    def default_file_name(self) -> str:
        language = self.language_code() or "Personensprache"
        if len(self._ids) == 1:
            try:
                number = self._ctx.services.referrals.get(self._ids[0]).file_number
            except NotFound:
                number = str(self._ids[0])
            return f"Vermittlung_{number}_{language}.pdf"
        return f"Vermittlungen_{date.today():%Y-%m-%d}_{len(self._ids)}_{language}.pdf"

    def _summary_text(self) -> str:
        if len(self._ids) != 1:
            return ngettext("{n} Brief – je Vermittlung einer", "{n} Briefe – je Vermittlung einer",
                            len(self._ids)).format(n=len(self._ids))
        try:
            r = self._ctx.services.referrals.get(self._ids[0])
        except NotFound:
            return ""
        return _("Vermittlung von {person} ({file_number}) in {course} bei {provider}").format(
            person=r.person_name, file_number=r.file_number, course=r.course_number, provider=r.provider)

    # --- slots -----------------------------------------------------------------------------------
    def _on_language_current_index_changed(self, _index: int) -> None:
        self.refresh()

    def _on_print_button_clicked(self) -> None:
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle(_("Brief drucken"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        confirmed = self.confirm_past_dates()
        if confirmed is False:
            return
        ids, code, letters = list(self._ids), self.language_code(), self._letters

        def work(_progress: Progress) -> list[QImage]:
            pdf = letters.render(ids, code, action="print", allow_past=bool(confirmed))
            return render_pages(pdf, PRINT_DPI)

        self._run(work, _("Der Druck wird vorbereitet …"), self._print)

    def _print(self, images: object) -> None:
        printed = print_pages(self.printer, images)  # type: ignore[arg-type]
        self.status.setText(_("An den Drucker gesendet.") if printed else "")
        if not printed:
            self.error.setText(_("Der Drucker „{name}“ ließ sich nicht öffnen.").format(name=self.printer.printerName()))
            self.error.show()

    def _on_save_button_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Brief als PDF speichern"),
                                                    str(start_folder(LETTERS) / self.default_file_name()),
                                                    _("PDF (*.pdf)"))
        if not path:
            return
        remember_folder(LETTERS, Path(path).parent)
        target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        overwrite = may_replace(self, path, target)
        if overwrite is None:
            return
        confirmed = self.confirm_past_dates()
        if confirmed is False:
            return

        ids, code, letters = list(self._ids), self.language_code(), self._letters

        def save(_progress: Progress) -> Path:
            try:
                letters.save(ids, target, code, overwrite=overwrite, allow_past=bool(confirmed))
            except OSError as exc:  # the folder is read-only, the stick was pulled, …
                raise ValueError(_("Die Datei {path} ließ sich nicht schreiben: {error}").format(
                    path=target, error=exc.strerror or exc)) from exc
            return target

        self._run(save, _("Die Briefe werden gespeichert …"),  # a file written and logged cannot be taken back
                  lambda path: self.status.setText(_("Gespeichert: {path}").format(path=path)), cancellable=False)


_warming = False


def warm_up_letters(ctx: AppContext) -> None:
    """Once per process, on a worker: draw an invented letter and load pdfium, so that the first preview does not
    hold the GIL for half a second (ReportLab's imports and font parsing) while the dialog and the table behind it
    paint – every cell they paint needs the GIL. Called where a letter can be asked for, after that view painted.
    A failure here is not reported: the letter itself reports it, where the user asked for it."""
    global _warming
    if _warming:
        return
    _warming = True
    letters = ctx.services.letters

    def work(_progress: Progress) -> None:
        import pypdfium2  # noqa: F401 – loading the library is the work

        letters.warm_up()

    Operation(None, work, title=_("Brief erstellen")).failure(lambda _exc: None).run()


def language_item_text(info: LanguageInfo) -> str:
    """A letter language in a picker: its name in the UI language and its own name ("Arabisch – العربية")."""
    ui = current_language()
    name = info.name if ui == SOURCE_LANGUAGE else language_name(info.code, ui)
    return name if info.native == name else f"{name} – {info.native}"
