from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

import pytest

from kartoteka.extract.link_context import LinkContext, outside
from kartoteka.extract.linking import KeyedNameLinker, Linking, MatcherLinker
from kartoteka.extract.pipeline import Document, ExtractionResult
from kartoteka.model import Entity, Name, Relation

ENTITIES = [Entity("prigozhin", "Person", "Yevgeny Prigozhin", [Name("Евгений Пригожин")]),
            Entity("kla", "Organization", "Kosovo Liberation Army")]
LABELS = {"prigozhin": "PER", "kla": "ORG"}


def test_keyed_name_linker_links_exact_keyed_names_only() -> None:
    linker = KeyedNameLinker(ENTITIES)
    assert linker.link("Евгением Пригожиным", "PER") == ("prigozhin", 1.0)
    assert linker.link("Prigozhin", "PER") == (None, 0.0)


def test_linking_resolves_mentions_and_takes_the_entity_label() -> None:
    text = "Yevgeny Prigozhin met the KLA. Later Prigozhin left."
    result = ExtractionResult(Document(text))
    result.mention(0, 17, "ORG", "ner_en")
    result.mention(26, 29, "ORG", "ner_en")
    result.mention(37, 46, "LOC", "ner_en")
    Linking(KeyedNameLinker(ENTITIES), LABELS)(result.document, result)
    assert [(m.text, m.label, m.entity_id) for m in result.mentions] == [
        ("Yevgeny Prigozhin", "PER", "prigozhin"), ("KLA", "ORG", None),
        ("Prigozhin", "PER", "prigozhin")]
    assert [m.text for m in result.candidates] == ["KLA"]


@dataclass
class Candidate:
    id: str
    name: str
    schema: str
    score: float
    matched_name: str


@dataclass
class Match:
    best: Candidate | None
    candidates: list[Candidate] = field(default_factory=list)


class SchemaRecordingMatcher:
    """Honours NameMatcher's interface; records the schema it was asked for."""

    def __init__(self) -> None:
        self.schemas: list[str | None] = []

    def match(self, name: str, schema: str | None = None, limit: int = 5) -> Match:
        self.schemas.append(schema)
        if name == "Hashim Thachi":
            return Match(Candidate("thaci", "Hashim Thaçi", "Person", 0.93, "Hashim Thaçi"))
        return Match(None)


def test_matcher_linker_maps_labels_to_schemas() -> None:
    matcher = SchemaRecordingMatcher()
    linker = MatcherLinker(matcher)
    assert linker.link("Hashim Thachi", "PER") == ("thaci", 0.93)
    assert linker.link("Somewhere", "LOC") == (None, 0.0)
    linker.link("Group", "ORG")
    # Nothing among Organizations: asked again without a schema.
    assert matcher.schemas == ["Person", None, "Organization", None]


class PersonOnlyMatcher(SchemaRecordingMatcher):
    """Finds Hashim Thachi only where Persons are searched, as the real matcher does."""

    def match(self, name: str, schema: str | None = None, limit: int = 5) -> Match:
        found = super().match(name, schema, limit)
        return found if schema in (None, "Person") else Match(None)


def test_matcher_linker_links_a_person_the_model_called_an_organisation() -> None:
    matcher = PersonOnlyMatcher()
    assert MatcherLinker(matcher).link("Hashim Thachi", "ORG") == ("thaci", 0.93)
    assert matcher.schemas == ["Organization", None]


@pytest.mark.skipif(importlib.util.find_spec("kartoteka.link.matcher") is None,
                    reason="kartoteka.link.matcher (issue 4) is not in this checkout yet")
def test_the_real_matcher_links_a_variant_spelling() -> None:
    linker = MatcherLinker.from_entities(
        [*ENTITIES, Entity("thaci", "Person", "Hashim Thaçi")])
    assert linker.link("Hashim Thachi", "PER")[0] == "thaci"


# Two groups with one name: the Iraqi Ansar al-Islam and Burkina Faso's Ansaroul Islam.
IRAQI = Entity("ansar-iq", "Organization", "Ansar al-Islam",
               [Name("Ansar al-Islam fi Kurdistan")], countries=["iq"])
BURKINABE = Entity("ansar-bf", "Organization", "Ansaroul Islam", [Name("Ansarul Islam")],
                   countries=["bf"])
