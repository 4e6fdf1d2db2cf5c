"""Stems: one stem for the word forms a reader expects to find together."""

from __future__ import annotations

import pytest

from kartoteka.text.stemming import prepare_word, stem_word, stem_words


@pytest.mark.parametrize(
    ("forms", "language"),
    [
        (["Ливия", "Ливии", "Ливию"], "ru"),
        (["боевик", "боевиков", "боевиками"], "ru"),
        (["Косово", "Косова", "Косову"], "ru"),
        (["attack", "attacks", "attacked", "attacking"], "en"),
        # A Russian article quoting English, and the other way round.
        (["attack", "attacks"], "ru"),
        (["боевик", "боевиков"], "en"),
    ],
)
def test_word_forms_share_one_stem(forms: list[str], language: str) -> None:
    assert len({stem_word(w, language) for w in forms}) == 1


def test_different_words_keep_different_stems() -> None:
    assert stem_word("Ливия", "ru") != stem_word("Литва", "ru")
    assert stem_word("attack", "en") != stem_word("attach", "en")


def test_unstemmed_language_only_folds() -> None:
    assert stem_word("Attaques", "fr") == "attaques"
    assert stem_word("Vučić", None) == "vucic"


def test_preparation_keeps_short_i_and_folds_yo() -> None:
    assert prepare_word("Ёжик") == "ежик"
    assert prepare_word("Йемен") == "йемен"
    assert prepare_word("Vučić") == "vucic"


def test_non_ascii_latin_word_is_only_unaccented_as_postgresql_does() -> None:
    # PostgreSQL sends a non-ASCII word to the Russian stemmer after unaccent.
    assert stem_word("Attaqués", "en") == "attaques"


def test_batch_equals_one_by_one() -> None:
    words = ["Ливии", "attacks", "Vučić", "боевиков", "Йемена"]
    for language in ("ru", "en", "fr"):
        assert stem_words(words, language) == [stem_word(w, language) for w in words]
