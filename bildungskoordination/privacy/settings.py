"""Settings stored in the database (table app_setting): values the coordinator sets inside the app and
that belong to the data, not to one computer – retention periods, how long the log is kept, ….

Defaults live in resources/; a key without a row here means "use the default". Every change is logged.
"""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from bildungskoordination.domain.settings_keys import declared
from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.privacy.audit import Action, add_event
from bildungskoordination.store.engine import Store
from bildungskoordination.store.models import AppSetting


class SettingsService:
    def __init__(self, store: Store, bus: ChangeBus | None = None) -> None:
        self.store = store
        self.bus = bus or ChangeBus()

    def get(self, key: str, default: Any = None) -> Any:
        declared(key, "database")
        with self.store.read() as s:
            row = s.get(AppSetting, key)
            return default if row is None else row.value

    def get_int(self, key: str, default: int) -> int:
        """An integer setting; a missing or unusable value gives ``default`` rather than an error at start-up."""
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            return default
        return value

    def all(self) -> dict[str, Any]:
        with self.store.read() as s:
            return {row.key: row.value for row in s.scalars(select(AppSetting))}

    def set(self, key: str, value: Any) -> None:
        declared(key, "database")
        json.dumps(value)  # fail here, with the caller's value in the traceback, not at commit
        with self.store.unit_of_work() as s:
            row = s.get(AppSetting, key)
            if row is not None and row.value == value:
                return
            if row is None:
                s.add(AppSetting(key=key, value=value))
            else:
                row.value = value
            # The key is the "field"; the value is not logged (settings hold no personal data, but the log
            # keeps one rule: names only).
            add_event(s, Action.UPDATE, "setting", fields=[key])
        self.bus.publish(Change("setting", "updated"))

    def reset(self, key: str) -> None:
        """Back to the default from resources/."""
        declared(key, "database")
        with self.store.unit_of_work() as s:
            result = cast(CursorResult, s.execute(delete(AppSetting).where(AppSetting.key == key)))
            if not result.rowcount:
                return
            add_event(s, Action.DELETE, "setting", fields=[key])
        self.bus.publish(Change("setting", "updated"))
