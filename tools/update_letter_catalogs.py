"""Bring the letter translation catalogs up to date with the German letter texts.

    python tools/update_letter_catalogs.py           # write translations/letters.pot and every letters.po
    python tools/update_letter_catalogs.py --check   # change nothing; exit 1 if a catalog is out of date

Source: resources/letters/texts.toml ([texts]), the labels of resources/matching/course_types.toml
(course_type.<code>) and resources/letters/documents.toml (doc.<id>). Each text is one entry with
msgctxt = key and msgid = German text. Entries are matched by key (not by msgid, as pybabel would): a changed
German text keeps its translation, marked ``fuzzy`` with the old text as ``#|`` (the app does not print fuzzy
translations); a removed key is kept at the end as ``#~`` and revived if the key comes back. A catalog is
created for every language of bildungskoordination.letters.texts.LETTER_LANGUAGES that has none.

Review state: each letters.po carries ``X-Review-State`` and ``X-Review-Note`` in its header. Allowed states:
    machine-translated   Maschinell übersetzt, nicht geprüft
    reviewed             Von einer Fachkraft geprüft
    official             Amtliche Übersetzung
Change them by hand in the .po header after a review; this script keeps them (Babel itself drops unknown
headers, so they are read and written here). Output is deterministic, as with tools/update_catalogs.py.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, unescape, write_po
from update_catalogs import ROOT, WIDTH, _brace_format, project_version, write_outputs

from bildungskoordination.letters.texts import DOMAIN, LETTER_LANGUAGES, REVIEW_STATES, SOURCE_LANGUAGE

TRANSLATIONS = ROOT / "translations"
POT_FILE = TRANSLATIONS / f"{DOMAIN}.pot"
PROJECT = "bildungskoordination-letters"
TEXTS = "resources/letters/texts.toml"
COURSE_TYPES = "resources/matching/course_types.toml"
DOCUMENTS = "resources/letters/documents.toml"
NEW_STATE = "machine-translated"
_REVIEW_HEADER = re.compile(r'^"(X-Review-State|X-Review-Note): ([^"\\]*)\\n"$', re.MULTILINE)
_VOLATILE_HEADER_LINES = re.compile(rb'^"(POT-Creation-Date|Generated-By): [^"]*\\n"\n', re.MULTILINE)
_HEADER_END = b'"Content-Transfer-Encoding: 8bit\\n"\n'


def _load(rel: str) -> dict:
    import tomllib

    with (ROOT / rel).open("rb") as fh:
        return tomllib.load(fh)


def build_template() -> Catalog:
    """Every letter text as a template catalog (msgctxt = key, msgid = German)."""
    texts = _load(TEXTS)
    notes = texts.get("notes", {})
    entries: list[tuple[str, str, str]] = [(key, text, TEXTS) for key, text in texts["texts"].items()]
    entries += [(f"course_type.{e['code']}", e["label"], COURSE_TYPES) for e in _load(COURSE_TYPES)["entry"]]
    entries += [(f"doc.{key}", text, DOCUMENTS) for key, text in _load(DOCUMENTS)["documents"].items()]
    template = Catalog(project=PROJECT, version=project_version(), msgid_bugs_address="", charset="utf-8",
                       fuzzy=True)
    template.header_comment = (
        "# Letter texts (German source) of bildungskoordination.\n"
        "# Generated from resources/letters/*.toml by tools/update_letter_catalogs.py; do not edit.\n"
        "# msgctxt is the text key; placeholders in {braces} must stay unchanged in every translation.\n"
        "#")
    for key, text, source in entries:
        flags = {"python-brace-format"} if _brace_format(text) else set()
        comments = [notes[key]] if key in notes else []
        template.add(text, None, [(source, None)], auto_comments=comments, flags=flags, context=key)
    return template


def review_header(po_file: Path) -> dict[str, str]:
    if not po_file.is_file():
        return {"X-Review-State": NEW_STATE, "X-Review-Note": REVIEW_STATES[NEW_STATE]}
    return dict(_REVIEW_HEADER.findall(po_file.read_text(encoding="utf-8").split("\n\n", 1)[0]))


def updated(language: str, po_file: Path, template: Catalog) -> bytes:
    """The catalog for ``language`` matched to ``template`` by key, translations kept."""
    catalog = Catalog(locale=language, domain=DOMAIN, project=PROJECT, version=project_version(),
                      msgid_bugs_address="", charset="utf-8", fuzzy=False)
    catalog.header_comment = (
        f"# {Locale.parse(language).english_name} translation of the letter texts of bildungskoordination.\n"
        "# Review state: see X-Review-State below (machine-translated | reviewed | official).\n"
        "#")
    old: dict[str, Message] = {}
    if po_file.is_file():
        with po_file.open("rb") as fh:
            previous = read_po(fh, locale=language, domain=DOMAIN)
        catalog.header_comment = previous.header_comment
        catalog.last_translator = previous.last_translator
        catalog.revision_date = previous.revision_date
        old = {m.context: m for m in previous.obsolete.values() if m.context}
        old.update({m.context: m for m in previous if m.id and m.context})
    for entry in template:
        if not entry.id:
            continue
        before = old.pop(entry.context, None)
        comments, previous = _split_previous(before.user_comments if before else [])
        message = Message(entry.id, "", list(entry.locations), set(entry.flags), list(entry.auto_comments),
                          comments, context=entry.context)
        if before is not None and before.string:
            message.string = before.string
            if before.id != entry.id:
                message.flags.add("fuzzy")
                message.previous_id = [str(before.id)]
            elif before.fuzzy:
                message.flags.add("fuzzy")
                message.previous_id = [previous] if previous else []
        catalog[entry.id] = message
    for key in sorted(old):
        gone = old[key]
        catalog.obsolete[(gone.id, key)] = Message(gone.id, gone.string, context=key,
                                                   user_comments=list(gone.user_comments))
    return _with_review_header(render(catalog), review_header(po_file))


def render(catalog: Catalog, *, template: bool = False) -> bytes:
    """Like update_catalogs.render, but in the order of the source (letter order, not sorted by file)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, include_previous=not template,
             ignore_obsolete=template)
    data = _VOLATILE_HEADER_LINES.sub(b"", buffer.getvalue())
    return data.replace(b"charset=utf-8", b"charset=UTF-8", 1)  # as gettext writes it; Babel reads both


