"""Every route × every role × every method it declares, against an explicit table.

The table below names, for each route the app serves, the lowest role that
may use it ("anonymous" for everyone).  The first test fails when a route
is added (or removed) without updating the table, so no route escapes the
matrix.  A refusal is a 401 or 403, or a redirect to the sign-in page; any
other answer below 500 means the request got past the access check.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from kartoteka.auth.roles import Actor, Role
from kartoteka.store.database import Database

from .accounts_support import ROLES, Site
from .conftest import WebData

EXPECTED: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): "anonymous",
    ("HEAD", "/openapi.json"): "anonymous",
    ("GET", "/static"): "anonymous",
    ("GET", "/api/v1/articles"): "anonymous",
    ("GET", "/api/v1/articles/{article_id}"): "anonymous",
    ("GET", "/api/v1/search"): "anonymous",
    ("GET", "/api/v1/authors"): "anonymous",
    ("GET", "/api/v1/entities"): "anonymous",
    ("GET", "/api/v1/entities/{entity_id:path}"): "anonymous",
    ("GET", "/api/v1/match"): "anonymous",
    ("GET", "/api/v1/catalog"): "anonymous",
    ("GET", "/api/v1/articles/{article_id}/related"): "anonymous",
    ("GET", "/entities"): "anonymous",
    ("GET", "/entities/{entity_id:path}"): "anonymous",
    ("GET", "/"): "anonymous",
    ("GET", "/countries/{code}"): "anonymous",
    ("GET", "/articles/{article_id}"): "anonymous",
    ("GET", "/articles/{article_id}/revisions/{number}"): "anonymous",
    ("GET", "/articles"): "anonymous",
    ("GET", "/authors"): "anonymous",
    ("GET", "/authors/{handle:path}"): "anonymous",
    ("GET", "/search"): "anonymous",
    ("GET", "/docs"): "anonymous",
    ("GET", "/sitemap.xml"): "anonymous",
    **{("GET", f"{path}.{suffix}"): "anonymous"
       for path in ("/feed", "/countries/{code}", "/entities/{entity_id}",
                    "/authors/{handle:path}", "/search")
       for suffix in ("atom", "json")},
    ("GET", "/login"): "anonymous",
    ("POST", "/login"): "anonymous",
    ("POST", "/logout"): "anonymous",
    ("POST", "/language"): "anonymous",
    ("GET", "/join"): "anonymous",
    ("POST", "/join"): "anonymous",
    ("GET", "/invitation/{token}"): "anonymous",
    ("POST", "/invitation/{token}"): "anonymous",
    ("GET", "/password-reset/{token}"): "anonymous",
    ("POST", "/password-reset/{token}"): "anonymous",
    ("GET", "/articles/{article_id}/history"): "anonymous",
    ("GET", "/articles/{article_id}/diff"): "anonymous",
    ("GET", "/account"): "reader",
    ("POST", "/account/tokens"): "reader",
    ("POST", "/account/tokens/{token_pk}/revoke"): "reader",
    ("POST", "/account/password"): "reader",
    ("GET", "/account/alerts"): "reader",
    ("POST", "/account/alerts/follow"): "reader",
    ("POST", "/account/alerts/read"): "reader",
    **{("POST", f"/account/alerts/{{watch_pk}}/{action}"): "reader"
       for action in ("unfollow", "frequency", "feed", "webhook")},
    # The alerts API: reading with a session or a token, changes with a token only.
    ("GET", "/api/v1/watchlists"): "reader",
    ("GET", "/api/v1/alerts"): "reader",
    **{key: "reader" for key in (
        ("POST", "/api/v1/watchlists"), ("DELETE", "/api/v1/watchlists/{watchlist_id}"),
        ("POST", "/api/v1/watchlists/{watchlist_id}/feed"), ("POST", "/api/v1/alerts/read"),
    )},
    # The secret in the address is the key: a feed reader has no session.
    ("GET", "/alerts/feeds/{secret}.atom"): "anonymous",
    ("GET", "/submit"): "contributor",
    ("POST", "/submit"): "contributor",
    ("POST", "/submit/upload"): "contributor",
    ("GET", "/submissions"): "contributor",
    ("GET", "/submissions/{article_id}"): "contributor",
    ("POST", "/submissions/{article_id}/resubmit"): "contributor",
    ("GET", "/review"): "editor",
    ("GET", "/review/{article_id}"): "editor",
    ("POST", "/review/{article_id}/decision"): "editor",
    ("POST", "/articles/{article_id}/delete"): "editor",
    ("GET", "/registry/decisions"): "editor",
    ("POST", "/registry/merge"): "editor",
    ("POST", "/registry/unmerge"): "editor",
    ("POST", "/registry/aliases/add"): "editor",
    ("POST", "/registry/aliases/remove"): "editor",
    ("GET", "/candidates"): "editor",
    ("GET", "/entities/{entity_id:path}/history"): "editor",
    ("POST", "/candidates/accept"): "editor",
    ("POST", "/candidates/reject"): "editor",
    ("POST", "/articles/{article_id}/restore"): "admin",
    ("GET", "/admin/join-requests"): "admin",
    ("POST", "/admin/join-requests/{request_pk}/accept"): "admin",
    ("POST", "/admin/join-requests/{request_pk}/decline"): "admin",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users/{user_pk}/role"): "admin",
    ("POST", "/admin/users/{user_pk}/disable"): "admin",
    ("POST", "/admin/users/{user_pk}/enable"): "admin",
    ("POST", "/admin/users/{user_pk}/reset-link"): "admin",
    ("GET", "/admin/deleted"): "admin",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/admin/sources"): "admin",
    ("POST", "/admin/sources"): "admin",
    ("POST", "/admin/sources/{source_pk}/remove"): "admin",
    ("GET", "/admin/jobs"): "admin",
    ("POST", "/admin/jobs/{job_id}/retry"): "admin",
    ("POST", "/admin/jobs/retry-all"): "admin",
    ("GET", "/admin/authors"): "admin",
    ("GET", "/admin/authors/merge"): "admin",
    ("POST", "/admin/authors/merge"): "admin",
}


# Sent with the role's API token instead of its session (a session is refused: 401).
TOKEN_ONLY = {
    ("POST", "/api/v1/watchlists"), ("DELETE", "/api/v1/watchlists/{watchlist_id}"),
    ("POST", "/api/v1/watchlists/{watchlist_id}/feed"), ("POST", "/api/v1/alerts/read"),
}


def route_table(site: Site) -> Iterator[tuple[str, str]]:
    for route in iter_route_contexts(site.app.routes):
        assert route.path is not None
        if isinstance(route.original_route, Mount):
            yield "GET", route.path
            continue
        for method in sorted(route.methods or ()):
            yield method, route.path


@pytest.fixture
def site(db: Database, web_data: WebData) -> Site:
    return Site(db)


def test_every_route_has_an_entry(site: Site) -> None:
    served = set(route_table(site))
    assert served - EXPECTED.keys() == set(), "new routes: add them to EXPECTED"
    assert EXPECTED.keys() - served == set(), "routes gone: remove them from EXPECTED"


def _url(site: Site, method: str, path: str, data: WebData, draft: str) -> str:
    """Real ids for pages (so allowed roles see something), missing ones for posts
    (so an allowed post changes nothing the other requests look at)."""
    contributor = site.services.accounts.get_user(site.email("contributor"))
    values = {
        "article_id": draft if method == "GET" else "no-such-article",
        "code": "xk",
        "number": "1",
        "handle:path": "@balkan_test",
        "entity_id:path": "no-such-entity",
        "token": "no-such-token-0123456789",
        "token_pk": "999999",
        "request_pk": "999999",
        "source_pk": "999999",
        "job_id": "999999",
        "watchlist_id": "999999",
        "user_pk": str(contributor.pk) if method == "GET" else "999999",
    }
    if path in ("/articles/{article_id}", "/articles/{article_id}/revisions/{number}"):
        values["article_id"] = data.kla
    url = path
    for name, value in values.items():
        url = url.replace("{" + name + "}", value)
    if path == "/static":
        url = "/static/css/site.css"
    if path == "/api/v1/search":
        url += "?q=kosovo"
    if path == "/api/v1/match":
        url += "?name=Kosovo+Liberation+Army"
    if path == "/articles/{article_id}/diff":
        url += "?old=1&new=1"
    return url


def _refused(status: int, location: str) -> bool:
    return status in (401, 403) or (status == 303 and location.startswith("/login?next="))


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(site: Site, web_data: WebData, role: str) -> None:
    draft = site.services.review.submit_text(
        Actor(site.email("contributor"), Role.CONTRIBUTOR, None), "A draft", "Draft text."
    ).article_id
    rank = ROLES.index(role)
    wrong: list[str] = []
    bearer = {}
    if role != "anonymous":
        user = site.services.accounts.get_user(site.email(role))
        made = site.services.tokens.create(Actor(user.email, user.role, user.pk), "matrix")
        bearer = {"Authorization": f"Bearer {made.secret}"}
    for method, path in sorted(EXPECTED):
        client, token = site.signed_in(role)
        url = _url(site, method, path, web_data, draft)
        if (method, path) in TOKEN_ONLY:
            client = site.client()
            response = client.request(method, url, headers=bearer, follow_redirects=False)
            session = site.signed_in(role)[0].request(method, url, follow_redirects=False)
            if not _refused(session.status_code, ""):
                wrong.append(f"{method} {url} with a session: {session.status_code}")
        elif method == "POST":
            response = client.post(url, data={"csrf_token": token}, follow_redirects=False)
        else:
            response = client.request(method, url, follow_redirects=False)
        allowed = rank >= ROLES.index(EXPECTED[method, path])
        refused = _refused(response.status_code, response.headers.get("location", ""))
        if response.status_code >= 500 or refused == allowed:
            expected = "allow" if allowed else "deny"
            wrong.append(f"{method} {url}: {response.status_code} (expected {expected})")
    assert wrong == []
