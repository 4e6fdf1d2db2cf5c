"""Atom and JSON Feed for every public listing, validated with feedparser and json."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import feedparser
from fastapi.testclient import TestClient

from kartoteka.auth.roles import Actor
from kartoteka.model import ArticleDraft, ArticleStatus, Author, AuthorKind
from kartoteka.services.deletion import DeletionService
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from tests.web.conftest import WebData

FEEDS = ["/feed", "/countries/ml", "/authors/@sahel_test", "/search?q=weapons"]


def atom_of(client: TestClient, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def json_of(client: TestClient, url: str) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/feed+json")
    data = json.loads(response.content)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    for item in data["items"]:
        assert item["id"] and item["url"].startswith("http") and item["content_text"]
    return data


def with_suffix(url: str, suffix: str) -> str:
    path, _, query = url.partition("?")
    return f"{path}.{suffix}" + (f"?{query}" if query else "")


def test_latest_feed_has_ids_dates_and_summaries(client: TestClient, web_data: WebData) -> None:
    parsed = atom_of(client, "/feed.atom")
    assert parsed.feed.title == "kartoteka: latest articles"
    assert parsed.feed.id == "http://testserver/feed.atom"
    assert parsed.feed.updated_parsed is not None
    entries = {e.id: e for e in parsed.entries}
    kla = entries[f"http://testserver/articles/{web_data.kla}"]
    assert kla.title == "The Kosovo Liberation Army after 1999"
    assert kla.link == f"http://testserver/articles/{web_data.kla}"
    assert kla.summary and len(kla.summary) <= 401
    assert kla.updated_parsed[:3] == (2024, 5, 1)
    # Reposts stay out of the main listing, as on the front page.
    assert f"http://testserver/articles/{web_data.repost}" not in entries
    as_json = json_of(client, "/feed.json")
    assert {i["id"] for i in as_json["items"]} == set(entries)  # type: ignore[union-attr]


def test_country_author_and_search_feeds_list_only_their_articles(
    client: TestClient, web_data: WebData
) -> None:
    ml = atom_of(client, "/countries/ml.atom")
    # Newest addition first: the Sahel article was stored after the corpus.
    assert [e.title for e in ml.entries] == ["Sahel weapons routes", "Terrorism in the Sahel"]
    assert all("ml" in {t.term for t in e.tags} for e in ml.entries)
    assert ml.entries[0].tags[0].label == "Mali"
    assert ml.entries[0].published_parsed[:3] == (2023, 1, 2)
    author = atom_of(client, "/authors/@reposter.atom")
    assert [e.title for e in author.entries] == ["Sahel weapons routes (reposted)"]
    found = atom_of(client, "/search.atom?q=bridge")
    assert [e.id for e in found.entries] == [f"http://testserver/articles/{web_data.revised}"]
    assert found.feed.links[0].href == "http://testserver/search.atom?q=bridge"
    narrowed = atom_of(client, "/search.atom?q=weapons&country=rs")
    assert narrowed.entries == []
    assert json_of(client, "/search.json?q=bridge")["items"][0]["id"].endswith(  # type: ignore[index]
        web_data.revised)


def test_unknown_country_author_or_entity_is_not_found(client: TestClient) -> None:
    for url in ("/countries/zz.atom", "/authors/@nobody.json", "/entities/nothing.atom"):
        assert client.get(url).status_code == 404, url


def test_entity_feed_follows_the_entity(linked_client: TestClient, linked_data: WebData) -> None:
    parsed = atom_of(linked_client, "/entities/kla.atom")
    assert parsed.feed.title.startswith("kartoteka: ")
    assert f"http://testserver/articles/{linked_data.kla}" in {e.id for e in parsed.entries}


def test_drafts_and_deleted_articles_never_appear(
    db: Database, client: TestClient, web_data: WebData
) -> None:
    service = IngestService(db)
    draft, _ = service.store(
        ArticleDraft(title="Unpublished weapons dossier", body="Weapons in Mali, a draft.",
                     source="draft-1", countries=["ml"], language="en",
                     author=Author("@sahel_test", "Sahel Test", AuthorKind.CHANNEL)),
        status=ArticleStatus.DRAFT,
    )
    DeletionService(db).delete(Actor.operator("test"), web_data.original)
    for url in FEEDS:
        for suffix in ("atom", "json"):
            text = client.get(with_suffix(url, suffix)).text
            assert draft not in text and "Unpublished" not in text, url
            assert f"/articles/{web_data.original}\"" not in text, url
            assert f"/articles/{web_data.original}<" not in text, url


def test_new_articles_come_first_and_carry_their_update_time(
    db: Database, client: TestClient, web_data: WebData
) -> None:
    later = IngestService(db, clock=lambda: datetime(2025, 2, 3, 4, 5, tzinfo=UTC))
    added, _ = later.store(ArticleDraft(
        title="Old report filed today", body="An archive report on Menaka weapons routes.",
        source="archive-1", published_at=datetime(2015, 1, 1, tzinfo=UTC), countries=["ml"]))
    parsed = atom_of(client, "/countries/ml.atom")
    assert parsed.entries[0].id.endswith(added)
    assert parsed.entries[0].updated == "2025-02-03T04:05:00Z"
    assert parsed.feed.updated == "2025-02-03T04:05:00Z"


def test_pages_link_their_feeds_in_the_head_and_show_an_icon(
    linked_client: TestClient, linked_data: WebData
) -> None:
    pages = {"/": "/feed", "/countries/ml": "/countries/ml", "/entities/kla": "/entities/kla",
             "/authors/@sahel_test": "/authors/@sahel_test",
             "/search?q=weapons&country=ml": "/search"}
    for page, feed in pages.items():
        html = linked_client.get(page).text
        head = html.split("</head>")[0]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" '
                           r'title="[^"]+" href="([^"]+)">', head)
        assert len(links) == 1 and links[0].startswith(f"{feed}.atom"), (page, links)
        assert 'type="application/feed+json"' in head
        body = html.split("</head>")[1]
        assert 'src="/static/img/feed.svg"' in body and f'href="{links[0]}"' in body, page
        atom_of(linked_client, links[0].replace("&amp;", "&"))
    search_head = linked_client.get("/search?q=weapons&country=ml").text.split("</head>")[0]
    assert 'href="/search.atom?q=weapons&amp;country=ml"' in search_head
    assert linked_client.get("/static/img/feed.svg").status_code == 200
