"""Which column of a user's list goes into which field: the known columns and their usual spellings
(resources/imports/columns.toml), suggestions for a new file, a mapping file for the CLI, and the key under
which a mapping is remembered for the next file of the same shape.

A mapping is ``{source header: canonical column or SKIP}``; the importers read a file with it
(``domain.tabular.read_table``).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bildungskoordination.domain.tabular import SKIP, TableSpec, header_key
from bildungskoordination.i18n import _, current_language
from bildungskoordination.resources import load_toml

KINDS = ("persons", "courses")
# How a mapping file may say "do not import this column".
_SKIP_WORDS = {header_key(w) for w in (SKIP, "überspringen", "nicht übernehmen", "ignorieren", "-", "")}
SETTING_PREFIX = "import_mapping"


@dataclass(frozen=True)
class ListColumn:
    column: str  # canonical German header, also the field's name in the program
    label_en: str
    required: bool
    aliases: tuple[str, ...]
    join: str  # "": one source column at most
    label_de: str = ""  # the name in the choice when it differs from the header ("Anschrift: PLZ")

    def label(self, language: str | None = None) -> str:
        if (language or current_language()) == "en" and self.label_en:
            return self.label_en
        return self.label_de or self.column


@dataclass(frozen=True)
class ListColumns:
    kind: str
    columns: tuple[ListColumn, ...]

    @property
    def spec(self) -> TableSpec:
        return _spec(self)

    def names(self) -> tuple[str, ...]:
        return tuple(c.column for c in self.columns)

    def get(self, column: str) -> ListColumn:
        return next(c for c in self.columns if c.column == column)

    def display(self, name: str) -> str:
        """A column as the user's language names it; a header of the file as it is."""
        return next((c.label() for c in self.columns if c.column == name), name)

    def suggest(self, headers: Iterable[str]) -> dict[str, str | None]:
        """Per source header: the column its spelling names, or None (the user has to choose)."""
        return {h: self.spec.known(h) for h in headers if h}


@cache
def _spec(columns: ListColumns) -> TableSpec:
    aliases = {header_key(a): c.column for c in columns.columns for a in c.aliases}
    return TableSpec(required=tuple(c.column for c in columns.columns if c.required),
                     optional=tuple(c.column for c in columns.columns if not c.required),
                     aliases=aliases, joined={c.column: c.join for c in columns.columns if c.join})


@cache
def list_columns(kind: str) -> ListColumns:
    entries = load_toml("imports", "columns.toml")[kind]
    columns = tuple(ListColumn(e["column"], e.get("label_en", ""), bool(e.get("required", False)),
                               tuple(e.get("aliases", ())), e.get("join", ""), e.get("label", "")) for e in entries)
    seen: dict[str, str] = {}
    for c in columns:  # one spelling, one column: a clash would make the suggestion depend on file order
        for spelling in (c.column, *c.aliases):
            other = seen.setdefault(header_key(spelling), c.column)
            if other != c.column:
                raise ValueError(f"columns.toml [{kind}]: {spelling!r} names both {other!r} and {c.column!r}")
    return ListColumns(kind, columns)


def check_columns(kind: str, known: Sequence[str]) -> None:
    """The importer's own list of columns must be the resource's (called once at import time)."""
    names = list_columns(kind).names()
    if set(names) != set(known):
        raise ValueError(f"columns.toml [{kind}] and the importer differ: {sorted(set(names) ^ set(known))}")


# --- remembering ---------------------------------------------------------------------------------------
def shape(headers: Iterable[str]) -> str:
    """The same for every file with the same set of headers (order, case and spacing do not matter)."""
    keys = sorted({header_key(h) for h in headers if h.strip()})
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()[:16]


def setting_key(kind: str, headers: Iterable[str]) -> str:
    """Where the mapping for files of this shape is kept (declared in resources/settings.toml)."""
    return f"{SETTING_PREFIX}.{kind}.{shape(headers)}"


def usable(stored: object, kind: str, headers: Sequence[str]) -> dict[str, str]:
    """A stored mapping as far as it still fits: entries for these headers with a known target."""
    if not isinstance(stored, dict):
        return {}
    names = set(list_columns(kind).names()) | {SKIP}
    present = {header_key(h): h for h in headers if h}
    found: dict[str, str] = {}
    for source, target in stored.items():
        if isinstance(source, str) and target in names and header_key(source) in present:
            found[present[header_key(source)]] = target
    return found


# --- mapping files (CLI) -------------------------------------------------------------------------------
class MappingFileError(ValueError):
    """The mapping file cannot be used; the message names the file and the entry."""


def load_mapping_file(path: Path, kind: str) -> dict[str, str]:
    """``{source header: column or SKIP}`` from a TOML or JSON file of ``"header" = "field"`` pairs; a
    field may be written as the column's header, one of its usual spellings or its English name."""
    try:
        raw_text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise MappingFileError(_("{file}: Datei nicht gefunden").format(file=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingFileError(_("{file}: kann nicht gelesen werden ({reason})").format(
            file=path, reason=type(exc).__name__)) from None
    try:
        raw = json.loads(raw_text) if path.suffix.lower() == ".json" else tomllib.loads(raw_text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise MappingFileError(_("{file}: kein gültiges TOML/JSON ({reason})").format(
            file=path, reason=str(exc).splitlines()[0])) from None
    if not isinstance(raw, dict):
        raise MappingFileError(_("{file}: erwartet werden Paare „Spalte der Datei“ = „Feld“").format(file=path))
    mapping: dict[str, str] = {}
    for source, target in raw.items():
        resolved = resolve_target(kind, target) if isinstance(target, str) else None
        if resolved is None:
            raise MappingFileError(_("{file}: „{source}“: unbekanntes Feld „{target}“ (bekannt: {known}, "
                                     "oder „skip“)").format(file=path, source=source, target=target,
                                                            known=", ".join(list_columns(kind).names())))
        mapping[source] = resolved
    return mapping


def resolve_target(kind: str, text: str) -> str | None:
    key = header_key(text)
    if key in _SKIP_WORDS:
        return SKIP
    columns = list_columns(kind)
    for c in columns.columns:
        if key in (header_key(c.column), header_key(c.label_en), header_key(c.label_de or c.column)):
            return c.column
    return columns.spec.aliases.get(key)


def mapping_file_text(mapping: Mapping[str, str]) -> str:
    """A mapping as TOML, as ``load_mapping_file`` reads it (to save what the GUI chose)."""
    return "".join(f"{json.dumps(s, ensure_ascii=False)} = {json.dumps(t, ensure_ascii=False)}\n"
                   for s, t in mapping.items())
