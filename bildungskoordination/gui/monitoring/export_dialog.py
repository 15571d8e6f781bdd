"""Export for education monitoring: period, tables, format and k; a preview of exactly the cells the file
will contain (suppressed ones as "."); then "Speichern unter …"."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.monitoring.models import FORMAT_NAMES, SUPPRESSED_COLORS, SUPPRESSED_TEXTS, CountTableModel
from bildungskoordination.gui.monitoring.period_picker import PeriodPicker
from bildungskoordination.gui.operation import Operation, show_error
from bildungskoordination.gui.save_target import EXPORTS, may_replace, remember_folder, start_folder
from bildungskoordination.gui.table_model import setup_record_table
from bildungskoordination.i18n import N_, _, ngettext
from bildungskoordination.monitoring.model import MIN_K, CellStatus, CountsReport, Period
from bildungskoordination.monitoring.writers.texts import legend

FORMAT_BUTTONS = (("xlsx", N_("E&xcel (XLSX)")), ("csv", N_("&CSV")), ("pdf", N_("&PDF")))
FILE_FILTERS = {"xlsx": N_("Excel-Arbeitsmappe (*.xlsx)"), "csv": N_("CSV-Datei (*.csv)"),
                "pdf": N_("PDF-Dokument (*.pdf)")}

REFRESH_DELAY_MS = 250  # typing a k or scrolling through months should not recount on every step


class ExportDialog(QDialog):
    exported = Signal(object)  # Path

    def __init__(self, monitoring: Any, period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._monitoring = monitoring
        self.report: CountsReport | None = None
        self.setWindowTitle(_("Auswertung exportieren"))
        self.resize(1240, 680)
        layout = QHBoxLayout(self)
        layout.addWidget(self._build_controls(period), 0)
        layout.addLayout(self._build_preview(), 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.period.changed.connect(self._on_any_changed)
        self.k.valueChanged.connect(self._on_any_changed)
        for box in self.table_checks.values():
            box.toggled.connect(self._on_any_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self._generation = 0
        self._pending: Operation[CountsReport] | None = None
        self._saving: Operation[None] | None = None
        self.refresh()

    # --- building -------------------------------------------------------------------------------
    def _build_controls(self, period: Period) -> QWidget:
        panel = QWidget()
        infos = self._monitoring.available_tables()
        # Wide enough for the longest table title (they are long and must be readable), within reason.
        longest = max((self.fontMetrics().horizontalAdvance(info.title) for info in infos), default=200)
        panel.setFixedWidth(min(longest + 70, 480))
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.period = PeriodPicker()
        self.period.set_period(period)
        column.addWidget(self.period)
        tables_box = QGroupBox(_("Tabellen"))
        tables_layout = QVBoxLayout(tables_box)
        self.table_checks: dict[str, QCheckBox] = {}
        for info in infos:
            box = QCheckBox(info.title)
            box.setToolTip(info.title)
            box.setChecked(True)
            tables_layout.addWidget(box)
            self.table_checks[info.id] = box
        column.addWidget(tables_box)
        format_box = QGroupBox(_("Format"))
        format_layout = QHBoxLayout(format_box)
        self.format_group = QButtonGroup(self)
        self.format_buttons: dict[str, QRadioButton] = {}
        for code, text in FORMAT_BUTTONS:
            button = QRadioButton(_(text))
            self.format_group.addButton(button)
            format_layout.addWidget(button)
            self.format_buttons[code] = button
        self.format_buttons["xlsx"].setChecked(True)
        column.addWidget(format_box)
        form = QFormLayout()
        self.k = QSpinBox()
        self.k.setRange(MIN_K, 99)  # below 3 a single person could be recognised: not offered at all
        self.k.setValue(MIN_K)
        self.k.setMaximumWidth(80)
        self.k.setAccessibleName(_("Mindestfallzahl k"))
        self.k.setToolTip(_("Werte von 1 bis k−1 werden als „.“ geheim gehalten (mindestens {k}).").format(k=MIN_K))
        form.addRow(_("Mindestfallzahl &k:"), self.k)
        column.addLayout(form)
        column.addStretch(1)
        buttons = QDialogButtonBox()
        self.save_button = QPushButton(_("&Speichern unter …"))
        self.save_button.setIcon(icon("export"))
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(_("Schließen"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        column.addWidget(buttons)
        self.saved = QLabel()  # where the last file went; stays while the preview refreshes
        self.saved.setWordWrap(True)
        self.saved.setTextFormat(Qt.TextFormat.PlainText)
        self.saved.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.saved)
        return panel

    def _build_preview(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setStyleSheet("QLabel { background: #fdecea; color: #8c1d18; border: 1px solid #b3261e;"
                                    " padding: 6px; font-weight: bold; }")
        self.warnings.setAccessibleName(_("Warnungen"))
        # Many earlier exports can mean many warnings: they scroll rather than push the preview away.
        self.warnings_area = QScrollArea()
        self.warnings_area.setWidget(self.warnings)
        self.warnings_area.setWidgetResizable(True)
        self.warnings_area.setFrameShape(QFrame.Shape.NoFrame)
        self.warnings_area.setMaximumHeight(170)
        self.warnings_area.hide()
        column.addWidget(self.warnings_area)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Vorschau"))
        self.tabs.currentChanged.connect(self._fit_current)
        column.addWidget(self.tabs, 1)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAccessibleName(_("Zeichenerklärung"))
        column.addWidget(self.legend)
        return column

    # --- state ----------------------------------------------------------------------------------
    def selected_tables(self) -> list[str]:
        return [table_id for table_id, box in self.table_checks.items() if box.isChecked()]

    def file_format(self) -> str:
        return next(code for code, button in self.format_buttons.items() if button.isChecked())

    def preview_model(self, table_id: str) -> CountTableModel | None:
        for i in range(self.tabs.count()):
            view = self.tabs.widget(i).findChild(QTableView)
            model = view.model() if view is not None else None
            if isinstance(model, CountTableModel) and model.table.id == table_id:
                return model
        return None

    @property
    def busy(self) -> bool:
        """Counting (or saving) runs on a worker: seconds on a large district."""
        return self._pending is not None or (self._saving is not None and not self._saving.finished)

    def refresh(self) -> None:
        """Count again for the chosen period, tables and k on a worker; the preview shows exactly what would be
        written. A newer choice replaces a count still running."""
        self._timer.stop()
        tables = self.selected_tables()
        self.report = None
        self._generation += 1
        generation = self._generation
        if not tables:
            self._pending = None
            self._show_report(None, _("Bitte mindestens eine Tabelle wählen."))
            return
        self.save_button.setEnabled(False)
        self.summary.setText(_("Wird gezählt …"))
        monitoring, period, k = self._monitoring, self.period.period(), self.k.value()
        if self._pending is not None:
            self._pending.cancel()
        self._pending = (Operation(self, lambda _progress: monitoring.report(period, tables=tables, k=k),
                                   title=_("Auswertung exportieren"))
                         .with_progress(_("Die Fallzahlen werden gezählt …"))
                         .success(lambda outcome: self._counted(generation, outcome.value, ""))
                         .failure(lambda exc: self._count_failed(generation, exc))
                         .on_cancel(lambda: self._counted(generation, None, _("Zählen abgebrochen."))).run())

    def _counted(self, generation: int, report: CountsReport | None, problem: str) -> None:
        if generation == self._generation:
            self._pending = None
            self._show_report(report, problem)

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, ValueError):
            self._counted(generation, None, str(exc))
        else:
            self._counted(generation, None, _("Nicht gezählt."))
            show_error(self, _("Auswertung exportieren"), exc)

    def _show_report(self, report: CountsReport | None, problem: str) -> None:
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        self.report = report
        self.save_button.setEnabled(report is not None)
        if report is None:
            self.summary.setText(problem)
            self.warnings_area.hide()
            self.legend.clear()
            return
        for table in report.tables:
            self.tabs.addTab(self._table_page(table, report.k), table.title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, table.title)
        self.tabs.setCurrentIndex(min(max(current, 0), self.tabs.count() - 1))
        self._fit_current()
        hidden = sum(1 for t in report.tables for row in t.rows for cell in row.cells if cell.suppressed)
        self.summary.setText(_("Vorschau für {period}, k = {k}: ").format(period=report.period.label, k=report.k)
                             + ngettext("{n} Wert wird als „.“ geheim gehalten.",
                                        "{n} Werte werden als „.“ geheim gehalten.", hidden).format(n=hidden))
        self.warnings.setText("\n".join("⚠ " + w for w in report.warnings))
        self.warnings_area.setVisible(bool(report.warnings))
        self.legend.setText(_legend_html(report))

    def _table_page(self, table: Any, k: int) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        if table.note:
            note = QLabel(table.note)
            note.setWordWrap(True)
            layout.addWidget(note)
        view = QTableView()
        view.setModel(CountTableModel(table, k, view))
        setup_record_table(view, _("Vorschau: {title}").format(title=table.title))
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        view.setAlternatingRowColors(False)  # the suppression colours must stand out
        view.setProperty("fitted", False)  # columns fitted when the tab is first shown (_fit_current)
        view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(view, 1)
        return page

    def _fit_current(self, *_args: object) -> None:
        """Fit the columns of the shown table only: fitting all eleven at once froze the dialog for 0.2 s."""
        page = self.tabs.currentWidget()
        view = page.findChild(QTableView) if page is not None else None
        if view is not None and not view.property("fitted"):
            view.resizeColumnsToContents()
            view.setProperty("fitted", True)

    # --- slots ----------------------------------------------------------------------------------
    def _on_any_changed(self, *_args: object) -> None:
        self._timer.start()

    def _on_save_button_clicked(self) -> None:
        if self._timer.isActive() or self._pending is not None:
            if self._timer.isActive():
                self.refresh()
            self.summary.setText(_("Bitte warten, bis die Vorschau gezählt ist; dann erneut speichern."))
            return  # save exactly what the preview shows for the current choices
        report, file_format = self.report, self.file_format()
        if report is None:
            return
        suggested = start_folder(EXPORTS) / f"Bildungsmonitoring_{_slug(report.period.label)}.{file_format}"
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Auswertung speichern"), str(suggested),
                                                      _(FILE_FILTERS[file_format]))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != "." + file_format:
            path = path.with_name(path.name + "." + file_format)
        overwrite = may_replace(self, chosen, path)
        if overwrite is None:
            return
        monitoring = self._monitoring

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            # The writer's German message is the most useful thing to show.
            QMessageBox.critical(self, _("Nicht gespeichert"),
                                 _("Die Auswertung wurde nicht gespeichert:\n{error}").format(error=exc))

        self.save_button.setEnabled(False)
        self._saving = (Operation(self, lambda _progress: monitoring.export(report, path, file_format,
                                                                           overwrite=overwrite),
                                  title=_("Auswertung exportieren"))
                        .with_progress(_("Die Auswertung wird gespeichert …"), cancellable=False)
                        .success(lambda _outcome: self._saved(path, file_format)).failure(failed).run())

    def _saved(self, path: Path, file_format: str) -> None:
        self.save_button.setEnabled(True)
        remember_folder(EXPORTS, path.parent)
        self.saved.setText(_("Gespeichert als {format}: {path}").format(format=FORMAT_NAMES[file_format], path=path))
        self.exported.emit(path)
        self.refresh()  # the export log changed: overlap warnings may now apply


def _legend_html(report: CountsReport) -> str:
    """The statistics offices' legend, what the two colours of the preview mean, and merged categories."""
    lines = [escape(_("Zeichenerklärung: ")) + "; ".join(f"<b>{escape(sign)}</b> = {escape(text)}" for sign, text in legend())]
    swatches = [f'<span style="background:{SUPPRESSED_COLORS[status].name()}">&nbsp;.&nbsp;</span> '
                + escape(_(SUPPRESSED_TEXTS[status]).format(k_minus_1=report.k - 1))
                for status in (CellStatus.PRIMARY, CellStatus.SECONDARY)]
    lines.append(escape(_("In der Vorschau:")) + " " + " &nbsp; ".join(swatches))
    lines += [f"{escape(category)}: {escape(note)}" for category, note in report.merges]
    return "<br>".join(lines)


def _slug(label: str) -> str:
    """"1. Quartal 2026" → "1-Quartal-2026": a file name without spaces or dots."""
    kept = "".join(c if c.isalnum() else "-" for c in label)
    return "-".join(part for part in kept.split("-") if part)
