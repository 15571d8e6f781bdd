"""Commands on people: init, demo, import-persons, search, merge, duplicates, show, due."""

from __future__ import annotations

import argparse
import json
import sys

from bildungskoordination.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    _CliError,
    _fail,
    _open,
    shown_db,
)


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
