"""A team database on a PostgreSQL server: the URL, the engine, and what the server's answers mean to the user.

``--db postgresql+psycopg://user@host:5432/dbname`` (or ``postgresql://…``) opens the server instead of a file.
The password is never part of a stored URL: it comes from ``BILDUNGSKOORDINATION_DB_PASSWORD``, the OS keyring
(gui/connection.py) or a prompt. TLS: add ``?sslmode=verify-full&sslrootcert=/path/to/ca.pem`` to the URL (libpq
parameters pass through unchanged).

What the server does instead of the app: backups (pg_dump), encryption at rest (encrypted volumes), durability
(its own WAL). So the SQLite machinery – key file, SQLCipher, WAL checks, the app's backups, the commit counter,
the lock file – is skipped for a server database.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from bildungskoordination.i18n import _
from bildungskoordination.store.errors import StoreError

PASSWORD_ENV = "BILDUNGSKOORDINATION_DB_PASSWORD"
_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


class ServerUnreachable(StoreError):
    """The server did not answer (network, VPN, server down): nothing was changed."""


class LoginRefused(StoreError):
    """Wrong user name or password, or the role may not log in to this database."""


class NotPermitted(StoreError):
    """The server refused a query for this role (GRANTs, row-level security)."""

    def __init__(self) -> None:
        super().__init__(_("Das darf Ihre Rolle in der Teamdatenbank nicht: der Datenbankserver hat den Zugriff "
                           "verweigert. Für Falldaten ist die Rolle „coordinator“ nötig; fragen Sie die "
                           "Administration Ihres Teams."))


def is_server_url(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(_SCHEMES)


def server_url(text: str) -> URL:
    """The URL with the psycopg (v3) driver; a password written into it is kept (for scripts and tests)."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise StoreError(_("„{url}“ ist keine gültige Datenbankadresse (erwartet "
                           "postgresql+psycopg://benutzer@server:5432/datenbank).").format(url=text)) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg" or not url.database:
        raise StoreError(_("„{url}“ ist keine gültige Datenbankadresse (erwartet "
                           "postgresql+psycopg://benutzer@server:5432/datenbank).").format(url=text))
    return url


def shown_url(url: URL) -> str:
    """For messages and the window title: never the password."""
    return url.render_as_string(hide_password=True)


def env_password() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


def make_server_engine(url: URL, password: str | None = None) -> Engine:
    if password is not None:
        url = url.set(password=password)
    return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                         connect_args={"connect_timeout": 10, "application_name": "bildungskoordination"})


def sequence_value(session: Session, table: str) -> int:
    """The highest id the table's sequence handed out (0: none yet) – PostgreSQL's sqlite_sequence."""
    return int(session.execute(text(
        "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence(:t, 'id')::regclass), 0)"),
        {"t": table}).scalar() or 0)


def raise_sequence(session: Session, table: str, at_least: int) -> None:
    """Never hand out an id up to ``at_least`` again (rows written with their own ids, a restored server backup)."""
    if at_least > sequence_value(session, table):
        session.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"), {"t": table, "n": at_least})


def catch_up_sequences(session: Session, tables: Iterable[str]) -> None:
    """After bulk inserts with explicit ids (the demo): each sequence past the highest id in its table."""
    for table in tables:
        highest = session.execute(text(f'SELECT max(id) FROM "{table}"')).scalar() or 0
        raise_sequence(session, table, int(highest))


def describe_server_error(exc: BaseException, url: URL) -> StoreError | None:
    """The user's message for a connection or permission error from the server, or None for other errors."""
    orig = getattr(exc, "orig", exc)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    text = str(orig).lower()
    where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"
    if sqlstate == "42501" or "permission denied" in text:
        return NotPermitted()
    if sqlstate in ("28P01", "28000") or "password authentication failed" in text or "no password supplied" in text:
        return LoginRefused(_("Anmeldung an der Teamdatenbank {where} abgelehnt: Benutzername oder Passwort "
                              "stimmen nicht, oder dieser Benutzer darf sich dort nicht anmelden.").format(where=where))
    if sqlstate == "3D000" or "does not exist" in text and "database" in text:
        return StoreError(_("Die Datenbank „{db}“ gibt es auf dem Server nicht (Tippfehler in --db?).")
                          .format(db=url.database))
    if (sqlstate.startswith("08") or "connection refused" in text or "could not connect" in text
            or "timeout" in text or "could not translate host name" in text or "connection failed" in text
            or "server closed the connection" in text or "network is unreachable" in text):
        return ServerUnreachable(_("Der Datenbankserver {where} ist nicht erreichbar (kein Netz, kein VPN oder "
                                   "Server aus). Es wurde nichts geändert.").format(where=where))
    return None
