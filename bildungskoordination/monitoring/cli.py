"""Command-line commands of this feature; registered by bildungskoordination.cli. Heavy imports inside."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add this feature's sub-commands to ``sub`` (argparse sub-parsers); return name → handler."""
    return {}
