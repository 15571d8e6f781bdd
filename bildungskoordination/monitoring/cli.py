"""Command-line commands of this feature; registered by bildungskoordination.cli. Heavy imports inside.

    export-counts (--year JJJJ | --from JJJJ-MM-TT --to JJJJ-MM-TT) --out DATEI [--format xlsx|csv|pdf]
                  [--k N] [--tables ID,ID,…] [--ignore-warnings]

Everything the user typed is checked before the database is opened; a mistake is one German line on
stderr, exit 1, and no file is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bildungskoordination.i18n import _

EXIT_OK, EXIT_ERROR = 0, 1
_FORMATS = ("xlsx", "csv", "pdf")


class _UsageError(Exception):
    """A mistake in the arguments, already worded for the user."""


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add this feature's sub-commands to ``sub`` (argparse sub-parsers); return name → handler."""
    p = sub.add_parser("export-counts", help=_("anonymisierte Fallzahlen für das Bildungsmonitoring ausgeben "
                                               "(XLSX, CSV oder PDF; kleine Werte durch „.“ ersetzt)"))
    p.add_argument("--from", dest="date_from", metavar="JJJJ-MM-TT", help=_("erster Tag des Zeitraums"))
    p.add_argument("--to", dest="date_to", metavar="JJJJ-MM-TT", help=_("letzter Tag des Zeitraums"))
    p.add_argument("--year", metavar="JJJJ", help=_("ganzes Jahr (statt --from/--to)"))
    p.add_argument("--format", dest="file_format", metavar="FORMAT",
                   help=_("xlsx, csv oder pdf (Standard: aus der Endung von --out)"))
    p.add_argument("--out", type=Path, required=True, metavar="DATEI", help=_("Ausgabedatei"))
    p.add_argument("--k", default="3", metavar="N", help=_("Mindestfallzahl, mindestens 3 (Standard 3)"))
    p.add_argument("--tables", metavar="ID,ID,…", help=_("nur diese Tabellen (Standard: alle)"))
    p.add_argument("--ignore-warnings", action="store_true",
                   help=_("auch speichern, wenn die Ausfuhr zusammen mit früheren geheim gehaltene Zahlen verriete"))
    p.add_argument("--overwrite", action="store_true", help=_("eine vorhandene Ausgabedatei ersetzen"))
    return {"export-counts": _cmd_export_counts}


def _cmd_export_counts(args: argparse.Namespace) -> int:
    try:
        period = _period(args)
        k = _k(args.k)
        file_format = _format(args.file_format, args.out)
        wanted = _table_ids(args.tables)
    except _UsageError as exc:
        return _fail(str(exc))
    from bildungskoordination import cli
    from bildungskoordination.cli import _open
    from bildungskoordination.domain.output_target import OutputRefused

    services = _open(args)
    try:
        return _export(services, args, period, k, file_format, wanted)
    except OutputRefused as exc:
        return _fail(cli.refusal_text(exc))
    finally:
        services.close()


def _export(services: Any, args: argparse.Namespace, period: Any, k: int, file_format: str,
            wanted: list[str] | None) -> int:
    services.outputs.check(args.out, overwrite=args.overwrite)  # before counting: a wrong target fails fast
    monitoring = services.monitoring
    if wanted is not None:
        known = [t.id for t in monitoring.available_tables()]
        unknown = [t for t in wanted if t not in known]
        if unknown:
            return _fail(_("unbekannte Tabelle(n) {unknown} – vorhanden sind: {known}").format(
                unknown=", ".join(unknown), known=", ".join(known)))
    report = monitoring.report(period, tables=wanted, k=k)
    for warning in report.warnings:
        print(_("Hinweis: {warning}").format(warning=warning), file=sys.stderr)
    # The GUI shows these warnings before saving; a script must not write past them unnoticed.
    if report.warnings and not args.ignore_warnings:
        return _fail(_("nicht gespeichert: die Ausfuhr würde zusammen mit früheren Ausfuhren geheim gehaltene "
                       "Zahlen erkennbar machen (siehe Hinweise; mit --ignore-warnings trotzdem speichern)"))
    monitoring.export(report, args.out, file_format, overwrite=args.overwrite)
    suppressed = sum(1 for t in report.tables for row in t.rows for c in row.cells if c.suppressed)
    print(_("{file}: {period} ({start} – {end}), {tables} Tabellen, {suppressed} Werte geheim gehalten (k = {k})").format(
        file=args.out, period=period.label, start=f"{period.start:%d.%m.%Y}", end=f"{period.end:%d.%m.%Y}",
        tables=len(report.tables), suppressed=suppressed, k=report.k))
    return EXIT_OK


def _fail(message: str) -> int:
    print(_("bildungskoordination: Fehler: {message}").format(message=message), file=sys.stderr)
    return EXIT_ERROR


def _period(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from bildungskoordination.monitoring import periods

    if args.year is not None:
        if args.date_from or args.date_to:
            raise _UsageError(_("--year und --from/--to schließen sich aus"))
        text = args.year.strip()
        if not (text.isdigit() and len(text) == 4):
            raise _UsageError(_("--year „{text}“ ist kein Jahr (erwartet JJJJ, z. B. 2026)").format(text=args.year))
        return periods.year(int(text))
    if not (args.date_from and args.date_to):
        raise _UsageError(_("Zeitraum fehlt: --year JJJJ oder --from JJJJ-MM-TT und --to JJJJ-MM-TT angeben"))
    start, end = _date("--from", args.date_from), _date("--to", args.date_to)
    try:
        return periods.free_range(start, end)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None


def _date(option: str, text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _UsageError(_("{option} „{text}“ ist kein gültiges Datum (erwartet JJJJ-MM-TT, z. B. 2026-03-01)").format(
            option=option, text=text)) from None


def _k(text: str) -> int:
    from bildungskoordination.monitoring.model import MIN_K

    if not text.strip().isdigit():
        raise _UsageError(_("--k „{text}“ ist keine ganze Zahl").format(text=text))
    k = int(text)
    if k < MIN_K:
        raise _UsageError(_("--k {k} ist zu klein: die Mindestfallzahl ist mindestens {min}").format(k=k, min=MIN_K))
    return k


def _format(given: str | None, out: Path) -> str:
    fmt = (given or out.suffix).strip().lower().lstrip(".")
    if not fmt:
        raise _UsageError(_("Format fehlt: --format xlsx, csv oder pdf angeben (oder eine Datei mit dieser Endung)"))
    if fmt not in _FORMATS:
        raise _UsageError(_("Format „{fmt}“ unbekannt: möglich sind xlsx, csv und pdf").format(fmt=given or out.suffix))
    return fmt


def _table_ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise _UsageError(_("--tables ist leer (Ids durch Komma getrennt, z. B. personen_geschlecht,beratung_themen)"))
    return ids
