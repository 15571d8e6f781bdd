"""A damaged database at start: backups are listed without opening it, the damaged file is kept aside,
and a chosen backup replaces it; the erasure ledger then applies again."""

from pathlib import Path

import pytest

from bildungskoordination.people.records import PersonData
from bildungskoordination.privacy.backup_restore import BackupError
from bildungskoordination.privacy.recovery import list_backups, recover_from_backup
from bildungskoordination.services import DatabaseDamaged, Services

SECRET = "lange genug passphrase"


def _populated(db: Path) -> Services:
    services = Services.open(db, passphrase=SECRET, fast_kdf=True)
    for name in ("Ahmadi", "Kovalenko", "Tesfay"):
        services.people.create(PersonData(family_name=name, given_name="X"))
    return services


def test_restore_after_corruption(tmp_path):
    db = tmp_path / "db.sqlite3"
    services = _populated(db)
    services.backups.take("manuell")
    services.close()
    with db.open("r+b") as fh:  # destroy the first page
        fh.write(b"\0" * 4096)
    with pytest.raises(DatabaseDamaged):
        Services.open(db, passphrase=SECRET)
    backups = list_backups(db)
    assert len(backups) == 1 and backups[0].encrypted
    with pytest.raises(BackupError):
        recover_from_backup(backups[0], db, "falsche lange passphrase")
    aside = recover_from_backup(backups[0], db, SECRET)
    assert aside is not None and (aside / "db.sqlite3").exists()
    reopened = Services.open(db, passphrase=SECRET)
    assert reopened.people.count() == 3
    reopened.close()


def test_erased_person_stays_erased_after_restore(tmp_path):
    db = tmp_path / "db.sqlite3"
    services = _populated(db)
    services.backups.take("manuell")
    victim = services.people.resolve(services.people.search("Kovalenko")[0].file_number)
    services.erasure.erase(victim, next(iter(__import__(
        "bildungskoordination.privacy.policy", fromlist=["ERASURE_REASONS"]).ERASURE_REASONS)))
    services.close()
    recover_from_backup(list_backups(db)[0], db, SECRET)
    reopened = Services.open(db, passphrase=SECRET)
    assert [r.family_name for r in reopened.people.search("")] == ["Ahmadi", "Tesfay"]
    reopened.close()
