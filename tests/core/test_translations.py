"""Translation catalogs: they compile, keep the placeholders, and English covers every text of the source.

Adding or changing a German text in the code?  Run ``python tools/update_catalogs.py``, then translate the new
and the ``#, fuzzy`` entries in translations/en/LC_MESSAGES/bildungskoordination.po (remove the fuzzy flag
and the ``#|`` line once the translation fits).  No Qt here.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bildungskoordination import i18n

try:
    from babel.messages.frontend import parse_mapping_cfg
except ImportError:  # Babel < 2.16
    from babel.messages.frontend import parse_mapping as parse_mapping_cfg

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
EN_PO_NAME = f"translations/en/LC_MESSAGES/{i18n.DOMAIN}.po"
PO_FILES = sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.po"))
KEYWORDS = parse_keywords(["_", "N_", "ngettext:1,2"])  # as in babel.cfg and tools/update_catalogs.py

_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")  # {n}, {value!r:>3}; not {{escaped}}
_MNEMONIC = re.compile(r"&(?![&\s])(?!#?\w+;)")  # &x, but not && (a literal &) or an HTML entity


def _load(po_file: Path) -> Catalog:
    with po_file.open("rb") as fh:
        return read_po(fh, locale=po_file.parent.parent.name, abort_invalid=True)


def _forms(value: str | tuple | list | None) -> list[str]:
    if isinstance(value, (tuple, list)):
        return [s or "" for s in value]
    return [value or ""]


def _translated(message: Message) -> bool:
    return not message.fuzzy and all(_forms(message.string))


def _source_messages() -> dict[str, list[str]]:
    """Every msgid marked in the code right now (singular id for ngettext), with where it is."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, "babel.cfg")
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map,
                                                                          keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


def _label(message: Message) -> str:
    return repr(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)


def test_there_is_an_english_catalog():
    assert EN_PO.is_file(), f"{EN_PO_NAME} is missing; run python tools/update_catalogs.py --init en"


@pytest.mark.parametrize("po_file", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_catalog_compiles_without_errors(po_file: Path):
    catalog = _load(po_file)
    problems = [f"{_label(message)}: {error}" for message, errors in catalog.check() for error in errors]
    assert not problems, "\n".join(problems)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.info().get("language") == po_file.parent.parent.name


def test_english_covers_every_text_in_the_source():
    catalog = _load(EN_PO)
    source = _source_messages()
    assert len(source) > 50, "extraction found almost nothing - is babel.cfg right?"
    missing = {msgid: where for msgid, where in source.items() if msgid not in catalog}
    unfinished = {msgid: where for msgid, where in source.items()
                  if msgid in catalog and not _translated(catalog[msgid])}
    lines = []
    if missing:
        lines.append(f"{len(missing)} text(s) not in the catalog yet:")
        lines += [f"  {msgid!r}  ({', '.join(where)})" for msgid, where in missing.items()]
    if unfinished:
        lines.append(f"{len(unfinished)} text(s) untranslated or fuzzy:")
        lines += [f"  {msgid!r}  ({', '.join(where)})" for msgid, where in unfinished.items()]
    if lines:
        lines.append(f"Run `python tools/update_catalogs.py`, then translate these in {EN_PO_NAME} "
                     "(and remove the `#, fuzzy` flag and `#|` line of entries you have checked).")
    assert not lines, "\n".join(lines)


@pytest.mark.parametrize("po_file", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_translations_keep_placeholders_and_one_mnemonic(po_file: Path):
    catalog = _load(po_file)
    problems = []
    for message in catalog:
        if not message.id or not _translated(message):
            continue
        ids = _forms(message.id)
        for index, text in enumerate(_forms(message.string)):
            source = ids[min(index, len(ids) - 1)]
            # A plural form may use the placeholders of either msgid (e.g. "one day" without {n} elsewhere);
            # English has to match form by form.
            allowed = {source} if po_file == EN_PO else set(ids)
            wanted = [set(_PLACEHOLDER.findall(s)) for s in allowed]
            got = set(_PLACEHOLDER.findall(text))
            if got not in wanted:
                problems.append(f"{_label(message)} [{index}]: placeholders {sorted(got)}, "
                                f"expected {sorted(wanted[0])} in {text!r}")
            mnemonics = len(_MNEMONIC.findall(text))
            if mnemonics > 1 or mnemonics != min(len(_MNEMONIC.findall(source)), 1):
                problems.append(f"{_label(message)} [{index}]: {mnemonics} &-mnemonics in {text!r}, "
                                "the source has " + str(len(_MNEMONIC.findall(source))))
    assert not problems, "\n".join(problems)


def test_set_language_switches_the_texts_and_back():
    try:
        i18n.set_language("en")
        assert i18n.current_language() == "en"
        assert i18n._("Personen") == "People"
        assert i18n.ngettext("{n} Person", "{n} Personen", 1).format(n=1) == "1 person"
        assert i18n.ngettext("{n} Person", "{n} Personen", 3).format(n=3) == "3 people"
        assert i18n._("kein Text, den es im Katalog gibt") == "kein Text, den es im Katalog gibt"
        i18n.set_language("de")
        assert i18n.current_language() == "de"
        assert i18n._("Personen") == "Personen"
        assert i18n.ngettext("{n} Person", "{n} Personen", 3) == "{n} Personen"
    finally:
        i18n.set_language("de")
