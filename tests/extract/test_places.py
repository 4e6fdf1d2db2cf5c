"""The place index relabels NER's places and surnames, in English and Russian."""

from __future__ import annotations

import pytest

from kartoteka.extract.pipeline import CountryMention, Document, ExtractionResult, Pipeline
from kartoteka.extract.places import Places, place_keys, small_towns
from kartoteka.extract.standard import standard_pipeline
from kartoteka.model import Mention


def relabelled(text: str, spans: list[tuple[str, str, str | None]],
               entity: str | None = None, countries: tuple[str, ...] = ()
               ) -> list[tuple[str, str]]:
    """Run Places over hand-made mentions (text, label, normal) found in ``text``,
    in an article that names ``countries``."""
    result = ExtractionResult(Document(text))
    result.countries = [CountryMention("", 0, 0, c, "LOC", "countries", code=c)
                        for c in countries]
    position = 0
    for name, label, normal in spans:
        start = text.index(name, position)
        position = start + len(name)
        result.mentions.append(Mention("", start, position, name, label, "ner_en",
                                       entity_id=entity, normal=normal))
    Places()(result.document, result)
    return [(m.text, m.label) for m in result.mentions]


def test_the_index_holds_subdivisions_towns_and_regions_in_both_languages() -> None:
    keys = place_keys()
    assert {"tamaulipas", "djenne", "sahel", "kidal", "идлиб", "сахель",
            "автономная республика крым"} <= keys
    assert not {"dicko", "prigozhin", "hezbollah", "пригожин"} & keys


def test_persons_and_organisations_that_are_places_become_places() -> None:
    text = "The war for Tamaulipas reached Djenné and the Sahel."
    assert relabelled(text, [("Tamaulipas", "PER", None), ("Djenné", "ORG", None),
                             ("Sahel", "PER", None)]) == [
        ("Tamaulipas", "LOC"), ("Djenné", "LOC"), ("Sahel", "LOC")]


def test_russian_places_by_normal_form_and_by_romanisation() -> None:
    text = "Бои в Сахеле и в штате Тамаулипас."
    assert relabelled(text, [("Сахеле", "PER", "Сахель"), ("Тамаулипас", "ORG", None)]) == [
        ("Сахеле", "LOC"), ("Тамаулипас", "LOC")]


def test_a_surname_taken_for_a_place_becomes_a_person() -> None:
    text = "Imam Mahmoud Dicko spoke. Dicko left for Bamako."
    assert relabelled(text, [("Mahmoud Dicko", "PER", None), ("Dicko", "LOC", None),
                             ("Bamako", "LOC", None)]) == [
        ("Mahmoud Dicko", "PER"), ("Dicko", "PER"), ("Bamako", "LOC")]


def test_a_surname_that_is_also_a_town_stays_a_person() -> None:
    # Kufa is a town in Iraq; here it is Amadou Koufa's surname.
    text = "Амаду Куфа выступил. Люди Куфы ушли."
    assert relabelled(text, [("Амаду Куфа", "PER", None), ("Куфы", "PER", "Куфа")]) == [
        ("Амаду Куфа", "PER"), ("Куфы", "PER")]
    assert relabelled("Люди Куфы ушли.", [("Куфы", "PER", "Куфа")]) == [("Куфы", "LOC")]


def test_names_the_text_calls_places_become_places() -> None:
    """A kind of place before or after the name, or a feature word closing it:
    forests and villages are in no list of towns."""
    text = ("Girls were taken from the town of Chibok to the Sambisa forest; "
            "the army entered Sambisa Forest and the village of Kawuri.")
    assert relabelled(text, [("Chibok", "ORG", None), ("Sambisa", "ORG", None),
                             ("Sambisa Forest", "ORG", None), ("Kawuri", "PER", None)]) == [
        ("Chibok", "LOC"), ("Sambisa", "LOC"), ("Sambisa Forest", "LOC"), ("Kawuri", "LOC")]
    russian = "Школьниц увезли в лес Самбиса, а потом в город Чибок."
    assert relabelled(russian, [("Самбиса", "ORG", None), ("Чибок", "ORG", None)]) == [
        ("Самбиса", "LOC"), ("Чибок", "LOC")]


