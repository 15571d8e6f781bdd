"""Which referrals the Vermittlungen page shows: open (the default), needing action, all, or one status; one
course or all; a period of the referral's day or of its last change."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from bildungskoordination.courses.records import ALL, CHANGED, NEEDING_ACTION, OPEN, REFERRED, ReferralFilter
from bildungskoordination.domain.referral_status import referral_statuses
from bildungskoordination.i18n import N_, _

STATUS_CHOICES = [(OPEN, N_("offene")), (NEEDING_ACTION, N_("offene mit Handlungsbedarf")), (ALL, N_("alle"))]
PERIOD_CHOICES = [("", N_("beliebig")), (REFERRED, N_("vermittelt am")), (CHANGED, N_("zuletzt geändert am"))]


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    return edit


class ReferralFilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QComboBox()
        for code, text in STATUS_CHOICES:
            self.status.addItem(_(text), code)
        self.status.insertSeparator(self.status.count())
        for code, status in referral_statuses().items():
            self.status.addItem(status.display(), code)
        self.course = QComboBox()
        self.course.setMinimumContentsLength(14)
        self.course.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.period = QComboBox()
        for code, text in PERIOD_CHOICES:
            self.period.addItem(_(text), code)
        today = QDate.currentDate()
        self.start = _date_edit(today.addMonths(-3))
        self.end = _date_edit(today)
        for text, widget, name in ((_("&Anzeigen:"), self.status, _("Welche Vermittlungen")),
                                   (_("K&urs:"), self.course, _("Kurs")),
                                   (_("&Zeitraum:"), self.period, _("Zeitraum bezieht sich auf")),
                                   (_("vo&n"), self.start, _("Zeitraum von")),
                                   (_("b&is"), self.end, _("Zeitraum bis"))):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            layout.addWidget(label)
            layout.addWidget(widget)
        layout.addStretch(1)
        self.set_courses([])
        self._update_dates()
        self.status.currentIndexChanged.connect(self._on_any_changed)
        self.course.currentIndexChanged.connect(self._on_any_changed)
        self.period.currentIndexChanged.connect(self._on_any_changed)
        self.start.dateChanged.connect(self._on_any_changed)
        self.end.dateChanged.connect(self._on_any_changed)

    def set_courses(self, courses: list[tuple[int, str]]) -> None:
        """(id, label) of every course; keeps the chosen one when it is still there."""
        chosen = self.course.currentData()
        self.course.blockSignals(True)
        self.course.clear()
        self.course.addItem(_("alle Kurse"), None)
        for course_id, label in courses:
            self.course.addItem(label, course_id)
        index = self.course.findData(chosen) if chosen is not None else 0
        self.course.setCurrentIndex(max(index, 0))
        self.course.blockSignals(False)

    def value(self) -> ReferralFilter:
        period = str(self.period.currentData() or "")
        return ReferralFilter(status=str(self.status.currentData()), course_id=self.course.currentData(),
                              period=period, start=_day(self.start) if period else None,
                              end=_day(self.end) if period else None)

    def _update_dates(self) -> None:
        active = bool(self.period.currentData())
        self.start.setEnabled(active)
        self.end.setEnabled(active)

    def _on_any_changed(self, *_args: object) -> None:
        self._update_dates()
        self.changed.emit()


def _day(edit: QDateEdit) -> date:
    day = edit.date()
    return date(day.year(), day.month(), day.day())
