"""Classic XSS payloads in every field a source or user controls, checked in
Chromium: no dialog opens, ``window.__xss`` stays unset, the DOM holds no
script, no event handler attribute and no link other than http(s), and the
payload is shown as the text it is rather than silently dropped.  Entity
names, aliases, descriptions, identifiers and relation roles come from a
hostile registry file, linked into articles by real extraction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService
from kartoteka.services.registry import import_file
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database

from .conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUN = "window.__xss=1;alert(1)"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}">',
    f'"><script>{RUN}</script>',
    f"'><img src=x onerror={RUN}>",
    f"javascript:{RUN}",
    f'<a href="javascript:{RUN}">click me</a>',
    f'<iframe src="javascript:{RUN}"></iframe>',
    f"<body onload={RUN}>",
    f'<details open ontoggle="{RUN}">x</details>',
    f'<input autofocus onfocus="{RUN}">',
    f"[click me](javascript:{RUN})",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f"</textarea><script>{RUN}</script>",
    f"</title><script>{RUN}</script>",
    f"{{{{7*7}}}}<script>{RUN}</script>",
    f'<object data="javascript:{RUN}"></object>',
    f'<video><source onerror="{RUN}"></video>',
    f'" onmouseover="{RUN}" x="',
    f'https://example.org/"><script>{RUN}</script>',
    f'<a href="https://example.org" onclick="{RUN}">x</a>',
    f"data:text/html,<script>{RUN}</script>",
    f"<marquee onstart={RUN}>x</marquee>",
]

DOM_PROBLEMS = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) problems.push('handler ' + attr.name);
    }
  }
  for (const tag of ['script', 'iframe', 'object', 'embed', 'svg:not(.relation-graph)', 'math',
                     'video', 'marquee', 'details', 'input[autofocus]', 'foreignObject']) {
    if (document.querySelector(tag)) problems.push('element ' + tag);
  }
  for (const a of document.querySelectorAll('[href], [src], [action], [data]')) {
    const value = a.getAttribute('href') ?? a.getAttribute('src') ?? a.getAttribute('action')
      ?? a.getAttribute('data');
    const protocol = new URL(value, document.baseURI).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') problems.push('link ' + value);
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def hostile_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, list[str]]]:
    root = tmp_path_factory.mktemp("xss")
    db = Database(f"sqlite:///{root / 'xss.db'}")
    db.migrate()
    service = IngestService(db)
    ids = []
    for index, payload in enumerate(PAYLOADS):
        article_id, _ = service.store(
            ArticleDraft(
                title=payload,
                body=f"Before {payload} middle https://example.org/a{index}\n\n{payload} after.",
                source=payload if index % 2 else f"https://example.org/{index}",
                source_key=f"xss-{index}",
                url=payload if index % 3 == 0 else None,
                author=Author(f"@x{index}{payload}", payload, AuthorKind.CHANNEL),
                published_at=datetime(2024, 1, 1 + index % 28, tzinfo=UTC),
                countries=["rs"],
                hashtags=[f"#{payload}"],
                language="en",
            )
        )
        ids.append(article_id)
    with LiveServer(db) as server:
        yield server, ids
    db.dispose()


def test_no_payload_runs_anywhere(
    hostile_site: tuple[LiveServer, list[str]], chromium: Any, screenshots: Path
) -> None:
    server, ids = hostile_site
    page = chromium.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = ["/", "/authors", "/countries/rs", "/search?q=script", "/docs"]
    paths += [f"/articles/{quote(i)}" for i in ids]
    paths += [f"/articles/{quote(i)}/revisions/1" for i in ids[:3]]
    paths += [f"/authors/{quote(f'@x{n}{p}', safe='@')}" for n, p in enumerate(PAYLOADS)]
    paths += [f"/search?q={quote(p)}&author={quote(p)}" for p in PAYLOADS]
    paths += [f"/search?q={quote(p)}" for p in PAYLOADS]
    paths += [f"/articles/{quote(p, safe='')}" for p in PAYLOADS[:5]]
    visited = 0
    for path in paths:
        page.goto(server.url + path, wait_until="load")
        page.mouse.move(200, 200)
        page.mouse.move(400, 300)
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.evaluate(DOM_PROBLEMS) == [], path
        visited += 1
    page.goto(server.url + "/")
    page.screenshot(path=str(screenshots / "xss-home.png"), full_page=True)
    assert dialogs == []
    assert visited == len(paths) > 90


def test_payloads_are_shown_as_text(
    hostile_site: tuple[LiveServer, list[str]], chromium: Any
) -> None:
    server, ids = hostile_site
    page = chromium.new_page()
    for article_id, payload in zip(ids, PAYLOADS, strict=True):
        page.goto(f"{server.url}/articles/{quote(article_id)}")
        assert page.locator("h1").inner_text() == payload.strip()
        assert page.locator(".byline .author").inner_text() == payload.strip()
        body = page.locator(".article-body").inner_text()
        assert payload.strip() in body
    page.goto(f"{server.url}/search?q=script")
    assert "<script>" in page.locator(".hits").inner_text()


def hostile_alias(index: int) -> str:
    """A plain name the gazetteer can find in a body, so mentions link to hostile entities."""
    return f"Hostile Front {chr(65 + index)}{chr(97 + index)}x"


def write_hostile_registry(path: Path) -> None:
    lines = []
    for index, payload in enumerate(PAYLOADS):
        lines.append({
            "id": f"hostile-{index}",
            "schema": "Person" if index % 2 else "Organization",
            "properties": {
                "name": [payload],
                "alias": [hostile_alias(index), f"{payload} ({index})"],
                "weakAlias": [f"{payload}w"],
                "description": [payload],
                "country": ["rs"],
                "wikidataId": [payload],
                "registrationNumber": [f"javascript:{RUN}" if index % 2 else payload],
            },
        })
    for index, payload in enumerate(PAYLOADS):
        lines.append({
            "id": f"hostile-link-{index}",
            "schema": "UnknownLink",
            "properties": {
                "subject": [f"hostile-{index}"],
                "object": [f"hostile-{(index + 1) % len(PAYLOADS)}"],
                "role": [payload],
                "sourceUrl": [f"https://example.org/\"><script>{RUN}</script>{index}"],
            },
        })
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", "utf-8")


@pytest.fixture(scope="module")
def hostile_registry_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, list[str]]]:
    root = tmp_path_factory.mktemp("xss-registry")
    db = Database(f"sqlite:///{root / 'xss.db'}")
    db.migrate()
    registry = root / "hostile.ftm.jsonl"
    write_hostile_registry(registry)
    report = import_file(db, registry)
    assert report.failed == 0, report.errors
    service = ingest_service(db, extraction=ExtractionService(db, ner=False))
    ids = []
    for index in range(0, len(PAYLOADS), 2):
        names = [hostile_alias(i) for i in (index, index + 1) if i < len(PAYLOADS)]
        article_id, _ = service.store(
            ArticleDraft(
                title=f"Hostile report {index}",
                body=f"{names[0]} met the others.\n\nLater " + " and ".join(names) + " split.",
                source=f"https://example.org/hostile/{index}",
                author=Author("@hostile_test", "Hostile test", AuthorKind.CHANNEL),
                published_at=datetime(2024, 2, 1 + index, tzinfo=UTC),
                language="en",
            )
        )
        ids.append(article_id)
    with LiveServer(db) as server:
        yield server, ids
    db.dispose()


def test_no_registry_payload_runs_on_entity_article_and_search_pages(
    hostile_registry_site: tuple[LiveServer, list[str]], chromium: Any, screenshots: Path
) -> None:
    server, ids = hostile_registry_site
    page = chromium.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = ["/entities", "/entities?country=rs", "/search?q=hostile"]
    paths += [f"/entities/hostile-{n}" for n in range(len(PAYLOADS))]
    paths += [f"/articles/{quote(i)}" for i in ids]
    paths += [f"/search?q=hostile&entity=hostile-{n}" for n in range(0, len(PAYLOADS), 3)]
    paths += [f"/entities/{quote(p, safe='')}" for p in PAYLOADS[:5]]
    for path in paths:
        page.goto(server.url + path, wait_until="load")
        for point in ((200, 200), (400, 300), (600, 250)):
            page.mouse.move(*point)
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.evaluate(DOM_PROBLEMS) == [], path
    page.goto(f"{server.url}/entities/hostile-2")
    page.screenshot(path=str(screenshots / "xss-entity.png"), full_page=True)
    assert dialogs == []


def test_registry_payloads_are_shown_as_text(
    hostile_registry_site: tuple[LiveServer, list[str]], chromium: Any
) -> None:
    server, ids = hostile_registry_site
    page = chromium.new_page()
    for index, payload in enumerate(PAYLOADS):
        page.goto(f"{server.url}/entities/hostile-{index}")
        assert page.locator("h1").inner_text() == payload.strip()
        assert page.locator(".entity-description").inner_text() == payload.strip()
        names = page.locator(".names").inner_text()
        assert f"{payload.strip()} ({index})" in names
        roles = page.locator(".relations .role").all_inner_texts()
        assert payload.strip() in roles
        # Only http(s) links leave the site; a javascript: identifier stays text.
        hrefs = page.locator(".identifiers a").evaluate_all("els => els.map(e => e.href)")
        assert all(h.startswith(("http://", "https://")) for h in hrefs)
        assert page.locator(".relation-graph desc").count() == 1
    page.goto(f"{server.url}/articles/{quote(ids[0])}")
    mentions = page.locator(".article-body a.mention")
    assert mentions.count() >= 2
    assert mentions.first.get_attribute("title") == PAYLOADS[0]
    assert PAYLOADS[0].strip() in page.locator("#people-heading + ul").inner_text()
