"""Match a name against the registry: the interface the rest of kartoteka uses.

``NameMatcher`` holds the analysed names of registry entities and a candidate
index over them; ``match`` scores the few candidates the index proposes and
returns them ranked.  The best candidate links only when it passes
``DEFAULT_THRESHOLD``, was not reached through a weak alias alone, and — for a
surname-only, initials or acronym match — no other entity fits as well.

Scoring is most of a query's cost, so token similarities are memoised across
names and queries (tokens are interned) and a name that cannot beat its
entity's score so far is not scored.  At 100k entities / 500k names
``bench/match.py`` measures about 1,000 queries/s on one core.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field

from kartoteka.link.analysis import name_forms
from kartoteka.link.forms import (
    NO_MARKS,
    IdentityMarks,
    identity_marks,
    with_digits,
    without_legal_form,
)
from kartoteka.link.index import CandidateIndex, name_keys, query_keys
from kartoteka.link.scoring import (
    MISMATCH_CAP,
    Comparison,
    SimilarityMemo,
    Weighted,
    compare,
    compare_weighted,
    initials,
    weigh,
)
from kartoteka.model import Entity
from kartoteka.record import as_record
from kartoteka.schemata import compatible, is_person

__all__ = [
    "AMBIGUITY_MARGIN",
    "DEFAULT_THRESHOLD",
    "WEAK_CAP",
    "MatchCandidate",
    "MatchResult",
    "NameMatcher",
    "compare_names",
    "same_schema",
]

DEFAULT_THRESHOLD = 0.75
# A weak alias (a nickname) may rank an entity, never link it on its own.
WEAK_CAP = DEFAULT_THRESHOLD - 0.05
# Two partial matches closer than this are ambiguous.
AMBIGUITY_MARGIN = 0.05
_SCORED_NAMES = 8
# Token pairs compared before the similarity memo starts afresh (about 70 bytes each).
_MEMO_PAIRS = 500_000
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    id: str
    name: str
    schema: str
    score: float
    matched_name: str


@dataclass(slots=True)
class MatchResult:
    query: str
    best: MatchCandidate | None
    candidates: list[MatchCandidate] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of ``kartoteka match --json``."""
        data = as_record(self)
        if self.best is not None:  # the best says what it is; which name matched is below
            data["best"] = as_record(self.best, omit=["matched_name"])
        return data


@dataclass(frozen=True, slots=True)
class _IndexedName:
    entity_id: str
    text: str
    weighted: Weighted  # weighed once, by the entity's schema
    initials: str
    weak: bool
    marks: IdentityMarks  # numbers and qualifiers: another one is another entity


@dataclass(slots=True)
class _IndexedEntity:
    id: str
    name: str
    schema: str
    numbers: list[int]
    support: frozenset[str]
    qualifiers: frozenset[str]  # of all its names: "(Hong Kong)"

    @property
    def person(self) -> bool:
        return is_person(self.schema)


def same_schema(wanted: str, schema: str) -> bool:
    return compatible(wanted, schema)


