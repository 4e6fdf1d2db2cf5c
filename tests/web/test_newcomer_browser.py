"""What a new reader sees in Chromium: the home, an entity at desktop and phone
widths, the search page, and the header signed in.  Screenshots go to
artifacts/screenshots/; the assertions measure what the browser laid out."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kartoteka.store.database import Database

from .accounts_support import Site
from .conftest import WebData, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(linked_site: tuple[Database, WebData]) -> Iterator[tuple[Site, str]]:
    db, _data = linked_site
    site = Site(db)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(site.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield site, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def graph_boxes(page: Any) -> list[dict[str, float]]:
    """The drawn boxes of every label and node in the relation graph."""
    graph = page.locator("svg.relation-graph")
    texts = graph.locator("text")
    boxes = [texts.nth(i).bounding_box() for i in range(texts.count())]
    boxes += [graph.locator("circle").nth(i).bounding_box()
              for i in range(graph.locator("circle").count())]
    assert all(b is not None for b in boxes)
    return [b for b in boxes if b is not None]


@pytest.mark.parametrize("width", [1280, 390])
def test_relation_graph_labels_do_not_overlap_and_stay_legible(
    served: tuple[Site, str], chromium: Any, screenshots: Path, width: int
) -> None:
    _site, base = served
    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "/entities/kla")
    boxes = graph_boxes(page)
    assert len(boxes) >= 6  # the centre and three others, each a label and a node
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a, b)
    # Legible: one line of a label is at least 11 px high on screen, even on a phone.
    roles = page.locator("svg text.graph-role")
    heights = [roles.nth(i).bounding_box()["height"] for i in range(roles.count())]
    assert min(heights) >= 11
    said = roles.all_text_contents()  # each role's <title> and its shown text
    assert any("merged into" in text for text in said)
    assert not any("merged-into" in text for text in said)
    page.screenshot(path=str(screenshots / f"n-entity-{width}.png"), full_page=True)
    page.close()


def test_home_search_and_the_signed_in_header(
    served: tuple[Site, str], chromium: Any, screenshots: Path
) -> None:
    site, base = served
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/")
    page.screenshot(path=str(screenshots / "n-home.png"), full_page=True)
    page.locator("a", has_text="All 9 articles").click()
    page.wait_for_url("**/articles")
    assert page.locator(".items .item-title").count() == 9

    page.goto(base + "/search?q=kosovo")
    assert page.locator("#since").get_attribute("placeholder") == "YYYY-MM-DD"
    page.fill("#since", "2022-01-01")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url("**since=2022-01-01**")
    assert page.locator("#since").input_value() == "2022-01-01"
    languages = page.locator("#language option").all_inner_texts()
    assert any(text.startswith("Русский") for text in languages)
    page.screenshot(path=str(screenshots / "n-search.png"), full_page=True)

    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(site.email("admin"))
    page.get_by_label("Password").fill(site.passwords["admin"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(base + "/")
    links = page.locator(".site-header .nav li")
    assert links.count() >= 10
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    search = page.locator(".header-search").bounding_box()
    nav = page.locator(".site-header .nav").bounding_box()
    assert len(tops) == 1, "the links wrapped onto a second line"
    assert search is not None and nav is not None
    assert search["y"] < nav["y"] + nav["height"], "the search box went under the links"
    page.screenshot(path=str(screenshots / "n-header-signed-in.png"),
                    clip={"x": 0, "y": 0, "width": 1280, "height": 120})
    page.close()
