"""Settings kept between sessions (QSettings): window geometry, UI language, splitter state."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from bildungskoordination import APP_NAME
from bildungskoordination.domain.settings_keys import declared

ORGANISATION = "Bildungskoordination"


def settings() -> QSettings:
    return QSettings(ORGANISATION, APP_NAME)


def value(key: str, default: object = None) -> object:
    """A machine setting declared in resources/settings.toml (domain.settings_keys)."""
    declared(key, "machine")
    return settings().value(key, default)


def set_value(key: str, new: object) -> None:
    declared(key, "machine")
    settings().setValue(key, new)


def ui_language() -> str:
    language = value("ui/language", "de")
    return str(language) if language in ("de", "en") else "de"


def set_ui_language(language: str) -> None:
    set_value("ui/language", language)


def save_bytes(key: str, data: QByteArray) -> None:
    set_value(key, data)


def load_bytes(key: str) -> QByteArray | None:
    data = value(key)
    return data if isinstance(data, QByteArray) else None


def lock_minutes() -> float:
    """Idle minutes before the screen lock (default 10)."""
    try:
        return max(1.0, float(value("privacy/lock_minutes", 10)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 10.0


def set_lock_minutes(minutes: float) -> None:
    set_value("privacy/lock_minutes", minutes)


def backup_folder() -> str | None:
    folder = value("backup/folder")
    return str(folder) if folder else None


def set_backup_folder(folder: str) -> None:
    set_value("backup/folder", folder)
