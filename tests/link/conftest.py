"""A small registry of our own (not the dev set) for the matcher tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kartoteka.link.matcher import NameMatcher
from kartoteka.model import Entity, Name


def entity(id: str, schema: str, name: str, *aliases: str, weak: tuple[str, ...] = ()) -> Entity:
    names = [Name(a, "alias") for a in aliases] + [Name(w, "weak") for w in weak]
    return Entity(id, schema, name, names)


REGISTRY = [
    entity("wagner", "Organization", "Wagner Group", "PMC Wagner", "ЧВК Вагнер"),
    entity("wagner-college", "Organization", "Wagner College"),
    entity("prigozhin", "Person", "Yevgeny Prigozhin", "Евгений Пригожин",
           weak=("Putin's chef",)),
    entity("lavrov", "Person", "Sergei Lavrov", "Сергей Лавров"),
    entity("vucic", "Person", "Aleksandar Vučić", "Александар Вучић"),
    entity("thaci", "Person", "Hashim Thaçi", "Хашим Тачи"),
    entity("gaddafi", "Person", "Muammar Gaddafi", "Муаммар Каддафи"),
    entity("baghdadi", "Person", "Abu Bakr al-Baghdadi", "Абу Бакр аль-Багдади"),
    entity("zetas", "Organization", "Los Zetas", "Лос Сетас"),
    entity("sinaloa", "Organization", "Sinaloa Cartel", "Cártel de Sinaloa"),
    entity("hurras", "Organization", "Hurras al-Din", "Хуррас ад-Дин"),
    entity("qaeda", "Organization", "al-Qaeda", "Аль-Каида"),
    entity("jnim", "Organization", "Jama'at Nasr al-Islam wal-Muslimin"),
    entity("hts", "Organization", "Hayat Tahrir al-Sham", "HTS", "Хайят Тахрир аш-Шам"),
    entity("shabaab", "Organization", "al-Shabaab", "Harakat al-Shabaab al-Mujahideen"),
    entity("ansar-islam", "Organization", "Ansar al-Islam"),
    entity("houthis", "Organization", "Ansar Allah", "Houthis"),
    entity("jamaat-islami", "Organization", "Jamaat-e-Islami"),
    entity("tablighi", "Organization", "Tablighi Jamaat"),
    entity("grey-wolves", "Organization", "Grey Wolves", "Ülkü Ocakları", "Серые волки"),
    entity("kla", "Organization", "Kosovo Liberation Army", "Ushtria Çlirimtare e Kosovës"),
]


@pytest.fixture(scope="session")
def registry() -> list[Entity]:
    return list(REGISTRY)


@pytest.fixture(scope="session")
def matcher() -> NameMatcher:
    return NameMatcher.from_entities(REGISTRY)


@pytest.fixture(scope="session")
def make_entity() -> Callable[..., Entity]:
    return entity
