"""Atom 1.0 and JSON Feed 1.1 from a feed's plain data.

Atom is built with ElementTree, so every title and summary is escaped by
the serialiser rather than by hand.  Ids are the absolute addresses of the
article pages: article ids never change, so neither do entry ids.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

from kartoteka.i18n import localise
from kartoteka.services.countries import country_label
from kartoteka.services.feeds import Feed, FeedItem

ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
_ATOM = "http://www.w3.org/2005/Atom"
ElementTree.register_namespace("", _ATOM)


def rfc3339(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def feed_url(base: str, feed: Feed, suffix: str) -> str:
    return f"{base}{feed.path}.{suffix}" + (f"?{feed.query}" if feed.query else "")


def atom(feed: Feed, base: str) -> bytes:
    root = ElementTree.Element(f"{{{_ATOM}}}feed")
    _text(root, "id", feed_url(base, feed, "atom"))
    _text(root, "title", localise(feed.title))
    _text(root, "updated", rfc3339(feed.updated))
    _link(root, "self", feed_url(base, feed, "atom"), ATOM_TYPE)
    _link(root, "alternate", base + feed.page, "text/html")
    author = ElementTree.SubElement(root, f"{{{_ATOM}}}author")
    _text(author, "name", "kartoteka")
    _text(author, "uri", base + "/")
    _text(root, "generator", "kartoteka")
    for item in feed.items:
        _entry(root, item, base)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _entry(root: ElementTree.Element, item: FeedItem, base: str) -> None:
    entry = ElementTree.SubElement(root, f"{{{_ATOM}}}entry")
    if item.language:
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", item.language)
    _text(entry, "id", base + item.path)
    _text(entry, "title", item.title)
    _link(entry, "alternate", base + item.path, "text/html")
    if item.source_url and item.source_url.startswith(("http://", "https://")):
        _link(entry, "related", item.source_url, None)
    _text(entry, "updated", rfc3339(item.updated))
    if item.published:
        _text(entry, "published", rfc3339(item.published))
    if item.author:
        author = ElementTree.SubElement(entry, f"{{{_ATOM}}}author")
        _text(author, "name", item.author_name or item.author)
        _text(author, "uri", _author_url(base, item.author))
    for code in item.countries:
        category = ElementTree.SubElement(entry, f"{{{_ATOM}}}category")
        category.set("term", code)
        category.set("label", country_label(code).name)
    _text(entry, "summary", item.summary).set("type", "text")


def _text(parent: ElementTree.Element, tag: str, value: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{_ATOM}}}{tag}")
    element.text = value
    return element


def _link(parent: ElementTree.Element, rel: str, href: str, kind: str | None) -> None:
    link = ElementTree.SubElement(parent, f"{{{_ATOM}}}link")
    link.set("rel", rel)
    link.set("href", href)
    if kind:
        link.set("type", kind)


def json_feed(feed: Feed, base: str) -> dict[str, Any]:
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": localise(feed.title),
        "home_page_url": base + feed.page,
        "feed_url": feed_url(base, feed, "json"),
        "authors": [{"name": "kartoteka", "url": base + "/"}],
        "items": [_json_item(item, base) for item in feed.items],
    }


def _json_item(item: FeedItem, base: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": base + item.path,
        "url": base + item.path,
        "title": item.title,
        "summary": item.summary,
        "content_text": item.summary,
        "date_modified": rfc3339(item.updated),
        "tags": [country_label(code).name for code in item.countries],
    }
    if item.published:
        data["date_published"] = rfc3339(item.published)
    if item.author:
        data["authors"] = [{"name": item.author_name or item.author,
                            "url": _author_url(base, item.author)}]
    if item.language:
        data["language"] = item.language
    if item.source_url and item.source_url.startswith(("http://", "https://")):
        data["external_url"] = item.source_url
    return data


def _author_url(base: str, handle: str) -> str:
    return f"{base}/authors/{quote(handle, safe='@')}"
