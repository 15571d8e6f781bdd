"""A full disk and read-only media: a clear German error, nothing of the action saved, everything before kept.

Full disk, three ways: ``PRAGMA max_page_count`` on the live connection (in process; SQLite answers
SQLITE_FULL exactly as for ENOSPC), a real ENOSPC on a tiny tmpfs mounted in a private mount namespace of
a child process (skipped where ``unshare``/``mount`` are not allowed), and a file-size limit
(RLIMIT_FSIZE, SIGXFSZ ignored: the write fails with EFBIG, as on FAT32 at 4 GiB).

Read-only: as root, chmod does not stop writes, so those checks run in a child process that keeps uid 0
(the interpreter may live under /root) but has CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER
dropped from its bounding set – then the permission bits bind as for any user. Not root: chmod is enough.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tooling import missing_tool

from bildungskoordination.people.importer import import_persons
from bildungskoordination.people.records import ContactData, PersonData
from bildungskoordination.services import Services, WriteFailed

from . import crash_worker as cw
from .support import PASSPHRASE, copy_db, count_and_integrity, run_probe, side, state

pytestmark = pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE, permission bits and mounts are POSIX")

FULL = "Datenträger ist voll"
READ_ONLY = "schreibgeschützt"
NOTHING_SAVED = "Nichts von dieser Aktion wurde gespeichert"
RAW_SQLCIPHER = ()  # fixed: was an xfail naming the bug (see git history)
KINDS = [pytest.param(False, id="unverschluesselt"), pytest.param(True, id="verschluesselt")]
KINDS_XFAIL_ENCRYPTED = [pytest.param(False, id="unverschluesselt"),
                         pytest.param(True, id="verschluesselt", marks=RAW_SQLCIPHER)]


def _db(golden: dict[str, Path], folder: Path, encrypted: bool) -> tuple[Path, str | None]:
    return copy_db(golden["encrypted" if encrypted else "plain"], folder), (PASSPHRASE if encrypted else None)


def _everyone(services: Services) -> dict[int, tuple]:
    return {pid: (services.people.get(pid), [c.data for c in services.contacts.for_person(pid)])
            for pid in services.people.search_ids("")}


def _integrity(services: Services) -> str:
    with services.store.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar()


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "import.csv"
    path.write_text(cw.import_csv("d", 0, 0), encoding="utf-8")
    return path


# --- full disk: max_page_count on the live connection -------------------------------------------------------
@pytest.fixture
def full(golden: dict[str, Path], tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple]:
    """An open database whose live connection may not grow by one page, after a person, a contact and an
    import were tried; yields (services, errors by action, everyone before, db path, passphrase)."""
    db, passphrase = _db(golden, tmp_path / "db", request.param)
    services = Services.open(db, passphrase=passphrase)
    before = _everyone(services)
    with services.store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        assert conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}").scalar() == pages
    errors: dict[str, BaseException | None] = {}
    big = PersonData(family_name="Voll", given_name="Platte", note="Viel Text. " * 2000)
    for name, action in [
        ("person", lambda: services.people.create(big)),
        ("contact", lambda: services.contacts.add(next(iter(before)), ContactData(topics=["arbeit"],
                                                                                  note="x " * 5000))),
        ("import", lambda: import_persons(services, _csv(tmp_path))),
    ]:
        try:
            result = action()
            errors[name] = None if not getattr(result, "problems", None) else AssertionError(result.problems)
        except Exception as exc:  # noqa: BLE001
            errors[name] = exc
    yield services, errors, before, db, passphrase
    services.close()


@pytest.mark.parametrize("full", KINDS, indirect=True)
def test_disk_full_loses_nothing(full) -> None:  # type: ignore[no-untyped-def]
    services, errors, before, db, passphrase = full
    assert all(errors.values()), f"a save succeeded on a full disk: {errors}"
    assert _everyone(services) == before
    assert _integrity(services) == "ok"
    with services.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")
    pid = services.people.create(PersonData(family_name="Wieder", given_name="Platz"))  # space again: works
    services.close()
    services2 = Services.open(db, passphrase=passphrase)
    try:
        after = _everyone(services2)
        assert {k: v for k, v in after.items() if k != pid} == before and pid in after
        assert _integrity(services2) == "ok"
    finally:
        services2.close()


@pytest.mark.parametrize("full", KINDS_XFAIL_ENCRYPTED, indirect=True)
def test_disk_full_is_a_clear_german_error(full) -> None:  # type: ignore[no-untyped-def]
    services, errors, *_ = full
    for name, exc in errors.items():
        if isinstance(exc, AssertionError):  # the import reported it as a problem instead of raising
            assert FULL in str(exc), name
            continue
        if not isinstance(exc, WriteFailed):
            raise exc  # type: ignore[misc]
        assert FULL in str(exc) and NOTHING_SAVED in str(exc), name


# --- full disk: a real ENOSPC on a tiny tmpfs ------------------------------------------------------------
@pytest.fixture(scope="module")
def enospc(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, dict]:
    if not shutil.which("unshare"):
        missing_tool("no unshare(1): cannot mount a small file system for a real 'disk full'")
    results = {}
    for encrypted in (False, True):
        mount = tmp_path_factory.mktemp("tmpfs")
        spec = {"db": str(mount / "bk.sqlite3"), "setup": 20, "fill": True, "reopen": True,
                "passphrase": PASSPHRASE if encrypted else None, "unencrypted": not encrypted}
        results[encrypted] = run_probe(spec, tmpfs=(mount, "4m"))
        if "unavailable" in results[encrypted]:
            pytest.skip(f"cannot mount a tmpfs in a private mount namespace: {results[encrypted]['unavailable']}")
    return results


@pytest.mark.parametrize("encrypted", KINDS)
def test_real_disk_full_loses_nothing(enospc: dict[bool, dict], encrypted: bool) -> None:
    r = enospc[encrypted]
    assert r["open"] == "ok", r
    assert "fill_error" in r and r["filled"] >= 0
    assert r["count_after"] == r["count_before"] + r["filled"], r
    assert r["integrity"] == "ok"
    assert r["close"] == "ok", r
    assert (r.get("reopen_count"), r.get("reopen_integrity")) == (r["count_after"], "ok"), r


@pytest.mark.parametrize("encrypted", KINDS_XFAIL_ENCRYPTED)
def test_real_disk_full_is_a_clear_german_error(enospc: dict[bool, dict], encrypted: bool) -> None:
    r = enospc[encrypted]
    for key in ("fill_error", "write_after_full"):
        error = r[key]
        assert error["type"] == "WriteFailed", f"{key}: {error['module']}.{error['type']}: {error['message']}"
        assert FULL in error["message"]


# --- file-size limit (EFBIG) -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fsize(golden: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[bool, dict]:
    results = {}
    for encrypted in (False, True):
        db, passphrase = _db(golden, tmp_path_factory.mktemp("fsize"), encrypted)
        limit = db.stat().st_size + 64 * 1024
        results[encrypted] = run_probe({"db": str(db), "passphrase": passphrase, "fsize": limit, "fill": True,
                                        "reopen": True})
    return results


@pytest.mark.parametrize("encrypted", KINDS)
def test_file_size_limit_loses_nothing(fsize: dict[bool, dict], encrypted: bool) -> None:
    r = fsize[encrypted]
    assert r["open"] == "ok" and "fill_error" in r, r
    assert r["count_after"] == r["count_before"] + r["filled"] and r["integrity"] == "ok", r
    assert r["close"] == "ok" and (r["reopen_count"], r["reopen_integrity"]) == (r["count_after"], "ok"), r


@pytest.mark.parametrize("encrypted", KINDS)
def test_file_size_limit_is_a_clear_german_error(fsize: dict[bool, dict], encrypted: bool) -> None:
    error = fsize[encrypted]["fill_error"]
    assert error["type"] == "WriteFailed", f"{error['module']}.{error['type']}: {error['message']}"
    assert NOTHING_SAVED in error["message"]


# --- read-only file and folder ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def unprivileged_works(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip unless a child really cannot write where the permission bits say no."""
    folder = tmp_path_factory.mktemp("nurlesen")
    folder.chmod(0o555)
    try:
        r = run_probe({"db": str(folder / "nix.sqlite3"), "probe_dir": str(folder)}, unprivileged=True)
    finally:
        folder.chmod(0o755)
    if r.get("dir_writable"):
        pytest.skip("cannot run a child without the privilege to ignore file permissions")


