"""RSS 0.9x/1.0/2.0, Atom (via feedparser) and JSON Feed (via ``json``).

Each entry becomes an article whose body is its content (or summary) run
through the HTML reader's text path.  The entry id is the ``source_key``, so
ingesting the same feed again finds the same articles.

A malformed feed (feedparser's ``bozo``) still yields the entries that
parsed.  The problem is reported as one ``Skipped`` item — the unparsable
rest of the feed is what was skipped — and logged as a warning, so it is
visible without counting as a failure.  Only a feed with nothing readable is
an ``ItemError``.
"""

from __future__ import annotations

import calendar
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import feedparser

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions, Skipped
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.fields import (
    chosen_author,
    countries,
    from_epoch_seconds,
    guess_language,
    parse_datetime,
    title_from_text,
    unique,
    url_host,
    url_scheme,
)
from kartoteka.ingest.guard import guarded, never_raises, unexpected
from kartoteka.ingest.html import html_to_text, links_in
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.text.encoding import UndecodableError, decode
from kartoteka.text.json_input import JsonInputError, load_json
from kartoteka.text.normalize import clean_text

log = logging.getLogger(__name__)

_XML_FEED = re.compile(rb"<(rss|feed|rdf:RDF|RDF)[\s>]")
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_NAMED_EMAIL = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
# feedparser decodes the declared encoding's name as UTF-8 and fails on other bytes.
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
# A numeric character reference; feedparser's loose parser calls chr() on it unchecked.
_CHARREF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+))")



@dataclass(slots=True)
class Channel:
    """The feed as a whole: who publishes it and where."""

    title: str = ""
    link: str | None = None
    language: str | None = None
    author: str | None = None


@dataclass(slots=True)
class Entry:
    """One entry, the same for RSS, Atom and JSON Feed."""

    entry_id: str | None
    title: str
    body: str
    link: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


# The feed, its entries (or per-entry errors) and a warning, empty when none.
ParsedFeed = tuple[Channel, list[Entry | ItemError], str]


def looks_like_feed(data: bytes) -> bool:
    """An XML document whose root is rss/feed/RDF, or a JSON Feed object."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return bool(_JSON_FEED.search(head))
    return head.startswith(b"<") and bool(_XML_FEED.search(head))


class FeedReader:
    """RSS, Atom and JSON Feed documents, each entry an article."""

    name = "feed"

    def sniff(self, item: Input) -> bool:
        return looks_like_feed(item.data)

    @never_raises
    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        if item.data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            parsed = _json_feed(item.origin, item.data)
        else:
            parsed = _xml_feed(item.origin, item.data)
        if isinstance(parsed, ItemError):
            yield parsed
            return
        channel, entries, problem = parsed
        for position, entry in enumerate(entries, start=1):
            if isinstance(entry, ItemError):
                yield entry
            elif not entry.body and not entry.title:
                yield Skipped(item.origin, f"entry {entry.entry_id or position}: no text")
            else:
                yield guarded(item.origin, f"entry {entry.entry_id or position}",
                              partial(_draft, item.origin, position, channel, entry, options))
        if problem:
            log.warning("%s: %s", item.origin, problem)
            yield Skipped(item.origin, problem)


def _xml_feed(origin: str, data: bytes) -> ParsedFeed | ItemError:
    declared = _XML_ENCODING.match(data)
    if declared and not declared.group(1).isascii():
        return ItemError(origin, "feed parse failure: the XML declaration's encoding name is "
                         "not plain ASCII; the file is damaged")
    try:
        parsed = feedparser.parse(_valid_charrefs(data), sanitize_html=True,
                                  resolve_relative_uris=True)
    except Exception as exc:  # feedparser has no error contract; log what it raised
        return unexpected(origin, "feed parse failure", exc)
    reason = str(parsed.get("bozo_exception", "")) or "no RSS or Atom root element"
    if not parsed.get("entries") and (parsed.get("bozo") or not parsed.get("version")):
        return ItemError(origin, f"feed parse failure: {reason}; check that this is an "
                         "RSS, Atom or JSON Feed document")
    meta = parsed.feed
    channel = Channel(
        title=str(meta.get("title", "")),
        link=meta.get("link"),
        language=_language(meta.get("language")),
        author=meta.get("author"),
    )
    entries = [_guarded_entry(origin, position, partial(_xml_entry, raw, channel))
               for position, raw in enumerate(parsed.entries, start=1)]
    problem = ""
    if parsed.bozo:
        problem = (f"malformed feed ({reason}); {len(entries)} entries could be read, "
                   "anything feedparser could not recover was skipped")
    return channel, entries, problem


def _xml_entry(raw: dict[str, Any], channel: Channel) -> Entry:
    markup, kind = _xml_content(raw)
    body = html_to_text(markup) if kind in _HTML_TYPES else clean_text(markup)
    title_detail = raw.get("title_detail") or {}
    title = str(raw.get("title", ""))
    if title_detail.get("type") in _HTML_TYPES:
        title = html_to_text(title)
    return Entry(
        entry_id=raw.get("id") or None,
        title=clean_text(title),
        body=body,
        link=raw.get("link"),
        author=raw.get("author"),
        published_at=_struct_time(raw.get("published_parsed")),
        # dict.get: feedparser maps a missing updated_parsed to published_parsed, with a warning.
        updated_at=_struct_time(dict.get(raw, "updated_parsed")),
        language=_language((raw.get("content") or [{}])[0].get("language")) or channel.language,
        categories=unique(t.get("term") for t in raw.get("tags", []) or []),
        links=links_in(markup) if kind in _HTML_TYPES else [],
    )


def _xml_content(raw: Mapping[str, Any]) -> tuple[str, str]:
    """The fullest text an entry has: HTML content first, then any content, then the summary."""
    contents = [c for c in raw.get("content", []) or [] if c.get("value")]
    contents.sort(key=lambda c: c.get("type") not in _HTML_TYPES)
    if contents:
        return str(contents[0]["value"]), str(contents[0].get("type", "text/html"))
    detail = raw.get("summary_detail") or {}
    return str(raw.get("summary", "")), str(detail.get("type", "text/html"))


def _valid_charrefs(data: bytes) -> bytes:
    """``&#...;`` references to NUL, surrogates or beyond Unicode become U+FFFD."""
    if b"&#" not in data:
        return data
    return _CHARREF.sub(_charref, data)


