from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from kartoteka.ingest.base import Input, ItemError, ReadOptions
from kartoteka.ingest.html import HtmlReader, html_to_text, links_in
from kartoteka.model import Author, AuthorKind

from .conftest import drafts, read_file

READER = HtmlReader()


def test_page_with_canonical_link(data: Path) -> None:
    [page] = drafts(read_file(READER, data / "html" / "canonical.html"))
    assert page.title == "Arms cache found in abandoned farmhouse"
    assert page.url == page.source_key == "https://valley-courier.example/news/arms-cache"
    assert page.source == str(data / "html" / "canonical.html")
    assert page.author == Author("Elena Marsh", "Elena Marsh", AuthorKind.PERSON)
    assert page.published_at == datetime(2024, 2, 14, 7, 45, tzinfo=timezone(timedelta(hours=1)))
    assert page.language == "en"
    assert "cache of rifles, ammunition and radio equipment" in page.body
    assert "vehicles had been seen near the farm at night" in page.body
    for boilerplate in ("We use cookies", "Most read", "All rights reserved", "Sport"):
        assert boilerplate not in page.body


def test_page_with_og_url_and_no_author_is_by_its_site(data: Path) -> None:
    [page] = drafts(read_file(READER, data / "html" / "og_url.html", country="RS"))
    assert page.url == "https://granica-vesti.example/clanak/hapsenje"
    assert page.language == "sr"
    assert page.author == Author("granica-vesti.example", "granica-vesti.example", AuthorKind.SITE)
    assert page.published_at is not None and page.published_at.date().isoformat() == "2023-11-20"
    assert page.countries == ["rs"]
    assert "Početna" not in page.body and "krijumčarenje migranata" in page.body


def test_fetched_page_without_canonical_keeps_its_url() -> None:
    markup = (b"<html><body><article><p>" + b"Words of a fetched article body. " * 20
              + b"</p></article></body></html>")
    [page] = drafts(list(READER.read(Input("https://news.example/a?id=4", markup),
                                     ReadOptions())))
    assert page.url == "https://news.example/a?id=4"
    assert page.author is not None and page.author.handle == "news.example"


def test_html_without_extractable_text_is_an_item_error(data: Path) -> None:
    path = data / "html" / "no_text.html"
    [error] = read_file(READER, path)
    assert isinstance(error, ItemError)
    assert error.path == str(path)
    assert "no extractable text" in error.error


def test_gzipped_page_reads_like_the_plain_one(data: Path) -> None:
    [plain] = drafts(read_file(READER, data / "html" / "canonical.html"))
    [packed] = drafts(read_file(READER, data / "gzip" / "page.html.gz"))
    assert (packed.title, packed.body, packed.url) == (plain.title, plain.body, plain.url)


def test_fragment_text_and_links() -> None:
    fragment = '<p>One <a href="https://a.example/x">link</a>.</p><p>Two <a href="/rel">rel</a></p>'
    assert html_to_text(fragment) == "One link.\nTwo rel"
    assert links_in(fragment) == ["https://a.example/x"]
    assert html_to_text("plain &amp; simple") == "plain & simple"
