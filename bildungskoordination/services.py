"""The services the GUI and the CLI use, opened together on one store.

This is the only door from the outside (GUI, CLI) to the core: widgets hold a ``Services`` and never a
Session or SQL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bildungskoordination import APP_NAME
from bildungskoordination.events import ChangeBus
from bildungskoordination.people.contacts import ContactService
from bildungskoordination.people.service import PersonService
from bildungskoordination.store.engine import Store

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


@dataclass
class Services:
    store: Store
    bus: ChangeBus
    people: PersonService
    contacts: ContactService

    @classmethod
    def open(cls, path: Path | None) -> Services:
        """Open (and if needed create and migrate) the database at ``path``; None = in memory."""
        store = Store.open(path)
        return cls.on_store(store)

    @classmethod
    def on_store(cls, store: Store) -> Services:
        bus = ChangeBus()
        return cls(store=store, bus=bus, people=PersonService(store, bus), contacts=ContactService(store, bus))

    def close(self) -> None:
        self.store.close()
