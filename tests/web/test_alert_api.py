"""The alerts JSON API on both backends: only the owner's, tokens for changes, no drafts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kartoteka.auth.roles import Actor
from kartoteka.model import ArticleStatus
from kartoteka.services.alerts import AlertService
from kartoteka.services.deletion import DeletionService
from kartoteka.store.database import Database
from tests.services.alert_support import load_registry, store
from tests.web.accounts_support import Site

MALI = "Weapons cross the border near Menaka, the convoy report says."


@pytest.fixture
def site(db: Database) -> Iterator[Site]:
    load_registry(db)
    yield Site(db)


def token_client(site: Site, role: str) -> TestClient:
    """A client that sends ``role``'s new API token and no cookie."""
    user = site.services.accounts.get_user(site.email(role))
    actor = Actor(user.email, user.role, user.pk)
    secret = site.services.tokens.create(actor, "alerts test").secret
    client = site.client()
    client.headers["Authorization"] = f"Bearer {secret}"
    return client


def test_watchlists_alerts_and_feed_through_the_api(site: Site, db: Database) -> None:
    api = token_client(site, "reader")
    made = api.post("/api/v1/watchlists", json={"kind": "country", "target": "ML",
                                                "frequency": "weekly"})
    assert made.status_code == 201, made.text
    country = made.json()
    assert (country["kind"], country["key"], country["frequency"]) == ("country", "ml", "weekly")
    search = api.post("/api/v1/watchlists", json={
        "kind": "search", "query": "convoy", "filters": {"country": "ml", "since": "2024-01-01"},
    }).json()
    assert search["key"] == "q=convoy&country=ml&since=2024-01-01"
    assert search["filters"] == {"country": "ml", "since": "2024-01-01"}
    entity = api.post("/api/v1/watchlists", json={"kind": "entity", "target": "kla"}).json()
    assert entity["label"] == "Kosovo Liberation Army"
    # Following again is the same watchlist.
    again = api.post("/api/v1/watchlists", json={"kind": "country", "target": "ml"})
    assert again.json()["id"] == country["id"]
    listed = api.get("/api/v1/watchlists").json()["items"]
    assert [w["id"] for w in listed] == [country["id"], search["id"], entity["id"]]

    shown = store(db, "Mali convoy", MALI, key="new", countries=["ml"])
    store(db, "Draft Mali", MALI + " Draft.", key="draft", countries=["ml"],
          status=ArticleStatus.DRAFT)
    withdrawn = store(db, "Withdrawn Mali", MALI + " Later.", key="gone", countries=["ml"])
    AlertService(db).match_pending()
    DeletionService(db).delete(Actor.operator("test"), withdrawn)
    page = api.get("/api/v1/alerts", params={"limit": 1}).json()
    assert (page["total"], page["unread"], page["limit"]) == (2, 2, 1)
    first = page["items"][0]
    assert first["article_id"] == shown and first["title"] == "Mali convoy"
    assert first["url"] == f"http://testserver/articles/{shown}" and first["read_at"] is None
    assert first["published_at"].startswith("2024-06-01")
    second = api.get("/api/v1/alerts", params={"limit": 1, "offset": 1}).json()["items"][0]
    assert {first["watchlist_id"], second["watchlist_id"]} == {country["id"], search["id"]}
    assert second["article_id"] == shown  # the same article, once per watchlist

    marked = api.post("/api/v1/alerts/read", json={"ids": [first["id"]]})
    assert marked.json() == {"marked": 1}
    assert api.get("/api/v1/alerts", params={"unread": True}).json()["total"] == 1
    assert api.post("/api/v1/alerts/read").json() == {"marked": 1}
    assert api.get("/api/v1/alerts").json()["unread"] == 0

    feed = api.post(f"/api/v1/watchlists/{country['id']}/feed").json()["feed_url"]
    path = feed.removeprefix("http://testserver")
    assert site.client().get(path).status_code == 200
    api.post(f"/api/v1/watchlists/{country['id']}/feed")
    assert site.client().get(path).status_code == 404  # the old address stopped working

    assert api.delete(f"/api/v1/watchlists/{country['id']}").status_code == 204
    assert api.get("/api/v1/alerts").json()["total"] == 1
    assert api.delete(f"/api/v1/watchlists/{country['id']}").status_code == 404


def test_only_the_owner_and_changes_need_a_token(site: Site) -> None:
    alice = token_client(site, "reader")
    bob = token_client(site, "editor")
    mine = alice.post("/api/v1/watchlists", json={"kind": "country", "target": "ml"}).json()
    assert bob.get("/api/v1/watchlists").json() == {"items": []}
    for method, path in (("DELETE", f"/api/v1/watchlists/{mine['id']}"),
                         ("POST", f"/api/v1/watchlists/{mine['id']}/feed")):
        refused = bob.request(method, path)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"
    assert bob.post("/api/v1/alerts/read").json() == {"marked": 0}
    # Anonymous: 401 in the one error shape.
    anonymous = site.client()
    for method, path in (("GET", "/api/v1/watchlists"), ("GET", "/api/v1/alerts"),
                         ("POST", "/api/v1/watchlists")):
        answer = anonymous.request(method, path, json={"kind": "country", "target": "ml"})
        assert answer.status_code == 401, path
        assert answer.json()["error"]["code"] == "unauthorized"
    # A session cookie reads, but changes need a token (no CSRF check on the API).
    browser, _csrf = site.signed_in("reader")
    assert browser.get("/api/v1/watchlists").json()["items"][0]["id"] == mine["id"]
    refused = browser.post("/api/v1/watchlists", json={"kind": "country", "target": "rs"})
    assert refused.status_code == 401 and "API token" in refused.json()["error"]["message"]
    # A disabled user's token stops working.
    site.services.accounts.disable(Actor.operator("test"), site.email("reader"))
    assert alice.get("/api/v1/alerts").status_code == 401
    assert browser.get("/api/v1/alerts").status_code == 401


def test_errors_are_translated_and_say_what_is_wrong(site: Site) -> None:
    api = token_client(site, "reader")
    unknown = api.post("/api/v1/watchlists", json={"kind": "entity", "target": "no-such"})
    assert unknown.status_code == 422 and "target" in unknown.json()["error"]["message"]
    empty = api.post("/api/v1/watchlists", json={"kind": "search", "query": " "},
                     headers={"Accept-Language": "ru"})
    assert empty.status_code == 422
    assert "поиск" in empty.json()["error"]["message"]
    bad = api.post("/api/v1/watchlists", json={"kind": "planet"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter"
    missing = api.delete("/api/v1/watchlists/999", headers={"Accept-Language": "ru"})
    assert missing.status_code == 404 and "999" in missing.json()["error"]["message"]
    assert "no watchlist" not in missing.json()["error"]["message"]
