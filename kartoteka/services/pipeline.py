"""The ingest pipeline's stages, and how they are chained in one process.

read → store → extract and link → derived data.  Reading and storing are
``IngestService`` (drafts stored in batches, a savepoint per article);
extraction, linking and the derived candidate counts are
``ExtractionService.extract_batch``, keyed by article id and revision.
The same functions serve both deployments:

- embedded (SQLite, or PostgreSQL without a queue): :class:`ExtractNow`
  runs extraction on each committed batch in this process;
- with a job queue (``kartoteka.queue``): a stage that defers one job per
  batch to the workers, which call the same ``extract_batch``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kartoteka.services.extraction import ExtractionReport, ExtractionService
from kartoteka.services.ingest import StoredArticle

log = logging.getLogger(__name__)


def extraction_keys(stored: Sequence[StoredArticle]) -> list[tuple[str, int]]:
    """(article id, revision) of what was added or revised: what later stages are keyed by."""
    return [(s.article_id, s.revision) for s in stored]


class ExtractNow:
    """An ingest ``after_batch`` stage: extract each committed batch in this process."""

    def __init__(self, extraction: ExtractionService) -> None:
        self.extraction = extraction
        self.report = ExtractionReport()

    def __call__(self, stored: Sequence[StoredArticle]) -> None:
        done = self.extraction.extract_batch(extraction_keys(stored))
        for line in done.errors:
            log.warning("extraction: %s", line)
        self.report.articles += done.articles
        self.report.mentions += done.mentions
        self.report.linked += done.linked
        self.report.errors.extend(done.errors)
