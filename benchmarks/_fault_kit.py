"""The trials of benchmarks/fault_soak.py: the crash image, one damaged file, what the user then sees."""

from __future__ import annotations

import json
import random
import shutil
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import _fault_mutations as mut

from bildungskoordination.privacy.ledger import LedgerEntry, encode_line, ledger_key
from bildungskoordination.services import Services, StoreError

PASSPHRASE = "Fehlerdauerlauf mit langer Passphrase"
DB_NAME = "bildungskoordination.sqlite3"
People = dict[int, tuple[str, str]]


@dataclass
class Image:
    db: Path
    passphrase: str | None
    expected: People  # after opening: every confirmed save, the erased person absent
    after_restore: People  # after restoring the backup: its content minus the erased person
    erased: int


def people(services: Services) -> People:
    with services.store.read() as s:
        rows = s.connection().exec_driver_sql("SELECT id, file_number, family_name FROM person").fetchall()
    return {int(r[0]): (r[1], r[2]) for r in rows}


def make_image(folder: Path, *, encrypted: bool) -> Image:
    """45 people, a backup, one erased, the last five saves only in the WAL – copied as a crash leaves it."""
    from reliability.support import populate

    db = folder / DB_NAME
    passphrase = PASSPHRASE if encrypted else None
    sv = Services.open(db, passphrase=passphrase, unencrypted=not encrypted, fast_kdf=True)
    populate(sv, 40)
    assert sv.backups is not None
    sv.backups.take("manuell")
    at_backup = people(sv)
    erased = sorted(at_backup)[7]
    sv.erasure.erase(erased, "antrag")
    populate(sv, 5, prefix="NACH")
    snapshot = folder.with_name(folder.name + "-abbild")
    shutil.copytree(folder, snapshot)
    expected = people(sv)
    sv.close()
    assert snapshot.joinpath(DB_NAME + "-wal").stat().st_size > 0
    return Image(snapshot / DB_NAME, passphrase, expected, {k: v for k, v in at_backup.items() if k != erased},
                 erased)


def copy_image(image: Image, folder: Path) -> Image:
    shutil.copytree(image.db.parent, folder)
    return Image(folder / DB_NAME, image.passphrase, image.expected, image.after_restore, image.erased)


def open_and_check(image: Image, expected: People, warned: bool = False) -> tuple[str, str]:
    try:
        sv = Services.open(image.db, passphrase=image.passphrase)
    except StoreError as exc:
        return "refused", str(exc)[:160]
    except Exception:  # noqa: BLE001
        return "failed", traceback.format_exc(limit=3)[-400:]
    try:
        got = people(sv)
        warned = warned or bool(sv.warnings)
    except StoreError as exc:
        return "refused", str(exc)[:160]
    except Exception:  # noqa: BLE001
        return "failed", traceback.format_exc(limit=3)[-400:]
    finally:
        sv.close()
    if got == expected:
        return "intact", ""
    if warned:
        return "warned", ""
    missing = sorted(set(expected) - set(got))[:5]
    extra = sorted(set(got) - set(expected))[:5]
    changed = sorted(k for k in set(got) & set(expected) if got[k] != expected[k])[:5]
    return "silent", f"fehlend {missing}, zusätzlich {extra}, verändert {changed}"


def _restore_then_check(image: Image, *, live_warned: bool = False) -> tuple[str, str]:
    """From inside the app: open, restore the backup taken before the erasure, reopen."""
    try:
        sv = Services.open(image.db, passphrase=image.passphrase)
    except StoreError as exc:
        return "refused", str(exc)[:160]
    except Exception:  # noqa: BLE001
        return "failed", traceback.format_exc(limit=3)[-400:]
    warned = live_warned or bool(sv.warnings)
    try:
        assert sv.backups is not None
        info = next((i for i in sv.backups.list() if i.reason == "manuell"), None)
        if info is None:  # the backup file is gone: nothing to restore, the list shows it
            sv.close()
            return "refused", "keine Sicherung"
        sv.backups.restore(info, sv.close, passphrase=image.passphrase)
    except StoreError as exc:
        sv.close()
        outcome, detail = open_and_check(image, image.expected)  # the live database must be as it was
        return ("refused", str(exc)[:160]) if outcome == "intact" else (outcome, detail)
    except Exception:  # noqa: BLE001
        sv.close()
        return "failed", traceback.format_exc(limit=3)[-400:]
    return open_and_check(image, image.after_restore, warned)


