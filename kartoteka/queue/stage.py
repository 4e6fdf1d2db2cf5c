"""Ingest's stage that hands extraction to the queue's workers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from procrastinate import App

from kartoteka.queue.tasks import defer_extraction
from kartoteka.services.ingest import StoredArticle
from kartoteka.services.pipeline import extraction_keys


class DeferExtraction:
    """An ingest ``after_batch`` stage: one job per batch slice, tagged with this run.

    Jobs are deferred after the batch has committed, so a worker always finds
    the articles it is given; the ``run`` tag lets the ingest that deferred
    them follow them to the end (``jobs.follow``).
    """

    def __init__(self, app: App, run: str | None = None) -> None:
        self.app = app
        self.run = run or uuid.uuid4().hex
        self.job_ids: list[int] = []

    def __call__(self, stored: Sequence[StoredArticle]) -> None:
        self.job_ids.extend(defer_extraction(self.app, extraction_keys(stored), self.run))
