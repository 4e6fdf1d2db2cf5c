"""What an article says about which of two near-named entities it means.

Two groups may share a name (Ansar al-Islam in Iraq, Ansaroul Islam in
Burkina Faso).  The matcher ranks by name alone; the article then adds three
kinds of evidence for each candidate entity:

- **countries**: the entity is tied to a country the article names (+1), or
  the article names countries and the entity is tied only to others (-1);
- **co-mentioned entities**: the registry relates the entity to another
  entity the article links (+1) — JNIM beside "Ansarul Islam" speaks for the
  Sahelian group;
- **dates**: the entity's active period (founded/dissolved, born/died)
  excludes the article's date (-1).

Among candidates nearly as good as the best by name, the one with the most
evidence wins.  A near name of an entity with net evidence against it is left
for an editor unless the name is the entity's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: A match this good is the entity's own name: strong evidence whatever the context.
EXACT = 0.99
#: How far below the best an entity with more evidence may score and still win.
CONTEXT_MARGIN = 0.1
#: The least a candidate must score to be chosen by context: above the cap the
#: matcher gives look-alikes (0.7: "Sergei Lavrenov" / Lavrov), a little under
#: its linking threshold.
CONTEXT_MIN = 0.72


@dataclass(frozen=True, slots=True)
class LinkContext:
    """What the article around a mention tells the linker."""

    countries: frozenset[str] = frozenset()
    #: Entity ids linked elsewhere in the article.
    mentioned: frozenset[str] = frozenset()
    #: The article's date, ISO (YYYY-MM-DD), when known.
    date: str | None = None


NO_CONTEXT = LinkContext()


def as_context(context: LinkContext | frozenset[str] | None) -> LinkContext:
    """A context; a bare set of country codes is accepted as the countries alone."""
    if context is None:
        return NO_CONTEXT
    if isinstance(context, LinkContext):
        return context
    return LinkContext(countries=frozenset(context))


def outside(date: str, start: str | None, end: str | None) -> bool:
    """Whether ``date`` falls outside an active period of partial ISO dates.

    Dates compare at the precision of the period's bound: an article of
    2017-03-15 is inside a period starting "2017-03" or "2017".
    """
    if start and date[: len(start)] < start:
        return True
    return bool(end and date[: len(end)] > end)


@dataclass(frozen=True, slots=True)
class RegistryContext:
    """What the registry knows that context is weighed against."""

    countries: Mapping[str, frozenset[str]]
    related: Mapping[str, frozenset[str]]
    periods: Mapping[str, tuple[str | None, str | None]]

    @classmethod
    def build(cls, entities: Iterable[Any], relations: Iterable[Any] = ()) -> RegistryContext:
        countries: dict[str, frozenset[str]] = {}
        periods: dict[str, tuple[str | None, str | None]] = {}
        for entity in entities:
            countries[entity.id] = frozenset(entity.countries)
            start, end = getattr(entity, "start_date", None), getattr(entity, "end_date", None)
            if start or end:
                periods[entity.id] = (start, end)
        related: dict[str, set[str]] = {}
        for relation in relations:
            related.setdefault(relation.source_id, set()).add(relation.target_id)
            related.setdefault(relation.target_id, set()).add(relation.source_id)
        return cls(countries, {k: frozenset(v) for k, v in related.items()}, periods)

    def evidence(self, entity_id: str, context: LinkContext) -> tuple[int, bool]:
        """(net evidence for the entity, whether its countries speak against it)."""
        score = 0
        own = self.countries.get(entity_id, frozenset())
        foreign = False
        if context.countries and own:
            if own & context.countries:
                score += 1
            else:
                score -= 1
                foreign = True
        others = context.mentioned - {entity_id}
        if others and not self.related.get(entity_id, frozenset()).isdisjoint(others):
            score += 1
            foreign = False  # a related entity in the article outweighs the countries
        period = self.periods.get(entity_id)
        if context.date and period and outside(context.date, *period):
            score -= 1
        return score, foreign

    def choose(self, best: Any, candidates: Iterable[Any], context: LinkContext,
               threshold: float) -> Any:
        """The candidate the article's context points to, or None.

        ``best`` is the matcher's decision (None when its top candidates were
        too close to call); ``candidates`` its ranked list.
        """
        ranked = list(candidates)
        if best is None:
            # Too close to call by name: context may call it, if it singles one out.
            pool = [c for c in ranked if c.score >= threshold]
            if len(pool) < 2:
                return None
            weighed = sorted(((self.evidence(str(c.id), context)[0], c) for c in pool),
                             key=lambda item: -item[0])
            if weighed[0][0] > 0 and weighed[0][0] > weighed[1][0]:
                return weighed[0][1]
            return None
        floor = max(best.score - CONTEXT_MARGIN, CONTEXT_MIN)
        pool = [best, *(c for c in ranked if c.id != best.id and c.score >= floor)]
        if len(pool) == 1 and not context.countries:
            return best
        # Most evidence first; on equal evidence the matcher's order stands.
        found = {str(c.id): self.evidence(str(c.id), context) for c in pool}
        chosen = max(pool, key=lambda c: (found[str(c.id)][0], c.id == best.id, c.score))
        level, foreign = found[str(chosen.id)]
        if any(c.id != chosen.id and c.score >= chosen.score and found[str(c.id)][0] == level
               for c in pool):
            return None  # two entities of one name and nothing to tell them apart
        if foreign and chosen.score < EXACT:
            return None  # a near name of a group of other countries: for an editor
        return chosen