def _read_only_case(golden: dict[str, Path], tmp_path: Path, encrypted: bool, *, folder: bool, file: bool,
                    keep_lock: bool = True) -> tuple[Path, dict, dict]:
    db, passphrase = _db(golden, tmp_path / "db", encrypted)
    if not keep_lock:
        side(db, ".lock").unlink()
    before = state(db)
    names = sorted(p.name for p in db.parent.iterdir())
    if file:  # the database file (and key file) write-protected; the lock file stays the app's own
        for suffix in ("", ".key.json"):
            if side(db, suffix).exists():
                side(db, suffix).chmod(0o444)
    if folder:
        db.parent.chmod(0o555)
    try:
        r = run_probe({"db": str(db), "passphrase": passphrase, "write": True, "import_csv": str(_csv(tmp_path))},
                      unprivileged=True)
    finally:
        db.parent.chmod(0o755)
        for p in db.parent.iterdir():
            p.chmod(0o644)
    after_names = sorted(p.name for p in db.parent.iterdir()
                         if not (p.name.endswith(("-wal", "-shm")) and p.stat().st_size == 0)
                         and not p.name.endswith("-shm"))
    assert state(db) == before, "the read-only database was changed"
    assert [n for n in after_names if n not in names] == [], "files appeared in the read-only folder"
    return db, r, {"passphrase": passphrase}


