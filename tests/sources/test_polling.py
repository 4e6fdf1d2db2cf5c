"""Polling watched sources against a local HTTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import text

from kartoteka.services.ingest import IngestService
from kartoteka.services.polling import PollReport, SourcePoller, poll_due_sources, run_scheduler
from kartoteka.services.sources import SourceService
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.sources import SourceRepository
from kartoteka.watched import Source, SourceKind

from .conftest import ITEMS, Clock, Resource, Site, rss

HOUR = timedelta(hours=1)


_open: list[SourcePoller] = []


@pytest.fixture(autouse=True)
def _close_pollers() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def _poller(db: Database, clock: Clock, **options: object) -> SourcePoller:
    poller = SourcePoller(db, ingest=IngestService(db, clock=clock), clock=clock,
                          **options)  # type: ignore[arg-type]
    _open.append(poller)
    return poller


def _source(db: Database, pk: int | None) -> Source:
    assert pk is not None
    with db.read() as conn:
        found = SourceRepository(conn).get(pk)
    assert found is not None
    return found


def _article_count(db: Database) -> int:
    with db.read() as conn:
        return ArticleRepository(conn).count()


def test_first_poll_learns_the_kind_and_stores_every_item(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), etag='"v1"')
    added = SourceService(db, clock=clock).add(site.url("/feed"), every="30m", country="rs")
    report = _poller(db, clock).poll_due()
    [poll] = report.polls
    assert (poll.result, poll.added, poll.unchanged, poll.error) == ("fetched", 3, 0, None)
    source = _source(db, added.pk)
    assert source.kind is SourceKind.FEED
    assert source.etag == '"v1"'
    assert source.articles_added_total == source.articles_added_last == 3
    assert source.last_success_at == clock.now
    assert source.next_due_at == clock.now + timedelta(minutes=30)
    assert _article_count(db) == 3


def test_unchanged_feed_answers_304_and_stores_nothing(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), etag='"v1"')
    added = SourceService(db, clock=clock).add(site.url("/feed"))
    poller = _poller(db, clock)
    poller.poll_due()
    clock.advance(HOUR)
    [poll] = poller.poll_due().polls
    assert poll.result == "not_modified"
    assert site.requests[-1].if_none_match == '"v1"'
    assert site.not_modified == 1
    source = _source(db, added.pk)
    assert (source.articles_added_total, source.articles_added_last) == (3, 0)
    assert source.next_due_at == clock.now + HOUR
    assert _article_count(db) == 3


def test_last_modified_alone_is_sent_back(db: Database, site: Site, clock: Clock) -> None:
    stamp = "Fri, 04 Dec 2026 10:00:00 GMT"
    site.resources["/feed"] = Resource(rss(ITEMS), last_modified=stamp)
    SourceService(db, clock=clock).add(site.url("/feed"))
    poller = _poller(db, clock)
    poller.poll_due()
    clock.advance(HOUR)
    [poll] = poller.poll_due().polls
    assert poll.result == "not_modified"
    assert (site.requests[-1].if_modified_since, site.requests[-1].if_none_match) == (stamp, None)


def test_changed_feed_stores_only_the_new_and_the_changed_items(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS[:2]), etag='"v1"')
    added = SourceService(db, clock=clock).add(site.url("/feed"))
    poller = _poller(db, clock)
    poller.poll_due()
    changed = (ITEMS[1][0], ITEMS[1][1], ITEMS[1][2] + " The defence asked for more time.")
    site.resources["/feed"] = Resource(rss([ITEMS[0], changed, ITEMS[2]]), etag='"v2"')
    clock.advance(HOUR)
    [poll] = poller.poll_due().polls
    assert (poll.added, poll.revised, poll.unchanged) == (1, 1, 1)
    with db.read() as conn:
        found = ArticleRepository(conn).get_many(poll.article_ids)
    assert [found[i].title for i in poll.article_ids] == [ITEMS[1][1], ITEMS[2][1]]
    assert site.requests[-1].if_none_match == '"v1"'
    source = _source(db, added.pk)
    assert (source.etag, source.articles_added_total, source.articles_added_last) == ('"v2"', 3, 1)
    assert _article_count(db) == 3


def test_errors_back_off_exponentially_up_to_a_cap_and_success_resets(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), fail_status=503)
    added = SourceService(db, clock=clock).add(site.url("/feed"), every="2h")
    poller = _poller(db, clock)
    delays = []
    for _ in range(6):
        [poll] = poller.poll_due().polls
        assert poll.result == "failed"
        source = _source(db, added.pk)
        assert source.next_due_at is not None
        delays.append(source.next_due_at - clock.now)
        clock.now = source.next_due_at - timedelta(seconds=1)
        assert poller.poll_due().polls == []  # not due a second early
        clock.now = source.next_due_at
    assert [d / timedelta(hours=1) for d in delays] == [4, 8, 16, 24, 24, 24]
    source = _source(db, added.pk)
    assert source.consecutive_failures == 6
    assert source.status == "failing"
    assert source.last_error == "the server answered HTTP 503 Service Unavailable"
    site.resources["/feed"].fail_status = None
    [poll] = poller.poll_due().polls
    assert poll.result == "fetched"
    source = _source(db, added.pk)
    assert (source.consecutive_failures, source.status) == (0, "ok")
    assert source.next_due_at == clock.now + timedelta(hours=2)
    assert source.last_error is not None  # kept, so the list can say what went wrong before


def test_item_errors_are_recorded_with_the_source_and_the_rest_goes_in(
    db: Database, site: Site, clock: Clock
) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Granica",
        "items": [
            {"id": "j1", "title": ITEMS[0][1], "content_text": ITEMS[0][2]},
            "not an item",
            {"id": "j2", "title": ITEMS[1][1], "content_text": ITEMS[1][2]},
        ],
    }
    site.resources["/feed.json"] = Resource(json.dumps(feed).encode(),
                                            content_type="application/feed+json")
    added = SourceService(db, clock=clock).add(site.url("/feed.json"))
    [poll] = _poller(db, clock).poll_due().polls
    assert (poll.result, poll.added, len(poll.item_errors)) == ("fetched", 2, 1)
    source = _source(db, added.pk)
    [error] = source.item_errors
    assert error["path"] == site.url("/feed.json")
    assert "item 2" in error["error"]


def test_a_page_is_stored_with_the_sources_author_and_country(
    db: Database, site: Site, clock: Clock
) -> None:
    page = (b"<html><head><title>Checkpoint reopened</title></head><body><article>"
            b"<h1>Checkpoint reopened</h1><p>" + ITEMS[2][2].encode() + b"</p>"
            b"<p>Residents said the protests would resume if the promises were broken.</p>"
            b"</article></body></html>")
    site.resources["/news/1"] = Resource(page, content_type="text/html; charset=utf-8")
    added = SourceService(db, clock=clock).add(site.url("/news/1"), author="@granica",
                                               country="XK")
    [poll] = _poller(db, clock).poll_due().polls
    assert (poll.result, poll.added) == ("fetched", 1)
    assert _source(db, added.pk).kind is SourceKind.PAGE
    with db.read() as conn:
        [article] = list(ArticleRepository(conn).iter_all())
    assert article.author is not None and article.author.handle == "@granica"
    assert article.countries == ["xk"]


def test_a_slow_server_times_out_as_an_error(db: Database, site: Site, clock: Clock) -> None:
    site.resources["/slow"] = Resource(rss(ITEMS), delay=2.0)
    added = SourceService(db, clock=clock).add(site.url("/slow"))
    [poll] = _poller(db, clock, timeout=0.3).poll_due().polls
    assert poll.result == "failed"
    assert "timed out" in (poll.error or "")
    assert _source(db, added.pk).consecutive_failures == 1


def test_an_answer_over_the_input_limit_is_refused(
    db: Database, site: Site, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "feed=1,html=1,text=1,markdown=1")
    big = [(f"b{i}", f"Item {i}", "x " * 2000) for i in range(300)]
    site.resources["/big"] = Resource(rss(big))
    SourceService(db, clock=clock).add(site.url("/big"))
    [poll] = _poller(db, clock).poll_due().polls
    assert poll.result == "failed"
    assert "too large" in (poll.error or "")
    assert _article_count(db) == 0


def test_a_feed_that_turns_into_a_page_is_an_error(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), etag='"v1"')
    SourceService(db, clock=clock).add(site.url("/feed"))
    poller = _poller(db, clock)
    poller.poll_due()
    site.resources["/feed"] = Resource(b"<html><body><p>Maintenance</p><p>soon</p></body></html>",
                                       content_type="text/html", etag='"v2"')
    clock.advance(HOUR)
    [poll] = poller.poll_due().polls
    assert poll.result == "failed"
    assert "was a feed and now reads as html" in (poll.error or "")


def test_a_claimed_source_is_not_polled_by_a_second_poller(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS))
    added = SourceService(db, clock=clock).add(site.url("/feed"))
    assert added.pk is not None
    with db.transaction() as conn:
        repo = SourceRepository(conn)
        assert repo.claim(added.pk, clock.now, clock.now + HOUR)
        assert not repo.claim(added.pk, clock.now, clock.now + HOUR)
    assert _poller(db, clock).poll_due().polls == []  # the lease holds it
    assert site.requests == []
    clock.advance(HOUR)
    assert len(_poller(db, clock).poll_due().polls) == 1  # a dead poller's lease runs out


def test_only_due_sources_are_polled_and_run_forces_one(
    db: Database, site: Site, clock: Clock
) -> None:
    site.resources["/a"] = Resource(rss(ITEMS[:1]))
    site.resources["/b"] = Resource(rss(ITEMS[1:2]))
    service = SourceService(db, clock=clock)
    a = service.add(site.url("/a"), every="1h")
    b = service.add(site.url("/b"), every="1d")
    poller = _poller(db, clock)
    assert len(poller.poll_due().polls) == 2
    clock.advance(HOUR)
    assert [p.source_id for p in poller.poll_due().polls] == [a.pk]
    assert b.pk is not None
    assert [p.source_id for p in poller.poll([b.pk]).polls] == [b.pk]
    assert poller.next_due() == clock.now + HOUR


def test_two_pollers_at_once_fetch_each_source_once(
    db: Database, site: Site, clock: Clock
) -> None:
    service = SourceService(db, clock=clock)
    for n in range(8):
        site.resources[f"/feed/{n}"] = Resource(rss([(f"c{n}", f"Report {n}", ITEMS[n % 3][2])]),
                                                delay=0.05)
        service.add(site.url(f"/feed/{n}"))
    pollers = [_poller(db, clock), _poller(db, clock)]
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda p: p.poll_due(), pollers))
    polled = sorted(p.source_id for r in reports for p in r.polls)
    assert polled == sorted({*polled}) and len(polled) == 8
    assert len(site.requests) == 8
    assert sum(r.added for r in reports) == 8
    assert _article_count(db) == 8


def test_the_scheduler_entry_point_polls_what_is_due(db: Database, site: Site) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS), etag='"v1"')
    SourceService(db).add(site.url("/feed"), every="1m")
    report = poll_due_sources(db, extract=False)
    assert report.as_dict()["polled"] == 1 and report.added == 3 and report.failed == 0
    assert poll_due_sources(db, extract=False).polls == []  # not due again for a minute


def test_a_long_store_renews_the_claim_so_it_never_lapses(
    db: Database, site: Site, clock: Clock
) -> None:
    items = [(f"l{i}", f"Long feed item {i}", f"{ITEMS[i % 3][2]} Item number {i}.")
             for i in range(12)]
    site.resources["/long"] = Resource(rss(items))
    added = SourceService(db, clock=clock).add(site.url("/long"))
    assert added.pk is not None
    seen: list[bool] = []

    def slow_store(repo: ArticleRepository, article_id: str, outcome: object) -> None:
        clock.advance(timedelta(seconds=40))  # each item takes 40 s (NER, say)
        claim = SourceRepository(repo.conn).get(added.pk)  # type: ignore[arg-type]
        assert claim is not None and claim.next_due_at is not None
        seen.append(claim.next_due_at > clock.now)

    ingest = IngestService(db, clock=clock, after_store=[slow_store])
    poller = SourcePoller(db, ingest=ingest, clock=clock)
    _open.append(poller)
    assert poller.lease < timedelta(seconds=40 * 12)  # the store outlasts one lease
    [poll] = poller.poll_due().polls
    assert poll.added == 12
    assert seen == [True] * 12


def test_the_scheduler_outlives_a_database_failure(
    db: Database, site: Site, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS))
    SourceService(db, clock=clock).add(site.url("/feed"))
    with db.transaction() as conn:  # the table is away: every query fails
        conn.execute(text("ALTER TABLE sources RENAME TO sources_away"))
    reports: list[PollReport] = []
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:
            with db.transaction() as conn:
                conn.execute(text("ALTER TABLE sources_away RENAME TO sources"))
        else:
            raise KeyboardInterrupt  # Ctrl-C after the second round

    with pytest.raises(KeyboardInterrupt):
        run_scheduler(_poller(db, clock), reports.append, max_wait=7200, sleep=sleep)
    assert waits == [7200, 3600]  # retried after max_wait; then slept until due again
    assert [r.added for r in reports] == [3]
    [failure] = [r for r in caplog.records if "database is unavailable" in r.getMessage()]
    assert failure.exc_info is not None  # the traceback is kept in the log


@pytest.mark.parametrize(("retry_after", "hours"), [("36000", 10), (None, 2), ("999999", 24),
                                                    ("in a while", 2), ("http-date", 5)])
def test_a_servers_retry_after_is_honoured_within_the_cap(
    db: Database, site: Site, clock: Clock, retry_after: str | None, hours: float
) -> None:
    if retry_after == "http-date":
        retry_after = format_datetime(datetime.now(UTC) + timedelta(hours=5, seconds=30),
                                      usegmt=True)
    site.resources["/feed"] = Resource(rss(ITEMS), fail_status=429, retry_after=retry_after)
    added = SourceService(db, clock=clock).add(site.url("/feed"), every="1h")
    [poll] = _poller(db, clock).poll_due().polls
    assert poll.error == "the server answered HTTP 429 Too Many Requests"
    due = _source(db, added.pk).next_due_at
    assert due is not None
    assert (due - clock.now) // timedelta(hours=1) == hours
