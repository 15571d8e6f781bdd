"""``team`` commands of a team database (PostgreSQL): users and their roles, granted by the server itself.

    team add-user NAME --role coordinator|monitoring|admin   (password: BILDUNGSKOORDINATION_DB_PASSWORD or asked)
    team list
    team remove-user NAME

Run them as the database's owner (whoever ran ``init``) or as a user with the role admin; here
BILDUNGSKOORDINATION_DB_PASSWORD is the NEW user's password, so the admin's own comes from the URL, libpq's
PGPASSWORD or ~/.pgpass, or is asked. store/roles.py says what each role may do.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from bildungskoordination.i18n import _

NEW_PASSWORD_ENV = "BILDUNGSKOORDINATION_DB_PASSWORD"  # = store.server.PASSWORD_ENV (no SQLAlchemy for --help)


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    team = sub.add_parser("team", help=_("Benutzer und Rollen der Teamdatenbank (PostgreSQL) verwalten"))
    commands = team.add_subparsers(dest="team_command", metavar="AKTION", required=True)
    add = commands.add_parser("add-user", help=_("Benutzer anlegen (Passwort aus {env} oder Eingabe)")
                              .format(env=NEW_PASSWORD_ENV))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("coordinator", "monitoring", "admin"),
                     help=_("coordinator: Fallakten; monitoring: nur anonymisierte Zahlen; admin: zusätzlich Team "
                            "und Einstellungen"))
    commands.add_parser("list", help=_("Benutzer mit ihren Rollen auflisten"))
    remove = commands.add_parser("remove-user", help=_("Benutzer entfernen (seine Einträge im Protokoll bleiben)"))
    remove.add_argument("name", metavar="NAME")
    return {"team": _cmd_team}


def _new_password(name: str) -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password:
        return password
    if not sys.stdin or not sys.stdin.isatty():
        raise ValueError(_("Passwort für {name} fehlt: {env} setzen oder im Terminal eingeben.")
                         .format(name=name, env=NEW_PASSWORD_ENV))
    import getpass

    password = getpass.getpass(_("Passwort für {name}: ").format(name=name))
    if getpass.getpass(_("Passwort wiederholen: ")) != password:
        raise ValueError(_("die beiden Eingaben stimmen nicht überein"))
    return password


def _cmd_team(args: argparse.Namespace) -> int:
    from bildungskoordination.cli import _db_path, _fail, _open_server
    from bildungskoordination.store import roles

    url = _db_path(args)
    if not isinstance(url, str):
        return _fail(_("„team“ gilt nur für eine Teamdatenbank: --db postgresql+psycopg://benutzer@server/datenbank"))
    services = _open_server(url, env_password=False)
    try:
        if args.team_command == "add-user":
            roles.add_user(services.store, args.name, args.role, _new_password(args.name))
            services.audit.record("create", "team_user", detail=f"{args.name}: {args.role}")
            print(_("Benutzer {name} angelegt (Rolle {role}).").format(name=args.name, role=args.role))
        elif args.team_command == "remove-user":
            roles.remove_user(services.store, args.name)
            services.audit.record("delete", "team_user", detail=args.name)
            print(_("Benutzer {name} entfernt.").format(name=args.name))
        else:
            for user in roles.list_users(services.store):
                login = "" if user.can_login else "  " + _("(Anmeldung gesperrt)")
                print(f"{user.name}\t{user.role}{login}")
    finally:
        services.close()
    return 0
