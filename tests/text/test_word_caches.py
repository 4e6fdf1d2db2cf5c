"""Story terms and search forms remember each word as written; answers never depend on it.

A word seen before is looked up, not decided and stemmed again.  The answer
for a text must be the one a fresh process gives, whatever came before it,
and also once the remembered words are dropped to start afresh.
"""

from __future__ import annotations

import pytest

from kartoteka.text import search_forms, story_terms
from kartoteka.text.search_forms import exact_forms, indexed_text
from kartoteka.text.story_terms import story_terms as terms_of

TEXTS = [
    ("Bank of the River", "The Bank said the river bank flooded. Vučić visited Ливия, "
                          "Ливии and Ливию; 25 people and 5 boats. The the and of."),
    ("river bank", "the bank of the river bank was quiet; nobody from the Bank came. "
                   "vucic said nothing about ливия in 2024."),
    ("", "Короче: ЁЛКИ, ёлки и елки. Ёжик_в_тумане F16 ак47 ſ ǅ ﬁne café CAFÉ."),
]


def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(story_terms, "_words", story_terms._Words())
    monkeypatch.setattr(search_forms, "_EXACT", {})


def answers(title: str, body: str) -> tuple[object, ...]:
    text = f"{title}\n{body}"
    return (terms_of(title, body), indexed_text(text, "en"), indexed_text(text, "ru"),
            indexed_text(text, None), exact_forms(search_forms.words(text)))


def test_a_text_gets_the_same_answer_whatever_came_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cold = []
    for title, body in TEXTS:
        fresh(monkeypatch)
        cold.append(answers(title, body))
    fresh(monkeypatch)
    for _ in range(2):  # in order, then again with every word known
        assert [answers(title, body) for title, body in TEXTS] == cold
    for title, body in reversed(TEXTS):
        assert answers(title, body) == cold[TEXTS.index((title, body))]


def test_names_are_words_written_with_a_capital_in_this_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh(monkeypatch)
    capital = terms_of("", "Bank Bank Bank river river river")
    lower = terms_of("", "bank bank bank river river river")
    # "Bank" was a name in the first text only: it outweighs "river" there alone.
    assert list(capital) == ["bank", "river"]
    assert list(lower) == ["river", "bank"]


def test_answers_hold_when_the_remembered_words_are_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh(monkeypatch)
    expected = [answers(title, body) for title, body in TEXTS]
    monkeypatch.setattr(story_terms._Words, "HELD", 3)
    monkeypatch.setattr(search_forms, "_EXACT_HELD", 3)
    for _ in range(3):
        assert [answers(title, body) for title, body in TEXTS] == expected
    assert 0 < len(story_terms._words.stems) < 30  # started afresh (43 words in all)
