"""A poll's bookkeeping keeps the web workers' page caches; new articles empty them.

The page cache asks ``Database.content_version`` before serving a page: a
poll that found nothing new writes only the source's status, and must not
change the answer (every source polled each minute would otherwise empty
every cache each minute); a poll that stores an article must change it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kartoteka.services.ingest import IngestService
from kartoteka.services.polling import SourcePoller
from kartoteka.services.sources import SourceService
from kartoteka.store.database import Database

from .conftest import ITEMS, Clock, Resource, Site, rss


@pytest.fixture
def poller(db: Database, clock: Clock) -> Iterator[SourcePoller]:
    with SourcePoller(db, ingest=IngestService(db, clock=clock), clock=clock) as made:
        yield made


def test_a_poll_that_finds_nothing_new_keeps_the_version(
    db: Database, site: Site, clock: Clock, poller: SourcePoller
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS[:2]))  # no validators: read in full each time
    site.resources["/tagged"] = Resource(rss(ITEMS[2:]), etag='"v1"')
    service = SourceService(db, clock=clock)
    first, second = service.add(site.url("/feed")), service.add(site.url("/tagged"))
    assert first.pk is not None and second.pk is not None
    assert poller.poll([first.pk, second.pk]).added == 3
    before = db.content_version()
    assert before is not None

    report = poller.poll([first.pk, second.pk])  # the same items again; a 304
    assert [(p.result, p.added, p.unchanged) for p in report.polls] == [
        ("fetched", 0, 2), ("not_modified", 0, 0)]
    assert site.not_modified == 1
    assert db.content_version() == before

    site.resources["/tagged"] = Resource(rss(ITEMS), etag='"v2"')
    site.resources["/feed"].fail_status = 503  # a failure is bookkeeping too
    report = poller.poll([first.pk])
    assert report.failed == 1
    assert db.content_version() == before


def test_a_poll_that_stores_an_article_changes_the_version(
    db: Database, site: Site, clock: Clock, poller: SourcePoller
) -> None:
    site.resources["/feed"] = Resource(rss(ITEMS[:1]))
    added = SourceService(db, clock=clock).add(site.url("/feed"))
    assert added.pk is not None
    poller.poll([added.pk])
    before = db.content_version()

    site.resources["/feed"] = Resource(rss(ITEMS[:2]))
    assert poller.poll([added.pk]).added == 1
    assert db.content_version() != before
