"""The admin area's watched sources page: status per source, add and remove."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kartoteka.services.sources import SourceService
from kartoteka.store.database import Database
from kartoteka.store.sources import SourceRepository
from tests.web.accounts_support import Site, csrf_in


@pytest.fixture
def site(db: Database) -> Site:
    return Site(db)


def test_the_page_shows_each_sources_status(site: Site, db: Database) -> None:
    service = SourceService(db)
    ok = service.add("https://granica.example/feed.xml", every="30m", country="rs")
    failing = service.add("https://dead.example/rss")
    with db.transaction() as conn:
        repo = SourceRepository(conn)
        assert ok.pk is not None and failing.pk is not None
        ok.last_success_at = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)
        ok.articles_added_total, ok.articles_added_last = 12, 2
        repo.save_state(ok)
        failing.consecutive_failures = 3
        failing.last_error = "the server answered HTTP 503 Service Unavailable"
        failing.last_error_at = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
        failing.item_errors = [{"path": "https://dead.example/rss", "error": "item 2: bad"}]
        repo.save_state(failing)
        repo.set_url(ok.pk, "https://granica.example/rss", "https://granica.example/feed.xml",
                     datetime(2026, 12, 4, 9, 30, tzinfo=UTC))
    client, _ = site.signed_in("admin")
    html = client.get("/admin/sources").text
    row_ok = html.split(f'id="source-{ok.pk}"')[1].split("</tr>")[0]
    assert "2026-12-04 10:05 UTC" in row_ok
    assert "12 (last poll 2)" in row_ok
    assert "every 30m" in row_ok and "· rs" in row_ok
    # A permanent redirect moved it: the new address, and where it came from.
    assert '<a href="https://granica.example/rss"' in row_ok
    assert "moved here from https://granica.example/feed.xml · <time" in row_ok
    assert "2026-12-04 09:30 UTC" in row_ok
    row_failing = html.split(f'id="source-{failing.pk}"')[1].split("</tr>")[0]
    assert "failing (3 failures in a row)" in row_failing
    assert "HTTP 503 Service Unavailable" in row_failing
    assert "item 2: bad" in row_failing


def test_an_admin_adds_and_removes_a_source(site: Site, db: Database) -> None:
    client, token = site.signed_in("admin")
    added = client.post("/admin/sources", data={
        "csrf_token": token, "url": "https://granica.example/feed.xml", "every": "2h",
        "author": "@granica", "country": "RS"}, follow_redirects=False)
    assert added.status_code == 303
    [source] = SourceService(db).list()
    assert (source.url, source.author, source.country) == (
        "https://granica.example/feed.xml", "@granica", "rs")
    assert "The source is watched" in client.get(added.headers["location"]).text
    removed = client.post(f"/admin/sources/{source.pk}/remove", data={"csrf_token": token},
                          follow_redirects=False)
    assert removed.status_code == 303
    assert SourceService(db).list() == []


def test_a_bad_interval_is_shown_beside_its_field(site: Site, db: Database) -> None:
    client, _ = site.signed_in("admin")
    token = csrf_in(client.get("/admin/sources").text)
    response = client.post("/admin/sources", data={
        "csrf_token": token, "url": "https://granica.example/feed.xml", "every": "often"})
    assert response.status_code == 422
    assert 'id="f-every-error"' in response.text
    assert "bad interval &#39;often&#39;" in response.text
    assert 'value="https://granica.example/feed.xml"' in response.text  # kept for a retry
    assert SourceService(db).list() == []


def test_an_editor_may_not_see_the_page(site: Site) -> None:
    client, _ = site.signed_in("editor")
    assert client.get("/admin/sources").status_code == 403
