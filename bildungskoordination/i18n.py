"""gettext for the whole app.

Source texts are German (the UI speaks German first); ``translations/<lang>/LC_MESSAGES/*.po`` hold the
other languages. Catalogs are compiled in memory with Babel at start-up, so a source checkout needs no
build step and a missing catalog simply leaves the German text.
"""

from __future__ import annotations

import gettext as _gettext
import io
import sys
from collections.abc import Callable

from bildungskoordination.resources import translations_dir

DOMAIN = "bildungskoordination"
SOURCE_LANGUAGE = "de"
UI_LANGUAGES = {"de": "Deutsch", "en": "English"}

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def _load_catalog(language: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    po_file = translations_dir() / language / "LC_MESSAGES" / f"{domain}.po"
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    # Compiled by the installer build (packaging/compile_catalogs.py): in the frozen app always used (copying
    # does not keep the order of modification times), in a checkout only when not older than its .po.
    mo_file = po_file.with_suffix(".mo")
    if mo_file.is_file() and (getattr(sys, "frozen", False) or not po_file.is_file()
                              or mo_file.stat().st_mtime >= po_file.stat().st_mtime):
        with mo_file.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if not po_file.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


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
