"""Where the user's own database lives (light: the command line asks before anything heavy is imported)."""

from __future__ import annotations

import os
from pathlib import Path

from bildungskoordination import APP_NAME

DB_FILENAME = "bildungskoordination.sqlite3"


def default_data_dir() -> Path:
    """The user's data folder (e.g. ~/.local/share/Bildungskoordination); overridable for tests."""
    override = os.environ.get("BILDUNGSKOORDINATION_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return default_data_dir() / DB_FILENAME
