"""Follow buttons, /account/alerts and the private feeds, through the web app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import feedparser
import pytest

from kartoteka.auth.roles import Actor
from kartoteka.services.alerts import AlertService
from kartoteka.services.deletion import DeletionService
from kartoteka.store.database import Database
from tests.services.alert_support import load_registry, store
from tests.web.accounts_support import Site

MALI = "Weapons cross the border near Menaka, the convoy report says."


@pytest.fixture
def site(db: Database) -> Iterator[Site]:
    load_registry(db)
    store(db, "Earlier Mali", "An earlier report from Mali.", key="early", countries=["ml"])
    yield Site(db)


def follow_form(html: str) -> dict[str, str]:
    form = re.search(r'<form class="inline-form" action="/account/alerts/follow".*?</form>',
                     html, re.S)
    assert form, "no follow button on the page"
    found = re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0))
    return {name: unescape(value) for name, value in found}


def test_anonymous_readers_are_asked_to_sign_in(site: Site) -> None:
    page = site.client().get("/countries/ml")
    assert "Sign in to follow" in page.text
    assert 'action="/account/alerts/follow"' not in page.text
    assert site.client().get("/account/alerts", follow_redirects=False).status_code in (
        303, 307, 401)


def test_follow_from_each_page_then_unfollow(site: Site, db: Database) -> None:
    client, token = site.signed_in("reader")
    pages = {
        "country": "/countries/ml",
        "author": "/authors/@sahel_test",
        "entity": "/entities/kla",
        "search": "/search?q=convoy&country=ml",
    }
    for kind, url in pages.items():
        fields = follow_form(client.get(url).text)
        assert fields["kind"] == kind
        # Without the CSRF token the post is refused.
        refused = client.post("/account/alerts/follow",
                              data={k: v for k, v in fields.items() if k != "csrf_token"},
                              follow_redirects=False)
        assert refused.status_code == 403
        done = client.post("/account/alerts/follow", data=fields, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == url
        assert "You follow this" in client.get(url).text
    reader = site.services.accounts.get_user(site.email("reader"))
    assert reader is not None
    actor = Actor(reader.email, reader.role, reader.pk)
    keys = {w.kind: w.key for w in AlertService(db).watchlists(actor)}
    assert keys == {"country": "ml", "author": "@sahel_test", "entity": "kla",
                    "search": "q=convoy&country=ml"}
    page = client.get("/countries/ml").text
    unfollow = re.search(r'action="(/account/alerts/\d+/unfollow)"', page)
    assert unfollow
    client.post(unfollow.group(1), data={"csrf_token": token, "next": "/countries/ml"})
    assert "You follow this" not in client.get("/countries/ml").text


def test_alerts_page_and_private_feed(site: Site, db: Database) -> None:
    client, token = site.signed_in("reader")
    client.post("/account/alerts/follow", data=follow_form(client.get("/countries/ml").text))
    article = store(db, "Mali convoy", MALI, key="new", countries=["ml"])
    AlertService(db).match_pending()
    page = client.get("/account/alerts")
    assert page.status_code == 200
    assert "Mali convoy" in page.text and "1 unread" in page.text
    watch = re.search(r'action="/account/alerts/(\d+)/feed"', page.text)
    assert watch
    made = client.post(f"/account/alerts/{watch.group(1)}/feed", data={"csrf_token": token})
    address = re.search(r'id="new-feed">http://testserver(/alerts/feeds/[^<]+)<', made.text)
    assert address
    anonymous = site.client()  # a feed reader: no cookie, the secret is the key
    feed = anonymous.get(address.group(1))
    assert feed.status_code == 200 and feed.headers["cache-control"] == "private, no-store"
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and parsed.version == "atom10"
    assert [e.link for e in parsed.entries] == [f"http://testserver/articles/{article}"]
    assert parsed.entries[0].summary.startswith("Weapons cross the border")
    # A new address: the old one stops working.
    client.post(f"/account/alerts/{watch.group(1)}/feed", data={"csrf_token": token})
    assert anonymous.get(address.group(1)).status_code == 404
    # Reading, then the article withdrawn: the alert is gone.
    client.post("/account/alerts/read", data={"csrf_token": token})
    assert "unread" not in client.get("/account/alerts").text.split("What you follow")[0]
    DeletionService(db).delete(Actor.operator("test"), article)
    assert "Mali convoy" not in client.get("/account/alerts").text


def test_frequency_and_webhook_forms(site: Site, db: Database) -> None:
    client, token = site.signed_in("reader")
    client.post("/account/alerts/follow", data=follow_form(client.get("/countries/ml").text))
    page = client.get("/account/alerts").text
    pk = re.search(r'action="/account/alerts/(\d+)/frequency"', page)
    assert pk
    base = f"/account/alerts/{pk.group(1)}"
    client.post(f"{base}/frequency", data={"csrf_token": token, "frequency": "weekly"})
    assert '<option value="weekly" selected>' in client.get("/account/alerts").text
    bad = client.post(f"{base}/frequency", data={"csrf_token": token, "frequency": "hourly"})
    assert bad.status_code == 422
    bad = client.post(f"{base}/webhook", data={"csrf_token": token, "url": "ftp://x"})
    assert bad.status_code == 422
    made = client.post(f"{base}/webhook",
                       data={"csrf_token": token, "url": "https://hooks.example.org/k"})
    assert re.search(r'id="new-webhook-secret">[0-9a-f]{64}<', made.text)
    other, other_token = site.signed_in("editor")
    assert other.post(f"{base}/unfollow", data={"csrf_token": other_token}).status_code == 404
