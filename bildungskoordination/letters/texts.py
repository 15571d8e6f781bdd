"""The texts of the bilingual referral letter: German source, translations, documents to bring, return slip.

German (``resources/letters/*.toml``) is the binding text; ``translations/<lang>/LC_MESSAGES/letters.po``
holds one catalog per language with msgctxt = text key and msgid = the German text. A translation is only
used while its msgid still equals the German source and its placeholders match, so a changed German text
never prints next to an outdated translation. Coordinators' replacement texts live in the database (the
LetterService); :func:`check_override` guards them. No Qt, no database here.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache

from babel.messages.pofile import read_po

from bildungskoordination.domain.course_types import course_types
from bildungskoordination.domain.vocab import language_name
from bildungskoordination.i18n import N_, _
from bildungskoordination.resources import load_toml, translations_dir

DOMAIN = "letters"
SOURCE_LANGUAGE = "de"
LETTER_LANGUAGES: tuple[str, ...] = ("de", "en", "fr", "ar", "fa", "fa_AF", "ps", "uk", "ru", "tr", "ku",
                                     "ckb", "ti", "so")
RTL_LANGUAGES = frozenset({"ar", "fa", "fa_AF", "ps", "ckb"})

# Review state of a catalog (header ``X-Review-State``); the label is what the app shows next to the language.
REVIEW_STATES: dict[str, str] = {
    "machine-translated": N_("Maschinell übersetzt, nicht geprüft"),
    "reviewed": N_("Von einer Fachkraft geprüft"),
    "official": N_("Amtliche Übersetzung"),
}
# CLDR names that are too generic or unusual for the people reading the letter.
_LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "fa_AF": ("Dari", "دری"),
    "ku": ("Kurdisch (Kurmandschi)", "Kurmancî"),
    "ckb": ("Kurdisch (Sorani)", "کوردی"),
}
_HEADER = re.compile(r'^"(X-Review-State|X-Review-Note): ([^"\\]*)\\n"$', re.MULTILINE)


@dataclass(frozen=True)
class ReviewState:
    code: str
    label: str


@dataclass(frozen=True)
class ReturnSlipOption:
    id: str
    text: str
    status: str | None  # referral status this answer sets; None: no change, only noted
    reason: bool  # listed under "nicht angemeldet, weil:"
    fill_in: bool  # followed by a line to write on
    text_en: str = ""  # shown in the English UI (the letter itself and the stored reason stay German)

    def display(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text


@dataclass(frozen=True)
class ReturnSlip:
    title: str
    intro: str
    fields: tuple[str, ...]
    signature_fields: tuple[str, ...]
    reasons_heading: str
    options: tuple[ReturnSlipOption, ...]


def catalog_path(language: str) -> str:
    return str(translations_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po")


@cache
def source_texts() -> dict[str, str]:
    """Key → German text, including ``course_type.<code>`` and ``doc.<id>``."""
    texts: dict[str, str] = dict(load_toml("letters", "texts.toml")["texts"])
    for kind in course_types():  # the one registry of course types
        texts[f"course_type.{kind.code}"] = kind.label
    for doc_id, text in load_toml("letters", "documents.toml")["documents"].items():
        texts[f"doc.{doc_id}"] = text
    return texts


def translator_notes() -> dict[str, str]:
    return dict(load_toml("letters", "texts.toml").get("notes", {}))


@cache
def catalog_texts(language: str) -> dict[str, str]:
    """Key → translated text: only entries that are translated, not fuzzy, of the current German text."""
    source = source_texts()
    if language == SOURCE_LANGUAGE:
        return dict(source)
    try:
        with open(catalog_path(language), "rb") as fh:
            catalog = read_po(fh, locale=language, domain=DOMAIN)
    except FileNotFoundError:
        return {}
    texts: dict[str, str] = {}
    for message in catalog:
        key, text = message.context, message.string
        if not key or not isinstance(text, str) or not text or message.fuzzy:
            continue
        if source.get(key) == message.id and placeholders(text) == placeholders(message.id):
            texts[key] = text
    return texts


def review_state(language: str) -> ReviewState:
    if language == SOURCE_LANGUAGE:
        return ReviewState("source", _("Ausgangstext"))
    try:
        with open(catalog_path(language), encoding="utf-8") as fh:
            header = fh.read().split("\n\n", 1)[0]  # the header entry comes first
    except FileNotFoundError:
        return ReviewState("missing", _("Keine Übersetzung vorhanden"))
    code = dict(_HEADER.findall(header)).get("X-Review-State", "")
    if code in REVIEW_STATES:
        return ReviewState(code, _(REVIEW_STATES[code]))
    return ReviewState("unknown", _("Prüfstand unbekannt"))


def placeholders(text: str) -> set[str]:
    """Field names of the str.format placeholders in ``text`` (raises ValueError on a broken brace)."""
    return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None}


def check_override(key: str, text: str) -> str | None:
    """Why ``text`` cannot replace the text ``key`` (a German message), or None when it can."""
    source = source_texts().get(key)
    if source is None:
        return _("Unbekannter Brieftext „{key}“.").format(key=key)
    if not text.strip():
        return _("Der Text für „{key}“ ist leer.").format(key=key)
    try:
        found = placeholders(text)
    except ValueError:
        return _("Der Text für „{key}“ hat eine einzelne geschweifte Klammer. Platzhalter schreiben Sie als "
                 "{{name}}, eine Klammer selbst als {{{{ oder }}}}.").format(key=key)
    expected = placeholders(source)
    if missing := sorted(expected - found):
        return _("Im Text für „{key}“ fehlt der Platzhalter {names}.").format(
            key=key, names=", ".join(f"{{{name}}}" for name in missing))
    if extra := sorted(found - expected):
        return _("Der Text für „{key}“ enthält den unbekannten Platzhalter {names}; erlaubt: {allowed}.").format(
            key=key, names=", ".join(f"{{{name}}}" for name in extra),
            allowed=", ".join(f"{{{name}}}" for name in sorted(expected)) or _("keine"))
    return None


def documents_for(course_type: str) -> list[str]:
    """Ids of the documents to bring (``doc.<id>`` texts) for a course type code, in print order."""
    by_type = load_toml("letters", "documents.toml")["by_course_type"]
    return list(by_type.get(course_type, by_type["default"]))


@cache
def return_slip() -> ReturnSlip:
    data = load_toml("letters", "return_slip.toml")["return_slip"]
    statuses = {entry["code"] for entry in load_toml("courses", "referral_statuses.toml")["status"]}
    options = []
    for entry in data["option"]:
        status = entry.get("status")
        if status is not None and status not in statuses:
            raise ValueError(f"resources/letters/return_slip.toml, Antwort „{entry['id']}“: unbekannter "
                             f"Vermittlungsstatus „{status}“ (erlaubt: {', '.join(sorted(statuses))}).")
        options.append(ReturnSlipOption(entry["id"], entry["text"], status, bool(entry.get("reason", False)),
                                        bool(entry.get("fill_in", False)), str(entry.get("text_en", ""))))
    return ReturnSlip(data["title"], data["intro"], tuple(data["fields"]), tuple(data["signature_fields"]),
                      data["reasons_heading"], tuple(options))


@cache
def language_label(language: str) -> tuple[str, str]:
    """German name and native name of a letter language, e.g. ("Dari", "دری"): the letter's own wording where
    CLDR's is too generic, else the languages registry's (domain/vocab.py, precomputed native names) – not
    Babel per language, whose locale data took a tenth of a second when the letter dialog first opened."""
    if language in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[language]
    return language_name(language, "de"), language_name(language, "native")


def is_rtl(language: str) -> bool:
    """Written right to left (CLDR's character order; tests/core/test_letter_texts.py checks the list)."""
    return language in RTL_LANGUAGES
