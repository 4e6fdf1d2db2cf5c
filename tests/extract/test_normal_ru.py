"""Russian persons' names put back in the nominative when natasha left them inflected."""

from __future__ import annotations

import pytest

from kartoteka.extract.normal_ru import normal_person
from kartoteka.extract.spans import extend_name, trim_name


@pytest.mark.parametrize(("name", "normal"), [
    ("Амаду Куфы", "Амаду Куфа"),
    ("Амаду Куфой", "Амаду Куфа"),
    ("Мохаммеда Юсуфа", "Мохаммед Юсуф"),
    ("Гусмана", "Гусман"),
])
def test_an_inflected_name_is_put_in_the_nominative(name: str, normal: str) -> None:
    assert normal_person(name) == normal


@pytest.mark.parametrize("name", ["Хасан Насралла", "Абубакар Шекау", "Дмитрий Уткин",
                                  "Абу Бакр аль-Багдади", ""])
def test_a_name_that_may_be_nominative_is_left_alone(name: str) -> None:
    assert normal_person(name) == name


def test_stray_quotes_and_brackets_are_trimmed() -> None:
    assert trim_name("«Аль-Каида»") == "Аль-Каида"
    assert trim_name("(ИГИЛ") == "ИГИЛ"
    assert trim_name("«»") is None


@pytest.mark.parametrize(("text", "cut", "whole"), [
    ("led by Iyad Ag Ghaly, a Tuareg", "Iyad Ag", "Iyad Ag Ghaly"),
    ("killed Osama bin Laden in 2011", "Osama bin", "Osama bin Laden"),
    ("возглавляет Ияд Аг Гали.", "Ияд Аг", "Ияд Аг Гали"),
    ("met Osama bin.", "Osama bin", "Osama bin"),
    ("met Iyad Ghaly today", "Iyad Ghaly", "Iyad Ghaly"),
])
def test_a_name_cut_after_a_particle_is_completed(text: str, cut: str, whole: str) -> None:
    start = text.index(cut)
    assert text[start:extend_name(text, start, start + len(cut))] == whole


@pytest.mark.slow
def test_organisations_inflect_their_head_and_keep_its_complement() -> None:
    from kartoteka.extract.ner_ru import entities

    text = "Бойцы Группы Вагнера и ветераны Армии освобождения Косова, враги «Аль-Каиды»."
    normal = {text[e.start:e.end]: e.normal for e in entities(text)}
    assert normal["Группы Вагнера"] == "Группа Вагнера"
    assert normal["Армии освобождения Косова"] == "Армия освобождения Косова"
    assert normal["Аль-Каиды"] == "Аль-Каида"


def test_a_normal_form_that_only_drops_yo_is_no_normal_form() -> None:
    from kartoteka.extract.pipeline import Document, ExtractionResult

    result = ExtractionResult(Document("Бои за Артёмовск и Артёмовска."))
    kept = result.mention(7, 16, "LOC", "ner_ru", normal="Артемовск")
    inflected = result.mention(19, 29, "LOC", "ner_ru", normal="Артемовск")
    assert (kept.text, kept.normal) == ("Артёмовск", None)
    assert (inflected.text, inflected.normal) == ("Артёмовска", "Артемовск")
