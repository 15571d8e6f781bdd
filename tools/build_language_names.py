"""Write resources/vocabularies/cldr_names.json: every picker language's name in German, English and in
itself, and every country's name in German and English (CLDR, through Babel).

Looking these up in Babel at start-up loads its locale data (≈ 25 ms for the person form; a third of a second
when every language's own name is looked up); the names change only with CLDR, so they are data. Run after
changing languages.toml or Babel; tests/core/test_vocabularies.py checks the file is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bildungskoordination.domain.vocab import cldr_names_from_babel  # noqa: E402

TARGET = ROOT / "resources" / "vocabularies" / "cldr_names.json"


def main() -> int:
    TARGET.write_text(json.dumps(cldr_names_from_babel(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"written: {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
