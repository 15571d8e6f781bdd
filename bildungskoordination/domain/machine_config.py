"""The machine-wide configuration file that a district's IT puts on every laptop (read-only for the app).

``bildungskoordination.toml`` in the platform's system configuration folder – ``/etc/xdg/bildungskoordination/``
on Linux, ``%PROGRAMDATA%\\bildungskoordination\\`` on Windows, ``/Library/Application Support/bildungskoordination/``
on macOS (``BILDUNGSKOORDINATION_SYSTEM_CONFIG`` names another file). It is read at the first start: its values
prefill the first-start wizard and are taken over when the database is created. Every key must be declared with
scope "system" in resources/settings.toml; a file with any mistake is refused as a whole, with file, line and key.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bildungskoordination.domain.settings_keys import UnknownSetting, declared
from bildungskoordination.i18n import _

FILENAME = "bildungskoordination.toml"
ENV_OVERRIDE = "BILDUNGSKOORDINATION_SYSTEM_CONFIG"
LETTERHEAD_FIELDS = ("office", "department", "street", "postcode_city", "phone", "email", "office_hours",
                     "coordinator", "logo")
RETENTION_UNITS = ("years", "days")


class MachineConfigError(ValueError):
    """The file cannot be used; nothing of it is applied. ``str()`` is the message for the user."""

    def __init__(self, path: Path, line: int | None, key: str, problem: str) -> None:
        where = f"{path}, Zeile {line}" if line else str(path)
        super().__init__(_("Konfigurationsdatei {where}: {key}: {problem}").format(
            where=where, key=key or "–", problem=problem) if key else
            _("Konfigurationsdatei {where}: {problem}").format(where=where, problem=problem))
        self.path, self.line, self.key, self.problem = path, line, key, problem


@dataclass(frozen=True)
class MachineConfig:
    """What IT has set for every user of this machine; empty values mean "not set"."""

    path: Path | None = None
    district: str = ""
    letterhead: dict[str, str] = field(default_factory=dict)
    backup_folder: str = ""
    lock_minutes: float | None = None
    audit_keep_days: int | None = None
    retention: dict[str, dict[str, int]] = field(default_factory=dict)  # rule id -> {"years": 3, "days": 0}

    @property
    def empty(self) -> bool:
        return not (self.district or self.letterhead or self.backup_folder or self.lock_minutes is not None
                    or self.audit_keep_days is not None or self.retention)


def system_config_path() -> Path:
    override = os.environ.get(ENV_OVERRIDE)
    if override:
        return Path(override)
    from platformdirs import site_config_path

    return site_config_path("bildungskoordination", appauthor=False) / FILENAME


def load_machine_config(path: Path | None = None) -> MachineConfig:
    """The configuration at ``path`` (default: the system location); no file = an empty configuration.

    Raises MachineConfigError for a file that cannot be read, is no valid TOML, or holds an unknown key or a
    value of the wrong type – the message names the file, the line and the key."""
    path = path or system_config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return MachineConfig()
    except OSError as exc:
        raise MachineConfigError(path, None, "", _("nicht lesbar ({error})").format(error=exc.strerror)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MachineConfigError(path, line, "", _("keine UTF-8-Datei")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise MachineConfigError(path, int(match.group(1)) if match else None, "",
                                 _("kein gültiges TOML ({error})").format(error=exc)) from None
    return _parse(path, text, data)


def _parse(path: Path, text: str, data: dict[str, Any]) -> MachineConfig:
    lines = text.splitlines()

    def fail(key: str, problem: str) -> MachineConfigError:
        return MachineConfigError(path, _line_of(lines, key), key, problem)

    values: dict[str, Any] = {}
    for key, value in _flatten(data):
        try:
            spec = declared(key, "system")
        except UnknownSetting:
            raise fail(key, _("unbekannter Eintrag")) from None
        values[key] = _typed(spec.type, value, lambda problem, key=key: fail(key, problem))
    letterhead = values.get("letterhead", {})
    for name, value in letterhead.items():
        if name not in LETTERHEAD_FIELDS:
            raise fail(f"letterhead.{name}", _("unbekanntes Feld (erlaubt: {fields})").format(
                fields=", ".join(LETTERHEAD_FIELDS)))
        if not isinstance(value, str):
            raise fail(f"letterhead.{name}", _("Text erwartet"))
    retention: dict[str, dict[str, int]] = {}
    from bildungskoordination.resources import load_toml

    rules = {rule["id"] for rule in load_toml("privacy", "retention.toml").get("rule", [])}
    for key, value in values.items():
        if not key.startswith("retention."):
            continue
        rule = key.split(".", 1)[1]
        if rule not in rules:
            raise fail(key, _("unbekannte Löschregel (bekannt: {rules})").format(rules=", ".join(sorted(rules))))
        for unit, number in value.items():
            if unit not in RETENTION_UNITS or isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise fail(f"{key}.{unit}", _("years oder days mit einer ganzen Zahl ab 0 erwartet"))
        retention[rule] = dict(value)
    lock = values.get("lock_minutes")
    if lock is not None and lock < 1:
        raise fail("lock_minutes", _("mindestens 1 Minute"))
    keep = values.get("audit_keep_days")
    if keep is not None and keep < 1:
        raise fail("audit_keep_days", _("mindestens 1 Tag"))
    return MachineConfig(path=path, district=values.get("district", "").strip(), letterhead=dict(letterhead),
                         backup_folder=values.get("backup_folder", "").strip(), lock_minutes=lock,
                         audit_keep_days=keep, retention=retention)


def _flatten(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """Top-level keys; ``[retention.<rule>]`` tables become the keys ``retention.<rule>``."""
    result: list[tuple[str, Any]] = []
    for key, value in data.items():
        if key == "retention" and isinstance(value, dict):
            result.extend((f"retention.{rule}", rule_value) for rule, rule_value in value.items())
        else:
            result.append((key, value))
    return result


def _typed(kind: str, value: Any, fail: Any) -> Any:
    if kind == "str":
        if not isinstance(value, str):
            raise fail(_("Text erwartet"))
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(_("ganze Zahl erwartet"))
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(_("Zahl erwartet"))
        return float(value)
    if kind == "table":
        if not isinstance(value, dict):
            raise fail(_("Tabelle erwartet (Abschnitt in eckigen Klammern)"))
        return value
    raise fail(f"type {kind!r}")  # pragma: no cover – settings.toml declares only these


def _line_of(lines: list[str], key: str) -> int | None:
    """The line where ``key`` (``a``, ``a.b`` or ``a.b.c``) is set or its table begins."""
    parts = key.split(".")
    section: list[str] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            section = [p.strip().strip('"') for p in header.group(1).split(".")]
            if section == parts:
                return number
            continue
        assignment = re.match(r"^([\w\-\".]+)\s*=", stripped)
        if assignment:
            full = section + [p.strip('"') for p in assignment.group(1).split(".")]
            if full == parts:
                return number
    return None


def expand_folder(folder: str) -> str:
    """``{user}`` in a backup folder is the login name (one folder per user on a shared network drive)."""
    if "{user}" not in folder:
        return folder
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (container without a passwd entry)
        user = "benutzer"
    return folder.replace("{user}", user)
