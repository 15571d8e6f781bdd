"""A PostgreSQL server for the core tests: one fresh database per test, cloned from a migrated template.

The server: BILDUNGSKOORDINATION_TEST_PG_URL (a superuser's URL; .ci/run starts a throw-away cluster with
.ci/start_pg and sets it). Without it the PostgreSQL half of the suite is skipped on a developer's machine and
fails in CI (tests/tooling.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from tooling import missing_tool

URL_ENV = "BILDUNGSKOORDINATION_TEST_PG_URL"
TEMPLATE = "bk_template"
_template_ready = False


def server_url() -> URL:
    value = os.environ.get(URL_ENV)
    if not value:
        missing_tool(f"PostgreSQL für die Tests: {URL_ENV} nicht gesetzt (.ci/start_pg startet einen Server)")
    return make_url(value)  # type: ignore[arg-type]


def _admin(url: URL):  # type: ignore[no-untyped-def]
    return create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _ensure_template(url: URL) -> None:
    """A database at the current schema to clone (migrating once instead of once per test)."""
    global _template_ready
    if _template_ready:
        return
    from bildungskoordination.store.engine import Store

    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    finally:
        admin.dispose()
    Store.open_server(url.set(database=TEMPLATE)).close()
    _template_ready = True


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL (as text, with any password) of a new database at the current schema, dropped afterwards."""
    url = server_url()
    try:
        _ensure_template(url)
    except Exception as exc:  # noqa: BLE001 – the server is not there: skip locally, fail in CI
        missing_tool(f"PostgreSQL unter {url.render_as_string(hide_password=True)} nicht erreichbar ({exc})")
    name = "bk_t_" + uuid.uuid4().hex[:12]
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
