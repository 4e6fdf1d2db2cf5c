"""What ``kartoteka jobs`` and the admin page show and do: counts, parked jobs, retry."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from kartoteka.i18n import Message
from kartoteka.record import as_record
from kartoteka.store.database import Database
from kartoteka.store.jobs import JobStore, ParkedJob

if TYPE_CHECKING:
    from procrastinate import App

FINAL = ("succeeded", "failed", "cancelled", "aborted")


class JobsError(ValueError):
    """A jobs request that cannot be carried out; the message says why."""


@dataclass(slots=True)
class JobsOverview:
    queue: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    parked: list[ParkedJob] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return as_record(self, rename={"parked": "failed"})


def overview(db: Database, limit: int = 100) -> JobsOverview:
    with db.read() as conn:
        store = JobStore(conn)
        if not store.has_queue():
            return JobsOverview(queue=False)
        return JobsOverview(True, store.counts(), store.parked(limit))


def retry(db: Database, app: App, job_id: int | None = None, all_failed: bool = False) -> list[int]:
    """Put parked jobs back in the queue now; the ids put back."""
    with db.read() as conn:
        store = JobStore(conn)
        if not store.has_queue():
            raise JobsError(Message(
                "this database has no job queue: run `kartoteka init` on PostgreSQL"))
        failed = store.failed_ids()
    if all_failed:
        wanted = failed
    elif job_id is not None:
        if job_id not in failed:
            raise JobsError(Message("job %(id)s is not a failed job: `kartoteka jobs` lists them",
                                    id=job_id))
        wanted = [job_id]
    else:
        raise JobsError(Message("give a job id or --all-failed"))
    now = datetime.now(UTC)
    for wanted_id in wanted:
        app.job_manager.retry_job_by_id(wanted_id, retry_at=now)
    return wanted


def follow(db: Database, run: str, progress: Callable[[int, int], None] | None = None,
           poll: float = 0.5, timeout: float | None = None) -> dict[str, int]:
    """Wait until every job of an ingest run is finished; their counts per state.

    The total can grow while it waits: a batch that fails is split into one
    job per article.  ``progress(done, total)`` hears each change.
    """
    started = time.monotonic()
    last: tuple[int, int] | None = None
    while True:
        with db.read() as conn:
            counts = JobStore(conn).run_counts(run)
        total = sum(counts.values())
        done = sum(n for state, n in counts.items() if state in FINAL)
        if progress and (done, total) != last:
            progress(done, total)
            last = (done, total)
        if done == total:
            return counts
        if timeout is not None and time.monotonic() - started > timeout:
            raise TimeoutError(f"{total - done} job(s) of this ingest still unfinished")
        time.sleep(poll)


def retry_now(db: Database, job_id: int | None = None, all_failed: bool = False) -> list[int]:
    """``retry`` with a short-lived App of its own (the web app holds none)."""
    try:
        from kartoteka.queue.app import QueueNotAvailable, build_app
    except ImportError:
        raise JobsError(Message("the job queue needs procrastinate: pip install "
                                "'kartoteka[queue]'")) from None
    with db.read() as conn:
        if not JobStore(conn).has_queue():
            raise JobsError(Message(
                "this database has no job queue: run `kartoteka init` on PostgreSQL"))
    try:
        app, runtime = build_app(db.url, pool_size=1)
    except QueueNotAvailable as exc:
        raise JobsError(str(exc)) from None
    try:
        with app.open():
            return retry(db, app, job_id, all_failed)
    finally:
        runtime.close()
