"""What can go wrong when opening or writing the database, each worded for the user (German)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A problem with the database file, worded for the user."""


class DatabaseDamaged(StoreError):
    """The file is corrupt, truncated, lost its WAL, or is no database: offer restore or read-only."""

    def __init__(self, path: Path | None, detail: str) -> None:
        super().__init__(f"Die Datenbank {path} ist beschädigt oder unvollständig ({detail}).")
        self.path = path
        self.detail = detail


class AlreadyOpen(StoreError):
    def __init__(self, lock_path: Path) -> None:
        super().__init__("Die Datenbank ist schon in einem anderen Fenster oder Programm geöffnet "
                         f"(Sperrdatei {lock_path}). Bitte dort weiterarbeiten oder es zuerst schließen.")


class PassphraseRequired(StoreError):
    def __init__(self) -> None:
        super().__init__("Die Datenbank ist verschlüsselt: Passphrase nötig "
                         "(Umgebungsvariable BILDUNGSKOORDINATION_PASSPHRASE oder Eingabe).")


class WriteFailed(StoreError):
    """Disk full, read-only folder or file: nothing of this action was saved, earlier saves are intact."""


def describe_os_error(exc: BaseException) -> str | None:
    """A user message for the storage errors people meet on laptops, or None."""
    text = str(exc).lower()
    if "disk is full" in text or "no space" in text or "database or disk is full" in text:
        return "Der Datenträger ist voll. Nichts von dieser Aktion wurde gespeichert; alles vorher Gespeicherte ist erhalten."
    if "disk i/o error" in text or "file too large" in text:
        return ("Schreiben auf den Datenträger fehlgeschlagen (Datei zu groß für den Datenträger oder Datenträger "
                "gestört). Nichts von dieser Aktion wurde gespeichert; alles vorher Gespeicherte ist erhalten.")
    if "readonly" in text or "read-only" in text or "read only" in text or "permission denied" in text:
        return ("Die Datenbank oder ihr Ordner ist schreibgeschützt. Nichts von dieser Aktion wurde gespeichert; "
                "alles vorher Gespeicherte ist erhalten.")
    return None
