"""The standard extraction pipeline, assembled from its components."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kartoteka.extract.countries import Countries
from kartoteka.extract.gazetteer import Gazetteer, label_for
from kartoteka.extract.linking import Linker, Linking, MatcherLinker
from kartoteka.extract.merge import Merge
from kartoteka.extract.ner_en import EnglishNER
from kartoteka.extract.ner_ru import RussianNER
from kartoteka.extract.patterns import Patterns
from kartoteka.extract.pipeline import Component, Pipeline
from kartoteka.extract.places import Places
from kartoteka.model import Entity, Relation


def standard_pipeline(entities: Iterable[Entity], *, ner: bool = True,
                      linker: Linker | None = None, cache: Path | bool = True,
                      relations: Iterable[Relation] = ()) -> Pipeline:
    """Patterns, countries, gazetteer, NER (English, Russian), merge, linking, places.

    ``linker`` defaults to the name matcher over ``entities``, which weighs
    co-mentioned entities by ``relations``.  Models load on the first document,
    not here.
    """
    entities = list(entities)
    components: list[Component] = [Patterns(), Countries(),
                                   Gazetteer.from_entities(entities, cache=cache)]
    if ner:
        components += [EnglishNER(), RussianNER()]
    labels = {e.id: label for e in entities if (label := label_for(e.schema)) is not None}
    components += [Merge(), Linking(linker or MatcherLinker.from_entities(entities, relations),
                                    labels)]
    if ner:
        components.append(Places())
    return Pipeline(components)
