"""Watched sources on the job queue: one periodic job polls what is due.

Every minute one ``poll_sources`` job (at most one waits: ``queueing_lock``)
calls :func:`kartoteka.services.polling.poll_due_sources`.  The poller
claims each due source with a lease, so workers on several machines never
fetch one source twice.  What a poll stores is not extracted inside the
job: its extraction goes to the ``extract`` queue like any ingest's
(:class:`~kartoteka.queue.stage.DeferExtraction`), so a slow feed never
holds the models and a busy worker never delays polling.
"""

from __future__ import annotations

import logging

from procrastinate import App, JobContext

from kartoteka.queue.app import Runtime
from kartoteka.queue.stage import DeferExtraction
from kartoteka.services.polling import poll_due_sources
from kartoteka.services.wiring import ingest_service

log = logging.getLogger(__name__)

POLL_TASK = "poll_sources"
POLL_QUEUE = "sources"


def register(app: App, runtime: Runtime) -> None:
    """Put the periodic polling job on ``app`` (see ``kartoteka.queue.app``)."""

    @app.periodic(cron="* * * * *", periodic_id="sources")
    @app.task(name=POLL_TASK, queue=POLL_QUEUE, queueing_lock=POLL_TASK, pass_context=True)
    def poll_sources(context: JobContext, timestamp: int) -> dict[str, int]:
        stage = DeferExtraction(context.app)
        ingest = ingest_service(runtime.db, after_batch=[stage])
        report = poll_due_sources(runtime.db, ingest=ingest)
        if report.failed:
            log.info("polled %d source(s), %d failed", len(report.polls), report.failed)
        return {"polled": len(report.polls), "added": report.added, "failed": report.failed,
                "extraction_jobs": len(stage.job_ids)}
