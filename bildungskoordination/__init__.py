"""Bildungskoordination – Fallverwaltung für die Bildungskoordination für Neuzugewanderte."""

import time as _time

__version__ = "0.1.0"
# When the package was first imported: the reference for start-up timings (--smoke-test).
START_TIME = _time.perf_counter()
APP_NAME = "Bildungskoordination"