class NameMatcher:
    """An in-memory matcher over registry entities, updated as the registry changes."""

    def __init__(self) -> None:
        self._names: list[_IndexedName | None] = []
        self._entities: dict[str, _IndexedEntity] = {}
        self._index = CandidateIndex()
        # Names share interned tokens, and queries repeat: similarities recur.
        self._similarities: SimilarityMemo = {}
        self._memo_pairs = 0

    @classmethod
    def from_entities(cls, entities: Iterable[Entity]) -> NameMatcher:
        matcher = cls()
        # Building creates millions of small acyclic objects; the cyclic collector
        # would rescan them all again and again for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for entity in entities:
                matcher.add(entity)
        finally:
            if collecting:
                gc.enable()
        # Not frozen here: freezing is the process's decision, made by whoever
        # keeps the matcher for long (services.matching.RegistryMatcher, the
        # server at its start), not a side effect of every build.
        return matcher

    def __len__(self) -> int:
        return len(self._entities)

    def add(self, entity: Entity) -> None:
        """Index an entity's names; adding an id again replaces the old entry."""
        if entity.id in self._entities:
            self.remove(entity.id)
        numbers: list[int] = []
        support: set[str] = set()
        person = is_person(entity.schema)
        seen: set[tuple[bool, frozenset[str]]] = set()
        qualifiers: set[str] = set()
        for text, weak in _entity_names(entity):
            # "Deutsche Bank AG" is filed as "Deutsche Bank": legal forms say little.
            core = text if person else without_legal_form(text)
            marks = identity_marks(text)
            qualifiers |= marks.qualifiers
            digits = with_digits(core)
            forms = name_forms(core, parts=False, lemmas=False)
            if digits is not None:  # "Brigade Forty-Four" is also filed as "Brigade 44"
                forms += name_forms(digits, parts=False, lemmas=False)
            for form in forms:
                # "Lavrov, Sergei" adds nothing to "Sergei Lavrov": same tokens.
                identity = (weak, frozenset(t.key for t in form.tokens))
                if identity in seen:
                    continue
                seen.add(identity)
                number = len(self._names)
                self._names.append(
                    _IndexedName(entity.id, text, weigh(form, person), initials(form), weak,
                                 marks)
                )
                self._index.add(number, name_keys(form))
                numbers.append(number)
                for token in form.tokens:
                    support.update(token.spellings)
                    support.add(token.key)
        self._entities[entity.id] = _IndexedEntity(
            entity.id, entity.name, entity.schema, numbers, frozenset(support),
            frozenset(qualifiers) if qualifiers else _NONE,
        )

    def remove(self, entity_id: str) -> None:
        entry = self._entities.pop(entity_id, None)
        if entry is None:
            return
        for number in entry.numbers:
            self._names[number] = None
            self._index.remove(number)

    def match(self, name: str, schema: str | None = None, limit: int = 5) -> MatchResult:
        forms = name_forms(name)
        core = without_legal_form(name)
        if core != name:
            forms += name_forms(core)
        digits = with_digits(core)
        if digits is not None:
            forms += name_forms(digits)
        marks = identity_marks(name)
        keys = [group for form in forms for group in query_keys(form)]
        queries = {person: [(weigh(f, person), f.acronym) for f in forms]
                   for person in (False, True)}
        best: dict[str, tuple[Comparison, str]] = {}
        if self._memo_pairs > _MEMO_PAIRS:
            self._similarities, self._memo_pairs = {}, 0
        for number in self._index.candidates(keys, max(_SCORED_NAMES, 3 * limit)):
            indexed = self._names[number]
            if indexed is None:
                continue
            entity = self._entities[indexed.entity_id]
            if schema is not None and not same_schema(schema, entity.schema):
                continue
            held = best.get(entity.id)
            if held is not None and held[0].score >= (WEAK_CAP if indexed.weak else 1.0):
                continue  # this name cannot beat the entity's score so far
            result = self._score(queries[entity.person], indexed, entity)
            if marks is not NO_MARKS and marks.conflict(indexed.marks, entity.qualifiers) \
                    and result.score > MISMATCH_CAP:
                # "Bank of China (Singapore)" is not the Hong Kong bank, "Brigade 45" not 44.
                result = Comparison(MISMATCH_CAP, result.partial)
            if held is None or result.score > held[0].score:
                best[entity.id] = (result, indexed.text)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0].score, item[0]))
        candidates = [
            MatchCandidate(eid, self._entities[eid].name, self._entities[eid].schema,
                           comparison.score, text)
            for eid, (comparison, text) in ranked[:limit]
        ]
        return MatchResult(name, self._decide(ranked), candidates)

    def _score(self, queries: list[tuple[Weighted, str | None]], indexed: _IndexedName,
               entity: _IndexedEntity) -> Comparison:
        top = Comparison(0.0)
        for weighted, acronym in queries:
            self._memo_pairs += len(weighted) * len(indexed.weighted)
            result = compare_weighted(weighted, acronym, indexed.weighted, indexed.initials,
                                      entity.person, entity.support, memo=self._similarities,
                                      short_forms=True)
            if result.score > top.score:
                top = result
                if top.score >= 1.0:
                    break
        if indexed.weak and top.score > WEAK_CAP:
            top = Comparison(WEAK_CAP, top.partial)
        return top

    def _decide(self, ranked: list[tuple[str, tuple[Comparison, str]]]) -> MatchCandidate | None:
        if not ranked:
            return None
        entity_id, (comparison, text) = ranked[0]
        if comparison.score < DEFAULT_THRESHOLD:
            return None
        if comparison.partial:
            # Another entity as close, partial or in full, makes a partial match ambiguous.
            for _, (other, _text) in ranked[1:]:
                if other.score >= comparison.score - AMBIGUITY_MARGIN:
                    return None
        entity = self._entities[entity_id]
        return MatchCandidate(entity.id, entity.name, entity.schema, comparison.score, text)


def _entity_names(entity: Entity) -> list[tuple[str, bool]]:
    """(name, weak) pairs: the primary name, then aliases; a name listed twice is strong."""
    names: dict[str, bool] = {entity.name: False}
    for name in entity.names:
        if not name.value.strip():
            continue
        weak = name.kind == "weak"
        names[name.value] = names.get(name.value, True) and weak
    return list(names.items())


def compare_names(name1: str, name2: str, schema: str | None = None) -> float:
    """How alike two names are, 0..1, on the scale of ``NameMatcher.match`` scores.

    Without a schema the names are compared both as organisations and as
    persons (without surname-only leniency, which needs a registry to be safe).
    """
    forms1, forms2 = name_forms(name1), name_forms(name2)
    modes = [(is_person(schema), True)] if schema else [(False, False), (True, False)]
    best = 0.0
    for person, partial in modes:
        for a in forms1:
            for b in forms2:
                for query, candidate in ((a, b), (b, a)):
                    result = compare(query, candidate, person, allow_partial=partial)
                    best = max(best, result.score)
    return round(best, 4)
