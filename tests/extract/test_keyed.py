from __future__ import annotations

from kartoteka.extract.keyed import BOUNDARY, _Memo, bounded_name, key_name, key_text


def test_spans_map_back_to_the_original_text() -> None:
    text = "Leader  Hashim THAÇI, of the K.L.A."
    keyed = key_text(text)
    start = keyed.key.index("hashim thaci")
    span = keyed.span(start, start + len("hashim thaci"))
    assert span is not None
    assert text[span[0]:span[1]] == "Hashim THAÇI"


def test_a_match_inside_a_word_has_no_span() -> None:
    keyed = key_text("Natoland is not NATO")
    start = keyed.key.index("nato")
    assert keyed.span(start, start + 4) is None
    last = keyed.key.rindex("nato")
    assert keyed.span(last, last + 4) is not None


def test_sentence_punctuation_separates_names() -> None:
    assert "kosovo liberation" not in key_text("They left Kosovo. Liberation came later").key
    assert key_name("Botsan-Kharchenko") == key_name("Botsan – Kharchenko")


def test_russian_inflected_forms_share_a_key() -> None:
    assert key_name("Армии освобождения Косова") == key_name("Армия освобождения Косова")
    assert key_name("Евгением Пригожиным") == key_name("Евгений Пригожин")
    assert key_name("Вучичем") == key_name("Вучич")
    assert key_name("Сербии") == key_name("Сербия")
    assert key_name("Сербия") != key_name("Сербский")


def test_bounded_key_marks_every_word_and_maps_back() -> None:
    text = "Leader  Hashim THAÇI, of the K.L.A."
    keyed = key_text(text)
    term = bounded_name("hashim thaci")
    at = keyed.bounded.index(term)
    assert keyed.bounded.replace(BOUNDARY, "") == keyed.key
    assert text[keyed.text_offset(at + 1):keyed.text_offset(at + len(term) - 1)] == (
        "Hashim THAÇI")
    assert bounded_name("hashim") not in key_text("Hashimov").bounded


def test_word_keys_are_memoised_within_a_limit() -> None:
    seen: list[str] = []

    def upper(word: str) -> str:
        seen.append(word)
        return word.upper()

    memo = _Memo(upper, 2)
    assert [memo[w] for w in ("a", "b", "a", "c", "a")] == ["A", "B", "A", "C", "A"]
    assert seen == ["a", "b", "c", "a"]  # full at "c": emptied, so "a" is computed again
    assert len(memo) <= 2
