"""Assemble services with the optional parts that are installed and enabled.

The CLI and the web app both build their services here, so they behave the
same way: repost detection and entity extraction join the ingest path.  One
extraction pipeline serves one ingest service: built on its first article,
reused for the whole batch.
"""

from __future__ import annotations

from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService, StoreHook
from kartoteka.services.placeholders import CatalogPlaceholders
from kartoteka.services.reposts import StoredRepostFinder
from kartoteka.store.database import Database


def ingest_service(
    db: Database, *, extract: bool = True, extraction: ExtractionService | None = None
) -> IngestService:
    hooks: list[StoreHook] = []
    if extract:
        hooks.append((extraction or ExtractionService(db)).hook())
    return IngestService(
        db, reposts=StoredRepostFinder(), after_store=hooks, placeholders=CatalogPlaceholders()
    )
