"""Command line: ``bildungskoordination [--db PATH] COMMAND …``; without a command the GUI opens.

Headless commands never import Qt, and heavy modules are imported inside the commands, so ``--help``
answers at once. Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bildungskoordination",
        description="Fallverwaltung für die Bildungskoordination für Neuzugewanderte. "
        "Ohne Befehl öffnet sich die Anwendung.",
    )
    parser.add_argument("--db", type=_db_argument, metavar="DB",
                        help="Datenbankdatei (Standard: die eigene im Datenordner) oder Teamdatenbank "
                        "postgresql+psycopg://benutzer@server:5432/datenbank")
    parser.add_argument("--demo", action="store_true",
                        help="Anwendung mit einer Wegwerf-Datenbank voller Beispieldaten öffnen")
    parser.add_argument("--smoke-test", action="store_true",
                        help="Hauptfenster öffnen, bis die Personenliste gezeichnet ist, Zeiten als JSON ausgeben")
    parser.add_argument("--lang", choices=["de", "en"], help="Sprache der Oberfläche")
    parser.add_argument("--unencrypted", action="store_true",
                        help="eine NEUE Datenbank ausdrücklich unverschlüsselt anlegen (nicht empfohlen)")
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL")

    sub.add_parser("init", help="Datenbank anlegen bzw. auf den aktuellen Stand bringen")

    demo = sub.add_parser("demo", help="Datenbank mit erfundenen Beispieldaten füllen")
    demo.add_argument("--persons", type=int, default=300, help="Anzahl Personen (Standard 300)")
    demo.add_argument("--seed", type=int, default=1, help="Zufallsstartwert (Standard 1)")

    imp = sub.add_parser("import-persons", help="Personenliste aus CSV oder XLSX einlesen (alles oder nichts)")
    imp.add_argument("file", type=Path, metavar="DATEI")
    imp.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    imp.add_argument("--mapping", type=Path, metavar="ZUORDNUNG",
                     help="TOML- oder JSON-Datei: \"Spalte der Datei\" = \"Feld\" oder \"skip\"")
    imp.add_argument("--skip-unknown", action="store_true",
                     help="Spalten ohne Zuordnung nicht übernehmen (sonst wird nichts eingelesen)")

    search = sub.add_parser("search", help="Personen suchen (wie das Suchfeld der Anwendung)")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--json", action="store_true", help="Ergebnis als JSON")
    search.add_argument("--limit", type=int, default=50)

    merge = sub.add_parser("merge", help="zwei Akten derselben Person von Hand zusammenführen (nie automatisch)")
    merge.add_argument("keep", metavar="KEEP", help="Id oder Aktenzeichen der Akte, die bleibt")
    merge.add_argument("other", metavar="OTHER", help="Id oder Aktenzeichen der Akte, die darin aufgeht")
    merge.add_argument("--take", action="append", default=[], metavar="FELD",
                       help="Wert dieses Feldes aus OTHER übernehmen (mehrfach möglich; sonst gilt KEEP)")
    merge.add_argument("--dry-run", action="store_true", help="nur zeigen, was sich ändern würde")

    dups = sub.add_parser("duplicates", help="mögliche Doppelerfassungen auflisten (es wird nichts geändert)")
    dups.add_argument("--limit", type=int, default=100)

    show = sub.add_parser("show", help="eine Person mit ihren Beratungskontakten anzeigen")
    show.add_argument("person", metavar="PERSON", help="Id oder Aktenzeichen")
    show.add_argument("--json", action="store_true")

    due = sub.add_parser("due", help="fällige Wiedervorlagen auflisten")
    due.add_argument("--days", type=int, default=0, help="auch die der nächsten N Tage")
    due.add_argument("--json", action="store_true")

    courses = sub.add_parser("import-courses", help="Kursliste eines Trägers aus CSV oder XLSX einlesen "
                             "(alles oder nichts; vorhandene Kurse werden aktualisiert)",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    _epilog_on_help(courses, _course_types_help)  # reads the registry only when the help is shown
    courses.add_argument("file", type=Path, metavar="DATEI")
    courses.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    courses.add_argument("--mapping", type=Path, metavar="ZUORDNUNG",
                     help="TOML- oder JSON-Datei: \"Spalte der Datei\" = \"Feld\" oder \"skip\"")
    courses.add_argument("--skip-unknown", action="store_true",
                     help="Spalten ohne Zuordnung nicht übernehmen (sonst wird nichts eingelesen)")

    match = sub.add_parser("match", help="passende Kurse für eine Person, die besten zuerst, mit Gründen")
    match.add_argument("person", metavar="PERSON", help="Id oder Aktenzeichen")
    match.add_argument("--date", metavar="JJJJ-MM-TT", help="Stichtag (Standard: heute)")
    match.add_argument("--json", action="store_true", help="Ergebnis als JSON")

    cand = sub.add_parser("candidates", help="passende Personen für einen Kurs, die besten zuerst")
    cand.add_argument("course", metavar="KURS", help="Id oder Kursnummer")
    cand.add_argument("--date", metavar="JJJJ-MM-TT", help="Stichtag (Standard: heute)")
    cand.add_argument("--json", action="store_true", help="Ergebnis als JSON")
    cand.add_argument("--limit", type=int, default=None, help="höchstens N Personen")

    refer = sub.add_parser("refer", help="eine Person an einen Kurs vermitteln (gibt die Id der Vermittlung aus)")
    refer.add_argument("person", metavar="PERSON", help="Id oder Aktenzeichen")
    refer.add_argument("course", metavar="KURS", help="Id oder Kursnummer")
    refer.add_argument("--date", metavar="JJJJ-MM-TT", help="Datum der Vermittlung (Standard: heute)")
    refer.add_argument("--reason", default="", metavar="TEXT",
                       help="Begründung, nötig wenn der Abgleich den Kurs als nicht geeignet (✗) zeigt")

    status = sub.add_parser("referral-status", help="Status einer Vermittlung ändern")
    status.add_argument("referral", metavar="VERMITTLUNG", help="Id der Vermittlung")
    status.add_argument("status", metavar="STATUS",
                        help="vorgeschlagen, angemeldet, begonnen, abgeschlossen, abgebrochen, abgelehnt, "
                        "nicht_erschienen")
    status.add_argument("--reason", default="", metavar="TEXT", help="Begründung (optional)")
    status.add_argument("--date", metavar="JJJJ-MM-TT", help="Datum der Änderung (Standard: heute)")

    sub.add_parser("change-passphrase",
                   help="Passphrase ändern (bisherige aus BILDUNGSKOORDINATION_PASSPHRASE oder Abfrage, neue aus "
                        "BILDUNGSKOORDINATION_NEW_PASSPHRASE oder zweimal abgefragt)")

    check = sub.add_parser("check-config", help="die rechnerweite Konfigurationsdatei der IT prüfen (nichts wird geändert)")
    check.add_argument("file", nargs="?", type=Path, metavar="DATEI",
                       help="Standard: der Systemort, z. B. /etc/xdg/bildungskoordination/bildungskoordination.toml")

    # Feature commands live beside their feature (letters/cli.py, monitoring/cli.py); those modules import
    # only argparse at the top, so --help stays fast.
    for module in _FEATURE_CLI_MODULES:
        _COMMANDS.update(importlib.import_module(module).register(sub))
    return parser


def _epilog_on_help(parser: argparse.ArgumentParser, make: Callable[[], str]) -> None:
    """Give ``parser`` the epilog ``make()`` when its help is printed – not at every start of the CLI."""
    format_help = parser.format_help

    def with_epilog() -> str:
        if parser.epilog is None:
            parser.epilog = make()
        return format_help()

    parser.format_help = with_epilog  # type: ignore[method-assign]




_FEATURE_CLI_MODULES = ("bildungskoordination.letters.cli", "bildungskoordination.monitoring.cli",
                        "bildungskoordination.team_cli")


def _db_argument(text: str) -> Path | str:
    """A file path, or a PostgreSQL URL kept as text (a Path would fold its '//'); as store.server.is_server_url,
    without importing SQLAlchemy."""
    is_url = text.strip().lower().startswith(("postgresql://", "postgresql+psycopg://", "postgres://"))
    return text.strip() if is_url else Path(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _derive_key_ahead(args)
    if args.command is None:
        gc.disable()  # until the first paint (gui/app.py: _collector_on)
        return _run_gui(args)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except _CliError as exc:
        return _fail(str(exc))
    except Exception as exc:  # noqa: BLE001 – one clear line, never a traceback
        print(f"bildungskoordination: Fehler: {_describe(exc)}", file=sys.stderr)
        return EXIT_ERROR


def _derive_key_ahead(args: argparse.Namespace) -> None:
    """With the passphrase in the environment, Argon2id (≈ 0.1–0.2 s, deliberately costly) starts now and runs
    beside the imports that follow (store/crypto.py: derive_key_ahead)."""
    import os

    passphrase = os.environ.get("BILDUNGSKOORDINATION_PASSPHRASE")
    if not passphrase or args.demo or isinstance(args.db, str):
        return
    from bildungskoordination.store import crypto, locations

    crypto.derive_key_ahead(args.db or locations.default_db_path(), passphrase)


def _describe(exc: BaseException) -> str:
    from bildungskoordination.domain.errors import NotFound

    if isinstance(exc, NotFound):
        return str(exc.args[0] if exc.args else exc)
    if isinstance(exc, OSError):
        from bildungskoordination.store.oserrors import describe_path_error

        return describe_path_error(exc)
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0]


def _db_path(args: argparse.Namespace) -> Path | str:
    from bildungskoordination.services import default_db_path

    return args.db if args.db else default_db_path()


def shown_db(services) -> str:  # type: ignore[no-untyped-def]
    """Where the data is, for messages: the file, or the server URL without a password."""
    from bildungskoordination.store.server import shown_url

    store = services.store
    return shown_url(store.url) if store.url is not None else str(store.path)


# Only these may create a database where there is none; every other command on a missing path (a typo in
# --db) says so instead of answering "no hits" from a new, empty file.
_MAY_CREATE = {"init", "demo", "import-persons", "import-courses"}


def _open(args: argparse.Namespace, *, demo: bool = False):  # type: ignore[no-untyped-def]
    """Open the database; the passphrase comes from BILDUNGSKOORDINATION_PASSPHRASE or the terminal."""
    services = _open_services(args, demo=demo)
    for warning in services.warnings:
        print(f"bildungskoordination: Warnung: {warning}", file=sys.stderr)
    return services


def _open_services(args: argparse.Namespace, *, demo: bool = False):  # type: ignore[no-untyped-def]
    # The imports and the open create many long-lived objects and hardly any garbage: without the cyclic
    # collector's passes over them a CLI search is ≈ 40 ms faster. On again for the command itself.
    gc.disable()
    try:
        return _open_services_now(args, demo=demo)
    finally:
        gc.enable()


def _open_services_now(args: argparse.Namespace, *, demo: bool = False):  # type: ignore[no-untyped-def]
    from bildungskoordination.i18n import _
    from bildungskoordination.services import Services
    from bildungskoordination.store import crypto
    from bildungskoordination.store.errors import PassphraseRequired

    path = _db_path(args)
    if isinstance(path, str):
        return _open_server(path)
    if getattr(args, "command", None) not in _MAY_CREATE and not path.exists():
        raise _CliError(_("Die Datenbank {path} gibt es nicht (Tippfehler in --db?). Eine neue Datenbank legt "
                          "„bildungskoordination init“ an.").format(path=path))
    passphrase = crypto.env_passphrase()
    is_new = not path.exists() or path.stat().st_size == 0
    # A database made by the demo command holds invented data only; it may stay unencrypted.
    unencrypted = args.unencrypted or (demo and is_new and passphrase is None)
    try:
        return Services.open(path, passphrase=passphrase, unencrypted=unencrypted)
    except PassphraseRequired:
        if not sys.stdin or not sys.stdin.isatty():
            raise
    import getpass

    passphrase = getpass.getpass("Passphrase: ")
    if is_new:
        crypto.check_new_passphrase(passphrase)
        if getpass.getpass("Passphrase wiederholen: ") != passphrase:
            raise ValueError("die beiden Eingaben stimmen nicht überein")
    return Services.open(path, passphrase=passphrase)


def _open_server(url: str, *, env_password: bool = True):  # type: ignore[no-untyped-def]
    """A team database: the password from BILDUNGSKOORDINATION_DB_PASSWORD (or libpq's PGPASSWORD, ~/.pgpass),
    else asked when the server wants one."""
    from bildungskoordination.services import LoginRefused, Services

    try:
        return Services.open_server(url, env_password=env_password)
    except LoginRefused:
        if not sys.stdin or not sys.stdin.isatty():
            raise
    import getpass

    return Services.open_server(url, password=getpass.getpass("Passwort für die Teamdatenbank: "))


def _cmd_init(args: argparse.Namespace) -> int:
    services = _open(args)
    if services.on_server:
        print(f"Teamdatenbank bereit: {shown_db(services)} (Rolle {services.role}, "
              f"Schema-Stand {_schema_revision(services)})")
        services.close()
        return EXIT_OK
    state = "verschlüsselt" if services.encrypted else "UNVERSCHLÜSSELT"
    print(f"Datenbank bereit: {services.store.path} ({state}, {services.people.count()} Personen)")
    services.close()
    return EXIT_OK


def _schema_revision(services) -> str:  # type: ignore[no-untyped-def]
    from bildungskoordination.store.migrate import current_revision

    with services.store.engine.connect() as conn:
        return str(current_revision(conn))


DEMO_MARKER = "demo_database"  # app_setting: this database was filled by the demo command, from empty


def _cmd_demo(args: argparse.Namespace) -> int:
    from bildungskoordination.i18n import _
    from bildungskoordination.people.demo import generate_demo

    if args.persons < 1:
        print("bildungskoordination: Fehler: --persons muss mindestens 1 sein", file=sys.stderr)
        return EXIT_USAGE
    services = _open(args, demo=True)
    try:
        if services.people.count() and not services.settings.get(DEMO_MARKER):
            raise _CliError(_("Die Datenbank {path} enthält echte Daten (keine Demodatenbank); erfundene "
                              "Beispielpersonen werden dort nicht hinzugefügt. Für die Demo eine eigene Datei "
                              "mit --db wählen.").format(path=shown_db(services)))
        created = generate_demo(services, args.persons, seed=args.seed)
        services.settings.set(DEMO_MARKER, True)
    except BaseException:
        services.close()
        raise
    print(f"{created} Beispielpersonen angelegt in {shown_db(services)}")
    services.close()
    return EXIT_OK


def _cmd_import_persons(args: argparse.Namespace) -> int:
    from bildungskoordination.people.importer import import_persons

    return _run_import(args, "persons", import_persons, lambda r: f"{len(r.created_ids)} Personen eingelesen.")


def _run_import(args: argparse.Namespace, kind: str, importer, done_text) -> int:  # type: ignore[no-untyped-def]
    """Shared by the import commands: all-or-nothing, every problem as FILE:ROW: COLUMN: reason."""
    from bildungskoordination.domain.column_mapping import MappingFileError, load_mapping_file

    try:
        mapping = load_mapping_file(args.mapping, kind) if args.mapping else None
    except MappingFileError as exc:
        return _fail(str(exc))
    services = _open(args)
    try:
        report = importer(services, args.file, dry_run=args.dry_run, mapping=mapping, skip_unknown=args.skip_unknown)
    finally:
        services.close()
    for warning in report.warnings:
        print(f"Hinweis: {warning}", file=sys.stderr)
    for row, found in getattr(report, "duplicates", {}).items():  # person import preview: likely duplicates
        files = "; ".join(f"{c.file_number} {c.family_name}, {c.given_name} ({c.reason})" for c in found)
        print(f"{args.file}:{row}: schon erfasst? {files}")
    if report.problems:
        for problem in report.problems:
            print(str(problem), file=sys.stderr)
        print(f"Nichts eingelesen: {len(report.problems)} Fehler in {args.file}.", file=sys.stderr)
        if report.unknown:
            print("Spalten zuordnen mit --mapping DATEI (\"Spalte\" = \"Feld\" oder \"skip\") "
                  "oder alle unbekannten Spalten auslassen mit --skip-unknown.", file=sys.stderr)
        return EXIT_ERROR
    if args.dry_run:
        print(f"{report.rows} Zeilen geprüft, keine Fehler (nichts geschrieben).")
    else:
        print(done_text(report))
    return EXIT_OK


def _person_json(row) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": row.id,
        "file_number": row.file_number,
        "family_name": row.family_name,
        "given_name": row.given_name,
        "name_original": row.name_original,
        "birth_date": row.birth_date_written,
        "municipality": row.municipality,
        "next_followup": row.next_followup.isoformat() if row.next_followup else None,
    }


def _cmd_search(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        rows = services.people.search(args.text, limit=args.limit)
    finally:
        services.close()
    if args.json:
        print(json.dumps([_person_json(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r.file_number}\t{r.family_name}, {r.given_name}\t{r.birth_date_written}\t{r.name_original}")
        if not rows:
            print("keine Treffer", file=sys.stderr)
    return EXIT_OK


def _shown(value) -> str:  # type: ignore[no-untyped-def]
    if value in (None, "", [], ()):
        return "–"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if hasattr(value, "display"):
        return value.display()
    if hasattr(value, "code"):
        return f"{value.code} {value.level}".strip()
    return str(value)


def _cmd_merge(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        keep, other = services.people.resolve(args.keep), services.people.resolve(args.other)
        plan = services.people.merge_plan(keep, other)
        take = set(args.take)
        if not args.dry_run:
            plan = services.people.merge(keep, other, take)
    finally:
        services.close()
    head = "Würde zusammenführen" if args.dry_run else "Zusammengeführt"
    print(f"{head}: {plan.other_file_number} → {plan.keep_file_number}")
    for choice in plan.differing:
        mark = "OTHER" if choice.field in take else "KEEP "
        print(f"  {mark} {choice.field}: {_shown(choice.keep_value)} | {_shown(choice.other_value)}")
    print(f"  bewegt: {plan.contacts} Kontakte, {plan.referrals} Vermittlungen, {plan.statuses} Statuseinträge, "
          f"{plan.log_entries} Protokolleinträge")
    print(f"  findet weiter: {', '.join(plan.aliases)}")
    if args.dry_run:
        print("(nichts geschrieben)")
    return EXIT_OK


def _cmd_duplicates(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        pairs = services.people.duplicate_pairs(limit=args.limit)
    finally:
        services.close()
    for p in pairs:
        print(f"{p.first_file_number}\t{p.first_name}\t{p.second_file_number}\t{p.second_name}\t{p.reason}")
    if not pairs:
        print("keine möglichen Doppelerfassungen", file=sys.stderr)
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    services = _open(args)
    try:
        pid = services.people.resolve(args.person)
        person = services.people.get(pid)
        contacts = services.contacts.for_person(pid)
    finally:
        services.close()
    if args.json:
        data = asdict(person)
        data["id"] = pid
        data["birth"] = person.birth.display() if person.birth else None
        data["contacts"] = [dict(asdict(c.data), id=c.id) for c in contacts]
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    print(f"{person.file_number}  {person.family_name}, {person.given_name}  {person.name_original}")
    print(f"geboren: {person.birth.display() if person.birth else '–'}")
    for label, value in (("Anschrift", person.address), ("Telefon", person.phone), ("E-Mail", person.email)):
        if value:
            print(f"{label}: {value}")
    if person.note:
        print("Notiz: " + person.note.replace("\n", "\n       "))
    for c in contacts:
        d = c.data
        follow = f"  WV {d.followup_date:%d.%m.%Y}{' ✓' if d.followup_done else ''}" if d.followup_date else ""
        print(f"  {d.contact_date:%d.%m.%Y}  {', '.join(d.topics)}{follow}  {d.next_step}")
    return EXIT_OK


def _cmd_due(args: argparse.Namespace) -> int:
    from datetime import date, timedelta

    services = _open(args)
    try:
        rows = services.contacts.due_followups(date.today() + timedelta(days=args.days))
    finally:
        services.close()
    if args.json:
        print(json.dumps([
            {"contact_id": r.contact_id, "person_id": r.person_id, "file_number": r.file_number,
             "person": r.person_name, "followup_date": r.followup_date.isoformat(), "next_step": r.next_step}
            for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{r.followup_date:%d.%m.%Y}\t{r.file_number}\t{r.person_name}\t{r.next_step}")
    return EXIT_OK


class _CliError(Exception):
    """A message for one line on stderr (exit 1), already worded for the user."""


def _iso_date(text: str | None):  # type: ignore[no-untyped-def]
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _CliError(f"„{text}“ ist kein gültiges Datum (erwartet JJJJ-MM-TT, z. B. 2026-03-01)") from None


def _validation_text(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if errors:
        return "; ".join(e.message for e in errors)
    return _describe(exc)


def _fail(message: str) -> int:
    print(f"bildungskoordination: Fehler: {message}", file=sys.stderr)
    return EXIT_ERROR


def _guarded(command):  # type: ignore[no-untyped-def]
    """Course commands: validation errors show the service's German message, without field names."""
    import functools

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        from bildungskoordination.domain.errors import ValidationError

        try:
            return command(args)
        except _CliError as exc:
            return _fail(str(exc))
        except ValidationError as exc:
            return _fail(_validation_text(exc))

    return run


def refusal_text(exc: Exception) -> str:
    """The guard's reason, and for an existing file how to replace it."""
    from bildungskoordination.i18n import _

    if getattr(exc, "exists", False):
        return _("{reason} (mit --overwrite ersetzen)").format(reason=exc)
    return str(exc)


def _course_types_help() -> str:
    """The course types a list may name, from the one registry (resources/matching/course_types.toml)."""
    from bildungskoordination.domain.course_types import course_types

    lines = ["Kursarten (Spalte „Kursart“: Bezeichnung, Kürzel oder eine übliche Schreibweise):"]
    for t in course_types():
        until = f" – nur Kursbeginn bis {t.valid_until:%d.%m.%Y}" if t.valid_until else ""
        lines.append(f"  {t.code:<20} {t.label}{until}")
    return "\n".join(lines)


@_guarded
def _cmd_import_courses(args: argparse.Namespace) -> int:
    from bildungskoordination.courses.importer import import_courses

    return _run_import(args, "courses", import_courses,
                       lambda r: f"{len(r.created_ids)} Kurse neu angelegt, {len(r.updated_ids)} aktualisiert.")


_VERDICT_MARKS = {"eligible": "✓", "caveat": "~", "not_eligible": "✗"}
_REASON_MARKS = {"ok": "✓", "caveat": "~", "no": "✗"}


def _fmt_day(day) -> str:  # type: ignore[no-untyped-def]
    return day.strftime("%d.%m.%Y") if day else "ohne Termin"


@_guarded
def _cmd_match(args: argparse.Namespace) -> int:
    on = _iso_date(args.date)
    services = _open(args)
    try:
        pid = services.people.resolve(args.person)
        matches = services.matching.for_person(pid, on)
    finally:
        services.close()
    if args.json:
        print(json.dumps([m.as_dict() for m in matches], ensure_ascii=False, indent=2))
        return EXIT_OK
    for m in matches:
        c = m.course
        print(f"{_VERDICT_MARKS.get(m.verdict, '?')} {c.course_number}  {c.course_type}  {c.provider}  "
              f"Beginn {_fmt_day(c.start)}  (Punkte {m.score:.1f})")
        for r in m.reasons:
            print(f"    {_REASON_MARKS.get(r.kind, '-')} {r.text}")
    if not matches:
        print("keine Kurse im Katalog", file=sys.stderr)
    return EXIT_OK


@_guarded
def _cmd_candidates(args: argparse.Namespace) -> int:
    on = _iso_date(args.date)
    if args.limit is not None and args.limit < 1:
        raise _CliError("--limit muss mindestens 1 sein")
    services = _open(args)
    try:
        cid = services.courses.resolve(args.course)
        results = services.matching.candidates(cid, on, limit=args.limit)
        rows = []
        for pid, m in results:
            person = services.people.get(pid)
            rows.append({"person_id": pid, "file_number": person.file_number,
                         "family_name": person.family_name, "given_name": person.given_name,
                         "name": f"{person.family_name}, {person.given_name}",
                         "verdict": m.verdict, "score": round(m.score, 2),
                         "reasons": [r.text for r in m.reasons], "reason_kinds": [r.kind for r in m.reasons]})
    finally:
        services.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        print(f"{_VERDICT_MARKS.get(row['verdict'], '?')} {row['file_number']}  {row['name']}  "
              f"(Punkte {row['score']:.1f})")
        for kind, text in zip(row["reason_kinds"], row["reasons"], strict=True):
            print(f"    {_REASON_MARKS.get(kind, '-')} {text}")
    if not rows:
        print("keine Personen", file=sys.stderr)
    return EXIT_OK


@_guarded
def _cmd_refer(args: argparse.Namespace) -> int:
    on = _iso_date(args.date)
    services = _open(args)
    try:
        pid = services.people.resolve(args.person)
        cid = services.courses.resolve(args.course)
        rid = services.matching.refer(pid, cid, unsuitable_reason=args.reason, on=on)
        waiting = services.referrals.get(rid).waiting_position
    finally:
        services.close()
    print(rid)
    if waiting:
        print(f"Hinweis: kein freier Platz – Warteliste Platz {waiting}", file=sys.stderr)
    return EXIT_OK


@_guarded
def _cmd_referral_status(args: argparse.Namespace) -> int:
    on = _iso_date(args.date)
    text = args.referral.strip()
    if not text.isdigit():
        raise _CliError(f"„{args.referral}“ ist keine Id einer Vermittlung (eine Zahl, wie von „refer“ ausgegeben)")
    services = _open(args)
    try:
        rid = int(text)
        services.referrals.set_status(rid, args.status.strip(), reason=args.reason or None, on=on)
        record = services.referrals.get(rid)
    finally:
        services.close()
    print(f"Vermittlung {rid}: {record.status_label} ({record.file_number} → {record.course_number})")
    return EXIT_OK


def _cmd_change_passphrase(args: argparse.Namespace) -> int:
    """Rekey the database (Services.change_passphrase: crash-safe, the erasure ledger re-signed)."""
    import getpass
    import os

    from bildungskoordination.i18n import _
    from bildungskoordination.services import Services, WrongPassphrase
    from bildungskoordination.store import crypto

    path = _db_path(args)
    if isinstance(path, str):
        raise _CliError(_("Eine Teamdatenbank verschlüsselt der Server; ihr Passwort ändert die IT."))
    if not path.exists():
        raise _CliError(_("Die Datenbank {path} gibt es nicht (Tippfehler in --db?).").format(path=path))
    interactive = bool(sys.stdin and sys.stdin.isatty())
    old = crypto.env_passphrase()
    if old is None:
        if not interactive:
            raise _CliError(_("Bisherige Passphrase fehlt: BILDUNGSKOORDINATION_PASSPHRASE setzen oder im Terminal "
                              "aufrufen."))
        old = getpass.getpass(_("Bisherige Passphrase: "))
    new = os.environ.get("BILDUNGSKOORDINATION_NEW_PASSPHRASE") or None
    if new is None:
        if not interactive:
            raise _CliError(_("Neue Passphrase fehlt: BILDUNGSKOORDINATION_NEW_PASSPHRASE setzen oder im Terminal "
                              "aufrufen."))
        new = getpass.getpass(_("Neue Passphrase: "))
        crypto.check_new_passphrase(new)
        if getpass.getpass(_("Neue Passphrase wiederholen: ")) != new:
            raise _CliError(_("Die beiden Eingaben stimmen nicht überein."))
    crypto.check_new_passphrase(new)
    try:
        services = Services.open(path, passphrase=old)
    except WrongPassphrase:
        raise _CliError(_("Passphrase falsch")) from None
    try:
        if not services.encrypted:
            raise _CliError(_("Diese Datenbank ist nicht verschlüsselt."))
        services.change_passphrase(old, new)
    finally:
        services.close()
    print(_("Passphrase geändert. Ältere Sicherungen öffnen sich weiter mit der bisherigen Passphrase."))
    return EXIT_OK


def _cmd_check_config(args: argparse.Namespace) -> int:
    """For IT: is the machine-wide file valid, and what will the first start take from it?"""
    from bildungskoordination.domain.machine_config import MachineConfigError, load_machine_config, system_config_path

    path = args.file or system_config_path()
    if not path.exists():
        raise _CliError(f"{path}: keine Datei (ohne sie gelten die Vorgaben der Anwendung)")
    try:
        config = load_machine_config(path)
    except MachineConfigError as exc:
        raise _CliError(str(exc)) from None
    print(f"{path}: in Ordnung")
    for key, value in (("district", config.district), ("backup_folder", config.backup_folder),
                       ("lock_minutes", config.lock_minutes), ("audit_keep_days", config.audit_keep_days),
                       *((f"letterhead.{k}", v) for k, v in config.letterhead.items()),
                       *((f"retention.{rule}.{unit}", n) for rule, units in config.retention.items()
                         for unit, n in units.items())):
        if value not in ("", None):
            print(f"  {key} = {value}")
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _cmd_init,
    "change-passphrase": _cmd_change_passphrase,
    "check-config": _cmd_check_config,
    "demo": _cmd_demo,
    "import-persons": _cmd_import_persons,
    "search": _cmd_search,
    "merge": _cmd_merge,
    "duplicates": _cmd_duplicates,
    "show": _cmd_show,
    "due": _cmd_due,
    "import-courses": _cmd_import_courses,
    "match": _cmd_match,
    "candidates": _cmd_candidates,
    "refer": _cmd_refer,
    "referral-status": _cmd_referral_status,
}


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from bildungskoordination.gui.app import run
    except ImportError as exc:
        print(f"bildungskoordination: Fehler: die Oberfläche kann nicht starten ({exc})", file=sys.stderr)
        return EXIT_ERROR
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
