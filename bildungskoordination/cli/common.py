"""What every command shares: opening the database (passphrase from the environment or the terminal),
one error style (one line on stderr, exit 1) and the argument helpers."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _db_argument(text: str) -> Path | str:
    """A file path, or a PostgreSQL URL kept as text (a Path would fold its '//'); as store.server.is_server_url,
    without importing SQLAlchemy."""
    is_url = text.strip().lower().startswith(("postgresql://", "postgresql+psycopg://", "postgres://"))
    return text.strip() if is_url else Path(text)


class _CliError(Exception):
    """A message for one line on stderr (exit 1), already worded for the user."""


def _describe(exc: BaseException) -> str:
    from bildungskoordination.domain.errors import NotFound

    if isinstance(exc, NotFound):
        return str(exc.args[0] if exc.args else exc)
    if isinstance(exc, OSError):
        from bildungskoordination.store.oserrors import describe_path_error

        return describe_path_error(exc)
    text = str(exc) or exc.__class__.__name__
    return text.splitlines()[0]


def _fail(message: str) -> int:
    print(f"bildungskoordination: Fehler: {message}", file=sys.stderr)
    return EXIT_ERROR


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
