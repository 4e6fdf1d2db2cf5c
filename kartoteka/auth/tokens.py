"""Random secrets for sessions, API tokens and invitation links, and their digests.

Tokens are stored as SHA-256 digests, not with a slow password hash: a token
carries 256 random bits, so no amount of guessing speed recovers it from its
digest, while a slow hash protects only low-entropy secrets that people
choose.  A plain digest also lets a request find its row with one indexed
lookup instead of checking every stored hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
API_TOKEN_PREFIX = "ktk_"  # lets secret scanners recognise a leaked token


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + new_token()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(secret: str, session_id: str) -> str:
    """An HMAC of the session id under the session's own secret.

    It changes whenever the session is rotated, so a token copied before a
    login is worthless after it.
    """
    return hmac.new(secret.encode("ascii"), session_id.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_matches(secret: str, session_id: str, presented: str) -> bool:
    return hmac.compare_digest(csrf_token(secret, session_id), presented)
