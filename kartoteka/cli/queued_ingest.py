"""``ingest`` with the job queue: store here, defer extraction, follow the jobs.

The files are read and stored by the command itself (they are on this
machine, and storing is fast), in the same batches as without a queue;
each committed batch's extraction becomes jobs for the workers, and a
progress bar follows them to the end unless ``--no-wait``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from kartoteka.cli.common import fail, progress_bar
from kartoteka.ingest.base import ReadOptions
from kartoteka.services.ingest import IngestReport
from kartoteka.services.wiring import ingest_service
from kartoteka.settings import QUEUE_ENV, queue_wanted
from kartoteka.store.database import Database


@dataclass(slots=True)
class QueuedIngest:
    report: IngestReport
    jobs: dict[str, int]


def queue_installed() -> bool:
    try:
        import procrastinate  # noqa: F401
    except ImportError:
        return False
    return True


def wanted(flag: bool | None) -> bool:
    """``--queue``/``--no-queue``, else ``KARTOTEKA_QUEUE``; a bad value is a clean error."""
    if flag is not None:
        return flag
    try:
        return queue_wanted(os.environ.get(QUEUE_ENV))
    except ValueError as exc:
        fail(str(exc))


def run(database: Database, paths: Sequence[str], fmt: str, options: ReadOptions, *,
        extract: bool, wait: bool, show_progress: bool) -> QueuedIngest:
    from kartoteka.cli.queue import require_queue

    require_queue()
    from kartoteka.queue import jobs as job_service
    from kartoteka.queue.app import QueueNotAvailable, build_app
    from kartoteka.queue.schema import ensure_queue_schema
    from kartoteka.queue.stage import DeferExtraction

    try:
        app, runtime = build_app(database.url, pool_size=1)
    except QueueNotAvailable as exc:
        fail(str(exc))
    ensure_queue_schema(database)
    stage = DeferExtraction(app)
    service = ingest_service(database, extract=extract, after_batch=[stage] if extract else [])
    bar = progress_bar(show_progress)
    with app.open():
        if bar is None:
            report = service.ingest(paths, fmt, options)
        else:
            with bar:
                task = bar.add_task("ingest", total=None, item="")
                report = service.ingest(
                    paths, fmt, options,
                    lambda done, total, item: bar.update(task, completed=done, total=total,
                                                         item=item[-60:]))
    runtime.close()
    if not wait or not stage.job_ids:
        return QueuedIngest(report, {"queued": len(stage.job_ids)})
    if bar is None:
        counts = job_service.follow(database, stage.run)
    else:
        with bar:
            task = bar.add_task("extract (jobs)", total=None, item="")
            counts = job_service.follow(
                database, stage.run,
                lambda done, total: bar.update(task, completed=done, total=total, item=""))
    return QueuedIngest(report, counts)


def describe(jobs: dict[str, int]) -> str:
    if "queued" in jobs:
        line = (f"extraction: {jobs['queued']} job(s) queued for the workers "
                "(`kartoteka jobs` follows them)")
        if jobs.get("not_queued"):  # a poller's: its articles are stored all the same
            line += (f"; {jobs['not_queued']} article(s) could not be queued (logged): "
                     "`kartoteka extract --all` catches up")
        return line
    shown = ", ".join(f"{state} {n}" for state, n in sorted(jobs.items()))
    hint = " (`kartoteka jobs` shows why)" if jobs.get("failed") else ""
    return f"extraction jobs: {shown}{hint}"
