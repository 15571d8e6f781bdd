"""One app-wide change notification, without Qt: services announce, views subscribe.

The GUI bridges this to a single Qt signal (gui/bus.py); the core stays importable without Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    entity: str  # "person", "contact", …
    kind: str  # "created", "updated", "deleted", "imported"
    ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = field(default_factory=tuple)


class ChangeBus:
    def __init__(self) -> None:
        self._listeners: list[Callable[[Change], None]] = []

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Change], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def publish(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)