def _errors_of(r: dict) -> list[dict]:
    if r["open"] != "ok":
        return [r["open"]]
    return [v for v in r["writes"].values() if isinstance(v, dict) and "type" in v]


@pytest.mark.usefixtures("unprivileged_works")
@pytest.mark.parametrize("encrypted", KINDS)
def test_read_only_file_refuses_writes_and_keeps_everything(golden, tmp_path: Path, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    db, r, kw = _read_only_case(golden, tmp_path, encrypted, folder=False, file=True)
    if r["open"] == "ok":  # SQLite opens a write-protected file read-only; then every save must fail
        assert r["count_after"] == r["count_before"] == 50
        writes = r["writes"]
        assert "type" in writes["person"] and "type" in writes["contact"], writes
        assert "type" in writes["import"] or writes["import"]["created"] == 0, writes
    assert count_and_integrity(db, kw["passphrase"]) == (50, "ok")


@pytest.mark.usefixtures("unprivileged_works")
@pytest.mark.parametrize("encrypted", KINDS_XFAIL_ENCRYPTED)
def test_read_only_file_is_a_clear_german_error(golden, tmp_path: Path, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    _, r, _ = _read_only_case(golden, tmp_path, encrypted, folder=False, file=True)
    errors = _errors_of(r)
    assert errors
    for e in errors:
        assert e["type"] == "WriteFailed" and READ_ONLY in e["message"], f"{e['module']}.{e['type']}: {e['message']}"


@pytest.mark.usefixtures("unprivileged_works")
@pytest.mark.parametrize("encrypted", KINDS_XFAIL_ENCRYPTED)
def test_read_only_folder_is_refused_at_open(golden, tmp_path: Path, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    """The database file itself is writable, but no -wal/-shm can be created beside it."""
    db, r, kw = _read_only_case(golden, tmp_path, encrypted, folder=True, file=False)
    e = r["open"]
    assert e != "ok", "opened in a read-only folder"
    assert e["type"] == "WriteFailed" and READ_ONLY in e["message"], f"{e['module']}.{e['type']}: {e['message']}"
    assert count_and_integrity(db, kw["passphrase"]) == (50, "ok")


@pytest.mark.usefixtures("unprivileged_works")
def test_read_only_folder_without_lock_file_is_refused_clearly(golden, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, r, _ = _read_only_case(golden, tmp_path, False, folder=True, file=False, keep_lock=False)
    e = r["open"]
    assert e != "ok"
    assert e["type"] == "WriteFailed" and READ_ONLY in e["message"], f"{e['module']}.{e['type']}: {e['message']}"


# --- read-only mode ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("encrypted", KINDS)
def test_read_only_mode_refuses_every_write(golden, tmp_path: Path, encrypted: bool) -> None:  # type: ignore[no-untyped-def]
    db, passphrase = _db(golden, tmp_path / "db", encrypted)
    before = state(db)
    services = Services.open(db, passphrase=passphrase, read_only=True)
    try:
        everyone = _everyone(services)
        assert len(everyone) == 50
        pid = next(iter(everyone))
        for action in (lambda: services.people.create(PersonData(family_name="Neu", given_name="Nein")),
                       lambda: services.people.update(pid, PersonData(family_name="Anders", given_name="Nein")),
                       lambda: services.people.delete(pid),
                       lambda: services.contacts.add(pid, ContactData(topics=["arbeit"])),
                       lambda: import_persons(services, _csv(tmp_path))):
            with pytest.raises(WriteFailed, match="nur zum Lesen"):
                action()
        assert _everyone(services) == everyone
    finally:
        services.close()
    assert state(db) == before
    wal = side(db, "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.usefixtures("unprivileged_works")
def test_read_only_mode_reads_a_database_in_a_read_only_folder(golden, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = _db(golden, tmp_path / "db", False)
    for p in db.parent.iterdir():
        p.chmod(0o444)
    db.parent.chmod(0o555)
    try:
        r = run_probe({"db": str(db), "read_only": True}, unprivileged=True)
    finally:
        db.parent.chmod(0o755)
    assert r["open"] == "ok", f"{r['open']['type']}: {r['open']['message']}"
    assert r["count_before"] == 50
