"""Statistical NER on real models (loaded once per session by their caches)."""

from __future__ import annotations

from kartoteka.extract.ner_en import EnglishNER
from kartoteka.extract.ner_ru import RussianNER
from kartoteka.extract.pipeline import Document, Pipeline


def names(pipeline: Pipeline, text: str, language: str) -> list[tuple[str, str]]:
    result = pipeline.run(Document(text, language))
    assert not result.errors
    return [(m.text, m.label) for m in result.mentions]


def test_english_ner_tidies_spans_and_maps_labels() -> None:
    found = names(Pipeline([EnglishNER()]),
                  "Russian Foreign Minister Sergei Lavrov’s talks in Belgrade with "
                  "the Kosovo Liberation Army veterans.", "en")
    assert ("Sergei Lavrov", "PER") in found
    assert ("Belgrade", "LOC") in found
    assert ("Kosovo Liberation Army", "ORG") in found
    assert all(label in ("PER", "ORG", "LOC") for _, label in found)


def test_a_title_makes_a_person() -> None:
    found = names(Pipeline([EnglishNER()]), "This week he met President Vučić.", "en")
    assert ("Vučić", "PER") in found


def test_russian_ner() -> None:
    found = names(Pipeline([RussianNER()]),
                  "Министр иностранных дел России Сергей Лавров прибыл в Белград.", "ru")
    assert ("Сергей Лавров", "PER") in found
    assert ("Белград", "LOC") in found


def test_models_run_only_on_their_language() -> None:
    pipeline = Pipeline([EnglishNER(), RussianNER()])
    assert names(pipeline, "Sergei Lavrov arrived in Belgrade.", "fr") == []
    assert names(pipeline, "Sergei Lavrov arrived in Belgrade.", "ru") == []
