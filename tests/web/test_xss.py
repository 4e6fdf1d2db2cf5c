"""Classic XSS payloads in every field a source or user controls, checked in
Chromium: no dialog opens, ``window.__xss`` stays unset, the DOM holds no
script, no event handler attribute and no link other than http(s), and the
payload is shown as the text it is rather than silently dropped."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.ingest import IngestService
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
  for (const tag of ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'video', 'marquee',
                     'details', 'input[autofocus]']) {
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
