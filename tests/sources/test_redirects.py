"""A watched source that moved: permanent redirects change its URL, temporary ones do not.

Served by the local HTTP server on a real socket, on both backends; one
case goes through the CLI (``sources run``, ``sources list``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.ingest.fetch import fetch_if_changed
from kartoteka.services.ingest import IngestService
from kartoteka.services.polling import SourcePoller
from kartoteka.services.sources import SourceService
from kartoteka.store.database import Database
from kartoteka.store.sources import SourceRepository

from .conftest import ITEMS, Clock, Resource, Site, rss


@pytest.fixture
def poller(db: Database, clock: Clock) -> Iterator[SourcePoller]:
    with SourcePoller(db, ingest=IngestService(db, clock=clock), clock=clock) as made:
        yield made


def _urls(db: Database) -> list[str]:
    with db.read() as conn:
        return [s.url for s in SourceRepository(conn).all()]


def _watch(db: Database, clock: Clock, *urls: str) -> list[int]:
    service = SourceService(db, clock=clock)
    return [pk for pk in (service.add(u).pk for u in urls) if pk is not None]


@pytest.mark.parametrize(
    ("hops", "moved_to"),
    [
        ([301], "/1"),
        ([308], "/1"),
        ([302], None),
        ([307], None),
        ([301, 308], "/2"),
        ([301, 302], "/1"),  # what follows a temporary hop may change back
        ([307, 301], None),
    ],
)
def test_only_an_unbroken_run_of_permanent_redirects_moves(
    site: Site, hops: list[int], moved_to: str | None
) -> None:
    for n, status in enumerate(hops):
        site.resources[f"/{n}"] = Resource(b"", redirect=(status, f"/{n + 1}"))
    site.resources[f"/{len(hops)}"] = Resource(rss(ITEMS))
    fetched = fetch_if_changed(site.url("/0"))
    assert fetched.item is not None and fetched.item.origin == site.url(f"/{len(hops)}")
    assert fetched.moved_to == (None if moved_to is None else site.url(moved_to))


def test_a_permanent_redirect_moves_the_source(
    db: Database, site: Site, clock: Clock, poller: SourcePoller
) -> None:
    site.resources["/old"] = Resource(b"", redirect=(301, "/new"))
    site.resources["/new"] = Resource(rss(ITEMS), etag='"v1"')
    ids = _watch(db, clock, site.url("/old"))
    [poll] = poller.poll(ids).polls
    assert (poll.added, poll.moved_to) == (3, site.url("/new"))
    assert _urls(db) == [site.url("/new")]
    moved = SourceService(db, clock=clock).list()[0]
    assert (moved.moved_from, moved.moved_at) == (site.url("/old"), clock.now)

    site.requests.clear()
    [again] = poller.poll(ids).polls
    assert again.result == "not_modified"
    assert [r.path for r in site.requests] == ["/new"]  # the old address is not asked again


def test_a_temporary_redirect_keeps_the_url(
    db: Database, site: Site, clock: Clock, poller: SourcePoller
) -> None:
    site.resources["/feed"] = Resource(b"", redirect=(307, "/mirror"))
    site.resources["/mirror"] = Resource(rss(ITEMS))
    [poll] = poller.poll(_watch(db, clock, site.url("/feed"))).polls
    assert (poll.added, poll.moved_to) == (3, None)
    assert _urls(db) == [site.url("/feed")]


def test_a_move_onto_a_watched_url_keeps_both(
    db: Database, site: Site, clock: Clock, poller: SourcePoller
) -> None:
    site.resources["/old"] = Resource(b"", redirect=(301, "/new"))
    site.resources["/new"] = Resource(rss(ITEMS))
    ids = _watch(db, clock, site.url("/new"), site.url("/old"))
    report = poller.poll(ids)
    assert [p.moved_to for p in report.polls] == [None, None]
    assert report.failed == 0
    assert _urls(db) == [site.url("/new"), site.url("/old")]


def test_the_cli_reports_the_move_and_lists_the_new_url(database_url: str, site: Site) -> None:
    site.resources["/old"] = Resource(b"", redirect=(301, "/new"))
    site.resources["/new"] = Resource(rss(ITEMS))
    runner = CliRunner()

    def kartoteka(*args: str) -> str:
        result = runner.invoke(app, ["--db", database_url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    kartoteka("sources", "add", site.url("/old"))
    assert f"moved permanently: watched at {site.url('/new')}" in kartoteka("sources", "run")
    [row] = json.loads(kartoteka("sources", "list", "--json"))
    assert (row["url"], row["moved_from"]) == (site.url("/new"), site.url("/old"))
    assert f"moved permanently from {site.url('/old')} on " in kartoteka("sources", "list")
