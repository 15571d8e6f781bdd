"""Bridges the core's ChangeBus to one app-wide Qt signal; views refresh from it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from bildungskoordination.events import Change, ChangeBus
from bildungskoordination.gui.operation import set_default_bus


class ChangeSignal(QObject):
    changed = Signal(object)  # Change

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        bus.subscribe(self._on_bus_change)
        set_default_bus(bus)  # operations report what they changed on this database

    def _on_bus_change(self, change: Change) -> None:
        self.changed.emit(change)

    def detach(self) -> None:
        self._bus.unsubscribe(self._on_bus_change)
