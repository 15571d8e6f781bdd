"""Import of a person list as coordinators keep it in Excel (CSV or XLSX): every row is checked first,
then all people are written in one transaction – or, if anything is wrong, none.

The GUI previews an import with ``dry_run=True``; the CLI prints ``report.problems`` one per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bildungskoordination.domain.column_mapping import check_columns, list_columns
from bildungskoordination.domain.dates import DateParseError, parse_date, parse_partial_date
from bildungskoordination.domain.names import clean_text
from bildungskoordination.domain.tabular import ImportProblem, TableRow, TableSpec, read_table, start_import
from bildungskoordination.domain.tabular import ImportReport as TableImportReport
from bildungskoordination.domain.vocab import vocabulary
from bildungskoordination.i18n import _
from bildungskoordination.people.duplicates import DuplicateCandidate
from bildungskoordination.people.records import LanguageSkill, PersonData

if TYPE_CHECKING:  # only for hints: the services module itself imports the people package
    from bildungskoordination.services import Services

NR = "Nr"
FAMILY = "Familienname"
GIVEN = "Vorname"
ORIGINAL = "Name in Originalschrift"
BIRTH = "Geburtsdatum"
GENDER = "Geschlecht"
NATIONALITY = "Staatsangehörigkeit"
STATUS = "Aufenthaltsstatus"
ARRIVAL = "Einreise"
MUNICIPALITY = "Wohnort"
PHONE = "Telefon"  # several columns (Telefon, Handy) are joined with " / "
EMAIL = "E-Mail"
REMARKS = "Bemerkung"  # the person's note; several columns are joined line by line
ADDRESS = "Adresse"  # free text; lines separated by line breaks (in the cell) or ", "
# An address split over columns is put together as "c/o …, Straße Nr, PLZ Ort" after ADDRESS.
CARE_OF = "Adresszusatz"
STREET = "Straße"
HOUSE_NUMBER = "Hausnummer"
POSTCODE = "PLZ"
TOWN = "Ort"  # also the Wohnort when the list has no column of its own for it
GERMAN = "Deutschniveau"
LITERACY = "Alphabetisierung"
LANGUAGES = "Sprachen"
CHILDCARE = "Kinderbetreuung"
AVAILABILITY = "Verfügbarkeit"
LETTER = "Briefsprache"
CONSENT = "Einwilligung"
# What the integration-course law needs (§§ 44, 44a AufenthG, § 5b AsylbLG, DeuFöV); exactly these headers.
STATUS_SINCE = "Status seit"
OBLIGATION = "Verpflichtung"
OBLIGED_ON = "Verpflichtet am"
ADMISSION = "Zulassung BAMF am"
IK_COMPLETED = "Integrationskurs abgeschlossen am"
IK_LEVEL = "Abschlussniveau"

# The headers, their usual spellings and which are required are data: resources/imports/columns.toml.
check_columns("persons", (NR, FAMILY, GIVEN, ORIGINAL, BIRTH, GENDER, NATIONALITY, STATUS, ARRIVAL, MUNICIPALITY,
                          ADDRESS, CARE_OF, STREET, HOUSE_NUMBER, POSTCODE, TOWN, PHONE, EMAIL, REMARKS, GERMAN,
                          LITERACY, LANGUAGES, CHILDCARE, AVAILABILITY, LETTER, CONSENT, STATUS_SINCE, OBLIGATION,
                          OBLIGED_ON, ADMISSION, IK_COMPLETED, IK_LEVEL))
PERSON_TABLE: TableSpec = list_columns("persons").spec

# The service's checks name PersonData fields; the user needs the column of the file instead.
FIELD_COLUMNS = {
    "file_number": NR, "family_name": FAMILY, "given_name": GIVEN, "name_original": ORIGINAL,
    "birth": BIRTH, "gender": GENDER, "nationalities": NATIONALITY, "residence_status": STATUS,
    "arrival_date": ARRIVAL, "municipality": MUNICIPALITY, "address": ADDRESS, "phone": PHONE,
    "email": EMAIL, "note": REMARKS, "german_level": GERMAN,
    "literacy": LITERACY, "languages": LANGUAGES, "needs_childcare": CHILDCARE,
    "childcare_children": CHILDCARE, "availability": AVAILABILITY, "letter_language": LETTER,
    "consent_date": CONSENT, "residence_issued": STATUS_SINCE, "obligation": OBLIGATION, "obliged_on": OBLIGED_ON,
    "bamf_admission_on": ADMISSION, "ik_completed_on": IK_COMPLETED, "ik_final_level": IK_LEVEL,
}

_YES = {"ja", "j", "yes", "y", "1", "x", "true", "wahr"}
_NO = {"nein", "n", "no", "0", "-", "false", "falsch"}
_LIST_SEPARATOR = re.compile(r"[,;]")
_SHOWN_VALUES = 8  # the allowed values named in a message; long vocabularies end in "…"


@dataclass
class ImportReport(TableImportReport):
    people: list[PersonData] = field(default_factory=list)  # mapped rows in file order, for a preview
    row_numbers: list[int] = field(default_factory=list)  # the row of each of ``people`` in the file
    # Preview only: row number → existing files the row looks like (people/duplicates), best first.
    duplicates: dict[int, list[DuplicateCandidate]] = field(default_factory=dict)


def import_persons(services: Services, path: Path | str, *, dry_run: bool = False,
                   mapping: Mapping[str, str] | None = None, skip_unknown: bool = False) -> ImportReport:
    """Read, check and (unless ``dry_run`` or any problem) create every person of the file. ``mapping``
    (source header → column or SKIP) says what the headers' own spelling does not; a column without a
    field is a problem unless ``skip_unknown``."""
    table = read_table(path, PERSON_TABLE, mapping=mapping)
    report = ImportReport()
    if not start_import(table, report, _("die Datei enthält keine Personen"), skip_unknown=skip_unknown):
        return report

    mapped: list[tuple[int, PersonData]] = []
    for row in table.rows:
        data, problems = person_from_row(table.file, row)
        report.problems.extend(problems)
        mapped.append((row.number, data))
    reported = {(p.row, p.column) for p in table.problems}  # e.g. a formula cell: not also "… fehlt"
    report.problems.extend(p for p in _check_all(services, table.file, mapped) if (p.row, p.column) not in reported)
    report.problems.sort(key=lambda p: p.row or 0)  # stable: problems of a row stay in column order
    report.people = [data for _, data in mapped]
    report.row_numbers = [number for number, _ in mapped]
    if dry_run:
        marks = services.people.import_duplicates(report.people)
        report.duplicates = {number: found for (number, _data), found in zip(mapped, marks, strict=True) if found}
    if report.problems or dry_run:
        return report
    try:
        report.created_ids = _create_all(services, report.people)
    except SQLAlchemyError as exc:
        # create_many runs in one transaction, so a failure here has written nothing.
        report.problems.append(ImportProblem(table.file, None, None, _(
            "Speichern fehlgeschlagen, es wurde nichts übernommen: {reason}").format(
                reason=str(exc).splitlines()[0])))
    return report


def _check_all(services: Services, file: str, mapped: list[tuple[int, PersonData]]) -> list[ImportProblem]:
    """File numbers against each other and the database (one query), then the service's own checks."""
    problems: list[ImportProblem] = []
    existing = services.people.existing_file_numbers(sorted({d.file_number for _, d in mapped if d.file_number}))
    first_row: dict[str, int] = {}
    for number, data in mapped:
        nr = data.file_number
        if nr in existing:
            problems.append(ImportProblem(file, number, NR, _("Aktenzeichen „{value}“ ist schon vergeben")
                                          .format(value=nr)))
        elif nr and nr in first_row:
            problems.append(ImportProblem(file, number, NR, _("Aktenzeichen „{value}“ steht auch in Zeile {row}")
                                          .format(value=nr, row=first_row[nr])))
        elif nr:
            first_row[nr] = number
        for error in services.people.check(data, lookup_file_number=False):  # looked up above, at once
            if error.field == "file_number" and nr in existing:
                continue  # already reported above, with the number quoted
            problems.append(ImportProblem(file, number, FIELD_COLUMNS.get(error.field, error.field),
                                          error.message))
    return problems


