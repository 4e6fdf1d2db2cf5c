from __future__ import annotations

import hashlib

from kartoteka.auth.tokens import (
    API_TOKEN_PREFIX,
    csrf_matches,
    csrf_token,
    new_api_token,
    new_token,
    token_digest,
)


def test_tokens_are_random_and_long() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) >= 43 for t in tokens)  # 32 bytes in URL-safe base64
    assert new_api_token().startswith(API_TOKEN_PREFIX)


def test_digest_is_sha256_hex_and_not_the_token() -> None:
    token = new_token()
    assert token_digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in token_digest(token)


def test_csrf_token_is_bound_to_session_and_secret() -> None:
    token = csrf_token("s" * 64, "session-a")
    assert csrf_matches("s" * 64, "session-a", token)
    assert not csrf_matches("s" * 64, "session-b", token)
    assert not csrf_matches("t" * 64, "session-a", token)
    assert not csrf_matches("s" * 64, "session-a", token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert not csrf_matches("s" * 64, "session-a", "")
