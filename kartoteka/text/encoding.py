"""Decode bytes of unknown encoding, or say clearly why that is impossible."""

from __future__ import annotations

from charset_normalizer import from_bytes


class UndecodableError(ValueError):
    """The bytes are binary or in no encoding we can identify."""


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean this is not a text file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.1


def decode(data: bytes) -> str:
    """UTF-8 first (it is almost always right), then a detected encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if looks_binary(data):
        raise UndecodableError("binary content, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UndecodableError("not UTF-8, and no other text encoding fits")
    return str(best)
