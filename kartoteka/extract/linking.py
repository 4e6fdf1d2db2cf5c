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
from datetime import date, datetime
from typing import Any, Protocol

from kartoteka import schemata
from kartoteka.extract.keyed import key_name
from kartoteka.extract.link_context import (
    NO_CONTEXT,
    LinkContext,
    RegistryContext,
    as_context,
)
from kartoteka.extract.pipeline import (
    NAME_LABELS,
    ORGANIZATION,
    PERSON,
    Document,
    ExtractionResult,
)
from kartoteka.link.matcher import NameMatcher
from kartoteka.model import Entity, Mention, Relation

#: The schema a mention label searches first (kartoteka.schemata names them).
SCHEMAS = {PERSON: schemata.PERSON, ORGANIZATION: schemata.ORGANIZATION}
SURNAME_CONFIDENCE = 0.9
#: The matcher's linking threshold, for linkers built without the matcher module.
_THRESHOLD = 0.75
# Names whose ranking a linker keeps (a few hundred bytes each).
_RANKINGS = 50_000


class Linker(Protocol):
    def link(self, text: str, label: str,
             context: LinkContext | frozenset[str] = NO_CONTEXT) -> tuple[str | None, float]:
        """The entity id a mention refers to (or None) and the score.

        ``context`` is what the article says (:class:`LinkContext`); a bare
        set is the country codes the article names.
        """
        ...


class MatcherLinker:
    """Adapts ``kartoteka.link.matcher.NameMatcher`` to :class:`Linker`.

    PER searches Persons, ORG Organizations, then every schema if that found
    nothing; LOC searches every schema.  The matcher ranks by name; the
    article's countries, co-mentioned entities and date then choose among
    the near candidates (see :mod:`kartoteka.extract.link_context`).
    """

    name = "matcher"

    def __init__(self, matcher: Any, countries: Mapping[str, Iterable[str]] | None = None,
                 registry: RegistryContext | None = None) -> None:
        self.matcher = matcher
        self.registry = registry or RegistryContext(
            {k: frozenset(v) for k, v in (countries or {}).items()}, {}, {})
        self.threshold = float(getattr(matcher, "threshold", _THRESHOLD))
        self._rankings: dict[tuple[str, str | None], Any] = {}

    @classmethod
    def from_entities(cls, entities: Iterable[Entity],
                      relations: Iterable[Relation] = ()) -> MatcherLinker:
        entities = list(entities)
        return cls(NameMatcher.from_entities(entities),
                   registry=RegistryContext.build(entities, relations))

    def link(self, text: str, label: str,
             context: LinkContext | frozenset[str] = NO_CONTEXT) -> tuple[str | None, float]:
        result = self._ranked(text, SCHEMAS.get(label))
        if result.best is None and not _close(result, self.threshold):
            return None, 0.0
        chosen = self.registry.choose(result.best, result.candidates, as_context(context),
                                      self.threshold)
        if chosen is None:
            return None, 0.0
        return str(chosen.id), float(chosen.score)

    def _ranked(self, text: str, schema: str | None) -> Any:
        """The matcher's ranking of a name, kept: an article's second pass (with its
        co-mentioned entities) and later articles weigh the same ranking anew."""
        key = (text, schema)
        found = self._rankings.get(key)
        if found is None:
            found = self.matcher.match(text, schema=schema, limit=5)
            if found.best is None and schema is not None and not _close(found, self.threshold):
                # Small models swap persons and organisations ("Hashim Thachi"/ORG);
                # the registry knows the schema, so ask it without one.
                found = self.matcher.match(text, schema=None, limit=5)
            if len(self._rankings) >= _RANKINGS:
                self._rankings.clear()
            self._rankings[key] = found
        return found


def _close(result: Any, threshold: float) -> bool:
    """Two or more candidates above the threshold: ambiguous by name, not absent."""
    return sum(1 for c in result.candidates if c.score >= threshold) >= 2


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
             context: LinkContext | frozenset[str] = NO_CONTEXT) -> tuple[str | None, float]:
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
        self._seen: dict[tuple[str, str, LinkContext], tuple[str | None, float]] = {}

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        countries = frozenset(country.code for country in result.countries)
        context = LinkContext(countries, date=article_date(document))
        first = [self._linked(m, context) for m in result.mentions]
        # Second pass: what the first linked elsewhere in the article is context
        # too (JNIM beside "Ansarul Islam").  A name's own links are not its evidence.
        linked_by_text: dict[str, set[str]] = {}
        for mention in first:
            if mention.entity_id is not None:
                linked_by_text.setdefault(key_name(mention.text), set()).add(mention.entity_id)
        final = first
        if linked_by_text:
            final = []
            for original, once in zip(result.mentions, first, strict=True):
                own = key_name(original.text)
                others = frozenset(i for text, ids in linked_by_text.items() if text != own
                                   for i in ids)
                if original.entity_id is None and others:
                    once = self._linked(original, replace(context, mentioned=others))
                final.append(once)
        result.mentions = by_surname(final, self.entity_labels)

    def _linked(self, mention: Mention, context: LinkContext) -> Mention:
        if mention.entity_id is not None or mention.label not in NAME_LABELS:
            return mention
        key = (mention.text, mention.label, context)
        if key not in self._seen:
            if len(self._seen) > 100_000:
                self._seen.clear()
            self._seen[key] = self.linker.link(mention.text, mention.label, context)
        entity_id, score = self._seen[key]
        if entity_id is None:
            return mention
        label = self.entity_labels.get(entity_id, mention.label)
        return replace(mention, entity_id=entity_id, confidence=score, label=label)


def article_date(document: Document) -> str | None:
    """The article's date (ISO) from the document's metadata, when it has one."""
    value = document.metadata.get("date")
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return value[:10]
    return None


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
