"""Assemble services with the optional parts that are installed and enabled.

The CLI and the web app both build their services here, so they behave the
same way: repost detection and entity extraction join the ingest path once
their modules exist and their dependencies are installed.
"""

from __future__ import annotations

from kartoteka.services.ingest import IngestService, StoreHook
from kartoteka.services.placeholders import CatalogPlaceholders
from kartoteka.services.reposts import StoredRepostFinder
from kartoteka.store.database import Database


def ingest_service(db: Database, *, extract: bool = True) -> IngestService:
    hooks: list[StoreHook] = []
    return IngestService(
        db, reposts=StoredRepostFinder(), after_store=hooks, placeholders=CatalogPlaceholders()
    )
