from __future__ import annotations

import pytest

from kartoteka.text.encoding import UndecodableError, decode, looks_binary


def test_utf8_with_bom() -> None:
    assert decode("\ufeffКосово".encode()) == "Косово"


def test_cp1251_russian_is_detected() -> None:
    text = "Министр иностранных дел посетил Белград, где обсуждался вопрос Косово. " * 3
    assert decode(text.encode("cp1251")) == text


def test_koi8_russian_is_detected() -> None:
    text = "Министр иностранных дел посетил Белград, где обсуждался вопрос Косово. " * 3
    assert decode(text.encode("koi8-r")) == text


def test_binary_is_refused_with_a_reason() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UndecodableError, match="binary"):
        decode(b"\x00\x01\x02\x03binary")
