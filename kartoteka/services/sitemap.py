"""What a sitemap lists: published, live articles and canonical entities.

It reads through the same public filter as every anonymous page, so a
draft, a rejected or a deleted article can never appear in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.registry import RegistryRepository


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    path: str
    modified: datetime | None = None


def sitemap_entries(db: Database) -> Iterator[SitemapEntry]:
    public = ArticleFilter(include_reposts=True, include_unpublished=False)
    with db.read() as conn:
        for article in ArticleRepository(conn).iter_all(public):
            yield SitemapEntry(f"/articles/{quote(article.id, safe='')}", article.ingested_at)
        for entity in RegistryRepository(conn).iter_entities():
            yield SitemapEntry(f"/entities/{quote(entity.id, safe='')}")
