"""Vermittlungen: the referrals the filter asks for (every open one by default) with what to do, the selected
one's history (day, status, user, note), and moving one to its next status."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelection, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from bildungskoordination.courses.records import ReferralRecord
from bildungskoordination.domain.conflicts import ConflictError
from bildungskoordination.domain.errors import NotFound, ValidationError
from bildungskoordination.domain.referral_status import referral_statuses
from bildungskoordination.events import Change
from bildungskoordination.gui.context import AppContext
from bildungskoordination.gui.courses.models import IdRole, ReferralModel, SortRole, fmt_date
from bildungskoordination.gui.courses.person_referrals import ReferralHistoryModel
from bildungskoordination.gui.courses.referral_filter_bar import ReferralFilterBar
from bildungskoordination.gui.first_paint import after_first_paint
from bildungskoordination.gui.icons import icon
from bildungskoordination.gui.letters.letter_dialog import LetterDialog, warm_up_letters
from bildungskoordination.gui.loader import Loader
from bildungskoordination.gui.table_model import fit_columns, setup_record_table
from bildungskoordination.i18n import _, current_language, ngettext
from bildungskoordination.letters.texts import return_slip


class StatusDialog(QDialog):
    """The next status of one referral (only the ones the lifecycle allows), its day and an optional reason."""

    def __init__(self, referral: ReferralRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Status der Vermittlung ändern"))
        statuses = referral_statuses()
        layout = QVBoxLayout(self)
        intro = QLabel(_("{person} – {course} ({provider})\nbisher: {status} seit {date}").format(
            person=referral.person_name, course=referral.course_number, provider=referral.provider,
            status=referral.status_label, date=fmt_date(referral.since)))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        form = QFormLayout()
        self.status = QComboBox()
        allowed = statuses[referral.status].next
        for code in allowed:
            self.status.addItem(statuses[code].display(), code)
        # The provider's answer on the letter's return slip sets status and reason in one go.
        self.answer = QComboBox()
        self.answer.addItem(_("– keine –"), None)
        for option in return_slip().options:
            if option.status in allowed:
                self.answer.addItem(option.display(current_language()).rstrip(":"), (option.status, option.text.rstrip(":")))
        self.answer.setAccessibleName(_("Rückmeldung des Kursträgers"))
        self.answer.currentIndexChanged.connect(self._on_answer_current_index_changed)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd.MM.yyyy")
        since = referral.since
        self.day.setMinimumDate(QDate(since.year, since.month, since.day))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("optional, z. B. warum abgebrochen"))
        if self.answer.count() > 1:
            form.addRow(_("&Rückmeldung des Trägers:"), self.answer)
        form.addRow(_("&Neuer Status:"), self.status)
        form.addRow(_("&Datum:"), self.day)
        form.addRow(_("&Begründung:"), self.reason)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Status &setzen"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_answer_current_index_changed(self, _index: int) -> None:
        data = self.answer.currentData()
        if data is None:
            return
        status, text = data
        self.status.setCurrentIndex(self.status.findData(status))
        self.reason.setText(_("Rückmeldung des Trägers: {answer}").format(answer=text))

    def values(self) -> tuple[str, date, str]:
        day = self.day.date()
        return str(self.status.currentData()), date(day.year(), day.month(), day.day()), self.reason.text().strip()


class ReferralsPage(QWidget):
    open_person = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filters = ReferralFilterBar()
        layout.addWidget(self.filters)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.model = ReferralModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        setup_record_table(self.table, _("Vermittlungen"), (85, 180, 105, 110, 190, 110))
        fit_columns(self.table, stretch=(6,))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # batch letters
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        self.history_label = QLabel(_("&Verlauf:"))
        self.history_label.setTextFormat(Qt.TextFormat.PlainText)
        details_layout.addWidget(self.history_label)
        self.unsuitable = QLabel()
        self.unsuitable.setTextFormat(Qt.TextFormat.PlainText)
        self.unsuitable.setWordWrap(True)
        self.unsuitable.setStyleSheet("color: #b3261e;")
        self.unsuitable.hide()
        details_layout.addWidget(self.unsuitable)
        self.history_model = ReferralHistoryModel(self)
        self.history = QTableView()
        self.history.setModel(self.history_model)
        setup_record_table(self.history, _("Verlauf der gewählten Vermittlung"), (85, 130, 120))
        self.history_label.setBuddy(self.history)
        details_layout.addWidget(self.history, 1)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton(_("Person ö&ffnen"))
        self.open_button.setIcon(icon("open_person"))
        self.status_button = QPushButton(_("&Status ändern …"))
        self.status_button.setToolTip(_("Die Vermittlung in ihren nächsten Status setzen"))
        self.letter_button = QPushButton(_("&Brief erstellen …"))
        self.letter_button.setIcon(icon("letter"))
        self.letter_button.setToolTip(_("Den zweisprachigen Brief zur Vermittlung ansehen, drucken oder speichern; "
                                        "bei mehreren gewählten Vermittlungen je einen Brief"))
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.letter_button)
        layout.addLayout(buttons)

        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.status_button.clicked.connect(self._on_status_button_clicked)
        self.letter_button.clicked.connect(self._on_letter_button_clicked)
        self.filters.changed.connect(self._on_filters_changed)
        ctx.signal.changed.connect(self._on_signal_changed)
        self._stale = True
        self._courses_stale = True
        self.loader: Loader[tuple[list[ReferralRecord], str | None]] = Loader(self, _("Vermittlungen"))
        self._update_buttons()
        after_first_paint(self.table.viewport(), lambda: warm_up_letters(ctx))  # letters are asked for here

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self) -> None:
        self._stale = False
        services = self._ctx.services
        if self._courses_stale:
            self._courses_stale = False
            self.filters.set_courses([(c.id, f"{c.course_number} – {c.provider}") for c in services.courses.list()])
        filters = self.filters.value()

        def fetch() -> tuple[list[ReferralRecord], str | None]:
            try:
                return services.referrals.search(filters), None
            except ValidationError as exc:  # a period that ends before it starts: said in the summary
                return [], "; ".join(e.message for e in exc.errors)

        self.loader.load(fetch, self._show_rows)

    def _show_rows(self, result: tuple[list[ReferralRecord], str | None]) -> None:
        rows, problem = result
        selected = self.selected_referral()
        if problem is not None:
            self.summary.setText(problem)
        else:
            n, acting = len(rows), sum(1 for r in rows if r.action)
            self.summary.setText(ngettext("{n} Vermittlung", "{n} Vermittlungen", n).format(n=n) + " – " + ngettext(
                "{n} braucht eine Entscheidung", "{n} brauchen eine Entscheidung", acting).format(n=acting))
        self.model.set_rows(rows)
        if selected is not None:
            self.select_referral(selected.id)
        self._update_buttons()

    def selected_referral(self) -> ReferralRecord | None:
        index = self.table.currentIndex()
        return self.model.record(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def selected_referral_ids(self) -> list[int]:
        """All selected referrals, in the order shown (for batch letters)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [int(self.proxy.data(self.proxy.index(row, 0), IdRole)) for row in rows]

    def open_letter_dialog(self) -> LetterDialog | None:
        ids = self.selected_referral_ids()
        return LetterDialog(self._ctx, ids, self) if ids else None

    def select_referral(self, referral_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(row, 0), IdRole) == referral_id:
                self.table.selectRow(row)
                return

    def _show_history(self) -> None:
        referral = self.selected_referral()
        self.history_model.set_rows(list(referral.history) if referral is not None else [])
        if referral is None:
            self.history_label.setText(_("&Verlauf:"))
            self.unsuitable.hide()
            return
        def esc(text: str) -> str:
            return text.replace("&", "&&")

        self.history_label.setText(_("&Verlauf: {person} – {course} ({provider})").format(
            person=esc(referral.person_name), course=esc(referral.course_number), provider=esc(referral.provider)))
        self.unsuitable.setText(_("Vermittelt, obwohl der Abgleich den Kurs als nicht geeignet zeigte. "
                                  "Begründung: {reason}").format(reason=referral.unsuitable_reason))
        self.unsuitable.setVisible(bool(referral.unsuitable_reason))

    def _update_buttons(self) -> None:
        self._show_history()
        selected = self.selected_referral() is not None
        self.open_button.setEnabled(selected)
        self.status_button.setEnabled(selected and not self._ctx.services.store.read_only)
        self.letter_button.setEnabled(bool(self.selected_referral_ids()))

    # --- slots ----------------------------------------------------------------------------------
    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_status_button_clicked()

    def _on_open_button_clicked(self) -> None:
        referral = self.selected_referral()
        if referral is not None:
            self.open_person.emit(referral.person_id)

    def _on_status_button_clicked(self) -> None:
        referral = self.selected_referral()
        if referral is None or self._ctx.services.store.read_only:
            return
        dialog = StatusDialog(referral, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        status, day, reason = dialog.values()
        try:
            self._ctx.services.referrals.set_status(referral.id, status, reason or None, day,
                                                    expected_version=referral.version)
        except ConflictError:
            QMessageBox.warning(self, _("Status nicht gesetzt"), _(
                "Die Vermittlung wurde inzwischen von jemand anderem geändert (jetzt: „{status}“). Nichts wurde "
                "überschrieben; die Liste zeigt den neuen Stand – bitte dort erneut wählen.").format(
                    status=self._ctx.services.referrals.get(referral.id).status_label))
            self.reload()
        except (ValidationError, NotFound) as exc:
            errors = getattr(exc, "errors", None)
            QMessageBox.warning(self, _("Status nicht gesetzt"),
                                "; ".join(e.message for e in errors) if errors else str(exc))

    def _on_letter_button_clicked(self) -> None:
        dialog = self.open_letter_dialog()
        if dialog is not None:
            dialog.exec()

    def _on_filters_changed(self) -> None:
        self.reload()

    def _on_signal_changed(self, change: Change) -> None:
        if change.entity == "course":
            self._courses_stale = True
        if change.entity in ("referral", "person", "course"):
            if self.isVisible():
                self.reload()
            else:
                self._stale = True
