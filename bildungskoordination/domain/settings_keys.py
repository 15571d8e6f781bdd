"""Setting keys: the one owner of every key and its scope (resources/settings.toml).

A key lives either with the data ("database": table app_setting, logged, the same for everyone who opens the
database) or with this computer ("machine": QSettings). The settings service and the GUI's QSettings helpers
both refuse a key that is not declared here, or one used in the wrong scope, so two names for one setting or a
setting that silently lands in the wrong place cannot happen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bildungskoordination.resources import load_toml

SCOPES = ("database", "machine", "system")


@dataclass(frozen=True)
class SettingKey:
    key: str
    scope: str
    type: str
    description: str
    pattern: re.Pattern[str]


class UnknownSetting(KeyError):
    """A key that resources/settings.toml does not declare for this scope (a programming error)."""


@cache
def setting_keys() -> tuple[SettingKey, ...]:
    keys = []
    for s in load_toml("settings.toml")["setting"]:
        if s["scope"] not in SCOPES:
            raise ValueError(f"settings.toml: {s['key']}: unknown scope {s['scope']!r}")
        regex = "".join(r"[\w-]+" if part.startswith("{") else re.escape(part)
                        for part in re.split(r"(\{\w+\})", s["key"]))
        keys.append(SettingKey(s["key"], s["scope"], s["type"], s.get("description", ""), re.compile(f"^{regex}$")))
    return tuple(keys)


def declared(key: str, scope: str) -> SettingKey:
    """The declaration of ``key``; UnknownSetting if it is not declared for ``scope``."""
    for k in setting_keys():
        if k.pattern.match(key):
            if k.scope != scope:
                raise UnknownSetting(f"setting {key!r} belongs to scope {k.scope!r}, not {scope!r}")
            return k
    raise UnknownSetting(f"setting {key!r} is not declared in resources/settings.toml")
