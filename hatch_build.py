"""Build hook (hatchling): compile every ``translations/*/LC_MESSAGES/*.po`` to ``.mo`` for the wheel.

The app then reads the compiled catalogs at start instead of parsing the ``.po`` (bildungskoordination/i18n.py);
each ``.mo`` names the SHA-256 of its ``.po``, which i18n checks before trusting it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # only the tests import this file without hatchling
    BuildHookInterface = object  # type: ignore[assignment,misc]


def compile_catalogs(root: Path, out: Path) -> dict[str, str]:
    """Compile each .po under ``root/translations`` into ``out``; returns {.mo written: path in the wheel}."""
    sys.path.insert(0, str(root))
    try:
        from bildungskoordination.i18n import compile_po
    finally:
        sys.path.pop(0)
    placed: dict[str, str] = {}
    for po_file in sorted((root / "translations").glob("*/LC_MESSAGES/*.po")):
        relative = po_file.relative_to(root / "translations").with_suffix(".mo")
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(compile_po(po_file.read_bytes(), po_file.parent.parent.name))
        placed[str(target)] = f"bildungskoordination/_data/translations/{relative.as_posix()}"
    return placed


class CompileCatalogsHook(BuildHookInterface):  # type: ignore[misc,valid-type]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        out = Path(tempfile.mkdtemp(prefix="bildungskoordination-mo-"))
        build_data["force_include"].update(compile_catalogs(Path(self.root), out))