def _create_all(services: Services, people: list[PersonData]) -> list[int]:
    """Ids in file order. People with a number from the file are written first, so a number the service
    assigns to an empty ``Nr`` can never take one that a later row of the same file brings along."""
    order = sorted(range(len(people)), key=lambda i: not people[i].file_number)
    ids = services.people.create_many([people[i] for i in order])
    created = [0] * len(people)
    for i, pid in zip(order, ids, strict=True):
        created[i] = pid
    return created


# --- one row -------------------------------------------------------------------------------------------
def person_from_row(file: str, row: TableRow) -> tuple[PersonData, list[ImportProblem]]:
    """The record for one row; a cell that cannot be read leaves its field empty and adds a problem."""
    problems: list[ImportProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(file, row.number, column, message))

    data = PersonData(
        file_number=clean_text(row.get(NR)),
        family_name=row.get(FAMILY),
        given_name=row.get(GIVEN),
        name_original=row.get(ORIGINAL),
        municipality=row.get(MUNICIPALITY) or row.get(TOWN),
        address=address_from_row(row),
        phone=row.get(PHONE),
        email=row.get(EMAIL),
        note=row.get(REMARKS),
    )
    if text := row.get(BIRTH):
        try:
            data.birth = parse_partial_date(text)
        except DateParseError as exc:
            problem(BIRTH, str(exc))
    data.gender = _term("gender", row.get(GENDER), GENDER, problem) or data.gender
    data.nationalities = _terms("countries", row.get(NATIONALITY), NATIONALITY, problem)
    data.residence_status = _term("residence_status", row.get(STATUS), STATUS, problem) or ""
    data.residence_issued = _date(row.get(STATUS_SINCE), STATUS_SINCE, problem)
    data.obligation = _term("obligation", row.get(OBLIGATION), OBLIGATION, problem) or ""
    data.obliged_on = _date(row.get(OBLIGED_ON), OBLIGED_ON, problem)
    data.bamf_admission_on = _date(row.get(ADMISSION), ADMISSION, problem)
    data.ik_completed_on = _date(row.get(IK_COMPLETED), IK_COMPLETED, problem)
    data.ik_final_level = _term("ik_final_level", row.get(IK_LEVEL), IK_LEVEL, problem) or ""
    data.arrival_date = _date(row.get(ARRIVAL), ARRIVAL, problem)
    data.german_level = _term("german_level", row.get(GERMAN), GERMAN, problem) or ""
    data.literacy = _term("literacy", row.get(LITERACY), LITERACY, problem) or ""
    data.languages = [LanguageSkill(code, "") for code in
                      _terms("languages", row.get(LANGUAGES), LANGUAGES, problem)]
    data.needs_childcare = _yes_no(row.get(CHILDCARE), CHILDCARE, problem)
    data.childcare_children = 1 if data.needs_childcare else 0  # the list says "yes", not how many
    data.availability = _terms("availability", row.get(AVAILABILITY), AVAILABILITY, problem)
    data.letter_language = _term("languages", row.get(LETTER), LETTER, problem) or data.letter_language
    # Only the date of consent is in the list; how and for what it was given must be recorded by hand.
    data.consent_date = _date(row.get(CONSENT), CONSENT, problem)
    return data, problems


