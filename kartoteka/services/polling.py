"""Poll watched sources: fetch what is due, store only what is new, keep the status.

``poll_due_sources`` is the one entry point every scheduler calls: ``kartoteka
watch`` in a loop (any backend), ``kartoteka sources run``, and a job queue's
periodic task on PostgreSQL.  Each source is claimed before it is fetched
(see ``store.sources``), so any number of pollers may run at once and a
source is still fetched by one of them only.

A poll asks with the last answer's validators (ETag, Last-Modified): a 304
stores nothing.  A changed answer goes through the same readers and the same
idempotent ``IngestService.store`` as ``kartoteka ingest``, so an item seen
before is "unchanged" and only new or changed items are written.  A failure
moves the source's next poll back (``watched.backoff_delay``); a success
resets it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.exc import DBAPIError

from kartoteka.ingest.base import ItemError, ReadFailure, ReadOptions, Skipped
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.fetch import (
    DEFAULT_TIMEOUT,
    Fetched,
    HttpStatusFailure,
    fetch_if_changed,
    http_client,
)
from kartoteka.ingest.formats import reader_for
from kartoteka.ingest.limits import limit_for, over_limit_message
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.ingest import IngestService, Outcome
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database
from kartoteka.store.sources import MAX_URL_LENGTH, SourceRepository
from kartoteka.watched import Source, SourceKind, backoff_delay

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
PAGE_FORMATS = ("html", "markdown", "text")
MAX_ITEM_ERRORS = 50  # kept per source: enough to act on, bounded for a broken feed
DEFAULT_BATCH = 100


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class SourcePoll:
    """What one poll of one source did."""

    source_id: int
    url: str
    result: str = "fetched"  # fetched | not_modified | failed
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: int = 0
    error: str | None = None
    retry_after: float | None = None  # seconds, when the server said so
    moved_to: str | None = None  # a permanent redirect's target, now the source's URL
    item_errors: list[ItemError] = field(default_factory=list)
    # Articles added or revised: what a job queue hands on to later stages.
    article_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.source_id, "url": self.url, "result": self.result,
            "added": self.added, "revised": self.revised, "unchanged": self.unchanged,
            "skipped": self.skipped, "error": self.error, "moved_to": self.moved_to,
            "item_errors": [e.as_dict() for e in self.item_errors],
            "article_ids": self.article_ids,
        }


@dataclass(slots=True)
class PollReport:
    polls: list[SourcePoll] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(p.added for p in self.polls)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.polls if p.result == "failed")

    def as_dict(self) -> dict[str, object]:
        return {"polled": len(self.polls), "added": self.added, "failed": self.failed,
                "sources": [p.as_dict() for p in self.polls]}


class SourcePoller:
    """Fetches claimed sources and records every outcome on the source's row."""

    def __init__(
        self,
        db: Database,
        *,
        ingest: IngestService | None = None,
        extract: bool = True,
        clock: Clock = _now,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.db = db
        self.ingest = ingest or ingest_service(db, extract=extract)
        self.clock = clock
        self.timeout = timeout
        self.client = http_client(timeout=timeout, transport=transport)
        # Longer than any fetch can take; storing a long feed renews it (``_renew``),
        # so a live poller never loses its claim and a dead one's lapses soon.
        self.lease = timedelta(seconds=timeout * 3 + 60)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> SourcePoller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def poll_due(self, limit: int = DEFAULT_BATCH) -> PollReport:
        """Every source whose time has come (up to ``limit``), each claimed first."""
        now = self.clock()
        with self.db.read() as conn:
            due = SourceRepository(conn).due(now, limit)
        return self._poll_claimed(due, force=False)

    def poll(self, source_ids: Sequence[int]) -> PollReport:
        """These sources now, due or not (``sources run ID``)."""
        return self._poll_claimed(source_ids, force=True)

    def poll_due_among(self, source_ids: Sequence[int]) -> PollReport:
        """Those of these sources whose time has come (``sources run ID --due``)."""
        return self._poll_claimed(source_ids, force=False)

    def next_due(self) -> datetime | None:
        with self.db.read() as conn:
            return SourceRepository(conn).next_due()

    def _poll_claimed(self, source_ids: Sequence[int], *, force: bool) -> PollReport:
        report = PollReport()
        for pk in source_ids:
            source = self._claim(pk, force)
            if source is not None:
                report.polls.append(self.poll_source(source))
        return report

    def _claim(self, pk: int, force: bool) -> Source | None:
        now = self.clock()
        with self.db.transaction() as conn:
            repo = SourceRepository(conn)
            if not repo.claim(pk, now, now + self.lease, force=force):
                return None  # another poller has it, or it was removed
            return repo.get(pk)

    def poll_source(self, source: Source) -> SourcePoll:
        """Fetch, read and store one (claimed) source; never raises for the source's faults."""
        assert source.pk is not None
        poll = SourcePoll(source.pk, source.url)
        fetched: Fetched | None = None
        try:
            fetched = self._fetch(source)
            if fetched.not_modified:
                poll.result = "not_modified"
            else:
                self._read_and_store(source, fetched, poll)
        except HttpStatusFailure as exc:
            poll.result, poll.error, poll.retry_after = "failed", str(exc), exc.retry_after
        except ReadFailure as exc:
            poll.result, poll.error = "failed", str(exc)
        except Exception as exc:  # a bug, not the source's fault: keep the traceback
            log.exception("source %s (%s): polling failed", source.pk, source.url)
            poll.result, poll.error = "failed", f"unexpected error ({type(exc).__name__}: {exc})"
        if poll.result == "failed":
            log.info("source %s (%s): %s", source.pk, source.url, poll.error)
        elif fetched is not None:  # the validators of what was read in full
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
            poll.moved_to = fetched.moved_to
        for error in poll.item_errors:
            log.info("source %s: %s: %s", source.pk, error.path, error.error)
        self._record(source, poll)
        return poll

    def _fetch(self, source: Source) -> Fetched:
        kinds = {SourceKind.FEED: ("feed",), SourceKind.PAGE: PAGE_FORMATS}
        formats = kinds.get(source.kind, ("feed", *PAGE_FORMATS))
        return fetch_if_changed(
            source.url, etag=source.etag, last_modified=source.last_modified,
            max_bytes=max(limit_for(f) for f in formats), client=self.client,
        )

    def _read_and_store(self, source: Source, fetched: Fetched, poll: SourcePoll) -> None:
        item = fetched.item
        assert item is not None
        if not item.data.strip():
            raise ReadFailure("the server answered with an empty body")
        fmt = detect_format(item)
        kind = SourceKind.FEED if fmt == "feed" else SourceKind.PAGE
        if fmt != "feed" and fmt not in PAGE_FORMATS:
            raise ReadFailure(f"neither a feed nor a web page (it reads as {fmt})")
        if source.kind is not SourceKind.UNKNOWN and kind is not source.kind:
            raise ReadFailure(f"it was a {source.kind.value} and now reads as {fmt}; "
                              "remove the source and add it again if it really changed")
        if len(item.data) > limit_for(fmt):
            raise ReadFailure(over_limit_message(fmt, len(item.data), limit_for(fmt)))
        source.kind = kind
        for result in reader_for(fmt).read(item, ReadOptions()):
            if isinstance(result, ItemError):
                poll.item_errors.append(result)
            elif isinstance(result, Skipped):
                poll.skipped += 1
            else:
                self._store(source, result, poll)

    def _store(self, source: Source, draft: ArticleDraft, poll: SourcePoll) -> None:
        self._renew(source)
        _apply_defaults(source, draft)
        try:
            article_id, outcome = self.ingest.store(draft)
        except Exception as exc:
            log.exception("source %s: %s not stored", source.pk, draft.key())
            poll.item_errors.append(ItemError(draft.key(), f"not stored: {exc}"))
            return
        if outcome is Outcome.UNCHANGED:
            poll.unchanged += 1
            return
        poll.article_ids.append(article_id)
        if outcome is Outcome.REVISED:
            poll.revised += 1
        else:
            poll.added += 1

    def _renew(self, source: Source) -> None:
        """Keep the claim while items are stored (NER on a long feed takes minutes)."""
        now = self.clock()
        if source.next_due_at is not None and source.next_due_at - now < self.lease / 2:
            assert source.pk is not None
            source.next_due_at = now + self.lease
            with self.db.transaction() as conn:
                SourceRepository(conn).extend_lease(source.pk, source.next_due_at)

    def _record(self, source: Source, poll: SourcePoll) -> None:
        now = self.clock()
        source.last_polled_at = now
        source.item_errors = [e.as_dict() for e in poll.item_errors[:MAX_ITEM_ERRORS]]
        # A reader may fail after storing some items: those count too.
        source.articles_added_last = poll.added
        source.articles_added_total += poll.added
        if poll.result == "failed":
            source.consecutive_failures += 1
            source.last_error, source.last_error_at = poll.error, now
        else:
            source.consecutive_failures = 0
            source.last_success_at = now
        retry_after = None if poll.retry_after is None else timedelta(seconds=poll.retry_after)
        source.next_due_at = now + backoff_delay(source.interval, source.consecutive_failures,
                                                 retry_after)
        with self.db.transaction() as conn:
            repo = SourceRepository(conn)
            if poll.moved_to:
                _follow_move(repo, source, poll, now)
            repo.save_state(source)


def _follow_move(repo: SourceRepository, source: Source, poll: SourcePoll, now: datetime) -> None:
    """Ask the new address from now on, as a permanent redirect says to.

    The old one is kept on the source (``moved_from``) and in the log.  No
    move is made when another source already watches the new address (the
    two would be one feed polled twice: the log says to remove one) or the
    address is longer than the table holds.
    """
    assert source.pk is not None and poll.moved_to is not None
    old, new = source.url, poll.moved_to
    taken = repo.by_url(new)
    if taken is not None and taken.pk != source.pk:
        log.info("source %s (%s) moved permanently to %s, which source %s already watches: "
                 "the old URL is kept; remove one of the two sources", source.pk, old, new,
                 taken.pk)
        poll.moved_to = None
        return
    if len(new) > MAX_URL_LENGTH:
        log.info("source %s (%s) moved permanently to an address longer than %d characters: "
                 "the old URL is kept", source.pk, old, MAX_URL_LENGTH)
        poll.moved_to = None
        return
    repo.set_url(source.pk, new, old, now)
    source.url, source.moved_from, source.moved_at = new, old, now
    log.info("source %s moved permanently from %s to %s: polled at the new URL from now on",
             source.pk, old, new)


def _apply_defaults(source: Source, draft: ArticleDraft) -> None:
    """The source's author and country, as ``ingest --author --country`` sets them.

    The author replaces what the reader found (for a page that is only the
    site's host name); the country is added to those the item names.
    """
    if source.author:
        kind = AuthorKind.CHANNEL if source.author.startswith("@") else AuthorKind.PERSON
        draft.author = Author(source.author, "", kind)
    if source.country and source.country not in draft.countries:
        draft.countries.append(source.country)


def run_scheduler(
    poller: SourcePoller,
    on_report: Callable[[PollReport], None],
    *,
    once: bool = False,
    max_wait: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll what is due, sleep until the next source is due, repeat (``kartoteka watch``).

    Sleeps at most ``max_wait`` seconds, so sources added by another process
    are seen.  A database that is away (a restart, a full disk) is logged
    with its traceback and tried again after ``max_wait``: the scheduler
    outlives it.  Ends with ``once`` after one round, else only by an
    exception such as KeyboardInterrupt.
    """
    while True:
        try:
            on_report(poller.poll_due())
            wait = _seconds_until(poller.next_due(), poller.clock(), max_wait)
        except DBAPIError:
            log.exception("the database is unavailable; trying again in %g s", max_wait)
            wait = max_wait
        if once:
            return
        sleep(wait)


def _seconds_until(moment: datetime | None, now: datetime, cap: float) -> float:
    if moment is None:
        return cap
    return min(max((moment - now).total_seconds(), 1.0), cap)


def poll_due_sources(
    db: Database, *, limit: int = DEFAULT_BATCH, extract: bool = True,
    timeout: float = DEFAULT_TIMEOUT, ingest: IngestService | None = None,
) -> PollReport:
    """Poll every due source once; safe to call from many processes at the same time.

    The entry point for schedulers: ``kartoteka watch`` runs the same polls in
    a loop, and a periodic job on a queue can call this every minute.  With
    ``extract=False`` (or an ``ingest`` service of its own) a queue can leave
    extraction to later jobs, for the report's ``article_ids``.
    """
    with SourcePoller(db, ingest=ingest, extract=extract, timeout=timeout) as poller:
        return poller.poll_due(limit)
