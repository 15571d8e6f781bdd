"""Auswertung: the coordinator's own overview (not suppressed, never exported), the export log and the way
to the anonymised export."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.monitoring.charts import ChartBox
from bildungskoordination.gui.monitoring.export_dialog import ExportDialog
from bildungskoordination.gui.monitoring.models import ExportLogModel
from bildungskoordination.gui.monitoring.period_picker import PeriodPicker
from bildungskoordination.gui.operation import Operation, show_error
from bildungskoordination.gui.table_model import setup_record_table
from bildungskoordination.i18n import _, ngettext
from bildungskoordination.monitoring.model import Period
from bildungskoordination.monitoring.service import Overview

# Changes that alter the overview: contacts, referrals, people (erasure removes their contacts), courses.
OVERVIEW_ENTITIES = ("contact", "referral", "person", "course")


class MonitoringPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.export_dialog: ExportDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.period = PeriodPicker()
        top.addWidget(self.period, 1)
        self.as_tables = QCheckBox(_("Als &Tabellen zeigen"))
        self.as_tables.setToolTip(_("Die Werte der Diagramme als Tabellen zeigen"))
        top.addWidget(self.as_tables)
        self.export_button = QPushButton(_("&Exportieren …"))
        self.export_button.setIcon(icon("export"))
        self.export_button.setToolTip(_("Anonymisierte Fallzahlen für das Bildungsmonitoring ausgeben"))
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.note = QLabel(_("Diese Übersicht ist nur für Sie und wird nicht exportiert."))
        self.note.setStyleSheet("QLabel { color: palette(mid); font-style: italic; }")
        layout.addWidget(self.note)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        self.contacts_chart = ChartBox(_("Beratungskontakte je Monat"), horizontal=False,
                                       label_header=_("Monat"), value_header=_("Kontakte"))
        self.topics_chart = ChartBox(_("Themen der Beratungskontakte"), horizontal=True,
                                     label_header=_("Thema"), value_header=_("Kontakte"))
        self.status_chart = ChartBox(_("Vermittlungen nach Status"), horizontal=True,
                                     label_header=_("Status"), value_header=_("Vermittlungen"))
        self.course_type_chart = ChartBox(_("Vermittlungen nach Kursart"), horizontal=True,
                                          label_header=_("Kursart"), value_header=_("Vermittlungen"))
        grid.addWidget(self.contacts_chart, 0, 0)
        grid.addWidget(self.topics_chart, 0, 1)
        grid.addWidget(self.status_chart, 1, 0)
        grid.addWidget(self.course_type_chart, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        layout.addLayout(grid, 1)
        log_label = QLabel(_("Export&protokoll (was das Gerät verlassen hat):"))
        self.history_model = ExportLogModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        setup_record_table(self.history, _("Exportprotokoll"), (130, 170, 560, 40))
        self.history.setMaximumHeight(self.history.verticalHeader().defaultSectionSize() * 4 + 30)
        log_label.setBuddy(self.history)
        layout.addWidget(log_label)
        layout.addWidget(self.history)

        self.period.changed.connect(self._on_period_changed)
        self.as_tables.toggled.connect(self._on_as_tables_toggled)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        ctx.signal.changed.connect(self._on_signal_changed)
        self._stale = True
        self._generation = 0
        self._pending: Operation[Overview] | None = None
        self._shown_period: Period | None = None

    @property
    def charts(self) -> list[ChartBox]:
        return [self.contacts_chart, self.topics_chart, self.status_chart, self.course_type_chart]

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    @property
    def computing(self) -> bool:
        return self._pending is not None

    def reload(self) -> None:
        """Count the overview for the chosen period on a worker (seconds on a large district: the page shows
        "wird berechnet …" meanwhile), then fill the charts; the export log is read at once."""
        self._stale = False
        period = self.period.period()
        self._generation += 1
        generation = self._generation
        self.summary.setText(_("{period}: wird berechnet …").format(period=period.label))
        if period != self._shown_period:  # another period's figures must not stand there meanwhile
            for chart in self.charts:
                chart.set_pending()
        self.reload_history()
        monitoring = self._ctx.services.monitoring
        self._pending = (Operation(self, lambda _progress: monitoring.overview(period), title=_("Auswertung"))
                         .success(lambda outcome: self._show_overview(generation, period, outcome.value))
                         .failure(lambda exc: self._overview_failed(generation, exc)).run())

    def _overview_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._pending = None
            self.summary.setText(_("Die Übersicht konnte nicht berechnet werden."))
            show_error(self, _("Auswertung"), exc)

    def _show_overview(self, generation: int, period: Period, overview: Overview) -> None:
        if generation != self._generation:
            return  # a newer period (or change) was asked for meanwhile; its result follows
        self._pending = None
        self._shown_period = period
        self.contacts_chart.set_pairs(overview.contacts_per_month)
        self.topics_chart.set_pairs(overview.topics)
        self.status_chart.set_pairs(overview.referrals_by_status)
        self.course_type_chart.set_pairs(overview.referrals_by_course_type)
        contacts = sum(n for _m, n in overview.contacts_per_month)
        self.summary.setText(_("{period}: ").format(period=period.label)
                             + ngettext("{n} Beratungskontakt", "{n} Beratungskontakte", contacts).format(n=contacts))

    def reload_history(self) -> None:
        monitoring = self._ctx.services.monitoring
        self.history_model.titles = {info.id: info.title for info in monitoring.available_tables()}
        self.history_model.set_rows(monitoring.export_history())

    def open_export_dialog(self) -> ExportDialog:
        self.export_dialog = ExportDialog(self._ctx.services.monitoring, self.period.period(), self)
        self.export_dialog.exported.connect(self._on_export_dialog_exported)
        return self.export_dialog

    # --- slots ----------------------------------------------------------------------------------
    def _on_period_changed(self, _period: Period) -> None:
        self.reload()

    def _on_as_tables_toggled(self, checked: bool) -> None:
        for chart in self.charts:
            chart.show_table(checked)

    def _on_export_button_clicked(self) -> None:
        try:
            dialog = self.open_export_dialog()
        except ValueError as exc:
            QMessageBox.warning(self, _("Auswertung nicht möglich"), str(exc))
            return
        dialog.open()

    def _on_export_dialog_exported(self, _path: object) -> None:
        self.reload_history()

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity == "export_log" and not self._stale:
            self.reload_history()
        elif change.entity in OVERVIEW_ENTITIES:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True
