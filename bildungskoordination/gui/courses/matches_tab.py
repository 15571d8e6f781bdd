"""The person file's "Passende Kurse" tab: every open course ranked for this person, with its reasons, and a
one-click referral (to a course marked ✗ only with a reason, asked for in UnsuitableReasonDialog). Loaded only
while the tab is shown; refreshed from the change signal."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.domain.referral_status import open_statuses
from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.courses.models import REASON_COLORS, REASON_SYMBOLS, VERDICT_TEXTS, MatchModel
from bildungskoordination.gui.courses.person_referrals import PersonReferrals
from bildungskoordination.gui.courses.unsuitable_dialog import UnsuitableReasonDialog
from bildungskoordination.gui.table_model import setup_record_table
from bildungskoordination.i18n import N_, _, ngettext

REASON_KIND_TEXTS = {"ok": N_("passt"), "caveat": N_("Vorbehalt"), "no": N_("schließt aus")}


class MatchesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.person_id: int | None = None
        self._restricted = False
        self._stale = True
        # One referral publishes two changes (referral, course): reload once, after both.
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.summary = QLabel()
        layout.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = MatchModel(ctx.services.matching.rules, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_record_table(self.table, _("Passende Kurse"), (58, 85, 130, 105, 75, 70, 40, 48))
        splitter.addWidget(self.table)

        reasons_box = QWidget()
        reasons_layout = QVBoxLayout(reasons_box)
        reasons_layout.setContentsMargins(0, 0, 0, 0)
        self.reasons_label = QLabel(_("&Gründe:"))
        reasons_layout.addWidget(self.reasons_label)
        self.reasons = QListWidget()
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName(_("Gründe für den gewählten Kurs"))
        self.reasons_label.setBuddy(self.reasons)
        reasons_layout.addWidget(self.reasons, 1)
        splitter.addWidget(reasons_box)
        self.referrals = PersonReferrals(ctx)
        splitter.addWidget(self.referrals)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 2)
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        buttons.addWidget(self.status, 1)
        self.refer_button = QPushButton(_("&Vermitteln"))
        self.refer_button.setToolTip(_("Die Person für den gewählten Kurs vorschlagen (Status „vorgeschlagen“)"))
        buttons.addWidget(self.refer_button)
        layout.addLayout(buttons)

        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.refer_button.clicked.connect(self._on_refer_button_clicked)
        ctx.signal.changed.connect(self._on_signal_changed)
        self._update_selection()

    # --- showing --------------------------------------------------------------------------------
    def set_person(self, person_id: int | None, restricted: bool = False) -> None:
        """Called by the person file on every switch; the matching itself waits until the tab is shown."""
        changed = person_id != self.person_id
        self.person_id = person_id
        self._restricted = restricted
        if changed:
            self.status.setText("")
            self.model.set_matches([], {})
            self.referrals.set_referrals([])
            self._update_selection()
        self._mark_stale()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _mark_stale(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def reload(self) -> None:
        self._stale = False
        if self.person_id is None:
            self.model.set_matches([], {})
            self.referrals.set_referrals([])
            self.summary.setText("")
            self._update_selection()
            return
        selected = self.selected_course_id()
        services = self._ctx.services
        try:
            matches = services.matching.for_person(self.person_id)
        except NotFound:
            matches = []
        still_open = set(open_statuses())
        referrals = services.referrals.for_person(self.person_id)
        self.referrals.set_referrals(referrals)
        referred: dict[int | str, str] = {r.course_id: r.status_label for r in referrals if r.status in still_open}
        self.model.set_matches(matches, referred)
        eligible = sum(1 for m in matches if m.verdict != "not_eligible")
        self.summary.setText(ngettext("{n} Kurs, davon {fit} geeignet", "{n} Kurse, davon {fit} geeignet",
                                      len(matches)).format(n=len(matches), fit=eligible))
        row = self.model.row_of(selected) if selected is not None else -1
        if row < 0 and matches:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._update_selection()

    def selected_course_id(self) -> int | None:
        m = self.model.record(self.table.currentIndex().row()) if self.table.currentIndex().isValid() else None
        return None if m is None else int(m.course_id)

    def select_course(self, course_id: int) -> None:
        row = self.model.row_of(course_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_selection(self) -> None:
        index = self.table.currentIndex()
        match = self.model.record(index.row()) if index.isValid() else None
        self.reasons.clear()
        if match is None:
            self.reasons_label.setText(_("&Gründe:"))
            self.refer_button.setEnabled(False)
            return
        self.reasons_label.setText(_("&Gründe für {course} ({verdict}):").format(
            course=match.course.course_number, verdict=_(VERDICT_TEXTS.get(match.verdict, match.verdict))))
        for reason in match.reasons:
            item = QListWidgetItem(f"{REASON_SYMBOLS.get(reason.kind, '•')}  {reason.text}")
            item.setForeground(QBrush(QColor(REASON_COLORS.get(reason.kind, "#000000"))))
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{_(REASON_KIND_TEXTS.get(reason.kind, reason.kind))}: {reason.text}")
            self.reasons.addItem(item)
        already = self.model.referral_status(index.row())
        writable = not self._ctx.services.store.read_only
        self.refer_button.setEnabled(writable and not self._restricted and not already)
        if self._restricted:
            self.refer_button.setToolTip(_("Die Verarbeitung ist eingeschränkt: keine Vermittlungen"))
        elif already:
            self.refer_button.setToolTip(_("Schon vermittelt (Status „{status}“)").format(status=already))
        elif match.verdict == "not_eligible":
            self.refer_button.setToolTip(_("Der Kurs ist für diese Person nicht geeignet: vermitteln nur mit "
                                           "Begründung"))
        else:
            self.refer_button.setToolTip(_("Die Person für den gewählten Kurs vorschlagen (Status „vorgeschlagen“)"))

    # --- slots ----------------------------------------------------------------------------------
    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_selection()

    def _on_refer_button_clicked(self) -> None:
        course_id = self.selected_course_id()
        if self.person_id is None or course_id is None:
            return
        match = self.model.record(self.table.currentIndex().row())
        if match is None:
            return
        number = match.course.course_number
        reason = ""
        if match.verdict == "not_eligible":
            person = self._ctx.services.people.get(self.person_id)
            dialog = UnsuitableReasonDialog(f"{person.family_name}, {person.given_name}", match, self)
            if dialog.exec() != UnsuitableReasonDialog.DialogCode.Accepted:
                return
            reason = dialog.value()
        try:
            rid = self._ctx.services.matching.refer(self.person_id, course_id, unsuitable_reason=reason)
        except (ValidationError, NotFound) as exc:
            errors = getattr(exc, "errors", None)
            text = "; ".join(e.message for e in errors) if errors else str(exc)
            QMessageBox.warning(self, _("Nicht vermittelt"), text)
            return
        referral = self._ctx.services.referrals.get(rid)
        if referral.waiting_position:
            self.status.setText(_("Vermittelt: {course} – Warteliste Platz {n}").format(
                course=number, n=referral.waiting_position))
        else:
            self.status.setText(_("Vermittelt: {course} (vorgeschlagen)").format(course=number))

    def _on_signal_changed(self, change: Change) -> None:
        if self.person_id is None:
            return
        if change.entity in ("course", "referral") or (change.entity == "person"
                                                       and self.person_id in change.person_ids):
            if self.isVisible():
                self._reload_timer.start()
            else:
                self._stale = True

    def _on_reload_timer_timeout(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True
