"""Fixtures of the reliability tests: populated databases built once per session, copied per test.

The soak variants (``pytest.mark.slow``) run only when asked for – ``-m slow`` or ``BK_CRASH_SOAK=1`` – so a
plain ``python -m pytest`` stays within the CI budget; ``benchmarks/crash_soak.py`` is the same with a report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .support import PASSPHRASE, build, copy_db

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    markexpr = config.getoption("markexpr") or ""
    if os.environ.get("BK_CRASH_SOAK") or ("slow" in markexpr and "not slow" not in markexpr):
        return
    skip = pytest.mark.skip(reason="Dauerlauf (slow): nur mit -m slow oder BK_CRASH_SOAK=1")
    for item in items:
        if item.get_closest_marker("slow") and HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def golden(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A cleanly closed database with 50 people and their contacts, unencrypted and encrypted."""
    root = tmp_path_factory.mktemp("golden")
    return {"plain": build(root / "plain"), "encrypted": build(root / "encrypted", passphrase=PASSPHRASE)}


@pytest.fixture
def plain_db(golden: dict[str, Path], tmp_path: Path) -> Path:
    return copy_db(golden["plain"], tmp_path / "db")


@pytest.fixture
def encrypted_db(golden: dict[str, Path], tmp_path: Path) -> Path:
    return copy_db(golden["encrypted"], tmp_path / "db")
