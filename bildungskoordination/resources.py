"""Locating the data shipped with the app (resources/, translations/, ui/).

In a source checkout these folders sit at the top of the repository; in an installed wheel they are
copied into ``bildungskoordination/_data`` (see pyproject.toml). Both layouts are looked up here, so no
other module needs to know.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    installed = _PACKAGE_DIR / "_data"
    if (installed / "resources").is_dir():
        return installed
    return _PACKAGE_DIR.parent


def resource_path(*parts: str) -> Path:
    return data_root().joinpath("resources", *parts)


def translations_dir() -> Path:
    return data_root() / "translations"


def ui_path(name: str) -> Path:
    return data_root() / "ui" / name


@cache
def load_toml(*parts: str) -> dict[str, Any]:
    with resource_path(*parts).open("rb") as fh:
        return tomllib.load(fh)
