from __future__ import annotations

from kartoteka.text.language import detect_language


def test_english_with_slavic_names_is_english() -> None:
    text = "President Aleksandar Vučić met Sergei Lavrov in Belgrade to discuss Kosovo."
    assert detect_language(text) == "en"


def test_russian_and_serbian_cyrillic_are_told_apart() -> None:
    assert detect_language("Министр иностранных дел России прибыл в Белград с визитом") == "ru"
    assert detect_language("Председник Србије Александар Вучић састао се са министром") == "sr"


def test_other_languages_and_too_little_text() -> None:
    assert detect_language("Le ministre a dit que la guerre est finie depuis longtemps") == "fr"
    assert detect_language("ok") is None
    assert detect_language("Привет мир") == "ru"
