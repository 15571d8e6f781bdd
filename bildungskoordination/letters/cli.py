"""``letter REFERRAL… [--lang CODE] --out FILE.pdf``: referral letters as a PDF. Heavy imports inside."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

LANGUAGES_HELP = "de, en, fr, ar, fa, fa_AF (Dari), ps, uk, ru, tr, ku (Kurmandschi), ckb (Sorani), ti, so"


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    letter = sub.add_parser("letter", help="zweisprachigen Vermittlungsbrief als PDF schreiben")
    letter.add_argument("referrals", nargs="+", metavar="VERMITTLUNG",
                        help="Id der Vermittlung; mehrere Ids ergeben eine PDF mit einem Brief je Vermittlung")
    letter.add_argument("--lang", metavar="CODE",
                        help=f"Sprache neben Deutsch (Standard: die Briefsprache der Person): {LANGUAGES_HELP}")
    letter.add_argument("--out", required=True, type=Path, metavar="DATEI.pdf", help="Ziel-Datei")
    letter.add_argument("--date", metavar="JJJJ-MM-TT", help="Briefdatum (Standard: heute)")
    letter.add_argument("--overwrite", action="store_true", help="eine vorhandene Datei ersetzen")
    letter.add_argument("--allow-past-dates", action="store_true",
                        help="auch schreiben, wenn Anmeldeschluss oder Kursbeginn vor dem Briefdatum liegen")
    return {"letter": _cmd_letter}


def _cmd_letter(args: argparse.Namespace) -> int:
    from bildungskoordination import cli
    from bildungskoordination.domain.errors import ValidationError
    from bildungskoordination.domain.output_target import OutputRefused
    from bildungskoordination.letters.checks import DatesInPast
    from bildungskoordination.letters.texts import LETTER_LANGUAGES

    if args.lang is not None and args.lang not in LETTER_LANGUAGES:
        return cli._fail(f"--lang {args.lang}: unbekannte Briefsprache (möglich: {LANGUAGES_HELP})")
    ids = []
    for text in args.referrals:
        if not text.isdigit():
            return cli._fail(f"Vermittlung „{text}“: erwartet wird die Id (eine Zahl), siehe „referral-status“")
        ids.append(int(text))
    out: Path = args.out
    if out.suffix.lower() != ".pdf":
        return cli._fail(f"--out {out}: die Datei muss auf .pdf enden")
    if not out.parent.exists():
        return cli._fail(f"--out {out}: den Ordner {out.parent} gibt es nicht")
    try:
        on = cli._iso_date(args.date)
    except cli._CliError as exc:
        return cli._fail(str(exc))
    services = cli._open(args)
    try:
        services.letters.save(ids, out, args.lang, on=on, overwrite=args.overwrite,
                              allow_past=args.allow_past_dates)
    except ValidationError as exc:
        return cli._fail(cli._validation_text(exc))
    except OutputRefused as exc:
        return cli._fail(cli.refusal_text(exc))
    except DatesInPast as exc:
        return cli._fail(f"{exc} – mit --allow-past-dates trotzdem schreiben")
    except ValueError as exc:  # an address that does not fit: the message names the person and what
        return cli._fail(str(exc))
    finally:
        services.close()
    print(f"{out}: {len(ids)} Brief(e) geschrieben", file=sys.stdout)
    return cli.EXIT_OK
