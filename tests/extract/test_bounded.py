"""Bounded NER input: junk stretches dropped, offsets mapped back, work capped per article."""

from __future__ import annotations

import pytest

from kartoteka.extract.bounded import (
    KEEP_PUNCTUATION,
    LONGEST_TOKEN,
    Bounds,
    Entity,
    bound,
    read_pieces,
)
from kartoteka.extract.ner_en import EnglishNER
from kartoteka.extract.ner_ru import RussianNER
from kartoteka.extract.pipeline import Document, Pipeline

NAMES = ("Sergei Lavrov", "Hashim Thaçi")


def test_runs_of_punctuation_are_cut_to_their_first_characters() -> None:
    text = "Lavrov " + ">" * 50 + " met Thaçi " + "!?" * 10
    bounded = bound(text)
    assert bounded.text == "Lavrov " + ">" * KEEP_PUNCTUATION + " met Thaçi " + "!?!"
    assert not bounded.truncated


def test_a_long_stretch_without_spaces_keeps_its_start() -> None:
    text = "see " + "a>" * 100 + " Pristina"
    bounded = bound(text)
    assert bounded.text == "see " + ("a>" * 100)[:LONGEST_TOKEN] + " Pristina"


def test_every_word_maps_back_to_its_offset_in_the_body() -> None:
    text = ("<<<<<<<< Sergei Lavrov >>>>>>>>>>>> met " + "x" * 200 + " Hashim Thaçi"
            + "." * 300 + " in Pristina")
    bounded = bound(text)
    for word in ("Sergei", "Lavrov", "met", "Hashim", "Thaçi", "Pristina"):
        start = bounded.text.index(word)
        assert text[bounded.original(start):bounded.original(start + len(word))] == word


def test_a_long_text_is_cut_where_a_line_ends() -> None:
    text = "\n".join(f"Line {i} names nobody in particular." for i in range(1000))
    bounded = bound(text, max_chars=5_000)
    assert bounded.truncated
    assert len(bounded.text) <= 5_000 and bounded.text.endswith("\n")
    pieces = list(bounded.pieces(1_000))
    assert "".join(p.text for p in pieces) == bounded.text
    assert all(len(p.text) <= 1_000 and p.text.endswith("\n") for p in pieces)


def _capitalised(text: str) -> list[Entity]:
    """A stand-in model for the budget's bookkeeping: every capitalised word is a PER."""
    found, start = [], 0
    for word in text.split(" "):
        if word[:1].isupper():
            found.append(Entity(start, start + len(word), "PER"))
        start += len(word) + 1
    return found


def test_an_overrun_budget_keeps_what_was_found_and_says_what_was_not_read() -> None:
    text = "Lavrov spoke. " * 10 + "Thaçi answered. " * 10
    ticks = iter(range(100))
    found, warning = read_pieces(bound(text), _capitalised, budget_seconds=0.5,
                                 piece_chars=140, clock=lambda: float(next(ticks)))
    assert [text[s:e] for s, e, *_ in found] == ["Lavrov"] * 10
    assert warning is not None and "time budget of 0.5 s ran out" in warning
    assert f"after character 140 of {len(text)}" in warning


def _punctuation_article() -> str:
    """About 100 KB: names around runs that cost spaCy minutes before they were bounded."""
    junk = ">" * 20_000 + " " + "a>" * 5_000 + "\n" + "<>" * 5_000 + "\n"
    text = f"{NAMES[0]} arrived in Belgrade.\n" + junk * 3 + f"{NAMES[1]} spoke in Pristina.\n"
    assert len(text) > 100_000
    return text


@pytest.mark.slow
def test_a_100kb_article_of_punctuation_runs_is_extracted() -> None:
    text = _punctuation_article()
    results = list(Pipeline([EnglishNER()]).run_many(
        [Document(text, "en", "junk"), Document("Sergei Lavrov left.", "en", "next")]))
    assert {*NAMES, "Belgrade", "Pristina"} <= {m.text for m in results[0].mentions}
    assert all(text[m.start:m.end] == m.text for m in results[0].mentions)
    assert not results[0].errors
    assert [(m.text, m.label) for m in results[1].mentions] == [(NAMES[0], "PER")]


@pytest.mark.slow
def test_a_model_that_runs_out_of_time_reports_it_on_that_article_only() -> None:
    long = "Sergei Lavrov spoke in Belgrade. " * 200
    ner = EnglishNER(bounds=Bounds(budget_seconds=0.0, piece_chars=1_000))
    results = list(Pipeline([ner]).run_many(
        [Document(long, "en", "long"), Document("Hashim Thaçi spoke.", "en", "short")]))
    assert results[0].mentions and results[0].mentions[-1].end <= 1_000
    assert [e.component for e in results[0].errors] == ["ner_en"]
    assert "time budget" in results[0].errors[0].message
    assert results[0].errors[0].document_id == "long"
    assert [m.text for m in results[1].mentions] == [NAMES[1]]
    assert not results[1].errors


@pytest.mark.slow
def test_russian_ner_reads_the_same_bounded_text() -> None:
    text = "Сергей Лавров прибыл в Белград." + "»" * 30_000 + " Хашим Тачи выступил в Приштине."
    result = Pipeline([RussianNER()]).run(Document(text, "ru"))
    assert {"Сергей Лавров", "Хашим Тачи"} <= {m.text for m in result.mentions}
    assert all(text[m.start:m.end] == m.text for m in result.mentions)
