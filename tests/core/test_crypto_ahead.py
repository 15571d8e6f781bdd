"""Argon2id started ahead of the imports (store/crypto.py: derive_key_ahead) gives exactly the key a direct
derivation gives, is used once, and leaves every problem to the real open."""

from __future__ import annotations

import secrets

import pytest
from argon2.low_level import Type, hash_secret_raw

from bildungskoordination.store import crypto


@pytest.fixture(autouse=True)
def _nothing_ahead():
    crypto._ahead.clear()
    yield
    crypto._ahead.clear()


def _reference(passphrase: str, params: crypto.KdfParams) -> bytes:
    """argon2-cffi's own high-level call (threads = lanes): the key every database was made with."""
    return hash_secret_raw(passphrase.encode("utf-8"), bytes.fromhex(params.salt_hex), time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism, hash_len=32,
                           type=Type.ID)


def test_key_derived_ahead_for_the_real_parameters_is_argon2_cffis_key(tmp_path):
    db = tmp_path / "akte.sqlite3"
    crypto.save_params(db, crypto.KdfParams(secrets.token_hex(16)))  # every real database: 64 MiB, 2 lanes
    params = crypto.load_params(db)
    assert params is not None and params.parallelism == 2
    passphrase = "Ein ganzer Satz als Passphrase – mit Umlauten äöü"
    crypto.derive_key_ahead(db, passphrase)
    assert crypto.derive_key(passphrase, params) == _reference(passphrase, params)


def test_key_derived_ahead_is_the_key_and_is_taken_once(tmp_path):
    db = tmp_path / "akte.sqlite3"
    params = crypto.KdfParams.new(fast=True)
    crypto.save_params(db, params)
    params = crypto.load_params(db)
    assert params is not None
    crypto.derive_key_ahead(db, "richtige Passphrase 1")
    assert len(crypto._ahead) == 1
    assert crypto.derive_key("richtige Passphrase 1", params) == _reference("richtige Passphrase 1", params)
    assert crypto._ahead == {}  # taken: the next derivation computes anew
    assert crypto.derive_key("richtige Passphrase 1", params) == _reference("richtige Passphrase 1", params)


def test_another_passphrase_is_not_answered_with_the_key_derived_ahead(tmp_path):
    db = tmp_path / "akte.sqlite3"
    crypto.save_params(db, crypto.KdfParams.new(fast=True))
    params = crypto.load_params(db)
    assert params is not None
    crypto.derive_key_ahead(db, "aus der Umgebung 123")
    assert crypto.derive_key("am Terminal getippt", params) == _reference("am Terminal getippt", params)
    crypto._ahead.clear()


def test_missing_or_damaged_key_file_starts_nothing_and_raises_nothing(tmp_path):
    crypto.derive_key_ahead(tmp_path / "neu.sqlite3", "egal welche Passphrase")  # no key file: a new database
    damaged = tmp_path / "kaputt.sqlite3"
    crypto.key_file_for(damaged).write_text("{ kein json", encoding="utf-8")
    crypto.derive_key_ahead(damaged, "egal welche Passphrase")
    assert crypto._ahead == {}
