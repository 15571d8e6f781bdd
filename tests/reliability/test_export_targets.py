"""Exports never touch the app's own files (issue 16, 4): database, journal, key file, lock, erasure list,
backups, and nothing that is not a regular file or a new path. A refused export writes no file and no log
row; an existing file is replaced only with --overwrite; a .part left by a kill is removed at the next start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bildungskoordination.cli import main
from bildungskoordination.domain.output_target import OutputRefused
from bildungskoordination.services import Services

from .support import PASSPHRASE, digest, side

APP_FILE = "das ist eine Datei der Anwendung"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "aus"
    folder.mkdir()
    return folder


@pytest.fixture
def db(encrypted_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BILDUNGSKOORDINATION_PASSPHRASE", PASSPHRASE)
    for suffix in (".lock", ".erasures"):
        side(encrypted_db, suffix).touch()
    return encrypted_db


def fingerprint(db: Path) -> tuple[dict[str, str | None], int]:
    """Bytes of the files an open leaves alone, and the people in the database (opening it logs the unlock,
    so its own bytes change with every open – the count shows it is still the database, whole)."""
    services = Services.open(db, passphrase=PASSPHRASE)
    try:
        people = services.people.count()
    finally:
        services.close()
    return {s: digest(side(db, s)) for s in (".key.json", ".erasures")}, people


def export_rows(db: Path) -> tuple[int, int]:
    """(export-log rows, audit entries of exports)."""
    services = Services.open(db, passphrase=PASSPHRASE)
    try:
        return (len(services.monitoring.export_history()),
                sum(1 for e in services.audit.list(limit=None) if e.action == "export"))
    finally:
        services.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().err


def counts(db: Path, capsys: pytest.CaptureFixture[str], out: Path, *extra: str) -> tuple[int, str]:
    return run(capsys, "--db", str(db), "export-counts", "--year", "2024", "--format", "csv", "--out", str(out),
               "--ignore-warnings", *extra)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", ".key.json", ".lock", ".erasures", ".key.json.neu"])
def test_export_counts_refuses_the_apps_own_files(db: Path, capsys, suffix: str) -> None:
    before = fingerprint(db)
    code, err = counts(db, capsys, side(db, suffix), "--overwrite")
    assert code == 1
    assert err.strip() == f"bildungskoordination: Fehler: {side(db, suffix)}: {APP_FILE} (Datenbank, Journal, " \
                          "Schlüsseldatei, Sperre oder Löschliste) – bitte einen anderen Namen oder Ordner wählen"
    assert fingerprint(db) == before
    assert export_rows(db) == (0, 0)


def test_links_to_app_files_and_the_backup_folder_are_refused(db: Path, capsys, out: Path) -> None:
    before = fingerprint(db)
    (out / "link.csv").symlink_to(db)
    os.link(side(db, ".key.json"), out / "hart.csv")
    for target in (out / "link.csv", out / "hart.csv"):
        code, err = counts(db, capsys, target, "--overwrite")
        assert code == 1 and APP_FILE in err, err
    backups = db.parent / "Sicherungen"
    backups.mkdir(exist_ok=True)
    code, err = counts(db, capsys, backups / "zahlen.csv")
    assert code == 1 and f"{backups / 'zahlen.csv'}: liegt im Sicherungsordner" in err
    assert not (backups / "zahlen.csv").exists()
    assert fingerprint(db) == before
    assert export_rows(db) == (0, 0)


def test_devices_fifos_folders_and_dangling_links_are_refused(db: Path, capsys, out: Path) -> None:
    os.mkfifo(out / "pipe.csv")
    (out / "to-pipe.csv").symlink_to(out / "pipe.csv")
    (out / "ordner.csv").mkdir()
    (out / "leer.csv").symlink_to(out / "gibt-es-nicht")
    cases = {
        out / "pipe.csv": "ist eine benannte Pipe (FIFO), keine Datei",
        out / "to-pipe.csv": "ist eine benannte Pipe (FIFO), keine Datei",
        out / "ordner.csv": "ist ein Ordner, keine Datei",
        out / "leer.csv": "ist eine Verknüpfung, die ins Leere zeigt",
        Path("/dev/null"): "ist ein Gerät, keine Datei",
    }
    for target, reason in cases.items():
        code, err = counts(db, capsys, target, "--overwrite")
        assert code == 1 and f"{target}: {reason}" in err, err
    assert (out / "pipe.csv").is_fifo() and not (out / "gibt-es-nicht").exists()
    assert export_rows(db) == (0, 0)


def test_an_existing_file_is_replaced_only_with_overwrite(db: Path, capsys, out: Path) -> None:
    target = out / "zahlen.csv"
    target.write_text("meine Zahlen", encoding="utf-8")
    code, err = counts(db, capsys, target)
    assert code == 1
    assert err.strip().endswith(f"{target}: die Datei gibt es schon und wird nicht ersetzt (mit --overwrite ersetzen)")
    assert target.read_text(encoding="utf-8") == "meine Zahlen"
    assert export_rows(db) == (0, 0)
    code, err = counts(db, capsys, target, "--overwrite")
    assert code == 0, err
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert export_rows(db) == (1, 1)
    assert sorted(p.name for p in out.iterdir()) == ["zahlen.csv"]


def test_letter_refuses_the_database_before_anything_is_logged(db: Path, capsys) -> None:
    before = fingerprint(db)
    code, err = run(capsys, "--db", str(db), "letter", "1", "--out", str(db), "--overwrite")
    # The database does not end in .pdf: name a PDF beside it that belongs to the app as well.
    assert code == 1
    target = side(db, ".pdf")
    code, err = run(capsys, "--db", str(db), "letter", "1", "--out", str(target), "--overwrite")
    assert code == 1 and APP_FILE in err, err
    assert not target.exists() and fingerprint(db) == before
    assert export_rows(db) == (0, 0)


def test_art15_answer_refuses_the_backup_folder_and_asks_before_replacing(db: Path, tmp_path: Path) -> None:
    services = Services.open(db, passphrase=PASSPHRASE)
    try:
        pid = services.people.search_ids("")[0]
        backups = services.backups.folder
        backups.mkdir(exist_ok=True)
        with pytest.raises(OutputRefused, match="liegt im Sicherungsordner"):
            services.access_export.export(pid, backups)
        assert not list(backups.glob("Auskunft-*"))
        json_path, pdf_path = services.access_export.export(pid, tmp_path / "out")
        with pytest.raises(OutputRefused) as refused:
            services.access_export.export(pid, tmp_path / "out")
        assert refused.value.exists and refused.value.path == json_path
        services.access_export.export(pid, tmp_path / "out", overwrite=True)
        exports = [e for e in services.audit.list(limit=None) if e.action == "export"]
        assert len(exports) == 2  # the refused attempts left no entry
    finally:
        services.close()


KILL_AT_RENAME = """
import os, sys
from pathlib import Path
import bildungskoordination.store.outputs as outputs
from bildungskoordination.monitoring import periods
from bildungskoordination.services import Services

services = Services.open(Path(sys.argv[1]), passphrase=sys.argv[3])
report = services.monitoring.report(periods.year(2024))
outputs.os.replace = lambda *a: os._exit(9)  # killed at the rename
services.monitoring.export(report, Path(sys.argv[2]), "csv")
"""


def test_a_part_file_left_by_a_kill_is_removed_at_the_next_start(db: Path, out: Path) -> None:
    target = out / "zahlen.csv"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-c", KILL_AT_RENAME, str(db), str(target), PASSPHRASE], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    parts = [p for p in out.iterdir() if p.name.endswith(".part")]
    assert len(parts) == 1 and not target.exists()
    Services.open(db, passphrase=PASSPHRASE).close()
    assert [p.name for p in out.iterdir()] == []
    assert not side(db, ".ausfuhren").exists()
