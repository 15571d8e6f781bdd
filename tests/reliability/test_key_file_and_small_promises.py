"""Key file integrity (issue 16, point 7) and the small promises (point 8): owner-only files, one passphrase
rule for every way in, read commands that do not invent a database, a demo that keeps out of real data,
German reasons for operating-system errors."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from bildungskoordination import cli
from bildungskoordination.privacy.backup_restore import describe_error
from bildungskoordination.services import DatabaseDamaged, Services, WrongPassphrase
from bildungskoordination.store import crypto
from bildungskoordination.store.oserrors import os_reason

from .support import PASSPHRASE, side, state


def _edit_key(db: Path, *, keep_checksum: bool = False, **changes: object) -> None:
    path = side(db, ".key.json")
    data = json.loads(path.read_text())
    data.update(changes)
    if keep_checksum:  # a forger who also recomputes the checksum
        fields = {k: v for k, v in data.items() if k != "checksum"}
        import hashlib

        data["checksum"] = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
    path.write_text(json.dumps(data))


def test_a_changed_salt_digit_is_a_damaged_key_file_not_a_wrong_passphrase(encrypted_db: Path) -> None:
    services = Services.open(encrypted_db, passphrase=PASSPHRASE)
    assert services.backups is not None
    backup = services.backups.take("manuell")
    services.close()
    salt = json.loads(side(encrypted_db, ".key.json").read_text())["salt_hex"]
    _edit_key(encrypted_db, salt_hex=("1" if salt[0] != "1" else "2") + salt[1:])
    before = state(encrypted_db)
    with pytest.raises(DatabaseDamaged) as info:
        Services.open(encrypted_db, passphrase=PASSPHRASE)
    message = str(info.value)
    assert "Schlüsseldatei beschädigt" in message and "Passphrase falsch" not in message
    assert str(backup.key_file) in message and "mit dieser Passphrase geprüft" in message
    assert state(encrypted_db) == before
    # The named file really is the cure.
    side(encrypted_db, ".key.json").write_bytes(backup.key_file.read_bytes())
    Services.open(encrypted_db, passphrase=PASSPHRASE).close()


def test_a_wrong_passphrase_is_still_just_that(encrypted_db: Path) -> None:
    with pytest.raises(WrongPassphrase, match="Passphrase falsch"):
        Services.open(encrypted_db, passphrase="eine ganz andere Passphrase")


@pytest.mark.parametrize("changes", [{"memory_kib": 4 * 1024 * 1024}, {"time_cost": 5000}, {"parallelism": 0},
                                     {"salt_hex": "ab"}], ids=["4-GiB", "zeit", "parallel", "salz-kurz"])
def test_absurd_parameters_are_refused_before_deriving_anything(encrypted_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                                changes: dict[str, object]) -> None:
    _edit_key(encrypted_db, keep_checksum=True, **changes)

    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a key was derived from impossible parameters")

    monkeypatch.setattr("argon2.low_level.hash_secret_raw", must_not_run)
    with pytest.raises(DatabaseDamaged, match="Schlüsseldatei beschädigt"):
        Services.open(encrypted_db, passphrase=PASSPHRASE)


def test_an_old_key_file_without_checksum_gets_one(encrypted_db: Path) -> None:
    data = json.loads(side(encrypted_db, ".key.json").read_text())
    data.pop("checksum")
    side(encrypted_db, ".key.json").write_text(json.dumps(data))
    Services.open(encrypted_db, passphrase=PASSPHRASE).close()
    params = crypto.load_params(encrypted_db)
    assert params is not None and params.checksum == crypto.content_checksum(params)


# --- owner-only files ---------------------------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_every_file_is_owner_only_and_new_folders_0700(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "neu" / "daten" / "bk.sqlite3"
        services = Services.open(db, passphrase=PASSPHRASE, fast_kdf=True)
        pid = services.people.create(__import__("bildungskoordination.people.records", fromlist=["x"])
                                     .PersonData(family_name="A", given_name="B"))
        services.erasure.erase(pid, "antrag")
        assert services.backups is not None
        backup = services.backups.take("manuell")
        files = [db, side(db, "-wal"), side(db, "-shm"), side(db, ".lock"), side(db, ".key.json"),
                 side(db, ".erasures"), backup.path, backup.key_file]
        modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files if p.exists()}
        services.close()
        with pytest.raises(WrongPassphrase):
            Services.open(db, passphrase="falsch und lang genug")
        modes[".fehlversuche"] = oct(stat.S_IMODE(side(db, ".fehlversuche").stat().st_mode))
    finally:
        os.umask(old)
    assert set(modes.values()) == {"0o600"}, modes
    for folder in (db.parent, db.parent.parent, backup.path.parent):
        assert oct(stat.S_IMODE(folder.stat().st_mode)) == "0o700", folder


# --- one passphrase rule, read commands, demo -----------------------------------------------------------------
def test_a_short_passphrase_from_the_environment_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "neu.sqlite3"
    monkeypatch.setenv("BILDUNGSKOORDINATION_PASSPHRASE", "x")
    assert cli.main(["--db", str(db), "init"]) == 1
    assert "zu kurz" in capsys.readouterr().err
    assert not db.exists() and not side(db, ".key.json").exists()


@pytest.mark.parametrize("command", [["search", "Müller"], ["show", "1"], ["due"], ["match", "1"],
                                     ["candidates", "1"], ["refer", "1", "1"]])
def test_read_commands_on_a_missing_path_say_so(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                command: list[str]) -> None:
    db = tmp_path / "vertippt.sqlite3"
    assert cli.main(["--db", str(db), *command]) == 1
    err = capsys.readouterr().err
    assert "gibt es nicht" in err and "keine Treffer" not in err
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_demo_refuses_a_database_with_real_data(plain_db: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = Services.open(plain_db)
    count = before.people.count()
    before.close()
    assert cli.main(["--db", str(plain_db), "demo", "--persons", "3"]) == 1
    assert "echte Daten" in capsys.readouterr().err
    after = Services.open(plain_db)
    assert after.people.count() == count
    after.close()
    demo = tmp_path / "demo.sqlite3"
    assert cli.main(["--db", str(demo), "demo", "--persons", "3"]) == 0
    assert cli.main(["--db", str(demo), "demo", "--persons", "2"]) == 0  # a demo database may grow


# --- German reasons ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("number,german", [(errno.ENOSPC, "kein Speicherplatz mehr auf dem Datenträger"),
                                           (errno.EACCES, "keine Berechtigung"),
                                           (errno.EROFS, "schreibgeschützt"), (errno.ENOENT, "nicht gefunden"),
                                           (errno.EDQUOT, "Speicherkontingent"), (errno.EIO, "Ein-/Ausgabefehler")])
def test_os_errors_are_told_in_german(number: int, german: str) -> None:
    exc = OSError(number, os.strerror(number))
    assert german in os_reason(exc) and os.strerror(number) not in os_reason(exc)
    assert german in describe_error(exc)
    assert "Errno" not in cli._describe(OSError(number, os.strerror(number), "/x/y"))
    assert german in cli._describe(OSError(number, os.strerror(number), "/x/y"))


def test_an_unwritable_folder_names_the_reason_in_german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    from bildungskoordination.services import WriteFailed

    monkeypatch.setattr("bildungskoordination.store.lock.os.open", full)
    with pytest.raises(WriteFailed) as info:
        Services.open(tmp_path / "x.sqlite3", unencrypted=True)
    assert "kein Speicherplatz mehr auf dem Datenträger" in str(info.value)
    assert "No space" not in str(info.value)
