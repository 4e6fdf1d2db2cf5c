"""The pipeline's tasks: extraction and linking of stored articles, and housekeeping.

``extract_articles`` takes up to ``JOB_SIZE`` (article id, revision) pairs:
NER runs batched (``nlp.pipe``, natasha) over them, outside any
transaction, and their results are written in one short transaction
(``ExtractionService.extract_batch``).  It is idempotent: extraction
replaces an article's rows, and a pair whose revision is no longer current
is skipped (that revision has its own job).  A job for the same pairs that
is already waiting is not queued again (``queueing_lock``).

Failure: a batch that raises is split into one job per article, so one
poisoned article never holds back the others; a single article's job is
retried with exponential backoff and, after ``KARTOTEKA_QUEUE_ATTEMPTS``
attempts, parked as ``failed`` with its error in ``job_errors``, where it
blocks nothing (``kartoteka jobs retry`` puts it back).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from datetime import UTC, datetime

from procrastinate import App, JobContext, RetryDecision
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job, Status
from procrastinate.retry import BaseRetryStrategy

from kartoteka.queue.app import Runtime
from kartoteka.store.jobs import JobStore

log = logging.getLogger(__name__)

EXTRACT_TASK = "extract_articles"
EXTRACT_QUEUE = "extract"
STALLED_TASK = "retry_stalled_jobs"
JOB_SIZE = 50  # articles per extraction job: small enough to spread over workers
ATTEMPTS_ENV = "KARTOTEKA_QUEUE_ATTEMPTS"
BACKOFF_ENV = "KARTOTEKA_QUEUE_BACKOFF"
HEARTBEAT_ENV = "KARTOTEKA_QUEUE_HEARTBEAT"

Key = tuple[str, int]


def _number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}") from None


def max_attempts() -> int:
    return max(1, int(_number(ATTEMPTS_ENV, 5)))


def heartbeat_seconds() -> float:
    """How often workers say they are alive; one silent for 3 beats is presumed dead."""
    return max(0.5, _number(HEARTBEAT_ENV, 10))


class Backoff(BaseRetryStrategy):
    """Retry after backoff, backoff², backoff³ … seconds; park after the last attempt.

    Settings are read when a job fails, so a worker follows the environment
    it was started with (tests and operators can shorten the waits).
    """

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts + 1 >= max_attempts():
            return None
        base = _number(BACKOFF_ENV, 2)
        return RetryDecision(retry_in={"seconds": int(base ** (job.attempts + 1)) if base else 0})


def queueing_lock(keys: Sequence[Key]) -> str:
    """The same articles at the same revisions: at most one such job waits."""
    digest = hashlib.sha1(repr(sorted(keys)).encode()).hexdigest()[:20]
    return f"{EXTRACT_TASK}:{digest}"


def defer_extraction(app: App, keys: Sequence[Key], run: str = "") -> list[int]:
    """One job per ``JOB_SIZE`` pairs; the ids of those queued (a duplicate is not)."""
    ids: list[int] = []
    for start in range(0, len(keys), JOB_SIZE):
        chunk = list(keys[start : start + JOB_SIZE])
        try:
            ids.append(app.configure_task(
                EXTRACT_TASK, queue=EXTRACT_QUEUE, queueing_lock=queueing_lock(chunk),
            ).defer(articles=[list(k) for k in chunk], run=run))
        except AlreadyEnqueued:
            log.info("extraction of %d articles is already queued", len(chunk))
    return ids


def record_error(runtime: Runtime, job: Job, error: str) -> None:
    """Keep why the job failed; losing this note must not hide the failure itself."""
    try:
        with runtime.db.transaction() as conn:
            JobStore(conn).record_error(int(job.id or 0), job.task_name, job.attempts + 1,
                                        error, datetime.now(UTC))
    except Exception:
        log.exception("job %s: could not record its error", job.id)


def register(app: App, runtime: Runtime) -> None:
    """Put the pipeline's tasks on ``app`` (see ``kartoteka.queue.app``)."""

    @app.task(name=EXTRACT_TASK, queue=EXTRACT_QUEUE, pass_context=True, retry=Backoff())
    def extract_articles(context: JobContext, articles: list[list[object]],
                         run: str = "") -> dict[str, int]:
        keys = [(str(a), int(r)) for a, r in articles]  # type: ignore[call-overload]
        try:
            extraction = runtime.extraction
            with runtime.busy:
                report = extraction.extract_batch(keys)
        except Exception as exc:
            if len(keys) > 1:
                log.warning("job %s: %d articles failed together (%s: %s); "
                            "splitting them into one job each",
                            context.job.id, len(keys), type(exc).__name__, exc)
                for key in keys:
                    defer_extraction(context.app, [key], run)
                return {"articles": 0, "split": len(keys)}
            log.exception("job %s: extraction of %s failed", context.job.id, keys[0][0])
            record_error(runtime, context.job,
                         f"article {keys[0][0]} revision {keys[0][1]}: "
                         f"{type(exc).__name__}: {exc}")
            raise
        return {"articles": report.articles, "errors": len(report.errors)}

    @app.periodic(cron="* * * * *", periodic_id="stalled")
    @app.task(name=STALLED_TASK, queue="housekeeping", queueing_lock=STALLED_TASK,
              pass_context=True)
    async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
        return await retry_stalled(context.app, runtime)


async def retry_stalled(app: App, runtime: Runtime) -> int:
    """Give back the jobs of workers that stopped beating (killed, lost their machine).

    Such a job is retried from the start (tasks are idempotent); one whose
    worker died on its last allowed attempt is parked instead, so an article
    that kills every worker that touches it stops being handed out.
    """
    returned = 0
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=3 * heartbeat_seconds())
    for job in stalled:
        if job.attempts + 1 >= max_attempts():
            record_error(runtime, job, f"its worker stopped while running it "
                                       f"{job.attempts + 1} time(s)")
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            log.warning("job %s parked: its worker stopped %d times", job.id, job.attempts + 1)
        else:
            await app.job_manager.retry_job(job)
            log.warning("job %s of a stopped worker is retried", job.id)
            returned += 1
    return returned
