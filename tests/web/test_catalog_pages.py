"""The catalog on the home and country pages; related materials and visibility on
article pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kartoteka.auth.roles import Actor, Role
from kartoteka.services.catalog import build_catalog
from kartoteka.services.related import related_articles
from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import WebData


def _side(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_home_catalog_links_entities_and_handles(db: Database, linked_client: TestClient) -> None:
    html = linked_client.get("/").text
    catalog = _side(html, "catalog-heading")
    assert '<a href="/countries/xk"><span class="flag" aria-hidden="true">🇽🇰</span> Kosovo</a>' in (
        catalog
    )
    kosovo = next(c for c in build_catalog(db).countries if c.code == "xk")
    top = max(kosovo.entries, key=lambda e: len(e.article_ids))
    assert top.entity_id is not None
    assert f'<a href="/entities/{top.entity_id}">{top.title}</a>' in catalog
    assert '<span class="kind" title="An organisation the catalog lists">organisation</span>' in (
        catalog
    )
    assert '<a href="/authors/@balkan_test">@balkan_test</a>' in catalog
    # Three entries at most per country on the home page.
    for block in catalog.split('class="catalog-country"')[1:]:
        assert block.count('class="catalog-entry') <= 3


def test_country_page_lists_the_countrys_catalog(db: Database, linked_client: TestClient) -> None:
    html = linked_client.get("/countries/xk").text
    side = html.split('id="entities-heading"', 1)[1].split("</aside>", 1)[0]
    entries = build_catalog(db, "xk").countries[0].entries
    assert side.count('class="catalog-entry') == len(entries)
    for entry in entries:
        if entry.entity_id:
            href = f"/entities/{entry.entity_id}"
        else:
            href = f"/articles/{entry.article_ids[0]}"
        assert f'<a href="{href}">' in side
    assert re.search(r'href="/entities/kla">Kosovo Liberation Army</a>\s*<span class="kind" ', side)
    # Entities only mentioned (not what an article is about) follow the catalog.
    mentioned = side.split('id="mentioned-heading"', 1)[1]
    assert '<a href="/entities/thaci">Hashim Thaçi</a>' in mentioned
    assert 'href="/entities/kla"' not in mentioned


def test_country_page_without_entities_lists_articles(
    client: TestClient, web_data: WebData
) -> None:
    side = client.get("/countries/ml").text.split('id="entities-heading"', 1)[1]
    assert f'<a href="/articles/{web_data.original}">Sahel weapons routes</a>' in side
    assert '<span class="kind" title="An article the catalog lists on its own">article</span>' in (
        side
    )


def test_article_page_shows_related_materials_with_reasons(
    db: Database, linked_client: TestClient, linked_data: WebData
) -> None:
    html = linked_client.get(f"/articles/{linked_data.kla}").text
    section = html.split('class="related"', 1)[1].split("</section>", 1)[0]
    expected = related_articles(db, linked_data.kla, 5)
    assert expected and section.count("<li>") == len(expected)
    first = expected[0]
    assert f'<a href="/articles/{first.id}">{first.title}</a>' in section
    assert first.reasons[0] in section


def test_article_page_follows_who_may_see_it(db: Database, web_data: WebData) -> None:
    site = Site(db)
    author = Actor(site.email("contributor"), Role.CONTRIBUTOR)
    editor = Actor(site.email("editor"), Role.EDITOR)
    draft = site.services.review.submit_text(author, "Draft zqx", "Draft body.").article_id
    gone = site.services.review.submit_text(author, "Gone zqx", "Gone body.").article_id
    site.services.review.publish(editor, gone)
    site.services.deletion.delete(editor, gone)
    anonymous = site.client()
    assert anonymous.get(f"/articles/{draft}").status_code == 404
    own, _ = site.signed_in("contributor")
    assert own.get(f"/articles/{draft}").status_code == 200
    reviewer, _ = site.signed_in("editor")
    assert reviewer.get(f"/articles/{draft}").status_code == 200
    assert reviewer.get(f"/articles/{gone}").status_code == 404
    assert anonymous.get(f"/articles/{gone}").status_code == 404
