"""Compile every .po catalog below a folder to .mo (run with the build environment's Python, which has the app
and Babel installed).

``python packaging/compile_catalogs.py FOLDER`` (packaging/build.py: the installed package, before PyInstaller).
The .po files stay (translators' source, small). Each .mo carries the SHA-256 of its .po
(``bildungskoordination.i18n.compile_po``), so the app uses it as it is and never compiles at start.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bildungskoordination.i18n import compile_po


def main(bundle: Path) -> int:
    count = 0
    for po in sorted(bundle.rglob("translations/*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compile_po(po.read_bytes(), po.parent.parent.name))
        count += 1
    if count == 0:
        sys.exit(f"no catalogs found under {bundle}")
    print(f"[build] {count} catalogs compiled", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