# --- the erasure side file -------------------------------------------------------------------------------------
def _sidecar_mutations(image: Image) -> list[mut.Mutation]:
    def digit(path: Path, rng: random.Random) -> None:
        path.write_text(mut._digit(path.read_text(), rng))

    def other_id(path: Path, rng: random.Random) -> None:
        innocent = rng.choice(sorted(image.expected))
        path.write_text(path.read_text().replace(f'"person_id": {image.erased}', f'"person_id": {innocent}'))

    def forged(path: Path, rng: random.Random) -> None:  # without the database key
        innocent = rng.choice(sorted(image.expected))
        with path.open("a") as fh:
            fh.write(encode_line(ledger_key(None) if image.passphrase else rng.randbytes(32),
                                 LedgerEntry(innocent, datetime(2026, 1, 1, 9))))

    return [("bit", mut.flip_bit), ("ziffer", digit), ("andere-id", other_id), ("gefaelscht", forged),
            ("abgeschnitten", mut.truncate), ("geleert", mut.empty), ("geloescht", mut.delete),
            ("gekritzelt", mut.scribble)]


def _backup_files(image: Image) -> tuple[Path, Path]:
    folder = image.db.parent / "Sicherungen"
    backup = next(p for p in folder.iterdir() if p.name.endswith("-manuell.sqlite3"))
    return backup, backup.with_name(backup.name + ".key.json")


def run_trial(kind: str, image: Image, rng: random.Random) -> tuple[str, str, str]:
    encrypted = image.passphrase is not None
    if kind == "datenbank":
        name, fn = rng.choice(mut.ENCRYPTED_DATABASE if encrypted else mut.PLAIN_DATABASE)
        fn(image.db, rng)
        return (*open_and_check(image, image.expected), name)
    if kind == "wal":
        name, fn = rng.choice(mut.WAL)
        fn(image.db.with_name(DB_NAME + "-wal"), rng)
        image.db.with_name(DB_NAME + "-shm").unlink(missing_ok=True)
        return (*open_and_check(image, image.expected), name)
    if kind == "schluesseldatei":
        name, fn = rng.choice(mut.KEY_FILE)
        fn(image.db.with_name(DB_NAME + ".key.json"), rng)
        return (*open_and_check(image, image.expected), name)
    if kind == "sperrdatei":
        name, fn = rng.choice(mut.LOCK)
        fn(image.db.with_name(DB_NAME + ".lock"), rng)
        return (*open_and_check(image, image.expected), name)
    if kind == "loeschliste":
        name, fn = rng.choice(_sidecar_mutations(image))
        fn(image.db.with_name(DB_NAME + ".erasures"), rng)
        if rng.random() < 0.5:
            return (*open_and_check(image, image.expected), name)
        return (*_restore_then_check(image), name + "+zurueckgespielt")
    backup, key_file = _backup_files(image)
    pool = mut.ENCRYPTED_DATABASE if encrypted else mut.PLAIN_DATABASE
    if encrypted and rng.random() < 0.25:
        name, fn = rng.choice(mut.KEY_FILE)
        fn(key_file, rng)
        name = "schluessel-" + name
    else:
        name, fn = rng.choice(pool)
        fn(backup, rng)
    return (*_restore_then_check(image), name)


def kill_cycles(root: Path, kills: int, seed: int) -> dict:
    from reliability import crashkit

    out = {"tries": 0, "held": 0, "failed": 0, "silent": 0, "lost": [], "detail": ""}
    details = []
    for label, passphrase in (("p", None), ("e", PASSPHRASE)):
        n = kills // 2 if label == "p" else kills - kills // 2
        if n <= 0:
            continue
        try:
            result = crashkit.run_cycles(root / label, kills=n, seed=seed, passphrase=passphrase)
        except Exception:  # noqa: BLE001
            out["failed"] += 1
            out["tries"] += n
            details.append(f"{label}: {traceback.format_exc(limit=2)[-200:]}")
            continue
        out["tries"] += result.kills
        out["silent"] += len(result.lost)
        out["lost"] += [f"sigkill/{label}: {x}" for x in result.lost]
        out["held"] += result.kills - len(result.lost)
        details.append(f"{label}: {result.opened} normal geöffnet, {result.refused_wal_missing} als '-wal fehlt' "
                       f"abgewiesen, {len(result.refused_other)} anders abgewiesen")
    out["detail"] = "; ".join(details)
    return out


def hostile_inputs(plain: Image, encrypted: Image, root: Path, n: int, rng: random.Random) -> dict:
    from _fault_inputs import run_inputs

    return run_inputs(plain, encrypted, root, n, rng)


__all__ = ["Image", "copy_image", "json", "make_image", "run_trial"]
