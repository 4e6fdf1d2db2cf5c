from __future__ import annotations

import pytest

from kartoteka.link.analysis import analyse
from kartoteka.link.variants import another_name


def token(word: str):  # type: ignore[no-untyped-def]
    return analyse(word).tokens[0]


@pytest.mark.parametrize(("a", "b"), [("Lavrenov", "Lavrov"), ("Scholze", "Scholz"),
                                      ("Albanese", "Albano"), ("Jamaat", "Jemaah")])
def test_a_consonant_or_a_final_e_makes_another_name(a: str, b: str) -> None:
    assert another_name(token(a), token(b), True) and another_name(token(b), token(a), True)


@pytest.mark.parametrize(("a", "b", "person"), [
    ("Thachi", "Thaçi", True), ("Kouffa", "Koufa", True), ("Doku", "Dokka", True),
    ("Siraj", "Sirajuddin", True), ("Eddine", "Dine", False), ("Tigers", "Tiger", False),
    ("Лавров", "Lavrov", True),  # another script: transliteration is the rule, not a name
])
def test_spellings_of_one_name_are_not_another_name(a: str, b: str, person: bool) -> None:
    assert not another_name(token(a), token(b), person)
