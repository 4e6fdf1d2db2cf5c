"""Visitors' CSRF tokens: a random cookie value, signed with the site's key for the form.

Kept apart from ``web.csrf`` so the account services can hold one without
importing the request handling that uses them.
"""

from __future__ import annotations

import hmac
import re

from itsdangerous import BadSignature, TimestampSigner

VISITOR_NONCE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what token_urlsafe(32) gives
VISITOR_TOKEN_AGE = 12 * 3600  # seconds a visitor's form token stays good


class VisitorTokens:
    """Signs and checks visitors' double-submit tokens under the site's key."""

    def __init__(self, key: bytes) -> None:
        self._signer = TimestampSigner(key, salt="kartoteka.csrf.visitor")

    def token(self, nonce: str) -> str:
        return self._signer.sign(nonce).decode("ascii")

    def matches(self, nonce: str | None, presented: str) -> bool:
        if not nonce or not VISITOR_NONCE.match(nonce):
            return False
        try:
            signed = self._signer.unsign(presented, max_age=VISITOR_TOKEN_AGE)
        except BadSignature:  # also an expired or malformed token
            return False
        return hmac.compare_digest(signed, nonce.encode("ascii"))
