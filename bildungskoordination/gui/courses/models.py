"""Table models for the course areas: a person's ranked courses, the catalogue, the referrals to follow up."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from bildungskoordination import i18n
from bildungskoordination.courses.records import CourseRecord, ReferralRecord
from bildungskoordination.domain.course_status import course_status_vocabulary
from bildungskoordination.domain.vocab import level_short
from bildungskoordination.gui.table_model import RecordTableModel
from bildungskoordination.i18n import N_, _
from bildungskoordination.matching.facts import Match
from bildungskoordination.matching.rules import RuleSet

IdRole = Qt.ItemDataRole.UserRole + 1  # course id (matches, catalogue) or referral id (referrals)
SortRole = Qt.ItemDataRole.UserRole + 2
AccessibleTextRole = Qt.ItemDataRole.AccessibleTextRole

VERDICT_SYMBOLS = {"eligible": "✓", "caveat": "~", "not_eligible": "✗"}
VERDICT_TEXTS = {"eligible": N_("geeignet"), "caveat": N_("geeignet mit Vorbehalt"),
                 "not_eligible": N_("nicht geeignet")}
VERDICT_COLORS = {"eligible": "#1b7a2e", "caveat": "#9a6700", "not_eligible": "#b3261e"}
REASON_SYMBOLS = {"ok": "✓", "caveat": "⚠", "no": "✗"}
REASON_COLORS = {"ok": "#1b7a2e", "caveat": "#9a6700", "no": "#b3261e"}


def fmt_date(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def type_label(rules: RuleSet, code: str) -> str:
    """The course type as the coordinator knows it ("Integrationskurs …"), in the UI language."""
    kind = rules.course_type(code)
    if kind is None:
        return code
    return kind.label_en if i18n.current_language() == "en" and kind.label_en else kind.label


def course_status_text(code: str) -> str:
    return course_status_vocabulary().label(code)


class MatchModel(RecordTableModel[Match]):
    """A person's courses, best first; which of them already has an open referral of this person."""

    columns = [N_("Eignung"), N_("Kursnummer"), N_("Kursart"), N_("Träger"), N_("Beginn"), N_("Ort"),
               N_("Frei"), N_("Punkte"), N_("Vermittlung")]

    def __init__(self, rules: RuleSet, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules = rules
        self._referred: dict[int | str, str] = {}

    def set_matches(self, matches: list[Match], referred: dict[int | str, str]) -> None:
        self._referred = dict(referred)
        self.set_rows(matches)

    def referral_status(self, row: int) -> str:
        m = self.record(row)
        return "" if m is None else self._referred.get(m.course_id, "")

    def row_of(self, course_id: int | str) -> int:
        return next((i for i, m in enumerate(self._rows) if m.course_id == course_id), -1)

    def cell(self, m: Match, column: int) -> Any:
        c = m.course
        if column == 0:
            return VERDICT_SYMBOLS.get(m.verdict, "?")
        if column == 1:
            return c.course_number
        if column == 2:
            return type_label(self._rules, c.course_type)
        if column == 3:
            return c.provider
        if column == 4:
            return fmt_date(c.start)
        if column == 5:
            return c.municipality
        if column == 6:
            return "" if c.free_places is None else str(c.free_places)
        if column == 7:
            return f"{m.score:.0f}"
        return self._referred.get(m.course_id, "")

    def extra(self, m: Match, column: int, role: int) -> Any:
        if role == IdRole:
            return m.course_id
        if column == 0:
            if role in (AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                return _(VERDICT_TEXTS.get(m.verdict, m.verdict))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(VERDICT_COLORS.get(m.verdict, "#000000")))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            if role == Qt.ItemDataRole.FontRole:
                return _bold()
        if column == 6 and role == Qt.ItemDataRole.ToolTipRole:
            return _("Freie Plätze")
        if column in (6, 7) and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == 6 and role == Qt.ItemDataRole.ForegroundRole and m.course.free_places == 0:
            return QBrush(QColor(VERDICT_COLORS["not_eligible"]))
        return None


class CourseModel(RecordTableModel[CourseRecord]):
    """The catalogue."""

    columns = [N_("Kursnummer"), N_("Kursart"), N_("Träger"), N_("Einstieg"), N_("Ziel"), N_("Beginn"),
               N_("Ende"), N_("Ort"), N_("Frei / Plätze"), N_("Warteliste"), N_("Status")]
    MUNICIPALITY = 7

    def __init__(self, rules: RuleSet, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules = rules

    def row_of(self, course_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == course_id), -1)

    def cell(self, c: CourseRecord, column: int) -> Any:
        return [
            c.course_number,
            type_label(self._rules, c.course_type),
            c.provider,
            level_short(c.entry_level),
            level_short(c.target_level),
            fmt_date(c.start),
            fmt_date(c.end),
            c.municipality,
            f"{c.free_places} / {c.places}",
            str(c.waiting) if c.waiting else "",
            course_status_text(c.status),
        ][column]

    def extra(self, c: CourseRecord, column: int, role: int) -> Any:
        if role == IdRole:
            return c.id
        if role == SortRole:
            if column == 5:
                return c.start.isoformat() if c.start else "9999"
            if column == 6:
                return c.end.isoformat() if c.end else "9999"
            if column == 8:
                return c.free_places
            if column == 9:
                return c.waiting
            return self.cell(c, column)
        if column == 8:
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ForegroundRole and c.free_places <= 0:
                return QBrush(QColor(VERDICT_COLORS["not_eligible"]))
            if role == AccessibleTextRole:
                return _("{free} von {places} Plätzen frei").format(free=c.free_places, places=c.places)
        return None


class ReferralModel(RecordTableModel[ReferralRecord]):
    """The referrals the Vermittlungen page's filter chose, with what to do about each."""

    columns = [N_("Seit"), N_("Person"), N_("Aktenzeichen"), N_("Kurs"), N_("Träger"), N_("Status"),
               N_("Zu tun")]

    def cell(self, r: ReferralRecord, column: int) -> Any:
        return [fmt_date(r.since), r.person_name, r.file_number, r.course_number, r.provider, r.status_label,
                r.action][column]

    def extra(self, r: ReferralRecord, column: int, role: int) -> Any:
        if role == IdRole:
            return r.id
        if role == SortRole:
            return r.since.isoformat() if column == 0 else self.cell(r, column)
        return None


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font