BURKINA = frozenset({"bf"})
IRAQ = frozenset({"iq"})


def test_a_near_name_of_a_foreign_group_is_left_for_an_editor() -> None:
    linker = MatcherLinker.from_entities([IRAQI])  # the registry knows only the Iraqi group
    assert linker.link("Ansaroul Islam", "ORG") == ("ansar-iq", pytest.approx(0.9167))
    assert linker.link("Ansaroul Islam", "ORG", BURKINA) == (None, 0.0)
    assert linker.link("Ansaroul Islam", "ORG", IRAQ)[0] == "ansar-iq"
    # The group's own name is strong evidence, whatever the article's countries.
    assert linker.link("Ansar al-Islam", "ORG", BURKINA) == ("ansar-iq", 1.0)


def test_the_articles_countries_choose_between_two_groups_of_one_name() -> None:
    linker = MatcherLinker.from_entities([IRAQI, BURKINABE])
    assert linker.link("Ansar al-Islam", "ORG")[0] == "ansar-iq"
    assert linker.link("Ansar al-Islam", "ORG", BURKINA)[0] == "ansar-bf"
    assert linker.link("Ansar al-Islam", "ORG", IRAQ)[0] == "ansar-iq"
    assert linker.link("Ansaroul Islam", "ORG", BURKINA)[0] == "ansar-bf"


def test_linking_reads_the_countries_the_article_names() -> None:
    from kartoteka.extract.countries import Countries

    text = "Ansaroul Islam fighters attacked a convoy in northern Burkina Faso."
    result = ExtractionResult(Document(text))
    Countries()(result.document, result)
    result.mention(0, 14, "ORG", "ner_en")
    Linking(MatcherLinker.from_entities([IRAQI]), {"ansar-iq": "ORG"})(result.document, result)
    assert [c.code for c in result.countries] == ["bf"]
    assert [(m.text, m.entity_id) for m in result.mentions] == [("Ansaroul Islam", None)]


# --- co-mentioned entities and dates (issue 13) -----------------------------------------
# The same two groups with their active periods and registry neighbours.
IRAQI_DATED = Entity("ansar-iq", "Organization", "Ansar al-Islam",
                     [Name("Ansar al-Islam fi Kurdistan")], start_date="2001-12", end_date="2014")
BURKINABE_DATED = Entity("ansar-bf", "Organization", "Ansaroul Islam", [Name("Ansarul Islam")],
                         start_date="2016-12")
NEIGHBOURS = [Entity("jnim", "Organization", "Jama'at Nusrat al-Islam wal-Muslimin",
                     [Name("JNIM")]),
              Entity("is", "Organization", "Islamic State", [Name("ISIS")])]
RELATIONS = [Relation("r1", "UnknownLink", "ansar-bf", "jnim", "allied"),
             Relation("r2", "UnknownLink", "ansar-iq", "is", "affiliate")]


def _dated_linker() -> MatcherLinker:
    return MatcherLinker.from_entities([IRAQI_DATED, BURKINABE_DATED, *NEIGHBOURS], RELATIONS)


def test_a_co_mentioned_related_entity_chooses_between_two_groups_of_one_name() -> None:
    linker = _dated_linker()
    assert linker.link("Ansar al-Islam", "ORG")[0] == "ansar-iq"  # by name alone
    assert linker.link("Ansar al-Islam", "ORG", LinkContext(mentioned=frozenset({"jnim"})))[0] \
        == "ansar-bf"
    assert linker.link("Ansarul Islam", "ORG", LinkContext(mentioned=frozenset({"is"})))[0] \
        == "ansar-iq"
    # An unrelated co-mention changes nothing.
    assert linker.link("Ansarul Islam", "ORG", LinkContext(mentioned=frozenset({"x"})))[0] \
        == "ansar-bf"


def test_the_articles_date_chooses_between_two_groups_of_one_name() -> None:
    linker = _dated_linker()
    # In 2023 the Iraqi group (until 2014) is gone: the Sahelian one is meant.
    assert linker.link("Ansar al-Islam", "ORG", LinkContext(date="2023-05-02"))[0] == "ansar-bf"
    # In 2008 the Burkinabe group (from December 2016) did not exist yet.
    assert linker.link("Ansarul Islam", "ORG", LinkContext(date="2008-01-10"))[0] == "ansar-iq"
    # Both dated in, or neither: the name decides.
    assert linker.link("Ansarul Islam", "ORG", LinkContext(date="2030-01-01"))[0] == "ansar-bf"
    assert linker.link("Ansar al-Islam", "ORG", LinkContext(date="2012-06-01"))[0] == "ansar-iq"


