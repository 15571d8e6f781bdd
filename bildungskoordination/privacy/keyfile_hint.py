"""Which backup's key file can replace a damaged one (for the "Schlüsseldatei beschädigt" message).

Backups carry a copy of the key file as it was when they were taken; every backup since the last passphrase
change has the right one. With the passphrase at hand the candidate is proven: its key-check value accepts
the derived key, and the live database opens read-only with that key.
"""

from __future__ import annotations

from pathlib import Path

from bildungskoordination.i18n import _
from bildungskoordination.privacy.recovery import list_backups
from bildungskoordination.store import crypto
from bildungskoordination.store.errors import StoreError

MAX_TRIES = 3  # each try derives a key (Argon2id, ~0.3 s)


def replacement_hint(db_path: Path, passphrase: str | None) -> str:
    candidates: list[tuple[Path, crypto.KdfParams]] = []
    for info in list_backups(db_path):
        if not info.encrypted:
            continue
        try:
            params = crypto.load_params(info.path)
        except StoreError:
            continue
        if params is not None and not any(crypto.same_params(params, seen) for _p, seen in candidates):
            candidates.append((info.key_file, params))
    if not candidates:
        return _("Im Sicherungsordner liegt keine unbeschädigte Schlüsseldatei; ohne sie lässt sich die Datenbank "
                 "nicht öffnen.")
    target = crypto.key_file_for(db_path)
    if passphrase:
        for key_file, params in candidates[:MAX_TRIES]:
            if _opens(db_path, passphrase, params):
                return _("Die Schlüsseldatei der Sicherung {source} passt (mit dieser Passphrase geprüft) und kann "
                         "sie ersetzen: {source} nach {target} kopieren.").format(source=key_file, target=target)
    return _("Ersatz: die Schlüsseldatei einer Sicherung, die nach der letzten Änderung der Passphrase entstand, "
             "z. B. {source} (nach {target} kopieren). Dies ist keine falsche Passphrase.").format(
        source=candidates[0][0], target=target)


def _opens(db_path: Path, passphrase: str, params: crypto.KdfParams) -> bool:
    key = crypto.derive_key(passphrase, params)
    if params.accepts(key) is False:
        return False
    try:
        crypto.connect_encrypted(db_path, key, read_only=True).close()
    except Exception:  # noqa: BLE001 – wrong key or damaged file: not this candidate
        return False
    return True
