"""Linking mentions to registry entities through a :class:`Linker`.

The real linker is the transliteration-aware name matcher
(:mod:`kartoteka.link.matcher`); :class:`MatcherLinker` adapts it and
imports it only when built, so extraction works in a checkout without it.
:class:`KeyedNameLinker` is the fallback: exact match of keyed names, i.e.
what the gazetteer already finds, offered for NER spans too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from kartoteka.extract.keyed import key_name
from kartoteka.extract.pipeline import (
    NAME_LABELS,
    ORGANIZATION,
    PERSON,
    Document,
    ExtractionResult,
)
from kartoteka.model import Entity, Mention

SCHEMAS = {PERSON: "Person", ORGANIZATION: "Organization"}
SURNAME_CONFIDENCE = 0.9


class Linker(Protocol):
    def link(self, text: str, label: str) -> tuple[str | None, float]:
        """The entity id a mention refers to (or None) and the score."""
        ...


class MatcherLinker:
    """Adapts ``kartoteka.link.matcher.NameMatcher`` to :class:`Linker`.

    PER searches Persons, ORG Organizations, then every schema if that found
    nothing; LOC searches every schema.  The matcher's threshold decides.
    """

    name = "matcher"

    def __init__(self, matcher: Any) -> None:
        self.matcher = matcher

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> MatcherLinker:
        from kartoteka.link.matcher import NameMatcher  # type: ignore[import-not-found,unused-ignore]

        return cls(NameMatcher.from_entities(list(entities)))

    def link(self, text: str, label: str) -> tuple[str | None, float]:
        schema = SCHEMAS.get(label)
        best = self.matcher.match(text, schema=schema, limit=5).best
        if best is None and schema is not None:
            # Small models swap persons and organisations ("Hashim Thachi"/ORG);
            # the registry knows the schema, so ask it without one.
            best = self.matcher.match(text, schema=None, limit=5).best
        if best is None:
            return None, 0.0
        return str(best.id), float(best.score)


class KeyedNameLinker:
    """Links a name only when its key equals one entity's name key exactly."""

    name = "keyed-names"

    def __init__(self, entities: Iterable[Entity]) -> None:
        owners: dict[str, set[str]] = {}
        for entity in entities:
            names = [entity.name] + [n.value for n in entity.names if n.kind != "weak"]
            for name in names:
                owners.setdefault(key_name(name), set()).add(entity.id)
        self._ids = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1}

    def link(self, text: str, label: str) -> tuple[str | None, float]:
        entity_id = self._ids.get(key_name(text))
        return (entity_id, 1.0) if entity_id else (None, 0.0)


def available_linker(entities: Iterable[Entity]) -> Linker:
    """The matcher when this checkout has it, else the keyed-name fallback."""
    entities = list(entities)
    try:
        return MatcherLinker.from_entities(entities)
    except ImportError:
        return KeyedNameLinker(entities)


class Linking:
    """Sends every unresolved person, organisation and place mention to the linker.

    Mentions it cannot resolve stay with ``entity_id=None``: candidates.
    """

    name = "linking"
    produces = ("mentions",)

    def __init__(self, linker: Linker, entity_labels: Mapping[str, str] | None = None) -> None:
        self.linker = linker
        # A linked mention takes its entity's label: the registry knows better
        # than a small model that "Hashim Thachi" is a person.
        self.entity_labels = entity_labels or {}
        self._seen: dict[tuple[str, str], tuple[str | None, float]] = {}

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        linked = []
        for mention in result.mentions:
            if mention.entity_id is None and mention.label in NAME_LABELS:
                key = (mention.text, mention.label)
                if key not in self._seen:
                    if len(self._seen) > 100_000:
                        self._seen.clear()
                    self._seen[key] = self.linker.link(mention.text, mention.label)
                entity_id, score = self._seen[key]
                if entity_id is not None:
                    label = self.entity_labels.get(entity_id, mention.label)
                    mention = replace(mention, entity_id=entity_id, confidence=score, label=label)
            linked.append(mention)
        result.mentions = by_surname(linked, self.entity_labels)


def by_surname(mentions: list[Mention], entity_labels: Mapping[str, str]) -> list[Mention]:
    """Link a lone surname to the person named in full in the same article.

    News names a person once in full ("Yevgeny Prigozhin") and then by
    surname ("Prigozhin", «Пригожина»); within one article that is the same
    person, whatever label the model gave the surname.  Surnames shared by
    two linked people in the article stay unresolved.
    """
    owners: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.entity_id and entity_labels.get(mention.entity_id) == PERSON:
            words = key_name(mention.text).split()
            if len(words) > 1:
                owners.setdefault(words[-1], set()).add(mention.entity_id)
    if not owners:
        return mentions
    resolved = []
    for mention in mentions:
        if mention.entity_id is None and mention.label in NAME_LABELS:
            ids = owners.get(key_name(mention.text), set())
            if len(ids) == 1:
                mention = replace(mention, entity_id=next(iter(ids)), label=PERSON,
                                  confidence=SURNAME_CONFIDENCE)
        resolved.append(mention)
    return resolved
