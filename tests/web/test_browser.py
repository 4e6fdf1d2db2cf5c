"""A reader's path through the site in Debian's Chromium: home, a country, an
article, then a search narrowed by a filter.  Screenshots go to
artifacts/screenshots/ so a person can look at what the test saw."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kartoteka.store.database import Database

from .conftest import LiveServer, WebData

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(sqlite_site: tuple[Database, WebData]) -> Any:
    database, _data = sqlite_site
    with LiveServer(database) as server:
        yield server


def test_home_country_article_search(
    site: LiveServer, sqlite_site: tuple[Database, WebData], chromium: Any, screenshots: Path
) -> None:
    _db, data = sqlite_site
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(site.url + "/")
    assert page.locator("h1").inner_text().startswith("Articles on armed groups")
    assert page.locator(".counts dd").first.inner_text() == "9"
    page.screenshot(path=str(screenshots / "1-home.png"), full_page=True)

    page.locator(".catalog a", has_text="Kosovo").first.click()
    page.wait_for_url("**/countries/xk")
    assert "Kosovo" in page.locator("h1").inner_text()
    titles = page.locator(".items .item-title").all_inner_texts()
    assert "The Kosovo Liberation Army after 1999" in titles
    page.screenshot(path=str(screenshots / "2-country.png"), full_page=True)

    page.locator(".items a", has_text="The Kosovo Liberation Army after 1999").click()
    page.wait_for_url(f"**/articles/{data.kla}")
    assert page.locator("h1").inner_text() == "The Kosovo Liberation Army after 1999"
    assert page.locator(".byline .author").inner_text() == "Balkan Test Channel"
    assert "Kosovo Protection Corps" in page.locator(".article-body").inner_text()
    page.screenshot(path=str(screenshots / "3-article.png"), full_page=True)

    first_related = page.locator(".related a").first
    related_title = first_related.inner_text()
    related_href = first_related.get_attribute("href")
    assert related_href and related_href != f"/articles/{data.kla}"
    assert page.locator(".related .reasons").first.inner_text()
    first_related.click()
    page.wait_for_url("**" + related_href)
    assert page.locator("h1").inner_text() == related_title
    page.screenshot(path=str(screenshots / "3b-related-article.png"), full_page=True)

    page.fill("#header-q", "kosovo")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search?q=kosovo")
    unfiltered = page.locator("#results-heading").inner_text()
    # Four articles say "Kosovo"; a fifth is tagged with the country (xk) and found
    # through country widening.
    assert unfiltered.startswith("5 results")
    page.select_option("#country", "rs")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url("**country=rs**")
    assert page.locator("#results-heading").inner_text().startswith("3 results")
    assert page.locator(".snippet mark").count() >= 1
    page.screenshot(path=str(screenshots / "4-search-filtered.png"), full_page=True)

    page.locator(".facets a", has_text="2022").click()
    page.wait_for_url("**until=2022-12-31**")
    assert page.locator(".hits .item-title").all_inner_texts() == ["Belgrade talks"]
    assert page.locator("#country").input_value() == "rs"
    assert errors == []
    page.close()


def test_russian_body_is_marked_and_the_skip_link_works(
    site: LiveServer, sqlite_site: tuple[Database, WebData], chromium: Any, screenshots: Path
) -> None:
    _db, data = sqlite_site
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site.url}/articles/{data.russian}")
    assert page.locator("article").get_attribute("lang") == "ru"
    assert page.locator("html").get_attribute("lang") == "en"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the phone layout scrolls sideways ({width}px)"
    page.screenshot(path=str(screenshots / "5-article-phone-ru.png"), full_page=True)
    page.close()


def test_revision_diff_and_repost_notice(
    site: LiveServer, sqlite_site: tuple[Database, WebData], chromium: Any, screenshots: Path
) -> None:
    _db, data = sqlite_site
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site.url}/articles/{data.revised}")
    page.get_by_role("link", name="Revision 2").click()
    page.wait_for_url(f"**/articles/{data.revised}/revisions/2")
    inserted = [t.strip() for t in page.locator(".article-body ins").all_inner_texts()]
    assert inserted == ["old", "until April"]
    assert page.locator(".article-body del").all_inner_texts() == ["in March"]
    page.screenshot(path=str(screenshots / "6-revision-diff.png"), full_page=True)

    page.goto(f"{site.url}/articles/{data.original}")
    assert "Reposter" in page.locator("#reposts-heading + ul").inner_text()
    page.goto(f"{site.url}/articles/{data.repost}")
    page.locator(".notice a", has_text="Sahel weapons routes").click()
    page.wait_for_url(f"**/articles/{data.original}")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    page.screenshot(path=str(screenshots / "7-article-print.png"), full_page=True)
    page.close()


@pytest.fixture(scope="module")
def linked_live(linked_site: tuple[Database, WebData]) -> Any:
    database, _data = linked_site
    with LiveServer(database) as server:
        yield server


def test_home_country_entity_article_and_entity_search(
    linked_live: LiveServer, linked_site: tuple[Database, WebData], chromium: Any,
    screenshots: Path,
) -> None:
    _db, data = linked_site
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(linked_live.url + "/")
    page.locator(".catalog a", has_text="Kosovo").first.click()
    page.wait_for_url("**/countries/xk")
    people = page.locator(".country-catalog a, .country-entities a").all_inner_texts()
    assert {"Kosovo Liberation Army", "Hashim Thaçi"} <= set(people)
    page.screenshot(path=str(screenshots / "e1-country-entities.png"), full_page=True)

    page.locator(".country-entities a", has_text="Hashim Thaçi").click()
    page.wait_for_url("**/entities/thaci")
    assert page.locator("h1").inner_text() == "Hashim Thaçi"
    graph = page.locator("svg.relation-graph")
    assert graph.is_visible()
    assert graph.locator("a.graph-node").count() == 3
    box = graph.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    page.screenshot(path=str(screenshots / "e2-entity.png"), full_page=True)

    # The graph's nodes are links: keyboard focus reaches them.
    graph.locator("a.graph-node").first.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("/entities/")

    page.locator(".timeline a", has_text="The Kosovo Liberation Army after 1999").click()
    page.wait_for_url(f"**/articles/{data.kla}")
    mention = page.locator(".article-body a.mention", has_text="Kosovo Protection Corps").first
    assert mention.get_attribute("href") == "/entities/kpc"
    page.screenshot(path=str(screenshots / "e3-article-mentions.png"), full_page=True)

    mention.click()
    page.wait_for_url("**/entities/kpc")
    page.locator("a", has_text="Search within them").click()
    page.wait_for_url("**/search?entity=kpc")
    page.fill("#q", "kosovo")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url("**entity=kpc**")
    assert page.locator("#entity").input_value() == "kpc"
    assert page.locator(".hits .item-title").all_inner_texts() == [
        "The Kosovo Liberation Army after 1999"]
    facet = page.locator(".facets a[aria-current]", has_text="Kosovo Protection Corps")
    assert facet.count() == 1
    page.screenshot(path=str(screenshots / "e4-search-entity.png"), full_page=True)

    page.goto(f"{linked_live.url}/entities/thaci")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("svg.relation-graph").is_visible()
    page.screenshot(path=str(screenshots / "e5-entity-print.png"), full_page=True)
    assert errors == []
    page.close()
