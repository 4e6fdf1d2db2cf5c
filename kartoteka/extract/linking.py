"""Linking mentions to registry entities through a :class:`Linker`.

The linker is the transliteration-aware name matcher
(:mod:`kartoteka.link.matcher`), adapted by :class:`MatcherLinker`.
:class:`KeyedNameLinker` links exact keyed names only (what the gazetteer
already finds): a cheap, predictable linker for tests and baselines, never
a silent stand-in for the matcher.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from kartoteka import schemata
from kartoteka.extract.keyed import key_name
from kartoteka.extract.pipeline import (
    NAME_LABELS,
    ORGANIZATION,
    PERSON,
    Document,
    ExtractionResult,
)
from kartoteka.link.matcher import NameMatcher
from kartoteka.model import Entity, Mention

#: The schema a mention label searches first (kartoteka.schemata names them).
SCHEMAS = {PERSON: schemata.PERSON, ORGANIZATION: schemata.ORGANIZATION}
SURNAME_CONFIDENCE = 0.9
#: A match this good is the entity's own name: strong evidence whatever the context.
EXACT = 0.99
#: How far below the best an entity of the article's countries may score and win,
#: and the least it must score (a little under the matcher's linking threshold).
CONTEXT_MARGIN = 0.1
CONTEXT_MIN = 0.7

NO_CONTEXT: frozenset[str] = frozenset()


class Linker(Protocol):
    def link(self, text: str, label: str,
             context: frozenset[str] = NO_CONTEXT) -> tuple[str | None, float]:
        """The entity id a mention refers to (or None) and the score.

        ``context`` holds the country codes the article names.
        """
        ...


class MatcherLinker:
    """Adapts ``kartoteka.link.matcher.NameMatcher`` to :class:`Linker`.

    PER searches Persons, ORG Organizations, then every schema if that found
    nothing; LOC searches every schema.  The matcher's threshold decides, and
    then the article's countries (see :meth:`in_context`).
    """

    name = "matcher"

    def __init__(self, matcher: Any,
                 countries: Mapping[str, Iterable[str]] | None = None) -> None:
        self.matcher = matcher
        self.countries = {k: frozenset(v) for k, v in (countries or {}).items()}

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> MatcherLinker:
        entities = list(entities)
        return cls(NameMatcher.from_entities(entities), {e.id: e.countries for e in entities})

    def link(self, text: str, label: str,
             context: frozenset[str] = NO_CONTEXT) -> tuple[str | None, float]:
        schema = SCHEMAS.get(label)
        result = self.matcher.match(text, schema=schema, limit=5)
        if result.best is None and schema is not None:
            # Small models swap persons and organisations ("Hashim Thachi"/ORG);
            # the registry knows the schema, so ask it without one.
            result = self.matcher.match(text, schema=None, limit=5)
        if result.best is None:
            return None, 0.0
        chosen = self.in_context(result.best, result.candidates, context)
        if chosen is None:
            return None, 0.0
        return str(chosen.id), float(chosen.score)

    def in_context(self, best: Any, candidates: Iterable[Any], context: frozenset[str]) -> Any:
        """The best match, unless the article's countries speak against it.

        Two groups may share a name (Ansar al-Islam in Iraq, Ansaroul Islam in
        Burkina Faso).  When the article names countries and the best entity
        is tied to none of them, a candidate nearly as good that is tied to
        one wins; failing that, only an exact name links, and a near name is
        left unresolved for an editor rather than linked to the wrong group.
        """
        own = self.countries.get(str(best.id), NO_CONTEXT)
        if not context or not own or own & context:
            return best
        for other in candidates:
            if other.id != best.id and self.countries.get(str(other.id), NO_CONTEXT) & context \
                    and other.score >= max(best.score - CONTEXT_MARGIN, CONTEXT_MIN):
                return other
        return best if best.score >= EXACT else None


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

    def link(self, text: str, label: str,
             context: frozenset[str] = NO_CONTEXT) -> tuple[str | None, float]:
        entity_id = self._ids.get(key_name(text))
        return (entity_id, 1.0) if entity_id else (None, 0.0)


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
        self._seen: dict[tuple[str, str, frozenset[str]], tuple[str | None, float]] = {}

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        linked = []
        context = frozenset(country.code for country in result.countries)
        for mention in result.mentions:
            if mention.entity_id is None and mention.label in NAME_LABELS:
                key = (mention.text, mention.label, context)
                if key not in self._seen:
                    if len(self._seen) > 100_000:
                        self._seen.clear()
                    self._seen[key] = self.linker.link(mention.text, mention.label, context)
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
