"""HTML pages: trafilatura finds the main text and the metadata.

The body kartoteka stores is trafilatura's main text, untouched apart from
line-ending normalisation: ``bench/html_quality.py`` checks that it scores at
least as well as trafilatura called directly.  Reader comments under an
article are not the author's words, so they are left out of the body.

A page read from a file keeps its address from ``<link rel=canonical>`` or
``og:url``; a fetched page falls back to the URL it was fetched from.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from lxml import html as lxml_html  # type: ignore[import-untyped]
from trafilatura.settings import Document

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.fields import (
    chosen_author,
    countries,
    guess_language,
    parse_datetime,
    title_from_text,
    unique,
    url_host,
    url_scheme,
)
from kartoteka.ingest.guard import never_raises
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.text.normalize import clean_text

# Full timestamps where the page has them, not only the day.
_DATE_PARAMS = {"extensive_search": True, "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_LANG = re.compile(r"^[A-Za-z]{2,3}")
# Fragments longer than this skip trafilatura (see html_to_text).
TRAFILATURA_MAX_CHARS = 512 * 1024
_BLOCKS = ("p", "div", "br", "li", "tr", "blockquote", "pre", "section", "article",
           "h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura and the page's own markup say about one HTML document."""

    body: str
    title: str | None
    author: str | None
    published_at: datetime | None
    language: str | None
    url: str | None
    site: str | None


def extract_page(markup: bytes | str, *, url: str | None = None) -> Page | None:
    """The page's main text and metadata; None when it has no extractable text."""
    document = trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    if not isinstance(document, Document):
        return None
    text = clean_text(document.text or "")
    if not any(ch.isalnum() for ch in text):
        return None
    tree = _parse(markup)
    return Page(
        body=text,
        title=_text_or_none(document.title),
        author=_text_or_none(document.author),
        published_at=parse_datetime(document.date),
        language=declared_language(tree) or guess_language(text),
        url=canonical_url(tree) or url,
        site=_text_or_none(document.sitename),
    )


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), by the same extractor.

    trafilatura keeps the paragraphs of a short fragment; when it finds no
    main text at all (a one-line summary), the fragment's plain text is used.
    So is the plain text of a huge fragment: trafilatura needed over two minutes
    and about 60 times the fragment's size in memory for one 8 MB feed entry.
    """
    if "<" not in markup:
        return clean_text(html.unescape(markup))
    if len(markup) <= TRAFILATURA_MAX_CHARS:
        text = trafilatura.extract(markup, include_comments=False, include_tables=True)
        if text and text.strip():
            return clean_text(text)
    return plain_text(markup)


def plain_text(markup: str) -> str:
    """The text of every element, a line break after each block; linear in the input."""
    tree = _parse(markup)
    if tree is None:
        return ""
    for hidden in tree.xpath("//script | //style | //noscript | //template"):
        hidden.drop_tree()
    for block in tree.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return clean_text(tree.text_content())


def links_in(markup: str) -> list[str]:
    """Absolute http(s) targets of ``<a href>`` in a fragment, in order, without repeats."""
    if "<a" not in markup.lower():
        return []
    tree = _parse(markup)
    if tree is None:
        return []
    hrefs = (str(h).strip() for h in tree.xpath("//a/@href"))
    return unique(h for h in hrefs if url_scheme(h) in ("http", "https"))


def canonical_url(tree: lxml_html.HtmlElement | None) -> str | None:
    """``<link rel=canonical>`` first, then ``og:url``; absolute http(s) URLs only."""
    if tree is None:
        return None
    candidates = tree.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONIL', 'canonil')),"
        " ' '), ' canonical ')]/@href"
        " | //meta[@property='og:url']/@content"
    )
    for candidate in candidates:
        value = str(candidate).strip()
        if url_scheme(value) in ("http", "https"):
            return value
    return None


def declared_language(tree: lxml_html.HtmlElement | None) -> str | None:
    """The two- or three-letter code from ``<html lang>`` or ``content-language``."""
    if tree is None:
        return None
    values = tree.xpath("/html/@lang | //meta[@http-equiv='content-language']/@content"
                        " | //meta[@property='og:locale']/@content")
    for value in values:
        match = _LANG.match(str(value).strip())
        if match:
            return match.group(0).lower()
    return None


def looks_like_html(data: bytes) -> bool:
    """A document that opens with a doctype or an html/head/body tag."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head))


class HtmlReader:
    """One HTML page (a file or a fetched URL) becomes one article."""

    name = "html"

    def sniff(self, item: Input) -> bool:
        return looks_like_html(item.data)

    @never_raises
    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        fetched_url = item.origin if _is_web_url(item.origin) else None
        page = extract_page(item.data, url=fetched_url)
        if page is None:
            yield ItemError(item.origin, "no extractable text in this HTML page "
                            "(only markup, scripts or navigation); nothing to ingest")
            return
        yield page_draft(page, source=item.origin, options=options)


def page_draft(page: Page, *, source: str, options: ReadOptions,
               fetched_at: datetime | None = None) -> ArticleDraft:
    """The article for one extracted page; shared by the HTML and WARC readers."""
    extra: dict[str, object] = {}
    if page.site:
        extra["site_name"] = page.site
    if fetched_at is not None:
        extra["fetched_at"] = fetched_at.isoformat()
    return ArticleDraft(
        title=page.title or title_from_text(page.body),
        body=page.body,
        source=source,
        source_key=page.url or source,
        language=page.language,
        author=chosen_author(options, _page_author(page)),
        published_at=page.published_at,
        countries=countries(options),
        url=page.url,
        extra=extra,
    )


def _page_author(page: Page) -> Author | None:
    if page.author:
        return Author(handle=page.author, display_name=page.author, kind=AuthorKind.PERSON)
    host = url_host(page.url)
    if host:
        host = host.removeprefix("www.")
        return Author(handle=host, display_name=page.site or host, kind=AuthorKind.SITE)
    return None


def _parse(markup: bytes | str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.document_fromstring(markup)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def _is_web_url(origin: str) -> bool:
    return url_scheme(origin) in ("http", "https")


def _text_or_none(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
