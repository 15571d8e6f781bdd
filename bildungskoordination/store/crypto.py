"""Encryption at rest: SQLCipher with a raw 256-bit key derived from the passphrase by Argon2id.

The salt and KDF parameters are stored beside the database in ``<db>.key.json`` (they are not secret);
the passphrase and the key are never written anywhere. A wrong key only shows on the first query, so
``open_encrypted`` runs one at once and turns the failure into ``WrongPassphrase``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from pathlib import Path

from bildungskoordination.i18n import N_
from bildungskoordination.store.errors import DatabaseDamaged, StoreError
from bildungskoordination.store.files import atomic_write_bytes, sqlite_uri

KEY_FILE_SUFFIX = ".key.json"
KEY_BYTES = 32


class WrongPassphrase(StoreError):
    def __init__(self) -> None:
        super().__init__("Passphrase falsch")


class KeyFileDamaged(DatabaseDamaged):
    """The key file fails its checksum or holds impossible values: not a wrong passphrase."""

    def __init__(self, db_path: Path, key_file: Path, reason: str, hint: str = "") -> None:
        from bildungskoordination.i18n import _

        detail = _("Schlüsseldatei beschädigt: {name} ({reason})").format(name=key_file.name, reason=reason)
        super().__init__(db_path, detail + (f". {hint}" if hint else ""))
        self.key_file = key_file
        self.reason = reason


# Sane bounds, checked before anything is derived: a damaged or forged key file must not make every open
# allocate gigabytes or run for minutes.
BOUNDS = {"time_cost": (1, 10), "memory_kib": (8192, 1024 * 1024), "parallelism": (1, 16)}


@dataclass(frozen=True)
class KdfParams:
    salt_hex: str
    time_cost: int = 3
    memory_kib: int = 65536  # 64 MiB: slow for an attacker, ~0.3 s for the user
    parallelism: int = 2
    algorithm: str = "argon2id"
    version: int = 1
    # HMAC of a constant under the derived key: tells a wrong passphrase from a damaged database
    # (SQLCipher cannot: page 1 holds its salt, so a damaged page 1 also looks like a wrong key).
    check_hex: str = ""
    # SHA-256 over all other fields: tells a damaged key file from a wrong passphrase ("" in old files).
    checksum: str = ""

    def with_check(self, key: bytes) -> KdfParams:
        from dataclasses import replace

        return replace(self, check_hex=key_check(key))

    def accepts(self, key: bytes) -> bool | None:
        """True/False if the key file can tell; None for key files written before the check existed."""
        if not self.check_hex:
            return None
        import hmac

        return hmac.compare_digest(key_check(key), self.check_hex)

    @classmethod
    def new(cls, *, fast: bool = False) -> KdfParams:
        """Fresh salt; ``fast`` only for tests and throw-away databases."""
        if fast:
            return cls(secrets.token_hex(16), time_cost=1, memory_kib=8192, parallelism=1)
        return cls(secrets.token_hex(16))


def key_file_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_FILE_SUFFIX)


def pending_key_file_for(db_path: Path) -> Path:
    """Parameters of a passphrase change in progress (see Services.change_passphrase)."""
    return db_path.with_name(db_path.name + KEY_FILE_SUFFIX + ".neu")


def load_params(db_path: Path, *, pending: bool = False) -> KdfParams | None:
    """The key file's parameters; raises KeyFileDamaged when it is unreadable, fails its checksum or holds
    values outside ``BOUNDS`` – before any key is derived from it."""
    from bildungskoordination.i18n import _

    path = pending_key_file_for(db_path) if pending else key_file_for(db_path)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        params = KdfParams(**data)
    except (ValueError, TypeError, OSError, UnicodeDecodeError):
        raise KeyFileDamaged(db_path, path, _("unlesbar")) from None
    if params.checksum and params.checksum != content_checksum(params):
        raise KeyFileDamaged(db_path, path, _("Prüfsumme stimmt nicht – der Inhalt wurde verändert"))
    problem = _out_of_bounds(params)
    if problem:
        raise KeyFileDamaged(db_path, path, problem)
    return params


def add_checksum_to_old_key_file(db_path: Path) -> None:
    """Key files written before the checksum existed get it once the database opened with them."""
    try:
        params = load_params(db_path)
        if params is not None and not params.checksum:
            save_params(db_path, params)
    except (StoreError, OSError):
        pass


def same_params(a: KdfParams | None, b: KdfParams | None) -> bool:
    """Equal apart from the checksum (an old copy without one is the same key file)."""
    from dataclasses import replace

    if a is None or b is None:
        return a is b
    return replace(a, checksum="") == replace(b, checksum="")


def content_checksum(params: KdfParams) -> str:
    import hashlib

    fields = {k: v for k, v in asdict(params).items() if k != "checksum"}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _out_of_bounds(params: KdfParams) -> str | None:
    """What is impossible in ``params`` (damage or tampering), never a traceback; None if all is sane."""
    from bildungskoordination.i18n import _

    salt = params.salt_hex
    if not isinstance(salt, str) or not 32 <= len(salt) <= 128:
        return _("Salz fehlt oder hat eine unmögliche Länge")
    try:
        bytes.fromhex(salt)
    except ValueError:
        return _("Salz ist keine Hexadezimalzahl")
    if params.algorithm != "argon2id":
        return _("unbekanntes Verfahren {name}").format(name=str(params.algorithm)[:20])
    for name, (low, high) in BOUNDS.items():
        value = getattr(params, name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return _("Parameter {name} = {value} liegt außerhalb von {low}–{high}").format(
                name=name, value=str(value)[:20], low=low, high=high)
    if not isinstance(params.check_hex, str) or not isinstance(params.checksum, str):
        return _("Prüfwert unlesbar")
    return None


def save_params(db_path: Path, params: KdfParams, *, pending: bool = False) -> None:
    from dataclasses import replace

    target = pending_key_file_for(db_path) if pending else key_file_for(db_path)
    params = replace(params, checksum="")
    params = replace(params, checksum=content_checksum(params))
    atomic_write_bytes(target, json.dumps(asdict(params), indent=2).encode())


def key_check(key: bytes) -> str:
    import hashlib
    import hmac

    return hmac.new(key, b"bildungskoordination key check v1", hashlib.sha256).hexdigest()[:32]


# Derivations started ahead (``derive_key_ahead``), picked up once by ``derive_key``.
_ahead: dict[tuple[str, KdfParams], Future[bytes]] = {}
_ahead_lock = threading.Lock()


def derive_key_ahead(db_path: Path, passphrase: str) -> None:
    """Start Argon2id for ``db_path``'s key file on a thread, when the passphrase is known before anything else
    (BILDUNGSKOORDINATION_PASSPHRASE). Argon2 releases the GIL, so the imports and the window that follow run
    beside it instead of after it; ``derive_key`` with the same passphrase and parameters takes the result.
    Anything unusual (no key file, a damaged one) is left to the real open, which reports it."""
    try:
        params = load_params(db_path)
    except (StoreError, OSError):
        return
    if params is None:
        return
    future: Future[bytes] = Future()

    def run() -> None:
        try:
            future.set_result(_derive(passphrase, params))
        except BaseException as exc:  # noqa: BLE001 – handed to derive_key's caller, like a direct call
            future.set_exception(exc)

    with _ahead_lock:
        _ahead.clear()  # one start, one derivation ahead: an earlier one nobody took is dropped
        _ahead[(passphrase, params)] = future
    threading.Thread(target=run, name="derive-key-ahead", daemon=True).start()


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    with _ahead_lock:
        future = _ahead.pop((passphrase, params), None)
    if future is not None:
        return future.result()
    return _derive(passphrase, params)


def _derive(passphrase: str, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    problem = _out_of_bounds(params)
    if problem:
        raise ValueError(problem)  # load_params refuses these first; this guards every other caller
    return hash_secret_raw(
        passphrase.encode("utf-8"), bytes.fromhex(params.salt_hex), time_cost=params.time_cost,
        memory_cost=params.memory_kib, parallelism=params.parallelism, hash_len=KEY_BYTES, type=Type.ID,
    )


def key_pragma(key: bytes) -> str:
    """PRAGMA statement that hands SQLCipher a raw key (no second, weaker KDF inside SQLCipher)."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def rekey_pragma(key: bytes) -> str:
    return f"PRAGMA rekey = \"x'{key.hex()}'\""


