"""A team database on PostgreSQL (issue 15): init by the same migrations, roles enforced by the server, the erasure
ledger replayed after a server restore, the audit user is the database role, clear messages instead of tracebacks.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from pgserver import fresh_database
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bildungskoordination.monitoring import periods
from bildungskoordination.people.contacts import ContactData
from bildungskoordination.people.records import PersonData
from bildungskoordination.services import LoginRefused, NotPermitted, ServerUnreachable, Services
from bildungskoordination.store import roles
from bildungskoordination.store.errors import StoreError
from bildungskoordination.store.migrate import HEAD_REVISION, current_revision


@pytest.fixture
def url() -> Iterator[str]:
    with fresh_database() as value:
        yield value


@pytest.fixture
def team(url: str) -> Iterator[dict[str, str]]:
    """One user per role (names unique per test: roles belong to the whole cluster), removed afterwards."""
    owner = Services.open(url)
    suffix = uuid.uuid4().hex[:6]
    names = {role: f"{role[:4]}_{suffix}" for role in roles.ROLES}
    for role, name in names.items():
        roles.add_user(owner.store, name, role, "geheim-" + suffix)
    yield {role: make_url(url).set(username=name).render_as_string(hide_password=False)
           for role, name in names.items()}
    for name in names.values():
        roles.remove_user(owner.store, name)
    owner.close()


def _raw(url: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=u.username, password=u.password,
                           autocommit=True)


def _person_with_contact(services: Services, family: str = "Haddad") -> int:
    pid = services.people.create(PersonData(family_name=family, given_name="Rana", gender="w",
                                            nationalities=["SY"], consent_date=date(2026, 1, 5)))
    services.contacts.add(pid, ContactData(contact_date=date(2026, 2, 3), topics=["sprachkurs"], channel="telefon"))
    return pid


def test_init_creates_the_schema_on_an_empty_database(url: str) -> None:
    from pgserver import server_url

    name = "bk_init_" + uuid.uuid4().hex[:8]
    admin = _raw(server_url().set(database="postgres").render_as_string(hide_password=False))
    admin.execute(f"CREATE DATABASE {name}")
    target = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        done = subprocess.run([sys.executable, "-m", "bildungskoordination", "--db", target, "init"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Teamdatenbank bereit" in done.stdout and HEAD_REVISION in done.stdout
        services = Services.open(target)
        with services.store.engine.connect() as conn:
            assert current_revision(conn) == HEAD_REVISION
            # SQLite ignores VARCHAR lengths; so must the server, or a long name saved on a laptop fails there.
            assert conn.execute(text(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND character_maximum_length IS NOT NULL AND table_name <> 'alembic_version'")).all() == []
        services.close()
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def test_monitoring_cannot_read_a_person_even_with_raw_sql(url: str, team: dict[str, str]) -> None:
    coordinator = Services.open(team["coordinator"])
    pid = _person_with_contact(coordinator)
    coordinator.close()
    with _raw(team["monitoring"]) as conn:
        for table in ("person", "contact", "referral", "person_status", "audit_event", "erasure_ledger"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}").fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE person SET note = 'x' WHERE id = %s", (pid,))
        # The counts are there, aggregated: one person counselled in February.
        assert conn.execute("SELECT persons FROM bk_count_persons('2026-01-01', '2026-12-31') "
                            "WHERE dimension = 'total'").fetchone()[0] == 1
    with _raw(team["coordinator"]) as conn:
        assert conn.execute("SELECT family_name FROM person").fetchall() == [("Haddad",)]


def test_monitoring_gets_the_counts_and_a_clear_message_for_case_files(url: str, team: dict[str, str],
                                                                        tmp_path: Path) -> None:
    coordinator = Services.open(team["coordinator"])
    for family in ("Haddad", "Nasser", "Yilmaz", "Kaya"):
        _person_with_contact(coordinator, family)
    period = periods.year(2026)
    expected = coordinator.monitoring.report(period).tables
    coordinator.close()
    monitoring = Services.open(team["monitoring"])
    try:
        assert monitoring.role == "monitoring"
        report = monitoring.monitoring.report(period)
        assert report.tables == expected
        monitoring.monitoring.export(report, tmp_path / "zahlen.csv", "csv")  # logged in export_log and audit_event
        assert (tmp_path / "zahlen.csv").exists() and len(monitoring.monitoring.export_history()) == 1
        with pytest.raises(NotPermitted) as refused:
            monitoring.people.search_ids("Haddad")
        assert "Rolle" in str(refused.value) and "verweigert" in str(refused.value)
    finally:
        monitoring.close()


def test_each_user_gets_the_role_the_admin_gave(url: str, team: dict[str, str]) -> None:
    for role, user_url in team.items():
        services = Services.open(user_url)
        assert services.role == role
        services.close()
    owner = Services.open(url)
    try:
        listed = {u.name: u.role for u in roles.list_users(owner.store)}
    finally:
        owner.close()
    for role, user_url in team.items():
        assert listed[str(make_url(user_url).username)] == role


def test_a_team_admin_adds_and_removes_users(url: str, team: dict[str, str]) -> None:
    admin = Services.open(team["admin"])
    name = "neu_" + uuid.uuid4().hex[:6]
    try:
        roles.add_user(admin.store, name, "coordinator", "ein Passwort")
        assert {u.name: u.role for u in roles.list_users(admin.store)}[name] == "coordinator"
        user = Services.open(make_url(url).set(username=name).render_as_string(hide_password=False))
        assert user.role == "coordinator" and user.people.search_ids("") == []
        user.close()
        roles.remove_user(admin.store, name)
        assert name not in {u.name for u in roles.list_users(admin.store)}
    finally:
        admin.close()


def test_an_older_schema_asks_for_the_owner(url: str, team: dict[str, str]) -> None:
    with _raw(url) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0007'")
    with pytest.raises(StoreError) as older:
        Services.open(team["coordinator"])
    assert "Eigentümer" in str(older.value) and "init" in str(older.value)


def test_audit_user_is_the_database_role(url: str, team: dict[str, str]) -> None:
    services = Services.open(team["coordinator"])
    try:
        _person_with_contact(services)
        users = {e.os_user for e in services.audit.list(limit=None)}
    finally:
        services.close()
    assert users == {make_url(team["coordinator"]).username}


def test_the_erasure_ledger_is_replayed_after_a_server_restore(url: str) -> None:
    """IT restores a pg_dump from before the erasure and loads the saved ledger (README): the next start erases
    the person again, and the id sequence never hands out the erased id."""
    services = Services.open(url)
    keep = _person_with_contact(services, "Bleibt")
    gone = _person_with_contact(services, "Geht")
    with services.store.engine.connect() as conn:
        before = conn.execute(text("SELECT * FROM person WHERE id = :id"), {"id": gone}).mappings().one()
    services.erasure.erase(gone, "antrag")
    assert services.people.search_ids("Geht") == []
    services.close()
    # "The restore": the person row is back, the sequence at its old value; the ledger as IT re-loaded it.
    raw = _raw(url)
    columns = ", ".join(before.keys())
    raw.execute(f"INSERT INTO person ({columns}) VALUES ({', '.join(['%s'] * len(before))})",
                [psycopg.types.json.Json(v) if isinstance(v, list) else v for v in before.values()])
    raw.execute("SELECT setval(pg_get_serial_sequence('person', 'id'), %s)", (keep,))
    raw.close()
    services = Services.open(url)
    try:
        assert services.people.search_ids("Geht") == []
        assert [e.person_id for e in services.erasure.ledger()] == [gone]
        new = services.people.create(PersonData(family_name="Neu", given_name="Nach Restore"))
        assert new > gone
    finally:
        services.close()


def test_a_server_that_is_not_there_is_a_clear_message() -> None:
    with pytest.raises(ServerUnreachable) as missing:
        Services.open("postgresql+psycopg://niemand@127.0.0.1:1/bk")
    assert "nicht erreichbar" in str(missing.value)
    done = subprocess.run([sys.executable, "-m", "bildungskoordination", "--db",
                           "postgresql+psycopg://niemand@127.0.0.1:1/bk", "search", "x"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "nicht erreichbar" in done.stderr and "Traceback" not in done.stderr


def test_team_commands(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from bildungskoordination.cli import main

    name = "koord_" + uuid.uuid4().hex[:6]

    def run(*args: str, password: str | None = None) -> tuple[int, str, str]:
        if password is None:
            monkeypatch.delenv("BILDUNGSKOORDINATION_DB_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("BILDUNGSKOORDINATION_DB_PASSWORD", password)
        code = main(["--db", url, "team", *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("add-user", name, "--role", "coordinator", password="ein Passwort")[0] == 0
    assert f"{name}\tcoordinator" in run("list")[1]
    code, _out, err = run("add-user", name, "--role", "coordinator", password="ein Passwort")
    assert code == 1 and "gibt es schon" in err
    code, _out, err = run("add-user", name + "x", "--role", "monitoring")
    assert code == 1 and "Passwort" in err
    assert run("remove-user", name)[0] == 0
    assert name not in run("list")[1]
    code, _out, err = run("remove-user", "postgres")
    assert code == 1 and "Traceback" not in err
    code, _out, err = main(["--db", "/tmp/keine.sqlite3", "team", "list"]), *capsys.readouterr()
    assert code == 1 and "nur für eine Teamdatenbank" in err


def test_wrong_password_is_a_clear_message(url: str) -> None:
    """On a server with password authentication; the test cluster trusts local logins, so only the wording."""
    from bildungskoordination.store.server import describe_server_error, server_url

    class Refused(Exception):
        sqlstate = "28P01"

    problem = describe_server_error(Refused("password authentication failed"), server_url(url))
    assert isinstance(problem, LoginRefused) and "Passwort" in str(problem)
