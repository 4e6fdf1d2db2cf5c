from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import pytest

from kartoteka.extract.linking import KeyedNameLinker, Linking, MatcherLinker
from kartoteka.extract.pipeline import Document, ExtractionResult
from kartoteka.model import Entity, Name

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
