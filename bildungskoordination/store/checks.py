"""Start-up checks of a database file before SQLite may write to it (split from store/engine.py).

Cheap file checks (header, size, WAL present), the frames of the WAL after an unclean end, and
``quick_check`` (or, after a clean end, only the header and schema) plus the commit counter on a read-only
connection.
"""

from __future__ import annotations

from pathlib import Path

from bildungskoordination.i18n import _
from bildungskoordination.store.errors import DatabaseDamaged, WriteFailed, describe_os_error

SQLITE_HEADER = b"SQLite format 3\x00"


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else exc.__class__.__name__


def check_files(path: Path, *, encrypted: bool, wal_expected: bool = False) -> None:
    """Cheap checks before SQLite touches anything: header, size, WAL present when it must be."""
    if not path.exists():
        if wal_expected:
            raise DatabaseDamaged(path, "Datenbankdatei fehlt")
        return
    if path.is_dir():
        raise DatabaseDamaged(path, "ist ein Ordner")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as fh:
        header = fh.read(100)
    if not encrypted and header[:16] != SQLITE_HEADER:
        raise DatabaseDamaged(path, "keine SQLite-Datenbank oder Kopf beschädigt")
    if not encrypted and len(header) >= 32:
        _check_plain_header(path, header, size)
    if encrypted and header[:16] == SQLITE_HEADER:
        raise DatabaseDamaged(path, "Datei ist unverschlüsselt, erwartet war eine verschlüsselte Datenbank")
    if size < 512 or size % 512:
        raise DatabaseDamaged(path, f"Dateigröße {size} Bytes passt nicht zu einer Datenbank (abgeschnitten?)")
    if wal_expected and not path.with_name(path.name + "-wal").exists():
        raise DatabaseDamaged(path, "die Journaldatei (-wal) fehlt nach einem nicht sauber beendeten Lauf")


def _check_plain_header(path: Path, header: bytes, size: int) -> None:
    """What SQLite itself forgives: a bad file-format byte (it silently opens read-only) and pages
    appended to the file (it trusts the page count) are signs of damage, not to be written into."""
    if header[18] not in (1, 2) or header[19] not in (1, 2):
        raise DatabaseDamaged(path, "Kopf beschädigt (Dateiformat-Version)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DatabaseDamaged(path, "Kopf beschädigt (Seitengröße)")
    change_counter = int.from_bytes(header[24:28], "big")
    page_count = int.from_bytes(header[28:32], "big")
    version_valid_for = int.from_bytes(header[92:96], "big") if len(header) >= 96 else -1
    wal = path.with_name(path.name + "-wal")
    wal_has_content = wal.exists() and wal.stat().st_size > 0
    # The in-header size is only valid when "version-valid-for" equals the change counter (file format doc).
    if page_count and version_valid_for == change_counter and not wal_has_content and size != page_count * page_size:
        raise DatabaseDamaged(path, f"Dateigröße {size} Bytes passt nicht zu {page_count} Seiten à {page_size} Bytes")


def precheck(path: Path, key: bytes | None, *, full: bool = True) -> int:
    """``quick_check`` on a read-only connection; raises DatabaseDamaged (or WrongPassphrase). Returns the
    commit counter (``PRAGMA user_version``) as SQLite sees it with the WAL replayed.

    ``full=False`` reads only the header and the schema (what every open reads anyway; SQLCipher
    authenticates those pages) – for a start after a clean end, whose full check runs in the background
    (store/integrity.py). Its cost does not grow with the database."""
    from bildungskoordination.store.engine import DBAPI_ERRORS, raw_connect

    try:
        conn = raw_connect(path, key, read_only=True)
        try:
            if full:
                result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            else:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                result = ["ok"]
            commits = int(conn.execute("PRAGMA user_version").fetchone()[0] or 0)
        finally:
            conn.close()
    except DBAPI_ERRORS as exc:
        message = describe_os_error(exc)
        if message and "readonly" not in str(exc):
            raise WriteFailed(message) from None
        raise DatabaseDamaged(path, _first_line(exc)) from None
    if result != ["ok"]:
        raise DatabaseDamaged(path, "; ".join(result[:3]))
    return commits


def check_wal_frames(path: Path) -> None:
    """Refuse a WAL whose broken frames would make SQLite drop committed transactions."""
    from bildungskoordination.store.wal import inspect_wal

    report = inspect_wal(path.with_name(path.name + "-wal"))
    if report is None:
        return
    if report.header_broken:
        raise DatabaseDamaged(path, _("der Kopf der Journaldatei (-wal) ist beschädigt; die Speicherungen darin "
                                      "würden verworfen"))
    if report.lost_commits:
        raise DatabaseDamaged(path, _("die Journaldatei (-wal) ist beschädigt: {n} bestätigte Speicherung(en) "
                                      "hinter der beschädigten Stelle würden verworfen").format(n=report.lost_commits))


def lost_saves_detail(path: Path, found: int, expected: int, *, clean_end: bool = False) -> str:
    """What is missing, in the user's words: how many confirmed saves, and where they were."""
    wal = path.with_name(path.name + "-wal")
    if clean_end:
        cause = _("die Datenbankdatei ist älter als ihre zuletzt bestätigte Speicherung, obwohl der letzte Lauf "
                  "sauber endete – durch eine ältere Kopie ersetzt (von Hand, durch ein Synchronisierprogramm)? "
                  "Sicherungen bitte über die Anwendung zurückspielen")
    elif not wal.exists():
        cause = _("die Journaldatei (-wal) fehlt nach einem nicht sauber beendeten Lauf")
    elif wal.stat().st_size == 0:
        cause = _("die Journaldatei (-wal) ist leer")
    else:
        cause = _("die Journaldatei (-wal) ist beschädigt oder abgeschnitten")
    return _("{n} bestätigte Speicherung(en) fehlen – die Datenbank steht bei Speicherung {found}, zuletzt "
             "bestätigt war Speicherung {expected}; {cause}").format(n=expected - found, found=found,
                                                                     expected=expected, cause=cause)
