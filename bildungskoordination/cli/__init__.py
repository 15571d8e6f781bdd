"""Command line: ``bildungskoordination [--db PATH] COMMAND …``; without a command the GUI opens.

Headless commands never import Qt, and heavy modules are imported inside the commands, so ``--help``
answers at once. Errors are one line on stderr and a non-zero exit, never a traceback. The commands live by
topic beside this module (persons, courses, admin; common holds what they share); feature commands beside
their feature (letters/cli.py, monitoring/cli.py, team_cli.py).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bildungskoordination.cli.admin import _cmd_change_passphrase, _cmd_check_config
from bildungskoordination.cli.common import (  # noqa: F401 – the names the feature CLIs and tests use
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    _CliError,
    _db_argument,
    _db_path,
    _describe,
    _fail,
    _guarded,
    _iso_date,
    _open,
    _open_server,
    _open_services,
    _validation_text,
    refusal_text,
    shown_db,
)
from bildungskoordination.cli.courses import (
    _cmd_candidates,
    _cmd_import_courses,
    _cmd_match,
    _cmd_refer,
    _cmd_referral_status,
    _course_types_help,
)
from bildungskoordination.cli.persons import (  # noqa: F401 – DEMO_MARKER: letters/service.py names it
    DEMO_MARKER,
    _cmd_demo,
    _cmd_due,
    _cmd_duplicates,
    _cmd_import_persons,
    _cmd_init,
    _cmd_merge,
    _cmd_search,
    _cmd_show,
)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _derive_key_ahead(args)
    if args.command is None:
        gc.disable()  # until the first paint (gui/app.py: _collector_on)
        try:
            return _run_gui(args)
        finally:
            gc.enable()  # also when the window never painted (a cancelled unlock, the smoke test)
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


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from bildungskoordination.gui.app import run
    except ImportError as exc:
        print(f"bildungskoordination: Fehler: die Oberfläche kann nicht starten ({exc})", file=sys.stderr)
        return EXIT_ERROR
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
