"""The anonymous page cache: repeats are answered from memory, any commit empties it,
and nothing per-user or unpublished is ever kept."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kartoteka.auth.roles import Actor
from kartoteka.services.deletion import DeletionService
from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.store.database import Database
from kartoteka.web.app import app_from_env, create_app
from kartoteka.web.page_cache import CACHE_HEADER, PageCache

from .conftest import WebData

HEADER = CACHE_HEADER.decode()


def test_a_repeat_is_answered_from_the_cache_with_the_same_bytes_and_headers(
    client: TestClient, web_data: WebData
) -> None:
    first = client.get(f"/articles/{web_data.kla}")
    second = client.get(f"/articles/{web_data.kla}")
    assert (first.headers[HEADER], second.headers[HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert "default-src 'self'" in second.headers["content-security-policy"]
    # A different query string is a different page.
    assert client.get(f"/articles/{web_data.kla}?x=1").headers[HEADER] == "miss"


def test_a_forged_host_header_does_not_decide_what_others_get(client: TestClient) -> None:
    forged = client.get("/sitemap.xml", headers={"Host": "evil.example"})
    assert "http://evil.example/" in forged.text
    honest = client.get("/sitemap.xml")
    assert honest.headers[HEADER] == "miss" and "evil.example" not in honest.text
    assert client.get("/sitemap.xml").headers[HEADER] == "hit"


def test_the_api_is_cached_the_same_way(client: TestClient) -> None:
    first = client.get("/api/v1/search", params={"q": "militia"})
    second = client.get("/api/v1/search", params={"q": "militia"})
    assert (first.headers[HEADER], second.headers[HEADER]) == ("miss", "hit")
    assert second.json() == first.json() and first.json()["total"] >= 1


def test_a_commit_in_this_process_empties_it(
    client: TestClient, db: Database, web_data: WebData
) -> None:
    path = f"/articles/{web_data.original}"
    client.get(path)
    assert client.get(path).headers[HEADER] == "hit"
    DeletionService(db).delete(Actor.operator("test"), web_data.original)
    gone = client.get(path)
    assert (gone.status_code, gone.headers[HEADER]) == (404, "miss")
    again = client.get(path)  # an error is never kept either
    assert (again.status_code, again.headers[HEADER]) == (404, "miss")


def test_a_commit_from_another_process_empties_it(
    client: TestClient, db: Database, web_data: WebData, tmp_path: Path
) -> None:
    path = f"/articles/{web_data.revised}"
    client.get(path)
    assert "Militia notes, corrected" in client.get(path).text
    note = tmp_path / "revised.md"  # the file ``fill`` ingested three versions of
    note.write_text(
        "---\nauthor: @notes_test\ncountries: ba\n---\n"
        "# Militia notes, final\n\nThe militia held the old bridge until May 2021.",
        "utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "kartoteka", "ingest", str(note), "--no-extract", "--db", db.url],
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = client.get(path)
    assert fresh.headers[HEADER] == "miss"
    assert "Militia notes, final" in fresh.text and "until May 2021" in fresh.text


def test_signed_in_and_token_requests_never_touch_it(
    client: TestClient, web_data: WebData
) -> None:
    path = f"/articles/{web_data.kla}"
    client.get(path)
    assert client.get(path).headers[HEADER] == "hit"
    client.cookies.set(COOKIE_NAME, "some-session")
    assert HEADER not in client.get(path).headers
    client.cookies.clear()
    with_token = client.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert with_token.status_code == 401 and HEADER not in with_token.headers


def test_responses_that_set_a_cookie_are_not_kept(client: TestClient) -> None:
    first = client.get("/login")
    client.cookies.clear()
    second = client.get("/login")
    assert "set-cookie" in first.headers and "set-cookie" in second.headers
    assert (first.headers[HEADER], second.headers[HEADER]) == ("miss", "miss")


def test_static_files_and_other_methods_pass_by(client: TestClient) -> None:
    assert HEADER not in client.get("/static/css/site.css").headers
    assert HEADER not in client.head("/").headers


def test_turned_off_it_keeps_nothing(db: Database, web_data: WebData) -> None:
    with TestClient(create_app(db, page_cache_bytes=0)) as plain:
        plain.get(f"/articles/{web_data.kla}")
        assert HEADER not in plain.get(f"/articles/{web_data.kla}").headers


def test_it_stays_within_its_budget(db: Database, web_data: WebData) -> None:
    """Room for eight article pages: after ten, the oldest are gone and the total holds."""
    with TestClient(create_app(db, page_cache_bytes=0)) as plain:
        # With a query as long as the pages' below: the language switch repeats it.
        size = len(plain.get(f"/articles/{web_data.kla}?copy=0").content)
    budget = 8 * size
    app = create_app(db, page_cache_bytes=budget)
    with TestClient(app) as small:
        pages = [f"/articles/{web_data.kla}?copy={n}" for n in range(10)]
        for page in pages:
            assert small.get(page).headers[HEADER] == "miss"
        cache = _page_cache(app)
        assert 0 < cache._bytes <= budget
        assert small.get(pages[-1]).headers[HEADER] == "hit"
        assert small.get(pages[0]).headers[HEADER] == "miss"


def _page_cache(app: FastAPI) -> PageCache:
    """The PageCache instance inside the app's middleware stack."""
    layer: object = app.middleware_stack
    while layer is not None and not isinstance(layer, PageCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, PageCache), "no PageCache in the middleware stack"
    return layer


def test_concurrent_readers_of_one_page_share_a_single_build(
    db: Database, web_data: WebData
) -> None:
    """Eight readers at once, the page not yet kept: the route runs once, all get it."""
    app = create_app(db)
    cache = _page_cache_after_start(app)
    path = f"/articles/{web_data.kla}"

    async def read_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return list(await asyncio.gather(*(c.get(path) for _ in range(8))))

    responses = asyncio.run(read_all())
    assert [r.status_code for r in responses] == [200] * 8
    assert len({r.content for r in responses}) == 1
    assert (cache.misses, cache.hits) == (1, 7)
    assert sorted(r.headers[HEADER] for r in responses) == ["hit"] * 7 + ["miss"]


def _page_cache_after_start(app: FastAPI) -> PageCache:
    """Starlette builds the middleware stack on the first request; build it now."""
    app.middleware_stack = app.build_middleware_stack()
    return _page_cache(app)


def test_the_worker_factory_takes_its_budget_from_the_environment(
    db: Database, web_data: WebData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``kartoteka serve`` runs in each worker: KARTOTEKA_PAGE_CACHE_MB decides."""
    monkeypatch.setenv("KARTOTEKA_DATABASE_URL", db.url)
    path = f"/articles/{web_data.kla}"
    for megabytes, second in (("0", None), ("8", "hit")):
        monkeypatch.setenv("KARTOTEKA_PAGE_CACHE_MB", megabytes)
        app = app_from_env()
        with TestClient(app) as worker:
            worker.get(path)
            assert worker.get(path).headers.get(HEADER) == second
        app.state.db.dispose()
    monkeypatch.setenv("KARTOTEKA_PAGE_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="KARTOTEKA_PAGE_CACHE_MB must be a whole number"):
        app_from_env()