def _charref(match: re.Match[bytes]) -> bytes:
    hexa, decimal = match.group(1), match.group(2)
    digits = hexa or decimal
    if len(digits.lstrip(b"0")) > 7:
        return b"&#xFFFD"
    code = int(hexa, 16) if hexa else int(decimal)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return b"&#xFFFD"
    return match.group(0)


def _guarded_entry(origin: str, position: int,
                   build: Callable[[], Entry | ItemError]) -> Entry | ItemError:
    """One entry, or its error: one odd entry must not lose the feed's others."""
    try:
        return build()
    except Exception as exc:
        return unexpected(origin, f"entry {position}", exc)


def _json_feed(origin: str, data: bytes) -> ParsedFeed | ItemError:
    try:
        document = load_json(decode(data))
    except UndecodableError as exc:
        return ItemError(origin, f"feed parse failure: {exc}")
    except JsonInputError as exc:
        return ItemError(origin, f"feed parse failure: {exc}")
    if (not isinstance(document, Mapping)
            or "jsonfeed.org/version/" not in str(document.get("version", ""))
            or not isinstance(document.get("items"), list)):
        return ItemError(origin, "feed parse failure: unexpected schema (a JSON Feed needs "
                         "a jsonfeed.org 'version' and an 'items' list)")
    channel = Channel(
        title=str(document.get("title", "")),
        link=_str(document.get("home_page_url")),
        language=_language(document.get("language")),
        author=_json_author(document),
    )
    entries = [_guarded_entry(origin, position, partial(_json_entry, origin, position, raw,
                                                        channel))
               for position, raw in enumerate(document["items"], start=1)]
    return channel, entries, ""


def _json_entry(origin: str, position: int, raw: object, channel: Channel) -> Entry | ItemError:
    if not isinstance(raw, Mapping):
        return ItemError(origin, f"item {position}: unexpected schema (not an object)")
    markup = _str(raw.get("content_html"))
    if markup:
        body, links = html_to_text(markup), links_in(markup)
    else:
        body = clean_text(_str(raw.get("content_text")) or _str(raw.get("summary")) or "")
        links = []
    return Entry(
        entry_id=_str(raw.get("id")) or None,
        title=clean_text(_str(raw.get("title")) or ""),
        body=body,
        link=_str(raw.get("url")) or _str(raw.get("external_url")),
        author=_json_author(raw) or channel.author,
        published_at=parse_datetime(raw.get("date_published")),
        updated_at=parse_datetime(raw.get("date_modified")),
        language=_language(raw.get("language")) or channel.language,
        categories=_tags(raw.get("tags")),
        links=links,
    )


def _tags(value: object) -> list[str]:
    """JSON Feed ``tags`` is a list of strings; anything else carries no tags."""
    return unique(value) if isinstance(value, list) else []


def _json_author(block: Mapping[str, Any]) -> str | None:
    """``authors`` (JSON Feed 1.1) or ``author`` (1.0): the first name given."""
    people = block.get("authors")
    candidates = people if isinstance(people, list) else [block.get("author")]
    for person in candidates:
        if isinstance(person, Mapping) and _str(person.get("name")):
            return _str(person.get("name"))
    return None


def _draft(origin: str, position: int, channel: Channel, entry: Entry,
           options: ReadOptions) -> ArticleDraft:
    body = entry.body or entry.title
    feed_key = channel.link or origin
    if entry.entry_id and url_scheme(entry.entry_id):
        source_key = entry.entry_id
    elif entry.entry_id:
        source_key = f"{feed_key}#{entry.entry_id}"  # a bare guid is unique only in its feed
    else:
        source_key = entry.link or f"{feed_key}#{position}"
    extra: dict[str, object] = {"feed_title": channel.title, "entry_id": entry.entry_id}
    if entry.categories:
        extra["categories"] = entry.categories
    if entry.updated_at:
        extra["updated_at"] = entry.updated_at.isoformat()
    return ArticleDraft(
        title=entry.title or title_from_text(body),
        body=body,
        source=origin,
        source_key=source_key,
        language=entry.language or guess_language(body),
        author=chosen_author(options, _author(entry.author, channel)),
        published_at=entry.published_at or entry.updated_at,
        countries=countries(options),
        links=entry.links,
        url=entry.link,
        extra=extra,
    )


def _author(name: str | None, channel: Channel) -> Author | None:
    if name:
        named = _NAMED_EMAIL.match(name)  # RSS writes "editor@example.org (Name)"
        person = named.group("name").strip() if named else name.strip()
        return Author(handle=person, display_name=person, kind=AuthorKind.PERSON)
    host = url_host(channel.link)
    if host:
        host = host.removeprefix("www.")
        return Author(handle=host, display_name=channel.title or host, kind=AuthorKind.SITE)
    return None


def _struct_time(value: object) -> datetime | None:
    """feedparser's normalised UTC ``struct_time`` as an aware datetime."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        seconds = calendar.timegm(value)
    except (OverflowError, ValueError):
        return None
    return from_epoch_seconds(seconds)


def _language(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-")[0].split("_")[0].lower()


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
