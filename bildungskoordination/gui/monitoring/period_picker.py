"""Period picker shared by the Auswertung page and the export dialog: year, half-year, quarter, month or a
free range; the default is the current year."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

from bildungskoordination.i18n import N_, _
from bildungskoordination.monitoring import periods
from bildungskoordination.monitoring.model import Period

KINDS = (("year", N_("Jahr")), ("half", N_("Halbjahr")), ("quarter", N_("Quartal")), ("month", N_("Monat")),
         ("range", N_("Freier Zeitraum")))
MONTH_NAMES = (N_("Januar"), N_("Februar"), N_("März"), N_("April"), N_("Mai"), N_("Juni"), N_("Juli"),
               N_("August"), N_("September"), N_("Oktober"), N_("November"), N_("Dezember"))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodPicker(QWidget):
    changed = Signal(object)  # Period

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        today = today or date.today()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(_("&Zeitraum:"))
        self.kind = QComboBox()
        for code, text in KINDS:
            self.kind.addItem(_(text), code)
        self.kind.setAccessibleName(_("Art des Zeitraums"))
        label.setBuddy(self.kind)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setAccessibleName(_("Jahr"))
        self.part = QComboBox()  # half-year, quarter or month, depending on the kind
        self.part.setAccessibleName(_("Teil des Jahres"))
        self.start = QDateEdit(_qdate(date(today.year, 1, 1)))
        self.end = QDateEdit(_qdate(today))
        for edit, name in ((self.start, _("Beginn")), (self.end, _("Ende"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setAccessibleName(name)
        self.until = QLabel(_("bis"))
        for widget in (label, self.kind, self.year, self.part, self.start, self.until, self.end):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._update_widgets()
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.year.valueChanged.connect(self._on_any_changed)
        self.part.currentIndexChanged.connect(self._on_any_changed)
        self.start.dateChanged.connect(self._on_start_date_changed)
        self.end.dateChanged.connect(self._on_any_changed)

    def period(self) -> Period:
        kind, y = self.kind.currentData(), self.year.value()
        part = max(self.part.currentIndex(), 0) + 1
        if kind == "half":
            return periods.half_year(y, part)
        if kind == "quarter":
            return periods.quarter(y, part)
        if kind == "month":
            return periods.month(y, part)
        if kind == "range":
            return periods.free_range(_pydate(self.start.date()), _pydate(self.end.date()))
        return periods.year(y)

    def set_period(self, period: Period) -> None:
        """Show ``period`` (as a free range unless it is a named one of its start year); emits ``changed`` once."""
        self.blockSignals(True)
        try:
            y = period.start.year
            candidates = ([("year", 1, periods.year(y))] + [("half", h, periods.half_year(y, h)) for h in (1, 2)]
                          + [("quarter", q, periods.quarter(y, q)) for q in (1, 2, 3, 4)]
                          + [("month", m, periods.month(y, m)) for m in range(1, 13)])
            match = next(((kind, part) for kind, part, p in candidates if (p.start, p.end) == (period.start, period.end)),
                         None)
            if match is not None:
                self.kind.setCurrentIndex(self.kind.findData(match[0]))
                self.year.setValue(y)
                self.part.setCurrentIndex(match[1] - 1)
            else:
                self.kind.setCurrentIndex(self.kind.findData("range"))
                self.start.setDate(_qdate(period.start))
                self.end.setDate(_qdate(period.end))
        finally:
            self.blockSignals(False)
        self.changed.emit(self.period())

    def _update_widgets(self) -> None:
        kind = self.kind.currentData()
        self.part.blockSignals(True)
        self.part.clear()
        if kind == "half":
            self.part.addItems([_("1. Halbjahr"), _("2. Halbjahr")])
        elif kind == "quarter":
            self.part.addItems([_("{n}. Quartal").format(n=n) for n in (1, 2, 3, 4)])
        elif kind == "month":
            self.part.addItems([_(name) for name in MONTH_NAMES])
        self.part.blockSignals(False)
        ranged = kind == "range"
        self.year.setVisible(not ranged)
        self.part.setVisible(kind in ("half", "quarter", "month"))
        for widget in (self.start, self.until, self.end):
            widget.setVisible(ranged)

    # --- slots ----------------------------------------------------------------------------------
    def _on_kind_current_index_changed(self, _index: int) -> None:
        self._update_widgets()
        self._on_any_changed()

    def _on_start_date_changed(self, day: QDate) -> None:
        self.end.setMinimumDate(day)  # an end before the start cannot be entered
        self._on_any_changed()

    def _on_any_changed(self, *_args: object) -> None:
        self.changed.emit(self.period())
