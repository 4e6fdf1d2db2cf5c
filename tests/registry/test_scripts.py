from __future__ import annotations

import pytest

from kartoteka.registry.scripts import name_language, name_script


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("Kosovo Liberation Army", "Latn"),
        ("Ushtria Çlirimtare e Kosovës", "Latn"),
        ("Армия освобождения Косова", "Cyrl"),
        ("هيئة تحرير الشام", "Arab"),
        ("Ελληνική Αστυνομία", "Grek"),
        ("ЧВК «Вагнер» (PMC)", "Cyrl"),  # mostly Cyrillic letters
        ("1999 — 2001", None),
    ],
)
def test_script_of_a_name(name: str, script: str | None) -> None:
    assert name_script(name) == script


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("Александар Вучић", "sr"),  # ћ is Serbian only
        ("Сергей Лавров", None),  # й is Russian, Ukrainian and Bulgarian alike
        ("Вооружённые силы", "ru"),
        ("Збройні сили України", "uk"),
        ("Узброеныя сілы", "be"),  # і with ы: Belarusian, not Ukrainian
        ("Лос Сетас", None),  # letters shared by Russian, Serbian, Bulgarian…
        ("سپاه پاسداران", "fa"),
        ("هيئة تحرير الشام", "ar"),
        ("Aleksandar Vučić", None),  # Latin: no guess
    ],
)
def test_language_only_where_letters_decide(name: str, language: str | None) -> None:
    assert name_language(name) == language
