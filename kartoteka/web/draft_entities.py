"""What extraction finds in a draft, as the review page shows it: names linked to
registry entities, and names the registry does not know yet (candidates).

Extraction runs on the draft as the editor opens it, so the page reflects the
registry as it is now, not as it was when the draft was submitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kartoteka.extract.pipeline import NAME_LABELS, ExtractionResult
from kartoteka.services.registry import EntityNotFound, get_entity
from kartoteka.store.database import Database


@dataclass(slots=True)
class LinkedEntity:
    entity_id: str
    name: str
    found_as: list[str] = field(default_factory=list)  # the names as the draft writes them


@dataclass(slots=True)
class UnresolvedName:
    text: str
    label: str
    count: int = 0


@dataclass(slots=True)
class DraftEntities:
    linked: list[LinkedEntity]
    unresolved: list[UnresolvedName]


def draft_entities(db: Database, result: ExtractionResult) -> DraftEntities:
    linked: dict[str, LinkedEntity] = {}
    unresolved: dict[tuple[str, str], UnresolvedName] = {}
    for mention in result.mentions:
        if mention.label not in NAME_LABELS:
            continue
        if mention.entity_id:
            item = linked.get(mention.entity_id)
            if item is None:
                item = linked[mention.entity_id] = LinkedEntity(
                    mention.entity_id, _name(db, mention.entity_id)
                )
            if mention.text not in item.found_as:
                item.found_as.append(mention.text)
            continue
        key = (" ".join(mention.text.split()).casefold(), mention.label)
        name = unresolved.setdefault(key, UnresolvedName(" ".join(mention.text.split()), key[1]))
        name.count += 1
    return DraftEntities(
        sorted(linked.values(), key=lambda e: e.name.casefold()),
        sorted(unresolved.values(), key=lambda n: (-n.count, n.text.casefold())),
    )


def _name(db: Database, entity_id: str) -> str:
    try:
        return get_entity(db, entity_id).entity.name
    except EntityNotFound:  # linked by an older registry: the id is all we have
        return entity_id
