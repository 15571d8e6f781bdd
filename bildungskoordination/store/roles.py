"""Roles of a team database (PostgreSQL): who may read case files is decided by the server, not by the app.

Three group roles (NOLOGIN), each user a LOGIN role in one of them (``team add-user``):

- ``bk_coordinator``: case files – reads and writes every table.
- ``bk_admin``: the same, and manages the team (its users get CREATEROLE); the app shows it settings, rules and
  the letterhead.
- ``bk_monitoring``: only anonymised counts. No SELECT on any table with personal data (person, contact,
  referral, …): the counts come from SECURITY DEFINER functions (migration 0012, ``bk_count_*``) that return
  aggregated numbers only. It may read the settings and the export log and write the export log and the audit
  log (an export is logged).

The grants are applied by ``apply_grants`` – when a user is added and after every migration (new tables) – and
are idempotent. Group role names are cluster-wide: one PostgreSQL cluster serves one team database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from bildungskoordination.i18n import _
from bildungskoordination.store.errors import StoreError

if TYPE_CHECKING:
    from bildungskoordination.store.engine import Store

ROLES = ("coordinator", "monitoring", "admin")
GROUPS = {role: f"bk_{role}" for role in ROLES}
# What the monitoring role may touch besides the count functions.
MONITORING_READ = ("app_setting", "export_log", "alembic_version")
MONITORING_INSERT = ("export_log", "audit_event")
COUNT_FUNCTIONS = ("bk_count_topics(date, date)", "bk_count_channels(date, date, text[], text)",
                   "bk_count_interpreters(date, date, text[], text, text)", "bk_count_persons(date, date)",
                   "bk_count_referrals(date, date)", "bk_count_start_days(date, date)",
                   "bk_count_months(date, date)")
_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")


@dataclass(frozen=True)
class TeamUser:
    name: str
    role: str
    can_login: bool


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def check_user_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name) or name.startswith("pg_") or name in GROUPS.values() or name == "postgres":
        raise StoreError(_("„{name}“ geht nicht als Benutzername: Kleinbuchstaben, Ziffern, _ . - (höchstens 63 "
                           "Zeichen, nicht mit pg_ beginnend, keine der Gruppenrollen).").format(name=name))
    return name


def _existing_groups(conn: Connection) -> set[str]:
    rows = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
                        {"names": list(GROUPS.values())})
    return {r[0] for r in rows}


def owns_tables(conn: Connection) -> bool:
    """May this login grant on the tables (their owner, a member of the owner role, or a superuser)?"""
    return bool(conn.execute(text(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
        "WHERE c.relname = 'alembic_version' AND c.relnamespace = current_schema()::regnamespace")).scalar())


def ensure_groups(conn: Connection) -> None:
    """The three groups exist; the owner (re)applies the grants. A team admin who is not the owner relies on the
    grants the owner applied when adding the first user and after every migration."""
    for group in sorted(set(GROUPS.values()) - _existing_groups(conn)):
        conn.exec_driver_sql(f"CREATE ROLE {_quote(conn, group)} NOLOGIN")
    if owns_tables(conn):
        apply_grants(conn)


def apply_grants(conn: Connection) -> None:
    """The privileges of the three groups on the current schema (idempotent). Needs the tables' owner."""
    groups = _existing_groups(conn)
    if groups != set(GROUPS.values()) or not owns_tables(conn):
        return  # no team set up yet (a single user working on the server as owner), or not the owner
    q = {role: _quote(conn, group) for role, group in GROUPS.items()}
    every = ", ".join(q.values())
    database = _quote(conn, conn.execute(text("SELECT current_database()")).scalar_one())
    writers = f"{q['coordinator']}, {q['admin']}"
    statements = [
        f"GRANT CONNECT ON DATABASE {database} TO {every}",
        f"GRANT USAGE ON SCHEMA public TO {every}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {q['monitoring']}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {writers}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {writers}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {writers}",
        f"GRANT SELECT ON {', '.join(MONITORING_READ)} TO {q['monitoring']}",
        f"GRANT INSERT ON {', '.join(MONITORING_INSERT)} TO {q['monitoring']}",
        # INSERT … RETURNING id needs SELECT on id: the numbers of log entries, nothing about anyone.
        f"GRANT SELECT (id) ON audit_event TO {q['monitoring']}",
        f"GRANT USAGE ON SEQUENCE export_log_id_seq, audit_event_id_seq TO {q['monitoring']}",
    ]
    for function in COUNT_FUNCTIONS:
        statements += [f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC",
                       f"GRANT EXECUTE ON FUNCTION {function} TO {every}"]
    for sql in statements:
        conn.exec_driver_sql(sql)


def team_role(store: Store) -> str:
    """The app role of the user connected to ``store``: admin (also the database's owner or a superuser who set
    it up), coordinator or monitoring. A file database: admin."""
    if not store.on_server:
        return "admin"
    with store.engine.connect() as conn:
        owner = conn.execute(text(
            "SELECT pg_has_role(current_user, d.datdba, 'MEMBER') OR r.rolsuper FROM pg_database d, pg_roles r "
            "WHERE d.datname = current_database() AND r.rolname = current_user")).scalar()
        member = {r[0] for r in conn.execute(text(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(:names) AND pg_has_role(current_user, oid, 'MEMBER')"),
            {"names": list(GROUPS.values())})}
        conn.rollback()
    if owner or GROUPS["admin"] in member:
        return "admin"
    if GROUPS["coordinator"] in member:
        return "coordinator"
    return "monitoring" if GROUPS["monitoring"] in member else "coordinator"


def add_user(store: Store, name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise StoreError(_("Unbekannte Rolle „{role}“ (coordinator, monitoring oder admin).").format(role=role))
    name = check_user_name(name)
    if not password:
        raise StoreError(_("Ein Passwort ist nötig (BILDUNGSKOORDINATION_DB_PASSWORD oder Eingabe)."))
    with store.engine.begin() as conn:
        ensure_groups(conn)
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
        if exists:
            raise StoreError(_("Den Benutzer „{name}“ gibt es schon.").format(name=name))
        from psycopg import sql

        extra = sql.SQL(" CREATEROLE" if role == "admin" else "")
        conn.connection.driver_connection.execute(  # type: ignore[union-attr]
            sql.SQL("CREATE ROLE {} LOGIN{} PASSWORD {}").format(sql.Identifier(name), extra, sql.Literal(password)))
        # An admin may add and remove members of every group.
        for group in GROUPS.values() if role == "admin" else (GROUPS[role],):
            option = " WITH ADMIN OPTION" if role == "admin" else ""
            conn.exec_driver_sql(f"GRANT {_quote(conn, group)} TO {_quote(conn, name)}{option}")


def list_users(store: Store) -> list[TeamUser]:
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.rolname, g.rolname, m.rolcanlogin FROM pg_auth_members a "
            "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
            "WHERE g.rolname = ANY(:names) ORDER BY m.rolname"), {"names": list(GROUPS.values())}).all()
        conn.rollback()
    by_group = {group: role for role, group in GROUPS.items()}
    best: dict[str, TeamUser] = {}
    for member, group, login in rows:
        role = by_group[group]
        if member not in best or ROLES.index(role) > ROLES.index(best[member].role):
            best[member] = TeamUser(member, role, bool(login))
    return list(best.values())


def remove_user(store: Store, name: str) -> None:
    name = check_user_name(name)
    if name not in {u.name for u in list_users(store)}:
        raise StoreError(_("„{name}“ ist kein Benutzer dieser Teamdatenbank.").format(name=name))
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP ROLE {_quote(conn, name)}")
