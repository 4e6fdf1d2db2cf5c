"""Read access never leaks unpublished or deleted articles: not through pages,
search, the API, the catalog, related materials, exports or the sitemap.

Each hidden article carries a marker word that appears nowhere else, so a
leak anywhere shows up as the marker in a response body.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.routing import iter_route_contexts

from kartoteka.auth.roles import Actor, Role
from kartoteka.services.export import write_csv, write_jsonl
from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import WebData

MARKERS = {
    "draft": "zqxdraftmarker",
    "changes": "zqxchangesmarker",
    "rejected": "zqxrejectedmarker",
    "deleted": "zqxdeletedmarker",
}


@pytest.fixture
def hidden(db: Database, web_data: WebData) -> Iterator[tuple[Site, dict[str, str]]]:
    site = Site(db)
    author = Actor(site.email("contributor"), Role.CONTRIBUTOR)
    editor = Actor(site.email("editor"), Role.EDITOR)
    review = site.services.review
    ids = {}
    for kind, marker in MARKERS.items():
        ids[kind] = review.submit_text(
            author, f"Kosovo {marker} report", f"Kosovo {marker} in the text.", countries=["xk"]
        ).article_id
    review.request_changes(editor, ids["changes"], "cite a source")
    review.reject(editor, ids["rejected"])
    review.publish(editor, ids["deleted"])
    site.services.deletion.delete(editor, ids["deleted"])
    yield site, ids


def _public_urls(site: Site, ids: dict[str, str]) -> list[str]:
    urls = [
        "/",
        "/authors",
        "/countries/xk",
        "/search?q=kosovo",
        "/api/v1/articles?limit=200",
        "/api/v1/articles?country=xk&limit=200",
        "/api/v1/search?q=kosovo&limit=200",
        "/api/v1/authors",
        "/sitemap.xml",
    ]
    for marker in MARKERS.values():
        urls += [f"/search?q={marker}", f"/api/v1/search?q={marker}"]
    for article_id in ids.values():
        urls += [
            f"/articles/{article_id}",
            f"/api/v1/articles/{article_id}",
            f"/articles/{article_id}/history",
            f"/articles/{article_id}/revisions/1",
            f"/articles/{article_id}/diff?old=1&new=1",
        ]
    served = {r.path for r in iter_route_contexts(site.app.routes)}
    assert {"/api/v1/catalog", "/api/v1/articles/{article_id}/related"} <= served
    urls += ["/api/v1/catalog", "/api/v1/catalog?country=xk"]
    urls += [f"/api/v1/articles/{i}/related" for i in ids.values()]
    # Related materials of public articles: the hidden ones share their words.
    public = site.client().get("/api/v1/articles?limit=200").json()["items"]
    assert public
    for item in public:
        urls += [f"/api/v1/articles/{item['id']}/related?limit=50", f"/articles/{item['id']}"]
    return urls


@pytest.mark.parametrize("role", ["anonymous", "reader", "contributor"])
def test_hidden_articles_leak_nowhere(hidden: tuple[Site, dict[str, str]], role: str) -> None:
    site, ids = hidden
    if role == "contributor":
        # Another contributor: the author may see their own drafts, nobody else may.
        site.services.accounts.add_user(
            Actor.operator(), "other@example.org", Role.CONTRIBUTOR, password="p" * 12
        )
        client = site.client()
        assert site.sign_in_through_form(client, "other@example.org", "p" * 12) == 303
    else:
        client, _token = site.signed_in(role)
    for url in _public_urls(site, ids):
        response = client.get(url)
        assert response.status_code < 500, url
        if "q=zqx" in url:
            # A search echoes its query: look for the hidden articles' ids instead.
            for article_id in ids.values():
                assert article_id not in response.text, f"{article_id} leaked through {url}"
            continue
        for marker in MARKERS.values():
            assert marker not in response.text, f"{marker} leaked through {url} to {role}"


def test_the_author_sees_their_own_drafts_and_editors_see_all(
    hidden: tuple[Site, dict[str, str]],
) -> None:
    site, ids = hidden
    author, _ = site.signed_in("contributor")
    own = author.get(f"/submissions/{ids['changes']}")
    assert own.status_code == 200 and "cite a source" in own.text
    assert MARKERS["draft"] in author.get("/submissions").text
    editor, _ = site.signed_in("editor")
    assert MARKERS["draft"] in editor.get(f"/review/{ids['draft']}").text
    assert editor.get(f"/articles/{ids['deleted']}/history").status_code == 404
    admin, _ = site.signed_in("admin")
    assert MARKERS["deleted"] in admin.get("/admin/deleted").text


def test_exports_hold_published_articles_only(hidden: tuple[Site, dict[str, str]]) -> None:
    site, _ids = hidden
    for write in (write_jsonl, write_csv):
        out = io.StringIO()
        assert write(site.db, out) > 0
        for marker in MARKERS.values():
            assert marker not in out.getvalue(), f"{marker} in {write.__name__}"


def test_publishing_makes_the_article_appear(hidden: tuple[Site, dict[str, str]]) -> None:
    """The same checks see a published article, so they would see a leak."""
    site, ids = hidden
    site.services.review.publish(Actor("e", Role.EDITOR), ids["draft"])
    client = site.client()
    assert ids["draft"] in client.get(f"/search?q={MARKERS['draft']}").text
    assert ids["draft"] in client.get(f"/api/v1/search?q={MARKERS['draft']}").text
    assert MARKERS["draft"] in client.get(f"/api/v1/articles/{ids['draft']}").text
    assert ids["draft"] in client.get("/sitemap.xml").text
    assert ids["draft"] in client.get("/api/v1/catalog").text
    kosovo_public = [
        item["id"] for item in client.get("/api/v1/articles?country=xk").json()["items"]
        if item["id"] != ids["draft"]
    ]
    related = [
        client.get(f"/api/v1/articles/{i}/related?limit=50").json() for i in kosovo_public
    ]
    assert any(r["id"] == ids["draft"] for found in related for r in found)


def test_a_deleted_article_follows_one_rule_on_pages_and_the_api(
    hidden: tuple[Site, dict[str, str]],
) -> None:
    """Issue 14, defect 11: editors used to read deleted articles through the API."""
    site, ids = hidden
    deleted = ids["deleted"]
    paths = [f"/articles/{deleted}", f"/api/v1/articles/{deleted}",
             f"/articles/{deleted}/revisions/1", f"/api/v1/articles/{deleted}/related"]
    for role, expected in (("editor", 404), ("contributor", 404), ("admin", 200)):
        client, _token = site.signed_in(role)
        seen = {path: client.get(path).status_code for path in paths}
        assert seen == dict.fromkeys(paths, expected), role