def test_a_dated_out_entity_with_no_rival_still_links() -> None:
    """A 2023 article may recall the Iraqi group: with no other candidate, it links."""
    linker = MatcherLinker.from_entities([IRAQI_DATED])
    assert linker.link("Ansar al-Islam", "ORG", LinkContext(date="2023-05-02"))[0] == "ansar-iq"


def test_a_look_alike_is_never_linked_by_context() -> None:
    """Context chooses among near names; it never lifts a look-alike over the cap."""
    lavrov = Entity("lavrov", "Person", "Sergey Lavrov", countries=["ru"])
    mfa = Entity("mfa", "Organization", "Ministry of Foreign Affairs of Russia", countries=["ru"])
    linker = MatcherLinker.from_entities(
        [lavrov, mfa], [Relation("r", "Membership", "lavrov", "mfa", "minister")])
    context = LinkContext(countries=frozenset({"ru"}), mentioned=frozenset({"mfa"}))
    assert linker.link("Sergei Lavrenov", "PER", context) == (None, 0.0)
    assert linker.link("Sergei Lavrov", "PER", context)[0] == "lavrov"


def test_active_periods_compare_at_their_own_precision() -> None:
    assert not outside("2017-03-15", "2017-03", None)
    assert not outside("2017-03-15", "2017", "2017")
    assert outside("2017-02-28", "2017-03", None)
    assert outside("2015-01-01", None, "2014")
    assert not outside("2014-12-31", None, "2014")


def test_linking_reads_co_mentions_and_the_date_from_the_article() -> None:
    text = "Ansar al-Islam claimed the attack; JNIM denied any part in it."
    labels = {"ansar-iq": "ORG", "ansar-bf": "ORG", "jnim": "ORG", "is": "ORG"}

    def run(metadata: dict[str, object], with_jnim: bool) -> list[tuple[str, str | None]]:
        result = ExtractionResult(Document(text, metadata=metadata))
        result.mention(0, 14, "ORG", "ner_en")
        if with_jnim:
            result.mention(35, 39, "ORG", "ner_en")
        Linking(_dated_linker(), labels)(result.document, result)
        return [(m.text, m.entity_id) for m in result.mentions]

    assert run({}, with_jnim=False) == [("Ansar al-Islam", "ansar-iq")]
    assert run({}, with_jnim=True) == [("Ansar al-Islam", "ansar-bf"), ("JNIM", "jnim")]
    assert run({"date": "2023-05-02"}, with_jnim=False) == [("Ansar al-Islam", "ansar-bf")]
    assert run({"date": "2010-05-02"}, with_jnim=False) == [("Ansar al-Islam", "ansar-iq")]


def test_two_entities_of_exactly_one_name_need_context() -> None:
    """Homonyms score alike by name: context tells them apart, or nothing links."""
    iraqi = Entity("ansar-iq", "Organization", "Ansar al-Islam", countries=["iq"],
                   end_date="2014")
    sahelian = Entity("ansar-bf", "Organization", "Ansar al-Islam", countries=["bf"],
                      start_date="2016-12")
    linker = MatcherLinker.from_entities(
        [iraqi, sahelian, *NEIGHBOURS], [Relation("r", "UnknownLink", "ansar-iq", "is", "ally")])
    assert linker.link("Ansar al-Islam", "ORG") == (None, 0.0)
    assert linker.link("Ansar al-Islam", "ORG", BURKINA)[0] == "ansar-bf"
    assert linker.link("Ansar al-Islam", "ORG", IRAQ)[0] == "ansar-iq"
    assert linker.link("Ansar al-Islam", "ORG", LinkContext(date="2020-01-01"))[0] == "ansar-bf"
    assert linker.link("Ansar al-Islam", "ORG", LinkContext(date="2010-01-01"))[0] == "ansar-iq"
    assert linker.link("Ansar al-Islam", "ORG",
                       LinkContext(mentioned=frozenset({"is"})))[0] == "ansar-iq"