def connect_encrypted(path: Path | str, key: bytes, *, read_only: bool = False, uri_extra: str = ""):  # type: ignore[no-untyped-def]
    """A sqlcipher3 connection, keyed and verified; raises WrongPassphrase."""
    import sqlcipher3

    mode = "ro" if read_only else "rwc"
    conn = sqlcipher3.connect(sqlite_uri(path, mode) + uri_extra, uri=True, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not a log line on stderr
    conn.execute(key_pragma(key))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise WrongPassphrase() from None
        raise
    return conn


def passphrase_strength(passphrase: str) -> tuple[int, str]:
    """Rough strength 0–4 and a German hint; length counts most (a sentence beats symbols)."""
    length = len(passphrase)
    classes = sum(bool(any(f(c) for c in passphrase)) for f in (str.islower, str.isupper, str.isdigit,
                                                                 lambda c: not c.isalnum()))
    words = len(passphrase.split())
    score = 0
    if length >= 10:
        score += 1
    if length >= 14:
        score += 1
    if length >= 20 or words >= 4:
        score += 1
    if classes >= 3 or words >= 3:
        score += 1
    if length < 10:
        return 0, N_("zu kurz – mindestens 10 Zeichen, besser ein ganzer Satz")
    hints = {1: N_("schwach – länger ist besser, z. B. vier zufällige Wörter"),
             2: N_("mittel – noch ein paar Wörter mehr machen sie stark"),
             3: N_("gut"), 4: N_("sehr gut")}
    return score, hints.get(score, N_("schwach"))


MIN_PASSPHRASE_LENGTH = 10


class PassphraseTooShort(StoreError):
    def __init__(self) -> None:
        from bildungskoordination.i18n import _

        super().__init__(_("Die Passphrase ist zu kurz (mindestens {n} Zeichen, besser ein ganzer Satz). Das gilt "
                           "für jede Art, sie festzulegen – auch über BILDUNGSKOORDINATION_PASSPHRASE.")
                         .format(n=MIN_PASSPHRASE_LENGTH))


def check_new_passphrase(passphrase: str) -> None:
    """The rule for every new passphrase, however it is set (dialog, terminal, environment, change)."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        raise PassphraseTooShort()


def env_passphrase() -> str | None:
    return os.environ.get("BILDUNGSKOORDINATION_PASSPHRASE") or None
