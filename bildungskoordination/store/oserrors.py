"""The operating system's reason for a failed file operation, in German (one helper for every message).

Python's ``OSError`` texts come from the C library in English ("[Errno 28] No space left on device"); inside
a German sentence the user needs the German reason. Unknown errors keep their number, never an English text.
"""

from __future__ import annotations

import errno

from bildungskoordination.i18n import N_, _

_REASONS: dict[int, str] = {
    errno.ENOSPC: N_("kein Speicherplatz mehr auf dem Datenträger"),
    errno.EDQUOT: N_("das Speicherkontingent auf dem Datenträger ist ausgeschöpft"),
    errno.EACCES: N_("keine Berechtigung"),
    errno.EPERM: N_("keine Berechtigung"),
    errno.EROFS: N_("der Datenträger ist schreibgeschützt"),
    errno.ENOENT: N_("Datei oder Ordner nicht gefunden"),
    errno.ENOTDIR: N_("ein Teil des Pfads ist kein Ordner"),
    errno.EISDIR: N_("ist ein Ordner, keine Datei"),
    errno.EEXIST: N_("gibt es schon"),
    errno.EIO: N_("Ein-/Ausgabefehler – der Datenträger ist gestört oder wurde entfernt"),
    errno.EFBIG: N_("die Datei ist zu groß für den Datenträger"),
    errno.ENAMETOOLONG: N_("der Dateiname ist zu lang"),
    errno.EMFILE: N_("zu viele offene Dateien"),
    errno.ENOMEM: N_("nicht genug Arbeitsspeicher"),
    errno.EBUSY: N_("die Datei ist gerade in Benutzung"),
    errno.ETXTBSY: N_("die Datei ist gerade in Benutzung"),
    errno.ENODEV: N_("das Gerät ist nicht verfügbar"),
    errno.ENXIO: N_("das Gerät ist nicht verfügbar"),
    errno.ESTALE: N_("die Netzwerkverbindung zur Datei ist abgerissen"),
    errno.ETIMEDOUT: N_("Zeitüberschreitung beim Zugriff auf den Datenträger"),
    errno.EAGAIN: N_("die Datei ist gerade gesperrt"),
}


def os_reason(exc: BaseException) -> str:
    """German reason for ``exc`` (an OSError, or anything carrying an errno); a generic text otherwise."""
    number = getattr(exc, "errno", None)
    if isinstance(number, int) and number in _REASONS:
        return _(_REASONS[number])
    if isinstance(number, int) and number > 0:
        return _("Fehler des Betriebssystems Nr. {number}").format(number=number)
    return _("Fehler des Betriebssystems")


def describe_path_error(exc: OSError) -> str:
    """„<Pfad>: <Grund>“ – the file the OS names, then the German reason."""
    where = exc.filename if exc.filename is not None else ""
    return f"{where}: {os_reason(exc)}" if where else os_reason(exc)
