"""Assemble services with the optional parts that are installed and enabled.

The CLI and the web app both build their services here, so they behave the
same way: repost detection and entity extraction join the ingest path.  One
extraction pipeline serves one ingest service: built on its first article,
reused for the whole batch.  Extraction runs after each batch of
articles has committed, outside the write transaction (``services.pipeline``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import BatchStage, IngestService
from kartoteka.services.pipeline import ExtractNow
from kartoteka.services.placeholders import CatalogPlaceholders
from kartoteka.services.reposts import StoredRepostFinder
from kartoteka.store.database import Database


def ingest_service(
    db: Database,
    *,
    extract: bool = True,
    extraction: ExtractionService | None = None,
    after_batch: Sequence[BatchStage] | None = None,
) -> IngestService:
    """Ingest with reposts and placeholders; extraction after each committed batch.

    ``after_batch`` replaces in-process extraction (the job queue passes a
    stage that defers it to workers).
    """
    stages: list[BatchStage] = list(after_batch or ())
    if extract and after_batch is None:
        stages.append(ExtractNow(extraction or ExtractionService(db)))
    return IngestService(
        db, reposts=StoredRepostFinder(), after_batch=stages, placeholders=CatalogPlaceholders()
    )