def _split_previous(comments: Iterable[str]) -> tuple[list[str], str | None]:
    """User comments, and the old msgid of a ``#| msgid`` line (Babel's read_po keeps those as comments)."""
    others = [comment for comment in comments if not comment.startswith("|")]
    # Babel wraps "#| msgid" lines at a space inside the quoted text, so the lines are joined with one again.
    previous = " ".join(comment[1:].strip() for comment in comments if comment.startswith("|"))
    parts = [unescape(quoted) for quoted in re.findall(r'"(?:[^"\\]|\\.)*"', previous.partition("msgid ")[2])]
    return others, "".join(parts) or None


def _with_review_header(data: bytes, header: dict[str, str]) -> bytes:
    lines = b"".join(f'"{name}: {value}\\n"\n'.encode() for name, value in sorted(header.items()))
    return data.replace(_HEADER_END, _HEADER_END + lines, 1)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a catalog is out of date")
    args = parser.parse_args(None if argv is None else list(argv))

    template = build_template()
    outputs: dict[Path, bytes] = {POT_FILE: render(template, template=True)}
    for language in LETTER_LANGUAGES:
        if language != SOURCE_LANGUAGE:
            po_file = TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"
            outputs[po_file] = updated(language, po_file, template)

    stale = write_outputs(outputs, check=args.check)
    for path, data in outputs.items():
        if path != POT_FILE and (todo := _untranslated(data, path.parent.parent.name)):
            print(f"{path.relative_to(ROOT)}: {todo} text(s) new or fuzzy, please translate")
    print(f"{len(template)} texts; {len(stale)} file(s) {'out of date' if args.check else 'changed'}")
    return 1 if args.check and stale else 0


def _untranslated(data: bytes, language: str) -> int:
    catalog = read_po(io.BytesIO(data), locale=language, domain=DOMAIN)
    return sum(1 for message in catalog if message.id and (message.fuzzy or not message.string))


if __name__ == "__main__":
    sys.exit(main())
