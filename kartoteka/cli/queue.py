"""Queue commands: ``worker`` runs jobs, ``jobs`` shows and retries them (PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from typing import Annotated, Any

import typer

from kartoteka.cli.common import DbOption, JsonOption, database_url, fail, open_database, print_json

MISSING = "the job queue needs procrastinate: pip install 'kartoteka[queue]'"


def require_queue() -> None:
    """procrastinate is an extra: say how to get it instead of a traceback."""
    try:
        import procrastinate  # noqa: F401
    except ImportError:
        fail(MISSING)

jobs_app = typer.Typer(help="Queue jobs: counts per queue and state, parked failures, retry.",
                       invoke_without_command=True)


def worker(
    queues: Annotated[
        list[str] | None,
        typer.Option("--queues", help="Queues to work on (repeat, or comma-separated); "
                                      "default all: extract, housekeeping and any other."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Jobs at once in this process (extraction takes one at "
                                      "a time; run one worker per core for more).")
    ] = 1,
    burst: Annotated[
        bool, typer.Option("--burst", help="Work until the queue is empty, then exit.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Run queue jobs (PostgreSQL and KARTOTEKA_QUEUE=procrastinate).

    Stops cleanly on Ctrl-C or SIGTERM: the job in hand is finished first.
    """
    require_queue()
    from kartoteka.queue.app import QueueNotAvailable, build_app
    from kartoteka.queue.schema import ensure_queue_schema
    from kartoteka.queue.tasks import EXTRACT_QUEUE, heartbeat_seconds, retry_stalled

    url = database_url(db)
    database = open_database(db, create=True)
    try:
        ensure_queue_schema(database)
        app, runtime = build_app(url, pool_size=concurrency + 2)
    except QueueNotAvailable as exc:
        fail(str(exc))
    finally:
        database.dispose()
    wanted = [q.strip() for item in queues or [] for q in item.split(",") if q.strip()]
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("kartoteka").setLevel(logging.INFO)
    beat = heartbeat_seconds()
    options: dict[str, Any] = {}
    if not wanted or EXTRACT_QUEUE in wanted:
        # Models and indexes load before the first job is taken, not inside it: a
        # job's time is then its own (heartbeats, the admin page's durations), and
        # workers started together all work from their first job on.
        started = time.monotonic()
        runtime.extraction.prepare()
        logging.getLogger("kartoteka.worker").info(
            "extraction models loaded in %.1f s", time.monotonic() - started)

    async def run() -> None:
        async with app.open_async():
            await retry_stalled(app, runtime)  # jobs of workers that died while we were down
            if wanted:
                options["queues"] = wanted
            await app.run_worker_async(
                **options, concurrency=concurrency, wait=not burst,
                name=f"{socket.gethostname()}:{os.getpid()}",
                update_heartbeat_interval=beat, stalled_worker_timeout=3 * beat,
                listen_notify=not burst, delete_jobs="never",
            )

    try:
        asyncio.run(run())
    finally:
        runtime.close()


@jobs_app.callback()
def jobs(
    ctx: typer.Context, json_output: JsonOption = False, db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many failed jobs.")] = 50,
) -> None:
    """Jobs per queue and state, and the failed (parked) ones with their errors."""
    if ctx.invoked_subcommand is not None:
        return
    from kartoteka.queue import jobs as job_service

    database = open_database(db)
    try:
        view = job_service.overview(database, limit)
    finally:
        database.dispose()
    if json_output:
        print_json(view.as_dict())
        return
    if not view.queue:
        typer.echo("no job queue here: extraction runs in-process (SQLite, or "
                   "KARTOTEKA_QUEUE unset); `kartoteka init` on PostgreSQL creates one")
        return
    if not view.counts:
        typer.echo("no jobs")
    for queue, states in view.counts.items():
        shown = ", ".join(f"{state} {n}" for state, n in states.items())
        typer.echo(f"{queue}: {shown}")
    for job in view.parked:
        typer.echo(f"failed job {job.id} ({job.task}, {job.attempts} attempt(s)): {job.error}")


@jobs_app.command("retry")
def retry(
    job_id: Annotated[int | None, typer.Argument(help="The failed job's id.")] = None,
    all_failed: Annotated[
        bool, typer.Option("--all-failed", help="Retry every failed job.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Put a parked job (or all of them) back in the queue."""
    require_queue()
    from kartoteka.queue import jobs as job_service
    from kartoteka.queue.app import QueueNotAvailable, build_app

    url = database_url(db)
    database = open_database(db)
    try:
        app, _runtime = build_app(url, pool_size=1)
        with app.open():
            done = job_service.retry(database, app, job_id, all_failed)
    except (QueueNotAvailable, job_service.JobsError) as exc:
        fail(str(exc))
    finally:
        database.dispose()
    typer.echo(f"{len(done)} job(s) back in the queue")


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.add_typer(jobs_app, name="jobs")
