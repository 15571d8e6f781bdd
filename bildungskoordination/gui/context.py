"""What every widget gets: the services (the only way to the data) and the change signal."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from bildungskoordination.gui.bus import ChangeSignal
from bildungskoordination.services import Services


class AppRequests(QObject):
    """Requests only the application as a whole can carry out (they replace the open database)."""

    restore_backup = Signal(object)  # BackupInfo


@dataclass
class AppContext:
    services: Services
    signal: ChangeSignal
    demo: bool = False
    requests: AppRequests = field(default_factory=AppRequests)