def address_from_row(row: TableRow) -> str:
    """The whole address, and the parts of one split over columns, one line each (c/o line first)."""
    postcode = row.get(POSTCODE)
    if postcode.isdigit() and len(postcode) == 4:
        postcode = "0" + postcode  # Excel drops the leading zero of 01067 Dresden
    lines = [row.get(CARE_OF), row.get(ADDRESS), f"{row.get(STREET)} {row.get(HOUSE_NUMBER)}".strip(),
             f"{postcode} {row.get(TOWN)}".strip()]
    return "\n".join(line for line in lines if line)


_Report = Callable[[str, str], None]


def _term(name: str, text: str, column: str, problem: _Report) -> str | None:
    """The code of one vocabulary value; None for an empty cell or (with a problem) an unknown value."""
    if not text:
        return None
    code = vocabulary(name).parse(text)
    if code is None and name == "languages":
        code = vocabulary(name).parse(text.replace("-", "_"))  # 'fa-AF' as BCP 47 writes it
    if code is None:
        problem(column, _("unbekannter Wert „{value}“ (erlaubt: {allowed})")
                .format(value=text, allowed=allowed_values(name)))
    return code


def _terms(name: str, text: str, column: str, problem: _Report) -> list[str]:
    codes: list[str] = []
    for part in _LIST_SEPARATOR.split(text):
        code = _term(name, part.strip(), column, problem)
        if code and code not in codes:
            codes.append(code)
    return codes


def _date(text: str, column: str, problem: _Report) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except DateParseError as exc:
        problem(column, str(exc))
        return None


def _yes_no(text: str, column: str, problem: _Report) -> bool:
    key = text.casefold()
    if not key or key in _NO:
        return False
    if key in _YES:
        return True
    problem(column, _("unbekannter Wert „{value}“ (erlaubt: ja, nein)").format(value=text))
    return False


def allowed_values(name: str) -> str:
    """A short list of what may be written, in the spelling a user would type."""
    if name == "countries":
        return _("Ländername oder ISO-Code, z. B. Syrien, SY, staatenlos")
    if name == "languages":
        return _("Sprachcode oder Sprachname, z. B. ar, fa, uk, Arabisch")
    shown = [t.aliases[0] if t.aliases and t.aliases[0] else t.label for t in vocabulary(name).terms]
    text = ", ".join(shown[:_SHOWN_VALUES])
    return text + ", …" if len(shown) > _SHOWN_VALUES else text
