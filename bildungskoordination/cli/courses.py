"""Commands on courses and referrals: import-courses, match, candidates, refer, referral-status."""

from __future__ import annotations

import argparse
import json
import sys

from bildungskoordination.cli.common import EXIT_OK, _CliError, _guarded, _iso_date, _open
from bildungskoordination.cli.persons import _run_import


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
