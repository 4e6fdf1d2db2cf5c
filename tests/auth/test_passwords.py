from __future__ import annotations

import string

import pytest
from argon2 import PasswordHasher

from kartoteka.auth.passwords import Passwords, WeakPassword, generate_password


def cheap() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_hash_is_argon2id_and_checks_only_the_right_password() -> None:
    passwords = cheap()
    stored = passwords.hash("correct horse battery")
    assert stored.startswith("$argon2id$") and "correct" not in stored
    assert passwords.check(stored, "correct horse battery").ok
    assert not passwords.check(stored, "correct horse batterY").ok
    assert not passwords.check("not a hash", "correct horse battery").ok


def test_unknown_account_is_checked_against_a_decoy_and_fails() -> None:
    passwords = cheap()
    assert passwords.check(None, "anything at all").ok is False
    assert passwords.decoy.startswith("$argon2id$")  # real work is done for unknown users


def test_stronger_parameters_ask_for_a_rehash_that_then_verifies() -> None:
    stored = cheap().hash("correct horse battery")
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    checked = stronger.check(stored, "correct horse battery")
    assert checked.ok and checked.new_hash is not None
    assert "m=16,t=2" in checked.new_hash
    assert stronger.check(checked.new_hash, "correct horse battery").new_hash is None


@pytest.mark.parametrize("bad", ["short", " " * 12, "x" * 1025])
def test_weak_passwords_are_refused(bad: str) -> None:
    with pytest.raises(WeakPassword):
        cheap().hash(bad)


def test_generated_passwords_are_long_random_and_typeable() -> None:
    made = {generate_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password) == 20
        assert set(password) <= set(string.ascii_letters + string.digits)
