"""Who is working: the coordinator follow-ups belong to (issue 15).

On SQLite (one laptop) the login name of the operating system; on PostgreSQL the database role the app
connected as – the same name ``team add-user`` created, so "Meine Wiedervorlagen" follows the person, not
the laptop.
"""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy import text

UNKNOWN_USER = "unbekannt"


def os_user() -> str:
    try:
        return getpass.getuser() or UNKNOWN_USER
    except Exception:  # noqa: BLE001 – OSError/KeyError/ImportError depending on platform and Python
        return UNKNOWN_USER


def current_user(store: Any) -> str:
    """The coordinator's name for ``store`` (cached on the store: it does not change while it is open)."""
    cached = getattr(store, "_current_user", None)
    if cached:
        return str(cached)
    name = ""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect() as conn:
            name = str(conn.execute(text("SELECT current_user")).scalar() or "")
            conn.rollback()
    name = (name or os_user())[:100]
    store._current_user = name
    return name


def act_as(store: Any, name: str) -> None:
    """Work as coordinator ``name`` on ``store`` (tests, the load benchmark, a shared SQLite file)."""
    store._current_user = name[:100]
