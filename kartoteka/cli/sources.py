"""CLI commands: ``sources add|list|remove|run`` and ``watch``, over the sources services."""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

import typer

from kartoteka.cli import queued_ingest
from kartoteka.cli.common import (
    DbOption,
    JsonOption,
    QueueOption,
    open_database,
    print_json,
    user_errors,
)
from kartoteka.ingest.fetch import DEFAULT_TIMEOUT
from kartoteka.services.polling import PollReport, SourcePoller, run_scheduler
from kartoteka.services.sources import SourceService
from kartoteka.store.database import Database
from kartoteka.watched import Source, SourceError, format_interval

sources_app = typer.Typer(
    help="Feeds and web pages polled on a schedule; only new or changed items are stored.",
    no_args_is_help=True,
)
Timeout = Annotated[
    float, typer.Option(min=0.1, help="Seconds to wait for a server before it counts as failed.")
]
NoExtract = Annotated[
    bool, typer.Option("--no-extract", help="Do not extract entities from what is stored.")
]
Jobs = Callable[[], dict[str, int]]  # extraction jobs queued since the last call


@contextmanager
def _poller(database: Database, *, queue: bool | None, extract: bool,
            timeout: float) -> Iterator[tuple[SourcePoller, Jobs | None]]:
    """The poller, extracting in this process or, with the queue, through the workers."""
    if not queued_ingest.wanted(queue):
        with SourcePoller(database, extract=extract, timeout=timeout) as poller:
            yield poller, None
        return
    from kartoteka.cli.queue import require_queue

    require_queue()
    from kartoteka.queue.app import QueueNotAvailable
    from kartoteka.queue.source_tasks import QueuedPolling

    with user_errors(QueueNotAvailable):
        polling = QueuedPolling(database, extract=extract, timeout=timeout)
    with polling:
        yield polling.poller, polling.jobs


