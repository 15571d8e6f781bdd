"""Fixtures of the reliability tests: populated databases built once per session, copied per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import PASSPHRASE, build, copy_db


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
