from __future__ import annotations

from kartoteka.text.normalize import clean_text, content_hash, fold, strip_diacritics


def test_fold_removes_case_and_diacritics_but_keeps_script() -> None:
    assert fold("Vučić") == "vucic"
    assert fold("Hashim  THAÇI") == "hashim thaci"
    assert fold("Đinđić") == "dindic"
    assert fold("Косово") == "косово"


def test_strip_diacritics_handles_letters_nfkd_does_not_split() -> None:
    assert strip_diacritics("Łódź straße") == "Lodz strasse"


def test_clean_text_normalises_line_endings_and_bom() -> None:
    assert clean_text("\ufeffTitle\r\nBody  \r\n\x00") == "Title\nBody"


def test_content_hash_ignores_whitespace_and_unicode_form() -> None:
    composed = content_hash("Vučić", "a  b\n\nc")
    decomposed = content_hash("Vuc\u030cic\u0301", "a b c")
    assert composed == decomposed
    assert composed != content_hash("Vučić", "a b d")
