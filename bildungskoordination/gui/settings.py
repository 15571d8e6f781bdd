"""Settings kept between sessions (QSettings): window geometry, UI language, splitter state."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from bildungskoordination import APP_NAME

ORGANISATION = "Bildungskoordination"


def settings() -> QSettings:
    return QSettings(ORGANISATION, APP_NAME)


def ui_language() -> str:
    value = settings().value("ui/language", "de")
    return str(value) if value in ("de", "en") else "de"


def set_ui_language(language: str) -> None:
    settings().setValue("ui/language", language)


def save_bytes(key: str, value: QByteArray) -> None:
    settings().setValue(key, value)


def load_bytes(key: str) -> QByteArray | None:
    value = settings().value(key)
    return value if isinstance(value, QByteArray) else None


def lock_minutes() -> float:
    """Idle minutes before the screen lock (default 10)."""
    try:
        return max(1.0, float(settings().value("privacy/lock_minutes", 10)))
    except (TypeError, ValueError):
        return 10.0


def set_lock_minutes(minutes: float) -> None:
    settings().setValue("privacy/lock_minutes", minutes)


def backup_folder() -> str | None:
    value = settings().value("backup/folder")
    return str(value) if value else None


def set_backup_folder(folder: str) -> None:
    settings().setValue("backup/folder", folder)
