"""A child process for the disk and permission tests: does what its JSON argument says, prints one JSON line.

Runs in a subprocess because what it needs belongs to a process: a file-size limit (RLIMIT_FSIZE), fewer
privileges (root without CAP_DAC_OVERRIDE, so chmod binds), or a private mount namespace with a tiny tmpfs
(a real "disk full"). Every step is wrapped; an exception becomes {"type", "module", "message"}.

Spec keys (all optional except db):
  db, passphrase, read_only, unencrypted   – how to open (Services.open)
  setup: n         – first create a fresh database with n people and close it cleanly
  probe_dir: path  – report whether this folder is writable for us ("dir_writable")
  fsize: bytes     – after opening, limit the size of files this process may write (SIGXFSZ ignored)
  write: true      – try one person, one contact and (if import_csv is given) one import
  fill: true       – create people until a save fails; report how many were saved
  reopen: true     – close, open again, count, integrity_check
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path


def _err(exc: BaseException) -> dict:
    return {"type": type(exc).__name__, "module": type(exc).__module__, "message": str(exc),
            "trace": traceback.format_exc(limit=3)[-800:]}


def _person(i: int):  # type: ignore[no-untyped-def]
    from bildungskoordination.people.records import PersonData

    return PersonData(family_name=f"Sonde {i}", given_name="Probe", file_number=f"S-{os.getpid()}-{i}",
                      note="Füllstoff " * 60)


def _integrity(services) -> str:  # type: ignore[no-untyped-def]
    with services.store.engine.connect() as conn:
        return "; ".join(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall())


def main(spec: dict) -> dict:
    from bildungskoordination.people.records import ContactData
    from bildungskoordination.services import Services

    out: dict = {"uid": os.getuid()}
    db = Path(spec["db"])
    kw = {"passphrase": spec.get("passphrase"), "read_only": spec.get("read_only", False),
          "unencrypted": spec.get("unencrypted", False), "fast_kdf": True}
    if spec.get("probe_dir"):
        probe = Path(spec["probe_dir"]) / ".schreibprobe"
        try:
            probe.touch(exist_ok=False)
            probe.unlink()
            out["dir_writable"] = True
        except OSError:
            out["dir_writable"] = False
    if spec.get("setup"):
        services = Services.open(db, **kw)
        for i in range(spec["setup"]):
            services.people.create(_person(i))
        services.close()
    try:
        services = Services.open(db, **{**kw, "unencrypted": False})
    except Exception as exc:  # noqa: BLE001
        out["open"] = _err(exc)
        return out
    out["open"] = "ok"
    out["count_before"] = services.people.count()
    if spec.get("fsize"):
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (spec["fsize"], resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    if spec.get("write"):
        results = {}
        try:
            results["person"] = services.people.create(_person(10_000))
        except Exception as exc:  # noqa: BLE001
            results["person"] = _err(exc)
        try:
            first = services.people.search_ids("")[0]
            results["contact"] = services.contacts.add(first, ContactData(topics=["arbeit"], note="Sonde"))
        except Exception as exc:  # noqa: BLE001
            results["contact"] = _err(exc)
        if spec.get("import_csv"):
            from bildungskoordination.people.importer import import_persons

            try:
                report = import_persons(services, spec["import_csv"])
                results["import"] = {"created": len(report.created_ids), "problems": [str(p) for p in report.problems]}
            except Exception as exc:  # noqa: BLE001
                results["import"] = _err(exc)
        out["writes"] = results
    if spec.get("fill"):
        saved = 0
        try:
            for i in range(100_000):
                services.people.create(_person(i + 20_000))
                saved += 1
        except Exception as exc:  # noqa: BLE001
            out["fill_error"] = _err(exc)
        out["filled"] = saved
        try:
            # Far bigger than any room a refused transaction can leave behind (a few pages), so this write
            # must be refused too – with a save of the fill's size it sometimes just fitted.
            big = _person(99_999)
            big.note = "Füllstoff " * 50_000
            services.people.create(big)
            out["write_after_full"] = "ok"
        except Exception as exc:  # noqa: BLE001
            out["write_after_full"] = _err(exc)
    try:
        out["count_after"] = services.people.count()
        out["integrity"] = _integrity(services)
    except Exception as exc:  # noqa: BLE001
        out["after"] = _err(exc)
    if spec.get("fsize"):
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    try:
        services.close()
        out["close"] = "ok"
    except Exception as exc:  # noqa: BLE001
        out["close"] = _err(exc)
    if spec.get("reopen"):
        try:
            services = Services.open(db, **{**kw, "unencrypted": False})
            out["reopen_count"] = services.people.count()
            out["reopen_integrity"] = _integrity(services)
            services.close()
        except Exception as exc:  # noqa: BLE001
            out["reopen"] = _err(exc)
    return out


if __name__ == "__main__":
    result = main(json.loads(sys.argv[1]))
    print(json.dumps(result, ensure_ascii=False))
