"""The matcher against a registry of our own, one phenomenon per test."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from kartoteka.link.matcher import DEFAULT_THRESHOLD, MatchResult, NameMatcher
from kartoteka.model import Entity

MakeEntity = Callable[..., Entity]


def best_id(matcher: NameMatcher, query: str, schema: str | None = None) -> str | None:
    result = matcher.match(query, schema=schema)
    return result.best.id if result.best else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("HASHIM THACI", "thaci"),
        ("hashim thaçi", "thaci"),
        ("Aleksandar Vucic", "vucic"),
        ("ALEKSANDAR VUČIĆ", "vucic"),
    ],
)
def test_case_and_diacritics(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Evgeniy Prigozhin", "prigozhin"),
        ("Jewgeni Prigoschin", "prigozhin"),
        ("Evgueni Prigojine", "prigozhin"),
        ("Евгений Пригожин", "prigozhin"),
        ("Aleksandar Vuchich", "vucic"),  # Russian-style romanisation of Вучић
        ("Александр Вучич", "vucic"),  # Russian spelling of a Serbian name
        ("Хашим Тачи", "thaci"),
        ("Сергей Лавров", "lavrov"),
    ],
)
def test_cyrillic_and_romanisations(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Huras ad-Din", "hurras"),  # single consonant, sun-letter article
        ("Hurras el-Din", "hurras"),
        ("Horas al-Deen", "hurras"),  # ee / i
        ("al-Qaida", "qaeda"),
        ("Al Qa'ida", "qaeda"),  # apostrophe
        ("el-Kaida", "qaeda"),  # q / k
        ("Ash-Shabab", "shabaab"),  # assimilated article, single vowel
        ("Hayat Tahreer ash-Sham", "hts"),
        ("Moammar Qaddafi", "gaddafi"),  # q / g
        ("Muamar Kadhafi", "gaddafi"),  # dropped h, single consonant
        ("Abou Bakr al-Baghdadi", "baghdadi"),  # ou / u
        ("Abu Bakr el-Bagdadi", "baghdadi"),  # gh / g
    ],
)
def test_arabic_romanisation_variants(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Пригожина", "prigozhin"),
        ("Евгения Пригожина", "prigozhin"),
        ("«Аль-Каиды»", "qaeda"),
        ("ЧВК «Вагнера»", "wagner"),
        ("Серых волков", "grey-wolves"),
    ],
)
def test_russian_inflection(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Prigozhin Yevgeny", "prigozhin"),
        ("Lavrov, Sergei", "lavrov"),
        ("Baghdadi, Abu Bakr al-", "baghdadi"),
    ],
)
def test_word_order(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("the Sinaloa cartel", "sinaloa"),
        ("Cartel de Sinaloa", "sinaloa"),
        ("Sinaloa", "sinaloa"),
        ("Cartel of Los Setas", "zetas"),
        ("Zetas cartel", "zetas"),
        ("Grey Wolves movement", "grey-wolves"),
        ("al-Shabaab group", "shabaab"),
        ("Tahrir al-Sham", "hts"),  # hay'at is a class noun
        ("the Wagner Group", "wagner"),
    ],
)
def test_generic_extra_words(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("J.N.I.M.", "jnim"), ("JNIM", "jnim"), ("H.T.S.", "hts"), ("HTS", "hts")],
)
def test_acronyms(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Lavrov", "lavrov"),
        ("Лаврова", "lavrov"),
        ("Minister Lavrov", "lavrov"),
        ("S. Lavrov", "lavrov"),
        ("President Vučić", "vucic"),
        ("Prigozhin", "prigozhin"),
    ],
)
def test_person_name_forms(matcher: NameMatcher, query: str, expected: str) -> None:
    assert best_id(matcher, query) == expected


def test_surname_only_needs_an_unambiguous_registry(
    registry: list[Entity], make_entity: MakeEntity
) -> None:
    matcher = NameMatcher.from_entities(
        [*registry, make_entity("lavrov-v", "Person", "Vladimir Lavrov")]
    )
    assert best_id(matcher, "Lavrov") is None
    assert best_id(matcher, "President Lavrov") is None
    # Both stay visible as candidates, for an editor to choose.
    assert {c.id for c in matcher.match("Lavrov").candidates} >= {"lavrov", "lavrov-v"}
    # An initial that only one of them has, or the full name, decides.
    assert best_id(matcher, "S. Lavrov") == "lavrov"
    assert best_id(matcher, "V. Lavrov") == "lavrov-v"
    assert best_id(matcher, "Sergei Lavrov") == "lavrov"


def test_initials_shared_by_two_people_are_ambiguous(
    registry: list[Entity], make_entity: MakeEntity
) -> None:
    matcher = NameMatcher.from_entities(
        [*registry, make_entity("lavrov-s2", "Person", "Semyon Lavrov")]
    )
    assert best_id(matcher, "S. Lavrov") is None
    assert best_id(matcher, "Semyon Lavrov") == "lavrov-s2"


@pytest.mark.parametrize(
    ("query", "wrong"),
    [
        ("Ansar al-Islam", "houthis"),
        ("Ansar Allah", "ansar-islam"),
        ("Jamaat-e-Islami", "tablighi"),
        ("Tablighi Jamaat", "jamaat-islami"),
        ("Istanbul Wolf", "grey-wolves"),
        ("Wagner College", "wagner"),
        ("Wagner Group", "wagner-college"),
    ],
)
def test_look_alikes_stay_apart(matcher: NameMatcher, query: str, wrong: str) -> None:
    result = matcher.match(query)
    assert result.best is None or result.best.id != wrong
    scores = {c.id: c.score for c in result.candidates}
    assert scores.get(wrong, 0.0) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    "query",
    [
        "Istanbul Wolf",
        "Serbian Liberation Army",  # another place, same class nouns as the KLA
        "Gulf Cartel",
        "Sergei Shoigu",  # same given name as Lavrov
        "Yevgeny Lavrov",  # given name of one, surname of another
        "Ansar al-Sharia",
        "Al-Qaeda in the Islamic Maghreb",
        "Wagner Music Festival",
    ],
)
def test_unknown_names_resolve_to_nothing(matcher: NameMatcher, query: str) -> None:
    assert best_id(matcher, query) is None


def test_weak_alias_alone_never_links(matcher: NameMatcher) -> None:
    result = matcher.match("Putin's chef")
    assert result.best is None
    assert result.candidates[0].id == "prigozhin"
    assert result.candidates[0].matched_name == "Putin's chef"
    assert result.candidates[0].score < DEFAULT_THRESHOLD


def test_schema_filter(matcher: NameMatcher) -> None:
    assert best_id(matcher, "Wagner", schema="Organization") == "wagner"
    assert best_id(matcher, "Wagner", schema="Person") is None
    assert best_id(matcher, "Lavrov", schema="Organization") is None


def test_add_and_remove_update_the_index(
    registry: list[Entity], make_entity: MakeEntity
) -> None:
    matcher = NameMatcher.from_entities(registry)
    assert best_id(matcher, "Tren de Aragua") is None
    matcher.add(make_entity("aragua", "Organization", "Tren de Aragua", "Трен-де-Арагуа"))
    assert best_id(matcher, "Трен де Арагуа") == "aragua"
    matcher.remove("aragua")
    assert best_id(matcher, "Tren de Aragua") is None
    # Re-adding an id replaces its names rather than adding to them.
    matcher.add(make_entity("lavrov", "Person", "Sergey Viktorovich Lavrov"))
    assert best_id(matcher, "Сергей Лавров") == "lavrov"
    assert len(matcher) == len(registry)
    matcher.remove("no-such-id")  # removing an unknown id is harmless
    assert len(matcher) == len(registry)


def test_result_shape_and_ranking(matcher: NameMatcher) -> None:
    result = matcher.match("Wagner", limit=2)
    assert isinstance(result, MatchResult)
    data = json.loads(json.dumps(result.as_dict()))
    assert data["query"] == "Wagner"
    assert data["best"] == {"id": "wagner", "name": "Wagner Group", "schema": "Organization",
                            "score": result.candidates[0].score}
    assert len(data["candidates"]) == 2
    assert set(data["candidates"][0]) == {"id", "name", "schema", "score", "matched_name"}
    scores = [c["score"] for c in data["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_empty_and_unusable_queries(matcher: NameMatcher) -> None:
    for query in ("", "   ", "«»", "—"):
        result = matcher.match(query)
        assert result.best is None and result.candidates == []


FIELD_REGISTRY = [
    ("lavrov", "Person", "Sergey Lavrov"),
    ("ji", "Organization", "Jemaah Islamiyah"),
    ("jnim", "Organization", "Jama'at Nusrat al-Islam wal-Muslimin"),
    ("iswap", "Organization", "Islamic State West Africa Province"),
    ("is", "Organization", "Islamic State"),
    ("shabaab", "Organization", "al-Shabaab"),
    ("hts", "Organization", "Hayat Tahrir al-Sham"),
    ("nusra", "Organization", "Jabhat al-Nusra"),
    ("rosneft", "Company", "Rosneft Oil Company"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nusrat al-Islam", "jnim"),  # a short form of the full name
        ("Islamic State West Africa", "iswap"),
        ("Al Shebab", "shabaab"),
        ("Hei'at Tahrir al-Sham", "hts"),
        # "IG" is the Islamic State in Russian and German, "Wilayat" a province
        ("Wilayat IG West Africa", "iswap"),
        ("IS West Africa", "iswap"),
        # a company's short form, with or without its legal form
        ("Rosneft", "rosneft"),
        ("PJSC Rosneft", "rosneft"),
        ("Sergey Lavrov", "lavrov"),
        # false links that must resolve to nothing
        ("Sergei Lavrenov", None),
        ("Jamaat-e-Islami", None),
        ("Islamic State Sinai", None),
        ("Nusrat", None),  # one word shared by two short forms is not enough
        ("Wilayat Sinai", None),
        ("Rosneft Trading", None),  # another company of the group
        ("IS", None),  # an abbreviation alone is not expanded
    ],
)
def test_group_names_seen_in_the_field(make_entity: MakeEntity, query: str,
                                       expected: str | None) -> None:
    matcher = NameMatcher.from_entities(
        [make_entity(i, schema, name) for i, schema, name in FIELD_REGISTRY]
        + [make_entity("nusrat-front", "Organization", "Nusrat Front of Lebanon")]
    )
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Salman bin Muhammad al-Rawi", "son"),
        ("Muhammad bin Salman al-Rawi", None),  # the father, not the son reordered
        ("Wang Xiaoming", "wang"),  # the romanised Chinese name
        ("王小红", None),  # one character apart: another person
        ("Wang Xiaohong", None),
    ],
)
def test_descent_and_cjk_names(make_entity: MakeEntity, query: str, expected: str | None) -> None:
    matcher = NameMatcher.from_entities([
        make_entity("son", "Person", "Salman bin Muhammad al-Rawi"),
        make_entity("wang", "Person", "王小明"),
    ])
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Deutsche Bank Aktiengesellschaft", "db"),
        ("OAO Gazprom", "gazprom"),
        ("Open Joint Stock Company Gazprom", "gazprom"),
        ("OJSC Tactical Missiles Corporation", "tmc"),
        ("Deutsche Post AG", None),  # the legal form is no evidence of identity
        ("Iyad Ag Ghaly", "ghaly"),  # "Ag" inside a person's name is not a legal form
    ],
)
def test_legal_forms_neither_match_nor_mismatch(make_entity: MakeEntity, query: str,
                                                expected: str | None) -> None:
    matcher = NameMatcher.from_entities([
        make_entity("db", "Company", "Deutsche Bank AG"),
        make_entity("gazprom", "Company", "PAO Gazprom"),
        make_entity("tmc", "Company", "Tactical Missiles Corporation JSC"),
        make_entity("ghaly", "Person", "Iyad Ag Ghaly"),
    ])
    assert best_id(matcher, query) == expected


QUALIFIED_REGISTRY = [
    ("boc-hk", "Company", "Bank of China (Hong Kong) Limited", ("Bank of China",)),
    ("brigade-44", "Organization", "Brigade 44", ()),
    ("trust", "Company", "Mortgage Trust 2005-AR16", ()),
    ("kim-jong-un", "Person", "Kim Jong Un", ()),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bank of China (Hong Kong)", "boc-hk"),
        ("Bank of China (Hong Kong) Ltd", "boc-hk"),
        ("Brigade Forty 4", "brigade-44"),  # the same number in words
        ("Brigade Forty-Four", "brigade-44"),
        ("Mortgage Trust 2005 AR16", "trust"),
        ("Kim Jong-un", "kim-jong-un"),
        # another branch, number or series: another entity, even when an alias
        # without the qualifier fits word for word
        ("Bank of China (Singapore) Limited", None),
        ("Bank of China (Singapore)", None),
        ("Brigade 45", None),
        ("Brigade Forty 5", None),
        ("Mortgage Trust 2006-AR16", None),
        ("Kim Jong Il", None),  # one given-name syllable apart: his father
    ],
)
def test_qualifiers_numbers_and_series_weigh_both_ways(make_entity: MakeEntity, query: str,
                                                       expected: str | None) -> None:
    matcher = NameMatcher.from_entities(
        [make_entity(i, schema, name, *aliases) for i, schema, name, aliases in QUALIFIED_REGISTRY]
    )
    assert best_id(matcher, query) == expected


@pytest.mark.parametrize("query", ["Brigade ¹4", "0¹", "Brigade ①", "Unit " + "9" * 5000,
                                   "Бригада ٤٤"])
def test_digits_int_refuses_are_answered(matcher: NameMatcher, query: str) -> None:
    """Superscripts, circled digits and 5,000-digit runs are digits to isdigit() but
    not to int(): the matcher answers (a code, not a number), never raises."""
    result = matcher.match(query)
    assert result.best is None or result.best.score <= 1.0
