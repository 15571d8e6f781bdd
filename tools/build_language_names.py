"""Write resources/vocabularies/language_names.json: each picker language's name in that language (CLDR).

Looking these up in Babel at start-up loads one CLDR file per language (about a third of a second for the
person form); the names change only with CLDR, so they are data. Run after changing languages.toml or
Babel; tests/core/test_vocabularies.py checks the file is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bildungskoordination.domain.vocab import native_names_from_cldr  # noqa: E402

TARGET = ROOT / "resources" / "vocabularies" / "language_names.json"


def main() -> int:
    TARGET.write_text(json.dumps(native_names_from_cldr(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"written: {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
