"""Password hashing with argon2id, rehashing when the parameters change.

The hasher is injectable so that tests can use cheap parameters and prove
that a login under stronger parameters upgrades the stored hash.
"""

from __future__ import annotations

import contextlib
import secrets
import string
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kartoteka.i18n import Message

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 accepts more, but nobody types this; it bounds the work
GENERATED_LENGTH = 20
_ALPHABET = string.ascii_letters + string.digits


class WeakPassword(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of a password check; ``new_hash`` is set when a rehash is due."""

    ok: bool
    new_hash: str | None = None


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._decoy: str | None = None

    @property
    def decoy(self) -> str:
        """Checked against when the account does not exist, so that an unknown
        e-mail address costs as much time as a wrong password.  Made on first use."""
        if self._decoy is None:
            self._decoy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._decoy

    def hash(self, password: str) -> str:
        validate(password)
        return self.hasher.hash(password)

    def check(self, stored_hash: str | None, password: str) -> Checked:
        if len(password) > MAX_LENGTH:
            return Checked(False)
        if stored_hash is None:
            self._burn(password)
            return Checked(False)
        try:
            self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return Checked(False)
        if self.hasher.check_needs_rehash(stored_hash):
            return Checked(True, self.hasher.hash(password))
        return Checked(True)

    def _burn(self, password: str) -> None:
        with contextlib.suppress(VerificationError, InvalidHashError):
            self.hasher.verify(self.decoy, password)


def validate(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(Message("a password needs at least %(n)s characters", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise WeakPassword(Message("a password may have at most %(n)s characters", n=MAX_LENGTH))
    if not password.strip():
        raise WeakPassword(Message("a password cannot be only spaces"))


def generate_password(length: int = GENERATED_LENGTH) -> str:
    """Letters and digits only, so it survives copying from a terminal (~119 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
