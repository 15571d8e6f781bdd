"""One test suite, two engines: ``db_target`` is a SQLite file or a fresh PostgreSQL database (tests/pgserver.py).

Tests that take ``db_target`` (or ``memory_target``: in-memory SQLite instead of a file) run once per engine;
``Services.open(db_target, unencrypted=True)`` opens either.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_target(engine_name: str, tmp_path: Path) -> Iterator[Path | str]:
    if engine_name == "sqlite":
        yield tmp_path / "db.sqlite3"
        return
    from pgserver import fresh_database

    with fresh_database() as url:
        yield url


@pytest.fixture
def memory_target(engine_name: str) -> Iterator[Path | str | None]:
    """Like db_target, but SQLite in memory (as the tests that used ``Services.open(None)``)."""
    if engine_name == "sqlite":
        yield None
        return
    from pgserver import fresh_database

    with fresh_database() as url:
        yield url
