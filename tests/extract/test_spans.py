from __future__ import annotations

from kartoteka.extract.spans import tidy


def tidied(text: str, name: str) -> str | None:
    start = text.index(name)
    span = tidy(text, start, start + len(name))
    return text[span[0]:span[1]] if span else None


def test_a_capital_the_inside_a_sentence_belongs_to_the_name() -> None:
    assert tidied("judges in The Hague ruled", "The Hague") == "The Hague"
    assert tidied("He joined the Kosovo Liberation Army", "the Kosovo Liberation Army") == \
        "Kosovo Liberation Army"
    assert tidied("The KLA fought. The Islamic State's fighters", "The Islamic State's") == \
        "Islamic State"
    assert tidied("The KLA fought on", "The KLA") == "KLA"
    assert tidied("«The Base» said", "The Base") == "Base"
