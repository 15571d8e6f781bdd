"""The process the crash tests kill: it saves in a loop and acknowledges every save that RETURNED.

Run as ``python crash_worker.py DB LANE``; the passphrase comes from ``BK_CRASH_PASSPHRASE`` (empty or
unset: an unencrypted database). The data of every operation is a pure function of (lane, incarnation,
operation number), so the parent can recompute exactly what was sent without being told.

Protocol, one line per message, each written with one ``write`` and flushed:

    worker -> READY                          imports done; the database has not been touched yet
    parent -> GO <inc> <mode>                mode: saves | import | hold | cycles | (hooks below)
    worker -> OPEN <inc>                     Services.open returned
    worker -> A <k> P <person id> <file no> <marker>  op k: PersonService.create returned
    worker -> A <k> C <person id> <id> <marker>       op k: ContactService.add returned
    worker -> B <k>                          import k: CSV written, import_persons is called now
    worker -> W <k>                          import k: checks passed, the one write transaction starts
    worker -> A <k> I <rows> <first> <last> <prefix>  import k: import_persons returned, all rows written

The marker ("crash:<lane>/<inc>/<k>") is also the first line of the saved note; an import's rows carry the
prefix in their file numbers.
    worker -> ERR <text>                     anything unexpected (exit status 3)

``hold`` opens the database, prints OPEN and waits for a line on stdin, then closes it and prints
CLOSED (for the second-instance test). Three modes stop for good at one chosen moment and print HOOK, so
the parent can SIGKILL the worker exactly there (the app code is not changed, only wrapped):

* ``creating`` – a new database: right after the first connection was configured (journal_mode=WAL);
* ``deriving`` – an existing database: while the key is derived from the passphrase (Argon2id);
* ``closing``  – saves five people, then ``Services.close``: after the store is closed, before the lock
  file says "closed".
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

FAMILY = ["Al-Hassan", "Kovalenko", "Ahmadi", "Yılmaz", "Tesfay", "Müller", "Nguyen", "O'Brien", "Haddad",
          "Шевченко", "Ibrahim", "Sørensen"]
GIVEN = ["Rania", "Olena", "Farid", "Zeynep", "Yonas", "Jürgen", "Linh", "Siobhán", "Amal", "Taras", "Noor"]
ORIGINAL = ["رانيا الحسن", "Олена Коваленко", "فرید احمدی", "ዮናስ ተስፋይ", "", "Тарас Шевченко", "نور حداد"]
NOTE_WORDS = ["Termin", "Sprachkurs", "Wartezeit", "Jobcenter", "Anerkennung", "Kita-Platz", "Übersetzung",
              "Zeugnis", "Beratung", "موعد", "курс", "Ärztin", "Fahrkarte"]
BIRTHS = ["{d:02d}.{m:02d}.{y}", "00.00.{y}", "{m:02d}.{y}", "{y}"]
COUNTRIES = ["SY", "AF", "UA", "TR", "IQ", "IR", "ER"]
LANGS = ["ar", "fa", "uk", "ru", "tr", "ti", "de", "en"]
BASE_DAY = date(2024, 6, 1)  # all dates lie before it, so none is ever "in the future"
IMPORT_ROWS = 500
IMPORT_HEADER = ("Nr;Familienname;Vorname;Name in Originalschrift;Geburtsdatum;Geschlecht;Staatsangehörigkeit;"
                 "Wohnort;Telefon;Deutschniveau;Sprachen;Einwilligung")
_COUNTRY_NAMES = {"SY": "Syrien", "AF": "Afghanistan", "UA": "Ukraine", "TR": "Türkei"}


def marker(lane: str, inc: int, k: int) -> str:
    """First line of the note of every person and contact a worker saves: finds the op in the database."""
    return f"crash {lane}/{inc}/{k}"


def tag(lane: str, inc: int, k: int) -> str:
    """The marker as written in an acknowledgement (no blank)."""
    return marker(lane, inc, k).replace(" ", ":")


def parse_marker(note: str | None) -> tuple[str, int, int] | None:
    first = (note or "").split("\n", 1)[0]
    if not first.startswith("crash "):
        return None
    lane, inc, k = first[6:].split("/")
    return lane, int(inc), int(k)


def _note(rng: random.Random, first: str) -> str:
    lines = [first]
    for _ in range(rng.randint(0, 4)):
        lines.append(" ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(1, 12))))
    return "\n".join(lines)


def plan(lane: str, inc: int):  # type: ignore[no-untyped-def]
    """The operations of one incarnation in saves mode: ('P', None) or ('C', k of an earlier P op)."""
    rng = random.Random(f"plan:{lane}:{inc}")
    persons: list[int] = []
    k = 0
    while True:
        if not persons or rng.random() < 0.35:
            persons.append(k)
            yield "P", None
        else:
            yield "C", rng.choice(persons[-6:])
        k += 1


def person_data(lane: str, inc: int, k: int):  # type: ignore[no-untyped-def]
    from bildungskoordination.domain.dates import parse_partial_date
    from bildungskoordination.people.records import LanguageSkill, PersonData

    rng = random.Random(f"person:{lane}:{inc}:{k}")
    year = rng.randint(1950, 2008)
    birth = rng.choice(BIRTHS).format(d=rng.randint(1, 28), m=rng.randint(1, 12), y=year)
    arrival = date(rng.randint(max(year + 1, 2010), 2023), rng.randint(1, 12), rng.randint(1, 28))
    issued = arrival + timedelta(days=rng.randint(10, 200)) if rng.random() < 0.5 else None
    return PersonData(
        family_name=rng.choice(FAMILY),
        given_name=rng.choice(GIVEN),
        file_number="" if rng.random() < 0.12 else f"P-{lane}-{inc}-{k}",
        name_original=rng.choice(ORIGINAL),
        birth=parse_partial_date(birth),
        gender=rng.choice(["w", "m", "d", "x"]),
        nationalities=rng.sample(COUNTRIES, rng.randint(0, 2)),
        arrival_date=arrival,
        residence_status=rng.choice(["", "25_2", "24", "gestattung", "duldung_60a"]),
        residence_issued=issued,
        residence_expires=issued + timedelta(days=365 * rng.randint(1, 3)) if issued else None,
        languages=[LanguageSkill(c, rng.choice(["", "muttersprache", "gut"])) for c in rng.sample(LANGS, 2)],
        german_level=rng.choice(["", "keine", "A1", "A2", "B1", "B2"]),
        literacy=rng.choice(["", "lateinisch", "andere_schrift", "nein"]),
        school_years=rng.choice([None, 0, 6, 9, 12]),
        municipality=rng.choice(["Konz", "Saarburg", "Trier", "Hermeskeil", ""]),
        address=rng.choice(["", "Hauptstraße 1, 54329 Konz", "Am Markt 3"]),
        phone=rng.choice(["", "0170 1234567", "+49 651 12345"]),
        email=rng.choice(["", f"person{inc}x{k}@example.org"]),
        needs_childcare=(kids := rng.randint(0, 3)) > 0,
        childcare_children=kids,
        availability=rng.sample(["vormittags", "nachmittags", "abends"], rng.randint(0, 2)),
        letter_language=rng.choice(["de", "ar", "uk", "fa"]),
        consent_date=BASE_DAY - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.8 else None,
        note=_note(rng, marker(lane, inc, k)),
    )


def contact_data(lane: str, inc: int, k: int):  # type: ignore[no-untyped-def]
    from bildungskoordination.people.records import ContactData

    rng = random.Random(f"contact:{lane}:{inc}:{k}")
    day = BASE_DAY - timedelta(days=rng.randint(0, 700))
    interpreter = rng.random() < 0.3
    return ContactData(
        contact_date=day,
        duration_minutes=rng.choice([None, 15, 30, 45, 90]),
        channel=rng.choice(["persoenlich", "telefon", "video", "email"]),
        place=rng.choice(["", "Konz", "Büro Saarburg"]),
        interpreter_language="ar" if interpreter else "",
        topics=rng.sample(["sprachkurs", "arbeit", "schule", "wohnen", "anerkennung"], rng.randint(1, 3)),
        note=_note(rng, marker(lane, inc, k)),
        outcome=rng.choice(["", "informiert", "vermittelt", "erledigt"]),
        next_step=rng.choice(["", "Unterlagen mitbringen", "Rückruf"]),
        followup_date=day + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.5 else None,
        followup_done=rng.random() < 0.2,
    )


def import_prefix(lane: str, inc: int, k: int) -> str:
    return f"I-{lane}-{inc}-{k}-"


def import_row(lane: str, inc: int, k: int, i: int) -> dict[str, str]:
    rng = random.Random(f"import:{lane}:{inc}:{k}:{i}")
    return {
        "nr": f"{import_prefix(lane, inc, k)}{i:03d}",
        "family": rng.choice(FAMILY),
        "given": f"{rng.choice(GIVEN)} {i}",
        "original": rng.choice(ORIGINAL),
        "birth": f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1950, 2008)}",
        "gender": rng.choice(["w", "m"]),
        "country": rng.choice(list(_COUNTRY_NAMES)),
        "place": rng.choice(["Konz", "Saarburg", "Trier"]),
        "phone": rng.choice(["", "0170 1234567"]),
        "level": rng.choice(["", "A1", "B1"]),
        "langs": ", ".join(rng.sample(LANGS[:6], 2)),
        "consent": f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2023",
    }


def import_csv(lane: str, inc: int, k: int) -> str:
    lines = [IMPORT_HEADER]
    for i in range(IMPORT_ROWS):
        r = import_row(lane, inc, k, i)
        lines.append(";".join([r["nr"], r["family"], r["given"], r["original"], r["birth"], r["gender"],
                               _COUNTRY_NAMES[r["country"]], r["place"], r["phone"], r["level"], r["langs"],
                               r["consent"]]))
    return "\n".join(lines) + "\n"


def import_expected(lane: str, inc: int, k: int, i: int):  # type: ignore[no-untyped-def]
    """The PersonData the import must store for row i (all other fields at their defaults)."""
    from bildungskoordination.domain.dates import parse_date, parse_partial_date
    from bildungskoordination.people.records import LanguageSkill, PersonData

    r = import_row(lane, inc, k, i)
    return PersonData(
        file_number=r["nr"], family_name=r["family"], given_name=r["given"], name_original=r["original"],
        birth=parse_partial_date(r["birth"]), gender=r["gender"], nationalities=[r["country"]],
        municipality=r["place"], phone=r["phone"], german_level=r["level"],
        languages=[LanguageSkill(c.strip(), "") for c in r["langs"].split(",")],
        consent_date=parse_date(r["consent"]),
    )


# --- the process -----------------------------------------------------------------------------------------
def _emit(text: str) -> None:
    os.write(1, (text + "\n").encode())  # one write per line: a kill never leaves half a line behind


def main(argv: list[str]) -> int:
    db, lane = Path(argv[1]), argv[2]
    passphrase = os.environ.get("BK_CRASH_PASSPHRASE") or None
    from bildungskoordination.people.importer import import_persons
    from bildungskoordination.services import Services

    _emit("READY")
    line = sys.stdin.readline().split()
    if not line or line[0] != "GO":
        return 0
    inc, mode = int(line[1]), line[2]

    def stop_here(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        _emit("HOOK")
        while True:
            time.sleep(3600)

    if mode == "creating":
        from bildungskoordination.store import engine as engine_module

        configure = engine_module._configure

        def configure_then_stop(read_only):  # type: ignore[no-untyped-def]
            inner = configure(read_only)

            def hook(dbapi_connection, record):  # type: ignore[no-untyped-def]
                inner(dbapi_connection, record)
                stop_here()

            return hook

        engine_module._configure = configure_then_stop
    elif mode == "deriving":
        from bildungskoordination.store import crypto

        crypto.derive_key = stop_here
    try:
        services = Services.open(db, passphrase=passphrase, unencrypted=passphrase is None, fast_kdf=True)
        _emit(f"OPEN {inc}")
        if mode == "hold":
            sys.stdin.readline()
            services.close()
            _emit("CLOSED")
            return 0
        if mode == "closing":
            for k in range(5):
                data = person_data(lane, inc, k)
                pid = services.people.create(data)
                _emit(f"A {k} P {pid} {data.file_number} {tag(lane, inc, k)}")
            services.lock.release = stop_here  # type: ignore[method-assign,union-attr]
            services.close()
            return 0
        if mode == "saves":
            pids: dict[int, int] = {}
            for k, (kind, person_k) in enumerate(plan(lane, inc)):
                if kind == "P":
                    data = person_data(lane, inc, k)
                    pid = services.people.create(data)
                    pids[k] = pid
                    _emit(f"A {k} P {pid} {data.file_number} {tag(lane, inc, k)}")
                else:
                    cid = services.contacts.add(pids[person_k], contact_data(lane, inc, k))
                    _emit(f"A {k} C {pids[person_k]} {cid} {tag(lane, inc, k)}")
        elif mode == "import":
            folder = db.parent.parent / "csv"
            folder.mkdir(exist_ok=True)
            current = [0]
            original = services.people.create_many

            def create_many(people):  # type: ignore[no-untyped-def]
                _emit(f"W {current[0]}")
                return original(people)

            services.people.create_many = create_many  # type: ignore[method-assign]
            k = 0
            while True:
                current[0] = k
                path = folder / f"{lane}-{inc}-{k}.csv"
                path.write_text(import_csv(lane, inc, k), encoding="utf-8")
                _emit(f"B {k}")
                report = import_persons(services, path)
                if report.problems or len(report.created_ids) != IMPORT_ROWS:
                    _emit(f"ERR import {k}: {[str(p) for p in report.problems[:3]]}")
                    return 3
                _emit(f"A {k} I {len(report.created_ids)} {min(report.created_ids)} {max(report.created_ids)} "
                      f"{import_prefix(lane, inc, k)}")
                k += 1
        elif mode == "cycles":  # save three people, close, open again, … (benchmarks/crash_soak.py)
            k = 0
            while True:
                for _ in range(3):
                    data = person_data(lane, inc, k)
                    pid = services.people.create(data)
                    _emit(f"A {k} P {pid} {data.file_number} {tag(lane, inc, k)}")
                    k += 1
                services.close()
                _emit("CLOSED")
                services = Services.open(db, passphrase=passphrase, unencrypted=passphrase is None, fast_kdf=True)
                _emit(f"OPEN {inc}")
        else:
            _emit(f"ERR unknown mode {mode}")
            return 3
    except BaseException as exc:  # noqa: BLE001 – the parent turns this into a test failure
        _emit(f"ERR {type(exc).__module__}.{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
