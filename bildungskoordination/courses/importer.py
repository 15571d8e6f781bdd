"""Import of a provider's course list (CSV or XLSX, the columns of shared/samples/kurse.csv): every row is
checked first, then all courses are written in one transaction – or, if anything is wrong, none.

Re-importing a list updates the courses by (provider, course number): no duplicates, referrals untouched.
The GUI previews with ``dry_run=True``; problems print as ``FILE:ROW: COLUMN: reason``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bildungskoordination.courses.records import WEEKDAYS, CourseData
from bildungskoordination.domain.column_mapping import check_columns, list_columns
from bildungskoordination.domain.course_status import course_status_vocabulary, course_statuses
from bildungskoordination.domain.course_types import course_types
from bildungskoordination.domain.dates import DateParseError, parse_date
from bildungskoordination.domain.errors import ValidationError
from bildungskoordination.domain.names import clean_text
from bildungskoordination.domain.tabular import ImportProblem, TableRow, TableSpec, read_table, start_import
from bildungskoordination.domain.tabular import ImportReport as TableImportReport
from bildungskoordination.i18n import _
from bildungskoordination.privacy.audit import Action

if TYPE_CHECKING:
    from bildungskoordination.services import Services

PROVIDER = "Träger"
NUMBER = "Kursnummer"
TYPE = "Kursart"
ENTRY = "Einstiegsniveau"
TARGET = "Zielniveau"
START = "Beginn"
END = "Ende"
DEADLINE = "Anmeldeschluss"
UNITS = "UE"
DAYS = "Tage"
TIME = "Uhrzeit"
MODE = "Form"
PLACE = "Ort"
ADDRESS = "Adresse"
CHILDCARE = "Kinderbetreuung"
PLACES = "Plätze"
FREE = "Freie Plätze"
TARGET_GROUP = "Zielgruppe"
COSTS = "Kosten"
CONTACT = "Ansprechperson"
PHONE = "Telefon"
EMAIL = "E-Mail"
STATUS = "Status"

# The headers, their usual spellings and which are required are data: resources/imports/columns.toml.
check_columns("courses", (PROVIDER, NUMBER, TYPE, ENTRY, TARGET, START, END, DEADLINE, UNITS, DAYS, TIME, MODE, PLACE,
                          ADDRESS, CHILDCARE, PLACES, FREE, TARGET_GROUP, COSTS, CONTACT, PHONE, EMAIL, STATUS))
COURSE_TABLE: TableSpec = list_columns("courses").spec

FIELD_COLUMNS = {
    "provider": PROVIDER, "course_number": NUMBER, "course_type": TYPE, "entry_level": ENTRY,
    "target_level": TARGET, "start": START, "end": END, "registration_deadline": DEADLINE,
    "teaching_units": UNITS, "days": DAYS, "time_from": TIME, "time_to": TIME, "mode": MODE,
    "municipality": PLACE, "address": ADDRESS, "childcare": CHILDCARE, "places": PLACES, "free_places": FREE,
    "target_group": TARGET_GROUP, "costs_note": COSTS, "contact_person": CONTACT, "phone": PHONE,
    "email": EMAIL, "status": STATUS,
}

_YES = {"ja", "j", "yes", "y", "1", "x", "true", "wahr"}
_NO = {"nein", "n", "no", "0", "-", "false", "falsch", ""}
_MODES = {"präsenz": "praesenz", "praesenz": "praesenz", "vor ort": "praesenz", "online": "online",
          "digital": "online", "hybrid": "hybrid"}
_DAY_NAMES = {"mo": "mo", "montag": "mo", "di": "di", "dienstag": "di", "mi": "mi", "mittwoch": "mi",
              "do": "do", "donnerstag": "do", "fr": "fr", "freitag": "fr", "sa": "sa", "samstag": "sa"}
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})\s*(?:uhr)?\s*[-–]\s*(\d{1,2})[:.](\d{2})\s*(?:uhr)?$", re.IGNORECASE)


@dataclass
class CourseImportReport(TableImportReport):
    updated_ids: list[int] = field(default_factory=list)
    courses: list[CourseData] = field(default_factory=list)  # mapped rows in file order, for a preview
    existing: list[bool] = field(default_factory=list)  # per row: updates a course already in the catalogue


def import_courses(services: Services, path: Path | str, *, dry_run: bool = False,
                   mapping: Mapping[str, str] | None = None, skip_unknown: bool = False) -> CourseImportReport:
    """Read, check and (unless ``dry_run`` or any problem) create or update every course of the file;
    ``mapping`` and ``skip_unknown`` as for the person import."""
    table = read_table(path, COURSE_TABLE, mapping=mapping)
    report = CourseImportReport()
    if not start_import(table, report, _("die Datei enthält keine Kurse"), skip_unknown=skip_unknown):
        return report
    mapped: list[tuple[int, CourseData]] = []
    first_row: dict[tuple[str, str], int] = {}
    for row in table.rows:
        data, problems = course_from_row(table.file, row)
        report.problems.extend(problems)
        mapped.append((row.number, data))
        key = (data.provider.lower(), data.course_number)
        if data.provider and data.course_number:
            if key in first_row:
                report.problems.append(ImportProblem(table.file, row.number, NUMBER, _(
                    "Kursnummer „{value}“ dieses Trägers steht auch in Zeile {row}").format(
                        value=data.course_number, row=first_row[key])))
            else:
                first_row[key] = row.number
        if not problems:
            for error in services.courses.check(data):
                report.problems.append(ImportProblem(table.file, row.number,
                                                     FIELD_COLUMNS.get(error.field, error.field), error.message))
    report.problems.sort(key=lambda p: p.row or 0)
    report.courses = [data for _n, data in mapped]
    existing = services.courses.existing_keys()
    report.existing = [(d.provider.lower(), d.course_number) in existing for d in report.courses]
    if report.problems or dry_run:
        return report
    try:
        saved = services.courses.save_many(report.courses, audit_action=Action.IMPORT)
    except (SQLAlchemyError, ValidationError) as exc:
        report.problems.append(ImportProblem(table.file, None, None, _(
            "Speichern fehlgeschlagen, es wurde nichts übernommen: {reason}").format(reason=str(exc).splitlines()[0])))
        return report
    for cid, created in saved:
        (report.created_ids if created else report.updated_ids).append(cid)
    return report


# --- one row -------------------------------------------------------------------------------------------
_Report = Callable[[str, str], None]


def course_from_row(file: str, row: TableRow) -> tuple[CourseData, list[ImportProblem]]:
    problems: list[ImportProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(file, row.number, column, message))

    data = CourseData(
        provider=clean_text(row.get(PROVIDER)), course_number=clean_text(row.get(NUMBER)),
        entry_level=row.get(ENTRY), target_level=row.get(TARGET), municipality=row.get(PLACE),
        address=row.get(ADDRESS), target_group=row.get(TARGET_GROUP), costs_note=row.get(COSTS),
        contact_person=row.get(CONTACT), phone=row.get(PHONE), email=row.get(EMAIL))
    if text := row.get(TYPE):
        code = course_types().parse(text)
        if code is None:
            problem(TYPE, _("unbekannte Kursart „{value}“ (bekannt: {known})").format(
                value=text, known=", ".join(course_types().names())))
        data.course_type = code or ""
    data.start = _date(row.get(START), START, problem)
    data.end = _date(row.get(END), END, problem)
    data.registration_deadline = _date(row.get(DEADLINE), DEADLINE, problem)
    data.teaching_units = _int(row.get(UNITS), UNITS, problem)
    data.days = _days(row.get(DAYS), problem)
    if text := row.get(TIME):
        m = _TIME.match(text.strip())
        if m is None:
            problem(TIME, _("„{value}“ ist keine Uhrzeit von–bis (z. B. 08:30-12:45)").format(value=text))
        else:
            data.time_from = f"{int(m.group(1)):02d}:{m.group(2)}"
            data.time_to = f"{int(m.group(3)):02d}:{m.group(4)}"
    if text := row.get(MODE):
        mode = _MODES.get(text.strip().casefold())
        if mode is None:
            problem(MODE, _("unbekannte Kursform „{value}“ (erlaubt: Präsenz, online, hybrid)").format(value=text))
        data.mode = mode or data.mode
    key = row.get(CHILDCARE).casefold()
    if key in _YES:
        data.childcare = True
    elif key not in _NO:
        problem(CHILDCARE, _("unbekannter Wert „{value}“ (erlaubt: ja, nein)").format(value=row.get(CHILDCARE)))
    data.places = _int(row.get(PLACES), PLACES, problem) or 0
    data.free_places = _int(row.get(FREE), FREE, problem)
    if text := row.get(STATUS):
        status = course_status_vocabulary().parse(text)
        if status is None:
            problem(STATUS, _("unbekannter Kursstatus „{value}“ (erlaubt: {known})").format(
                value=text, known=", ".join(course_statuses())))
        data.status = status or data.status
    else:
        data.status = "voll" if data.free_places == 0 else "offen"
    return data, problems


def _date(text: str, column: str, problem: _Report) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except DateParseError as exc:
        problem(column, str(exc))
        return None


def _int(text: str, column: str, problem: _Report) -> int | None:
    if not text:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        problem(column, _("„{value}“ ist keine ganze Zahl").format(value=text))
        return None
    if value < 0:
        problem(column, _("„{value}“: die Zahl darf nicht negativ sein").format(value=text))
        return None
    return value


def parse_days(text: str) -> list[str]:
    """"Mo-Fr", "Di, Do", "Mo–Mi, Fr" → weekday codes; ValueError naming the part that is no weekday."""
    days: list[str] = []
    for part in re.split(r"[,;/+]|\bund\b", text):
        part = part.strip().rstrip(".")
        if not part:
            continue
        bounds = [b.strip().rstrip(".").casefold() for b in re.split(r"\s*[-–]\s*|\s+bis\s+", part)]
        codes = [_DAY_NAMES.get(b) for b in bounds]
        if len(codes) > 2 or None in codes:
            raise ValueError(part)
        first, last = WEEKDAYS.index(codes[0]), WEEKDAYS.index(codes[-1])  # type: ignore[arg-type]
        if last < first:
            raise ValueError(part)
        days.extend(d for d in WEEKDAYS[first:last + 1] if d not in days)
    return [d for d in WEEKDAYS if d in days]


def _days(text: str, problem: _Report) -> list[str]:
    if not text:
        return []
    try:
        return parse_days(text)
    except ValueError as exc:
        problem(DAYS, _("„{value}“ ist kein Wochentag oder Bereich (z. B. Mo-Fr, Di, Do)").format(value=str(exc)))
        return []
