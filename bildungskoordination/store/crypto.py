"""Encryption at rest: SQLCipher with a raw 256-bit key derived from the passphrase by Argon2id.

The salt and KDF parameters are stored beside the database in ``<db>.key.json`` (they are not secret);
the passphrase and the key are never written anywhere. A wrong key only shows on the first query, so
``open_encrypted`` runs one at once and turns the failure into ``WrongPassphrase``.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from bildungskoordination.i18n import N_
from bildungskoordination.store.errors import StoreError
from bildungskoordination.store.files import atomic_write_bytes, sqlite_uri

KEY_FILE_SUFFIX = ".key.json"
KEY_BYTES = 32


class WrongPassphrase(StoreError):
    def __init__(self) -> None:
        super().__init__("Passphrase falsch")


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
    path = pending_key_file_for(db_path) if pending else key_file_for(db_path)
    if not path.exists():
        return None
    from bildungskoordination.store.errors import DatabaseDamaged

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        params = KdfParams(**data)
        _validate(params)
        return params
    except (ValueError, TypeError, OSError) as exc:
        raise DatabaseDamaged(db_path, f"Schlüsseldatei {path.name} unlesbar oder beschädigt") from exc


def _validate(params: KdfParams) -> None:
    """Values a key file must have; anything else is damage (or tampering), never a traceback."""
    if not isinstance(params.salt_hex, str) or len(params.salt_hex) < 16:
        raise ValueError("salt")
    bytes.fromhex(params.salt_hex)
    if params.algorithm != "argon2id":
        raise ValueError("algorithm")
    for value, low, high in ((params.time_cost, 1, 100), (params.memory_kib, 8, 4 * 1024 * 1024),
                             (params.parallelism, 1, 64)):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError("kdf parameter")
    if not isinstance(params.check_hex, str):
        raise ValueError("check")


def save_params(db_path: Path, params: KdfParams, *, pending: bool = False) -> None:
    target = pending_key_file_for(db_path) if pending else key_file_for(db_path)
    atomic_write_bytes(target, json.dumps(asdict(params), indent=2).encode())


def key_check(key: bytes) -> str:
    import hashlib
    import hmac

    return hmac.new(key, b"bildungskoordination key check v1", hashlib.sha256).hexdigest()[:32]


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    if params.algorithm != "argon2id":
        raise ValueError(f"unknown KDF {params.algorithm}")
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


def env_passphrase() -> str | None:
    return os.environ.get("BILDUNGSKOORDINATION_PASSPHRASE") or None
