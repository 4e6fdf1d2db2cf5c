from __future__ import annotations

from kartoteka.extract.countries import Countries, country_index, find_countries, flag_code
from kartoteka.extract.keyed import key_text


def codes(text: str) -> list[str]:
    return [m.code for m in find_countries(text, key_text(text))]


def test_names_demonyms_and_adjectives_in_english() -> None:
    assert codes("Serbian police met Kosovars in Kosovo; Russian and Turkish envoys, "
                 "Albanians and the United States.") == [
        "rs", "xk", "xk", "ru", "tr", "al", "us"]


def test_russian_inflected_forms() -> None:
    assert codes("Власти Сербии, сербский МИД, сербской армии, в Косове, «Российской "
                 "Федерации» и США") == ["rs", "rs", "rs", "xk", "ru", "us"]


def test_case_rules_keep_common_words_out() -> None:
    assert codes("let us go; turkey for dinner") == []
    assert codes("US and Turkey") == ["us", "tr"]
    assert codes("Того же дня в Мали") == ["ml"]


def test_longest_name_wins() -> None:
    assert codes("South Sudan and Sudan; the Democratic Republic of the Congo") == [
        "ss", "sd", "cd"]


def test_flags() -> None:
    text = "🇷🇸 Serbia | 🇽🇰 | 🇷🇺"
    found = find_countries(text, key_text(text))
    assert [(m.text, m.code) for m in found] == [("🇷🇸", "rs"), ("Serbia", "rs"),
                                                 ("🇽🇰", "xk"), ("🇷🇺", "ru")]
    assert flag_code("🇽🇽") is None


def test_spans_are_exact_and_labelled() -> None:
    text = "об Армии Сербии"
    (mention,) = find_countries(text, key_text(text))
    assert (text[mention.start:mention.end], mention.label) == ("Сербии", "COUNTRY")


def test_flags_beside_text_that_cannot_be_encoded() -> None:
    # A lone surrogate (a badly decoded source) must not hide or break the flags.
    assert codes("\ud800 🇷🇸 Serbia") == ["rs", "rs"]
    assert codes("\ud800 Serbia") == ["rs"]


def test_prepare_builds_the_term_index_before_the_first_document() -> None:
    country_index.cache_clear()
    Countries().prepare()
    assert country_index.cache_info().currsize == 1
    assert codes("Serbia") == ["rs"]
    assert country_index.cache_info().hits >= 1  # the first document found it built
