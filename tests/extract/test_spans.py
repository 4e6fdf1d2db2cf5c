from __future__ import annotations

from kartoteka.extract.pipeline import LOCATION, ORGANIZATION, PERSON
from kartoteka.extract.spans import relabel, tidy


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


def relabelled(text: str, name: str, label: str) -> str:
    start = text.index(name)
    return relabel(text, start, start + len(name), label)


def test_a_name_after_a_title_is_a_person() -> None:
    assert relabelled("talks with President Vučić on Monday", "Vučić", LOCATION) == PERSON
    assert relabelled("the group's leader Iyad Ag Ghaly said", "Iyad Ag Ghaly",
                      ORGANIZATION) == PERSON
    assert relabelled("заявил лидер Амаду Куфа", "Амаду Куфа", ORGANIZATION) == PERSON


def test_an_office_or_country_after_a_title_keeps_its_label() -> None:
    # Real Russian news phrasing: the office's body or country follows the title.
    assert relabelled("Ранее глава МИД России Сергей Лавров", "МИД", ORGANIZATION) == ORGANIZATION
    assert relabelled("заявил глава Минобороны", "Минобороны", ORGANIZATION) == ORGANIZATION
    assert relabelled("сказал президент Франции", "Франции", LOCATION) == LOCATION
    assert relabelled("said the chief of the UN, chief UNHCR", "UNHCR", ORGANIZATION) == \
        ORGANIZATION
