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


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_moves_the_source(
    db: Database, site: Site, clock: Clock, poller: SourcePoller, status: int
) -> None:
    site.resources["/old"] = Resource(b"", redirect=(status, "/new"))
    site.resources["/new"] = Resource(rss(ITEMS), etag='"v1"')
    ids = _watch(db, clock, site.url("/old"))
    [poll] = poller.poll(ids).polls
    assert (poll.added, poll.moved_to) == (3, site.url("/new"))
    assert _urls(db) == [site.url("/new")]

    site.requests.clear()
    [again] = poller.poll(ids).polls
    assert again.result == "not_modified"
    assert [r.path for r in site.requests] == ["/new"]  # the old address is not asked again


@pytest.mark.parametrize("status", [302, 307])
def test_a_temporary_redirect_keeps_the_url(
    db: Database, site: Site, clock: Clock, poller: SourcePoller, status: int
) -> None:
    site.resources["/feed"] = Resource(b"", redirect=(status, "/mirror"))
    site.resources["/mirror"] = Resource(rss(ITEMS))
    [poll] = poller.poll(_watch(db, clock, site.url("/feed"))).polls
    assert (poll.added, poll.moved_to) == (3, None)
    assert _urls(db) == [site.url("/feed")]


def test_only_the_permanent_hops_before_a_temporary_one_count(
    db: Database, site: Site, clock: Clock, poller: SourcePoller
) -> None:
    site.resources["/a"] = Resource(b"", redirect=(301, "/b"))
    site.resources["/b"] = Resource(b"", redirect=(302, "/c"))
    site.resources["/c"] = Resource(rss(ITEMS))
    poller.poll(_watch(db, clock, site.url("/a")))
    assert _urls(db) == [site.url("/b")]


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
    assert row["url"] == site.url("/new")
    assert site.url("/old") not in kartoteka("sources", "list")
