"""Watched sources on the queue: the periodic job polls what is due and queues extraction."""

from __future__ import annotations

import asyncio
import contextlib

from procrastinate import App
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import func, select, text

from kartoteka.queue.app import build_app
from kartoteka.queue.source_tasks import POLL_QUEUE, POLL_TASK
from kartoteka.queue.tasks import EXTRACT_QUEUE
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.sources import SourceService
from kartoteka.store.database import Database
from kartoteka.store.tables import articles
from tests.sources.conftest import ITEMS, Resource, Site, rss, site  # noqa: F401  (fixture)


def run_worker(app: App, queues: list[str]) -> None:
    async def work() -> None:
        async with app.open_async():
            await app.run_worker_async(wait=False, install_signal_handlers=False,
                                       listen_notify=False, queues=queues)

    asyncio.run(work())


def count(db: Database, table: object) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def extract_jobs(db: Database) -> dict[str, int]:
    with db.read() as conn:
        rows = conn.execute(text(
            "SELECT status::text, count(*) FROM procrastinate_jobs "
            "WHERE queue_name = :queue GROUP BY status"), {"queue": EXTRACT_QUEUE})
        return {str(status): int(n) for status, n in rows}


def test_the_periodic_job_polls_due_sources_and_queues_their_extraction(
    pg: Database, pg_url: str, site: Site  # noqa: F811  (the fixture imported above)
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), etag='"v1"')
    SourceService(pg).add(site.url("/feed"), every="30m")
    app, runtime = build_app(pg_url)
    runtime.extraction_factory = lambda db: ExtractionService(db, ner=False)
    try:
        assert POLL_TASK in app.tasks
        with app.open():
            app.configure_task(POLL_TASK).defer(timestamp=0)
        run_worker(app, [POLL_QUEUE])
        assert count(pg, articles) == len(ITEMS)
        assert extract_jobs(pg) == {"todo": len(ITEMS)}  # extraction waits on its own queue
        run_worker(app, [EXTRACT_QUEUE])
        assert extract_jobs(pg) == {"succeeded": len(ITEMS)}
        # Polled again at once: not due, nothing fetched, nothing stored twice.  (The
        # worker's scheduler may have queued this minute's job already: at most one waits.)
        with app.open(), contextlib.suppress(AlreadyEnqueued):
            app.configure_task(POLL_TASK).defer(timestamp=1)
        run_worker(app, [POLL_QUEUE])
        assert count(pg, articles) == len(ITEMS)
        assert len(site.requests) == 1
    finally:
        runtime.close()
