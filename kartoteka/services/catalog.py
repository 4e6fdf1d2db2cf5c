"""Build the catalog by country from what the database holds.

An entry is an organisation or person that at least one visible article is
about (a ``subject`` link, from extraction, an editor or an imported
catalog), or an article that is about no such entity.  An entity is listed
under each of its registry countries, or, when the registry gives none,
under the countries of its articles.  Entries without any country have no
heading to go under and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kartoteka.catalog.countries import country_name, flag_for
from kartoteka.catalog.model import Catalog, CatalogCountry, CatalogEntry
from kartoteka.model import Entity
from kartoteka.schemata import kind
from kartoteka.store.catalog import CatalogArticle, CatalogStore
from kartoteka.store.database import Database
from kartoteka.store.registry import RegistryRepository
from kartoteka.text.normalize import fold


@dataclass(slots=True)
class _Covered:
    """An entity and the visible articles about it."""

    entity: Entity
    articles: dict[str, CatalogArticle] = field(default_factory=dict)


def entry_kind(schema: str) -> str | None:
    found = kind(schema)
    return None if found == "other" else found


def build_catalog(
    db: Database, country: str | None = None, since: datetime | None = None
) -> Catalog:
    """The catalog, or one country of it (lower-case ISO code, ``xk`` for Kosovo).

    With ``since``, only articles added to the knowledge base at or after it
    (their ``ingested_at``), so an editor can post what is new since the last
    post; an entity appears with its new articles only, or not at all.
    """
    wanted = country.lower() if country else None
    with db.read() as conn:
        store = CatalogStore(conn)
        registry = RegistryRepository(conn)
        covered, loose = _covered_entities(store, registry)
        loose.extend(store.articles_without_subject())
        if since is not None:
            covered, loose = _added_since(covered, loose, since)
        pks = [a.pk for c in covered.values() for a in c.articles.values()]
        countries = store.countries_of([*pks, *(a.pk for a in loose)])
    by_country: dict[str, list[CatalogEntry]] = {}
    for item in covered.values():
        entry = _entity_entry(item)
        codes = item.entity.countries or sorted(
            {c for a in item.articles.values() for c in countries[a.pk]}
        )
        _place(by_country, codes, entry, wanted)
    for article in {a.id: a for a in loose}.values():
        entry = CatalogEntry(
            title=article.title,
            kind="article",
            article_ids=[article.id],
            authors=[article.author] if article.author else [],
            url=article.url,
        )
        _place(by_country, countries[article.pk], entry, wanted)
    return Catalog(
        [
            CatalogCountry(code, country_name(code), flag_for(code), _ordered(entries))
            for code, entries in by_country.items()
        ]
    )


def _covered_entities(
    store: CatalogStore, registry: RegistryRepository
) -> tuple[dict[str, _Covered], list[CatalogArticle]]:
    """Entities (under their canonical ids) with their articles; and articles whose
    only subjects are not organisations or persons in the registry."""
    covered: dict[str, _Covered] = {}
    unknown: dict[str, Entity | None] = {}
    candidates: dict[str, CatalogArticle] = {}
    listed: set[str] = set()
    for entity_id, article in store.subject_links():
        if entity_id not in unknown:
            unknown[entity_id] = registry.entity(entity_id)
        entity = unknown[entity_id]
        if entity is None or entry_kind(entity.schema) is None:
            candidates[article.id] = article
            continue
        item = covered.setdefault(entity.id, _Covered(entity))
        item.articles[article.id] = article
        listed.add(article.id)
    loose = [a for a in candidates.values() if a.id not in listed]
    return covered, loose


def _added_since(
    covered: dict[str, _Covered], loose: list[CatalogArticle], since: datetime
) -> tuple[dict[str, _Covered], list[CatalogArticle]]:
    kept: dict[str, _Covered] = {}
    for key, item in covered.items():
        new = {i: a for i, a in item.articles.items() if a.ingested_at >= since}
        if new:
            kept[key] = _Covered(item.entity, new)
    return kept, [a for a in loose if a.ingested_at >= since]


def _entity_entry(item: _Covered) -> CatalogEntry:
    ordered = sorted(item.articles.values(), key=lambda a: (a.moment, a.id))
    kind = entry_kind(item.entity.schema)
    assert kind is not None
    return CatalogEntry(
        title=item.entity.name,
        kind=kind,
        entity_id=item.entity.id,
        article_ids=[a.id for a in ordered],
        authors=list(dict.fromkeys(a.author for a in ordered if a.author)),
        url=ordered[0].url,
    )


def _place(
    by_country: dict[str, list[CatalogEntry]],
    codes: Iterable[str],
    entry: CatalogEntry,
    wanted: str | None,
) -> None:
    for code in dict.fromkeys(c.lower() for c in codes):
        if wanted is None or code == wanted:
            by_country.setdefault(code, []).append(entry)


def _ordered(entries: list[CatalogEntry]) -> list[CatalogEntry]:
    return sorted(entries, key=lambda e: (fold(e.title), e.kind, e.entity_id or "", e.article_ids))
