"""Compile every .po catalog below a folder to .mo (run with the build environment's Python, which has Babel).

``python packaging/compile_catalogs.py FOLDER`` (packaging/build.py: the installed package, before PyInstaller):
the .po files stay (translators' source, small); the app
loads the .mo when it is at least as new as its .po (bildungskoordination/i18n.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def main(bundle: Path) -> int:
    count = 0
    for po in sorted(bundle.rglob("translations/*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)
        count += 1
    if count == 0:
        sys.exit(f"no catalogs found under {bundle}")
    print(f"[build] {count} catalogs compiled", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