def test_names_near_other_words_stay_what_they_were() -> None:
    text = ("The Islamic State of Iraq claimed it; Boko Haram fighters and the Forest "
            "Brigade left in 2014. В 2014 г. ИГИЛ и «Вагнер» ушли.")
    spans = [("Islamic State of Iraq", "ORG", None), ("Boko Haram", "ORG", None),
             ("Forest Brigade", "ORG", None), ("ИГИЛ", "ORG", None), ("Вагнер", "ORG", None)]
    assert relabelled(text, spans) == [(name, label) for name, label, _ in spans]


@pytest.mark.slow  # loads 170,000 towns: a few seconds
def test_a_smaller_town_counts_only_in_a_country_the_article_names() -> None:
    """Chibok has no population on record (not in cities15000); Wagner is a town in
    Brazil and the United States, and a group in Mali."""
    assert {"ng"} <= small_towns()["chibok"] and "br" in small_towns()["wagner"]
    text = "Fighters abducted schoolgirls from Chibok. Wagner arrived later."
    spans: list[tuple[str, str, str | None]] = [("Chibok", "ORG", None),
                                                ("Wagner", "ORG", None)]
    assert relabelled(text, spans, countries=("ng", "ml")) == [
        ("Chibok", "LOC"), ("Wagner", "ORG")]
    assert relabelled(text, spans) == [("Chibok", "ORG"), ("Wagner", "ORG")]
    assert relabelled("Чибока нет. ЧИБОК", [("Чибока", "PER", "Чибок"), ("ЧИБОК", "ORG", None)],
                      countries=("ng",)) == [("Чибока", "LOC"), ("ЧИБОК", "ORG")]


def test_linked_mentions_keep_the_registry_label() -> None:
    text = "The Sinaloa leadership met."
    assert relabelled(text, [("Sinaloa", "ORG", None)], entity="sinaloa") == [
        ("Sinaloa", "ORG")]


@pytest.fixture(scope="module")
def no_registry() -> Pipeline:
    return standard_pipeline([], cache=False)


@pytest.mark.slow
def test_english_pipeline_places_and_whole_names(no_registry: Pipeline) -> None:
    text = ("The coalition is led by Iyad Ag Ghaly, a Tuareg from the Kidal region. "
            "The fight for Tamaulipas went on. The imam Mahmoud Dicko led protests in "
            "Bamako. Dicko later left.")
    found = {(m.text, m.label) for m in no_registry.run(Document(text, "en")).mentions}
    assert {("Iyad Ag Ghaly", "PER"), ("Tamaulipas", "LOC"), ("Mahmoud Dicko", "PER"),
            ("Dicko", "PER"), ("Bamako", "LOC")} <= found
    assert not {("Iyad Ag", "PER"), ("Tamaulipas", "PER"), ("Dicko", "LOC")} & found


@pytest.mark.slow
def test_russian_pipeline_places_and_normal_forms(no_registry: Pipeline) -> None:
    text = "Боевики «Аль-Каиды» действуют в Сахеле. Люди Амаду Куфы напали на Кидаль."
    found = {(m.text, m.label, m.normal) for m in
             no_registry.run(Document(text, "ru")).mentions}
    assert ("Аль-Каиды", "ORG", "Аль-Каида") in found
    assert ("Сахеле", "LOC", "Сахель") in found
    assert ("Амаду Куфы", "PER", "Амаду Куфа") in found
    assert ("Кидаль", "LOC", None) in found


@pytest.mark.slow
def test_pipeline_places_of_the_boko_haram_story(no_registry: Pipeline) -> None:
    """The demo's article: the small model says ORG for both."""
    english = ("On 14 April 2014 its fighters abducted 276 schoolgirls from the town of "
               "Chibok in Nigeria. In May 2021 ISWAP overran Shekau's positions in the "
               "Sambisa forest.")
    found = {(m.text, m.label) for m in no_registry.run(Document(english, "en")).mentions}
    assert {("Chibok", "LOC"), ("Sambisa", "LOC")} <= found
    russian = "Боевики похитили 276 школьниц из Чибока в Нигерии. Шекау погиб в лесу Самбиса."
    found = {(m.text, m.label) for m in no_registry.run(Document(russian, "ru")).mentions}
    assert {("Чибока", "LOC"), ("Самбиса", "LOC")} <= found
