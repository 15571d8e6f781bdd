"""What every widget gets: the services (the only way to the data) and the change signal."""

from __future__ import annotations

from dataclasses import dataclass

from bildungskoordination.gui.bus import ChangeSignal
from bildungskoordination.services import Services


@dataclass
class AppContext:
    services: Services
    signal: ChangeSignal
    demo: bool = False