def add(
    url: Annotated[str, typer.Argument(help="The feed's or the page's http(s) address.")],
    every: Annotated[
        str, typer.Option(help="How often to poll: a number and s, m, h or d, e.g. 30m, 2h, 1d.")
    ] = "1h",
    author: Annotated[
        str | None, typer.Option(help="Author handle for every item it yields, e.g. @chvkmedia.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="ISO country code to add to every item it yields, e.g. rs.")
    ] = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Watch a feed or page; it is fetched on the next poll (`sources run` or `watch`)."""
    service = SourceService(open_database(db, create=True))
    with user_errors(SourceError):
        source = service.add(url, every=every, author=author, country=country)
    if json_output:
        print_json(source.as_dict())
    else:
        typer.echo(f"watching source {source.pk}: {source.url} every "
                   f"{format_interval(source.interval)}")


def list_sources(json_output: JsonOption = False, db: DbOption = None) -> None:
    """Every watched source with its status: last success, last error, articles added."""
    found = SourceService(open_database(db)).list()
    if json_output:
        print_json([s.as_dict() for s in found])
        return
    if not found:
        typer.echo("no sources: add one with `kartoteka sources add URL`")
    for source in found:
        typer.echo(_status_line(source))


def _status_line(source: Source) -> str:
    line = (f"{source.pk:>4}  {source.status:<7} {source.kind.value:<7} "
            f"every {format_interval(source.interval):<4} "
            f"added {source.articles_added_total} (last {source.articles_added_last})  "
            f"last ok {_when(source.last_success_at)}  next {_when(source.next_due_at)}  "
            f"{source.url}")
    if source.moved_from:
        line += (f"\n      moved permanently from {source.moved_from} "
                 f"on {_when(source.moved_at)}")
    if source.consecutive_failures:
        line += (f"\n      failed {source.consecutive_failures}x, last at "
                 f"{_when(source.last_error_at)}: {source.last_error}")
    if source.item_errors:
        line += f"\n      {len(source.item_errors)} item error(s) in the last poll, first: " \
                f"{source.item_errors[0]['path']}: {source.item_errors[0]['error']}"
    return line


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment else "never"


def remove(
    source: Annotated[str, typer.Argument(metavar="ID|URL", help="The source's id or URL.")],
    db: DbOption = None,
) -> None:
    """Stop watching a source; the articles it brought stay."""
    service = SourceService(open_database(db))
    with user_errors(SourceError):
        removed = service.remove(source)
    typer.echo(f"removed source {removed.pk}: {removed.url}")


def run(
    sources: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID|URL", help="Sources to poll (default: all)."),
    ] = None,
    due: Annotated[bool, typer.Option("--due", help="Only sources whose time has come.")] = False,
    timeout: Timeout = DEFAULT_TIMEOUT,
    no_extract: NoExtract = False,
    queue: QueueOption = None,
    json_output: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Poll sources now. Exits 1 if any source failed; the others are still stored.

    With the queue, what is stored is extracted by `kartoteka worker`s; the
    report says how many jobs were queued.
    """
    database = open_database(db, create=True)
    service = SourceService(database)
    with user_errors(SourceError):
        chosen = [service.find(ref) for ref in sources or []]
    with _poller(database, queue=queue, extract=not no_extract, timeout=timeout) as (
            poller, queued):
        if chosen:
            ids = [s.pk for s in chosen if s.pk is not None]
            report = poller.poll(ids) if not due else poller.poll_due_among(ids)
        elif due:
            report = poller.poll_due()
        else:
            report = poller.poll([s.pk for s in service.list() if s.pk is not None])
        jobs = queued() if queued else None
    _print_report(report, json_output, jobs)
    if report.failed or (jobs or {}).get("not_queued"):
        raise typer.Exit(1)


def _print_report(report: PollReport, json_output: bool,
                  jobs: dict[str, int] | None = None) -> None:
    if json_output:
        print_json(report.as_dict() | ({"jobs": jobs} if jobs is not None else {}))
        return
    for poll in report.polls:
        if poll.result == "failed":
            typer.echo(f"source {poll.source_id} failed: {poll.url}: {poll.error}", err=True)
        elif poll.result == "not_modified":
            typer.echo(f"source {poll.source_id} not modified: {poll.url}")
        else:
            typer.echo(f"source {poll.source_id}: added {poll.added}, revised {poll.revised}, "
                       f"unchanged {poll.unchanged}, failed {len(poll.item_errors)}: {poll.url}")
        if poll.moved_to:
            typer.echo(f"  moved permanently: watched at {poll.moved_to} from now on")
        for error in poll.item_errors:
            typer.echo(f"  failed: {error.path}: {error.error}", err=True)
    if jobs is not None:
        typer.echo(queued_ingest.describe(jobs))


def watch(
    once: Annotated[
        bool, typer.Option("--once", help="Poll what is due once, then exit.")
    ] = False,
    max_wait: Annotated[
        int, typer.Option(min=1, help="Seconds to sleep at most between checks for due "
                          "sources (sources added meanwhile are seen after this).")
    ] = 60,
    timeout: Timeout = DEFAULT_TIMEOUT,
    no_extract: NoExtract = False,
    queue: QueueOption = None,
    db: DbOption = None,
) -> None:
    """Run the scheduler here: poll each source when it is due, until Ctrl-C.

    With the queue, what is stored is extracted by `kartoteka worker`s.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    previous = signal.signal(signal.SIGTERM, _stop)  # systemd and docker stop with SIGTERM
    try:
        database = open_database(db, create=True)
        with _poller(database, queue=queue, extract=not no_extract, timeout=timeout) as (
                poller, queued):

            def show(report: PollReport) -> None:
                jobs = queued() if queued else None
                _print_report(report, False, jobs if jobs and any(jobs.values()) else None)

            run_scheduler(poller, show, once=once, max_wait=max_wait)
    except KeyboardInterrupt:
        typer.echo("stopped watching", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM ends ``watch`` as Ctrl-C does: the poll in hand rolls back, its lease lapses."""
    raise KeyboardInterrupt


def register(app: typer.Typer) -> None:
    sources_app.command()(add)
    sources_app.command("list")(list_sources)
    sources_app.command()(remove)
    sources_app.command()(run)
    app.add_typer(sources_app, name="sources")
    app.command()(watch)
