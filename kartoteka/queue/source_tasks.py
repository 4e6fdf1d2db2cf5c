"""Watched sources on the job queue: one periodic job polls what is due.

Every minute one ``poll_sources`` job (at most one waits: ``queueing_lock``)
calls :func:`kartoteka.services.polling.poll_due_sources`.  The poller
claims each due source with a lease, so workers on several machines never
fetch one source twice.  What a poll stores is not extracted inside the
job: its extraction goes to the ``extract`` queue like any ingest's
(:class:`~kartoteka.queue.stage.DeferExtraction`), so a slow feed never
holds the models and a busy worker never delays polling.

:class:`QueuedPolling` does the same for ``kartoteka sources run`` and
``kartoteka watch`` when the queue is configured: they poll in their own
process, and what they store is extracted by the workers.
"""

from __future__ import annotations

import logging

from procrastinate import App, JobContext

from kartoteka.ingest.fetch import DEFAULT_TIMEOUT
from kartoteka.queue.app import Runtime, build_app
from kartoteka.queue.schema import ensure_queue_schema
from kartoteka.queue.stage import DeferExtraction
from kartoteka.services.polling import SourcePoller, poll_due_sources
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database

log = logging.getLogger(__name__)

POLL_TASK = "poll_sources"
POLL_QUEUE = "sources"


def register(app: App, runtime: Runtime) -> None:
    """Put the periodic polling job on ``app`` (see ``kartoteka.queue.app``)."""

    @app.periodic(cron="* * * * *", periodic_id="sources")
    @app.task(name=POLL_TASK, queue=POLL_QUEUE, queueing_lock=POLL_TASK, pass_context=True)
    def poll_sources(context: JobContext, timestamp: int) -> dict[str, int]:
        stage = DeferExtraction(context.app, keep_going=True)
        ingest = ingest_service(runtime.db, after_batch=[stage])
        report = poll_due_sources(runtime.db, ingest=ingest)
        if report.failed:
            log.info("polled %d source(s), %d failed", len(report.polls), report.failed)
        return {"polled": len(report.polls), "added": report.added, "failed": report.failed,
                "extraction_jobs": len(stage.job_ids), "not_queued": len(stage.not_queued)}


class QueuedPolling:
    """A :class:`SourcePoller` whose stored articles' extraction goes to the ``extract`` queue.

    For ``sources run`` and ``watch`` with the queue configured, as ``ingest``
    does: the queue's schema is ensured, the App is opened (one connection,
    checked before each use, so a PostgreSQL restart costs nothing) and kept
    until the poller is closed.  Each stored article is queued as soon as it
    has committed.  With ``extract=False`` nothing is queued.  Raises
    :class:`~kartoteka.queue.app.QueueNotAvailable` on SQLite.
    """

    def __init__(self, db: Database, *, extract: bool = True,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.app, self.runtime = build_app(db.url, pool_size=1)
        ensure_queue_schema(db)
        self.stage = DeferExtraction(self.app, keep_going=True) if extract else None
        ingest = ingest_service(db, extract=extract,
                                after_batch=[self.stage] if self.stage else [])
        self.poller = SourcePoller(db, ingest=ingest, timeout=timeout)
        self._told = (0, 0)

    def __enter__(self) -> QueuedPolling:
        self.app.open()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.poller.close()
            self.app.close()
        finally:
            self.runtime.close()

    def jobs(self) -> dict[str, int]:
        """Extraction jobs queued since the last call (``not_queued``: articles that failed to)."""
        queued = len(self.stage.job_ids) if self.stage else 0
        failed = len(self.stage.not_queued) if self.stage else 0
        told_queued, told_failed = self._told
        self._told = (queued, failed)
        counts = {"queued": queued - told_queued}
        if failed > told_failed:
            counts["not_queued"] = failed - told_failed
        return counts
