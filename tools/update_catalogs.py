"""Extract the German source texts and bring the translation catalogs up to date.

    python tools/update_catalogs.py              # write the .pot, update every translations/<lang>/.../*.po
    python tools/update_catalogs.py --check      # change nothing; exit 1 if the .pot or a .po is out of date
    python tools/update_catalogs.py --init fr    # start a new, empty catalog for another language

What it does is ``pybabel extract -F babel.cfg`` followed by ``pybabel update``, through Babel's Python API:
translations are kept, a changed source text gets its old translation back marked ``fuzzy`` (with the old
msgid as ``#|`` comment) and a removed one is kept at the end as ``#~`` (obsolete); a msgid that comes back
is revived from there. New and fuzzy entries have to be translated by hand (tests/core/test_translations.py
lists them).

The output is deterministic, so running the script twice, or on another machine, changes nothing:
no ``POT-Creation-Date`` and no ``Generated-By`` (Babel version) header, locations are file names without
line numbers (editing code elsewhere in a file does not touch the catalogs), messages sorted by file.
Files are only written when their content changes.
"""

from __future__ import annotations

import argparse
import io
import re
import string
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po, write_po

try:
    from babel.messages.frontend import parse_mapping_cfg
except ImportError:  # Babel < 2.16
    from babel.messages.frontend import parse_mapping as parse_mapping_cfg

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "bildungskoordination"
MAPPING_FILE = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "translations"
POT_FILE = TRANSLATIONS / f"{DOMAIN}.pot"
# Same as babel.cfg; passed explicitly because older Babel releases ignore per-section keywords there.
KEYWORDS = parse_keywords(["_", "N_", "ngettext:1,2"])
COMMENT_TAGS = ("Translators:",)
WIDTH = 100

POT_HEADER_COMMENT = """\
# Translations template for bildungskoordination (German source texts).
# Generated from the _(), N_() and ngettext() markers by tools/update_catalogs.py; do not edit.
# This file is distributed under the same license as the bildungskoordination project.
#"""

_VOLATILE_HEADER_LINES = re.compile(rb'^"(POT-Creation-Date|Generated-By): [^"]*\\n"\n', re.MULTILINE)


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def extract_template() -> Catalog:
    """All marked messages of the source, as a template catalog (what would go into the .pot)."""
    with MAPPING_FILE.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(MAPPING_FILE))
    template = Catalog(project=DOMAIN, version=project_version(), msgid_bugs_address="", charset="utf-8",
                       fuzzy=True)
    template.header_comment = POT_HEADER_COMMENT
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True):
        flags = {"python-brace-format"} if any(map(_brace_format, _ids(message))) else set()
        template.add(message, None, [(filename, lineno)], auto_comments=comments, flags=flags, context=context)
    return template


def _ids(message: str | tuple[str, ...]) -> tuple[str, ...]:
    return message if isinstance(message, tuple) else (message,)


def _brace_format(text: str) -> bool:
    """Has a {placeholder}: set here, as Babel >= 2.17 does itself, so every Babel writes the same flags."""
    try:
        return any(field is not None for _, field, _, _ in string.Formatter().parse(text))
    except ValueError:
        return False


def render(catalog: Catalog, *, template: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_by_file=True, include_lineno=False,
             include_previous=not template, ignore_obsolete=template)
    return _VOLATILE_HEADER_LINES.sub(b"", buffer.getvalue())


def read_catalog(po_file: Path, locale: str) -> Catalog:
    with po_file.open("rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def updated(po_file: Path, template: Catalog, *, keep_obsolete: bool = True) -> bytes:
    locale = po_file.parent.parent.name
    catalog = read_catalog(po_file, locale)
    for msgid in [key for key in catalog.obsolete if key in template and key not in catalog]:
        catalog[msgid] = catalog.obsolete.pop(msgid)  # a text that came back keeps its old translation
    catalog.update(template)
    if not keep_obsolete:
        catalog.obsolete.clear()
    return render(catalog)


def new_catalog(locale: str, template: Catalog) -> bytes:
    catalog = Catalog(locale=locale, domain=DOMAIN, project=DOMAIN, version=project_version(),
                      msgid_bugs_address="", charset="utf-8", fuzzy=False)
    catalog.header_comment = (
        f"# {Locale.parse(locale).english_name} translations for bildungskoordination (source texts: German).\n"
        "# Review-State: not translated yet\n"
        "# This file is distributed under the same license as the bildungskoordination project.\n"
        "#")
    catalog.update(template)
    return render(catalog)


def write_outputs(outputs: dict[Path, bytes], *, check: bool) -> list[Path]:
    """Write the files whose content changed (or, with ``check``, only name them); returns those files."""
    stale = [path for path, data in outputs.items() if not path.is_file() or path.read_bytes() != data]
    for path in stale:
        rel = path.relative_to(ROOT)
        if check:
            print(f"out of date: {rel}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(outputs[path])
            print(f"written: {rel}")
    return stale


def po_files() -> list[Path]:
    return sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a catalog is out of date")
    parser.add_argument("--init", metavar="LANG", help=f"create translations/LANG/LC_MESSAGES/{DOMAIN}.po")
    parser.add_argument("--no-obsolete", action="store_true", help="drop #~ entries of removed source texts")
    args = parser.parse_args(None if argv is None else list(argv))

    template = extract_template()
    outputs: dict[Path, bytes] = {POT_FILE: render(template, template=True)}
    if args.init:
        target = TRANSLATIONS / args.init / "LC_MESSAGES" / f"{DOMAIN}.po"
        if target.exists():
            parser.error(f"{target.relative_to(ROOT)} exists already")
        outputs[target] = new_catalog(args.init, template)
    for po_file in po_files():
        outputs[po_file] = updated(po_file, template, keep_obsolete=not args.no_obsolete)

    stale = write_outputs(outputs, check=args.check)
    for po_file in [] if args.check else po_files():
        catalog = read_catalog(po_file, po_file.parent.parent.name)
        todo = [m for m in catalog if m.id and (m.fuzzy or not _translated(m))]
        if todo:
            print(f"{po_file.relative_to(ROOT)}: {len(todo)} message(s) new or fuzzy, please translate")
    print(f"{len(template)} messages; {len(stale)} file(s) {'out of date' if args.check else 'changed'}")
    return 1 if args.check and stale else 0


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(strings)


if __name__ == "__main__":
    sys.exit(main())
