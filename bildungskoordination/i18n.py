"""gettext for the whole app.

Source texts are German (the UI speaks German first); ``translations/<lang>/LC_MESSAGES/*.po`` hold the
other languages. The app reads compiled ``.mo`` catalogs: a built wheel carries them (``hatch_build.py``
compiles every ``.po`` at build time); in a source checkout the first start compiles a ``.po`` into a
``.mo`` beside it (git-ignored). Each ``.mo`` names the SHA-256 of the ``.po`` it was made from
(as the translation of the msgid ``SOURCE_HASH_MSGID``), so an edited ``.po`` is never shadowed by an
old ``.mo``: it is compiled again. A missing catalog simply leaves the German text.
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from bildungskoordination.resources import translations_dir

DOMAIN = "bildungskoordination"
SOURCE_LANGUAGE = "de"
UI_LANGUAGES = {"de": "Deutsch", "en": "English"}
# Not a text of the app: the msgid whose "translation" in a compiled catalog is the SHA-256 of its .po.
SOURCE_HASH_MSGID = "__bildungskoordination_source_sha256__"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def catalog_files(language: str, domain: str = DOMAIN) -> tuple[Path, Path]:
    """The ``.po`` of ``language`` and the ``.mo`` compiled from it (beside it)."""
    folder = translations_dir() / language / "LC_MESSAGES"
    return folder / f"{domain}.po", folder / f"{domain}.mo"


def source_hash(po_bytes: bytes) -> str:
    return hashlib.sha256(po_bytes).hexdigest()


def compile_po(po_bytes: bytes, language: str) -> bytes:
    """The ``.mo`` of a ``.po`` (Babel), carrying the ``.po``'s SHA-256 (see ``SOURCE_HASH_MSGID``)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=language)
    catalog.add(SOURCE_HASH_MSGID, source_hash(po_bytes))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _matching_mo(mo_file: Path, expected_hash: str) -> _gettext.GNUTranslations | None:
    try:
        with mo_file.open("rb") as fh:
            translations = _gettext.GNUTranslations(fh)
    except (OSError, ValueError, UnicodeError):  # missing, unreadable or not a .mo
        return None
    return translations if translations.gettext(SOURCE_HASH_MSGID) == expected_hash else None


def _store_mo(mo_file: Path, data: bytes) -> None:
    """Write the compiled catalog beside the ``.po`` (atomically: two starts may compile at once)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{mo_file.name}.", suffix=".part", dir=mo_file.parent)
    except OSError:
        return  # a read-only installation without a built .mo: compiled in memory at every start
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, mo_file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _load_catalog(language: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    po_file, mo_file = catalog_files(language, domain)
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    try:
        po_bytes = po_file.read_bytes()
    except OSError:
        return _gettext.NullTranslations()
    expected = source_hash(po_bytes)
    compiled = _matching_mo(mo_file, expected)
    if compiled is not None:
        return compiled
    data = compile_po(po_bytes, language)
    _store_mo(mo_file, data)
    return _gettext.GNUTranslations(io.BytesIO(data))


def set_language(language: str) -> None:
    global _translations, _language
    _language = language if language in UI_LANGUAGES else SOURCE_LANGUAGE
    _translations = _load_catalog(_language)
    for listener in _listeners:
        listener(_language)


def current_language() -> str:
    return _language


def on_language_changed(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a text for extraction; translated later, where it is shown."""
    return message
