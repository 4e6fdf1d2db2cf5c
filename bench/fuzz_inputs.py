"""Hostile inputs for every reader and importer, from one seeded ``random.Random``.

Half of the inputs are real samples (``tests/data``, ``kartoteka/sample_data``)
with bytes flipped, cut, repeated or replaced by tokens that broke readers
before (deep nesting, 5,000-digit integers, bad character references, NULs,
lone surrogates, ``http://[``); the other half are documents built from the
format's own keys with values of the wrong type or range.  The test suite
draws its ``Random`` from hypothesis, ``bench/fuzz.py`` from a seed.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from bench.fuzz_documents import DOCUMENT_BUILDERS
from kartoteka.catalog.parse import parse_catalog_post
from kartoteka.ingest.base import Input, ItemError, ReadOptions, Skipped
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.formats import reader_for
from kartoteka.model import ArticleDraft
from kartoteka.registry.files import UnreadableFile, read_registry_bytes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SAMPLES = ROOT / "kartoteka" / "sample_data"

# Where each target's real samples live (globs under the repository root).
SAMPLE_GLOBS: dict[str, tuple[str, ...]] = {
    "text": ("tests/data/corpus/nested/*.txt", "tests/data/accounts/*.txt"),
    "markdown": ("tests/data/corpus/*.md", "kartoteka/sample_data/articles/*.md"),
    "html": ("tests/data/ingest/html/*.html", "tests/data/ingest/html_gold/0[1-4]*.html"),
    "telegram": ("tests/data/ingest/telegram/*.json", "kartoteka/sample_data/telegram/*.json"),
    "feed": ("tests/data/ingest/feeds/*", "kartoteka/sample_data/feed.xml"),
    "warc": ("tests/data/ingest/warc/*",),
    "jsonl": ("tests/data/ingest/jsonl/*.jsonl", "tests/data/extract/annotated/articles.jsonl"),
    "ftm": ("tests/data/registry/*.ftm.jsonl", "kartoteka/sample_data/registry.ftm.jsonl"),
    "csv": ("tests/data/registry/*.csv",),
    "catalog": ("tests/data/catalog/*", "kartoteka/sample_data/catalog.md"),
}
# Document readers: every input is built (and then broken) by bench/fuzz_documents.py.
DOCUMENT_TARGETS: tuple[str, ...] = tuple(DOCUMENT_BUILDERS)
TARGETS: tuple[str, ...] = (*SAMPLE_GLOBS, *DOCUMENT_TARGETS, "auto")
MAX_SAMPLE = 64 * 1024  # keep each input small enough for thousands of runs

# Tokens that broke a reader once, spliced into samples and used as JSON values.
NASTY: tuple[bytes, ...] = (
    b"[" * 200_000, b"{\"a\":" * 50_000, b"9" * 5000, b"-" + b"9" * 4400, b"1e999",
    b"&#xD800;", b"&#99999999999;", b"&#0;", b"&#x110000;", b"\x00", b"\\u0000",
    b"\\ud800", b"\xed\xa0\x80", b"\xff\xfe", b"\xef\xbb\xbf", b"http://[", b"]]>",
    b"<![CDATA[", b"</", b"<", b"&", b"\r", b"\r\n\r\n", b"\"", b"\\", b"---\n",
    b"\xf0\x9f\x87\xbd\xf0\x9f\x87\xb0", b">" * 3000, b"WARC/1.0\r\n", b"\x1f\x8b",
    b"Content-Length: 1000000000000000000000000000000\r\n", b"\t" * 100, b"\xd8\x00",
)
NASTY_VALUES: tuple[object, ...] = (
    None, True, 5, -1, 0, 10**30, -(10**30), 1.5, float("inf"), "", " ", "\x00", "\ud800",
    "http://[", "organisation", "9999-99-99", "0000-01-01T00:00:00", "-99999999999999",
    "99999999999999999", [], [5], [None], {}, {"a": []}, ["x"] * 3, "𝕏" * 50,
)
RAW_INT = "__RAW_BIG_INT__"
RAW_DEEP = "__RAW_DEEP__"


@cache
def samples(target: str) -> tuple[bytes, ...]:
    """The target's sample files' bytes, each cut to ``MAX_SAMPLE``."""
    found: list[bytes] = []
    for pattern in SAMPLE_GLOBS[target]:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and path.suffix != ".py":
                found.append(path.read_bytes()[:MAX_SAMPLE])
    return tuple(found)


def generate(target: str, rng: random.Random) -> bytes:
    """One input for ``target``: a mutated sample or a built document, sometimes gzipped."""
    if target == "auto":
        target = rng.choice(TARGETS[:-1])
    if target in DOCUMENT_BUILDERS:
        data = DOCUMENT_BUILDERS[target](rng)
        if rng.random() < 0.05:  # a .gz of a document: unpacked before the reader sees it
            data = gzip.compress(data, compresslevel=1)
        return data
    builder = BUILDERS.get(target)
    if builder is not None and rng.random() < 0.5:
        data = builder(rng)
    else:
        data = mutate(rng.choice(samples(target)), rng)
    if target not in ("ftm", "csv", "catalog", "warc") and rng.random() < 0.1:
        data = gzip.compress(data, compresslevel=1)
        if rng.random() < 0.5:
            data = _mutate_once(data, rng)  # corrupt or truncated gzip
    return data


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        data = _mutate_once(data, rng)
    return data


def _mutate_once(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    kind = rng.randrange(7)
    if kind == 0 and data:  # flip bytes
        chunk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        return data[:at] + chunk + data[at + len(chunk):]
    if kind == 1:  # splice a nasty token in
        return data[:at] + rng.choice(NASTY) + data[at:]
    if kind == 2:  # cut
        return data[:at]
    if kind == 3:  # delete a range
        return data[:at] + data[at + rng.randint(1, 200):]
    if kind == 4:  # repeat a range
        piece = data[at:at + rng.randint(1, 400)]
        return data[:at] + piece * rng.randint(2, 50) + data[at:]
    if kind == 5:  # replace a value between quotes or tags with a nasty one
        return data[:at] + rng.choice(NASTY) + data[at + rng.randint(0, 40):]
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


# --- built documents ------------------------------------------------------------------


def _value(rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.08:
        return RAW_INT
    if roll < 0.1:
        return RAW_DEEP
    return rng.choice(NASTY_VALUES)


def _dumps(document: object) -> bytes:
    text = json.dumps(document, ensure_ascii=rng_free_ascii(document))
    text = text.replace(f'"{RAW_INT}"', "9" * 5000).replace(f'"{RAW_DEEP}"',
                                                           "[" * 100_000 + "]" * 100_000)
    return text.encode("utf-8", "surrogatepass")


def rng_free_ascii(document: object) -> bool:
    """Escape to ASCII only when needed: lone surrogates cannot be encoded raw."""
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _record(rng: random.Random, keys: tuple[str, ...], base: dict[str, Any]) -> dict[str, Any]:
    record = dict(base)
    for key in rng.sample(keys, rng.randint(0, min(4, len(keys)))):
        record[key] = _value(rng)
    if rng.random() < 0.2 and record:
        del record[rng.choice(list(record))]
    return record


_ARTICLE_KEYS = ("id", "title", "body", "language", "author", "author_name", "author_kind",
                 "source", "source_key", "url", "published_at", "countries", "hashtags",
                 "links", "extra")


def _jsonl(rng: random.Random) -> bytes:
    lines = [_dumps(_record(rng, _ARTICLE_KEYS, {"title": f"T{i}", "body": "Text."}))
             for i in range(rng.randint(1, 5))]
    return b"\n".join(lines) + b"\n"


_MESSAGE_KEYS = ("id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "text",
                 "text_entities", "from", "from_id", "forwarded_from", "action")


def _telegram(rng: random.Random) -> bytes:
    messages = [_record(rng, _MESSAGE_KEYS, {"id": i, "type": "message", "text": "Post text",
                                             "date": "2024-01-02T03:04:05"})
                for i in range(rng.randint(1, 5))]
    if rng.random() < 0.3:
        messages.append({"id": 99, "type": "message", "date": "2024-01-01T00:00:00",
                         "text": [_record(rng, ("type", "text", "href"),
                                          {"type": "text_link", "text": "x", "href": "y"})]})
    chat = _record(rng, ("name", "type", "id", "messages"),
                   {"name": "C", "type": "public_channel", "id": 1, "messages": messages})
    if rng.random() < 0.3:
        return _dumps({"about": "x", "chats": {"list": [chat, _value(rng)]}})
    return _dumps(chat)


_JSON_FEED_KEYS = ("id", "title", "content_html", "content_text", "summary", "url",
                   "external_url", "date_published", "date_modified", "tags", "language",
                   "author", "authors")


def _json_feed(rng: random.Random) -> bytes:
    items = [_record(rng, _JSON_FEED_KEYS, {"id": str(i), "content_html": "<p>Text</p>"})
             for i in range(rng.randint(1, 4))]
    document = _record(rng, ("title", "home_page_url", "language", "author", "authors"),
                       {"version": "https://jsonfeed.org/version/1.1", "title": "F"})
    document["items"] = items
    return _dumps(document)


def _xml_text(rng: random.Random) -> str:
    return rng.choice(("Text", "&#xD800;", "&#99999999999;", "&#0;", "a\x00b", "<![CDATA[<p>x",
                       "&lt;p&gt;hi", "<p>" * 200, "&amp;" * 100, "Mon, 01 Jan 99999 00:00:00",
                       "http://[", "\ufffe", "x" * 2000, ""))


def _xml_feed(rng: random.Random) -> bytes:
    fields = ("title", "link", "guid", "description", "pubDate", "author", "category",
              "content:encoded", "dc:date", "updated")
    entries = []
    for _ in range(rng.randint(1, 4)):
        parts = [f"<{f}>{_xml_text(rng)}</{f}>" for f in rng.sample(fields, rng.randint(1, 6))]
        entries.append("<item>" + "".join(parts) + "</item>")
    root = rng.choice(('<rss version="2.0"><channel><title>T</title>{}</channel></rss>',
                       '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{}</feed>'))
    body = root.format("".join(entries))
    if "<feed" in body:
        body = body.replace("<item>", "<entry>").replace("</item>", "</entry>")
    return body.encode("utf-8", "surrogatepass")


def _feed(rng: random.Random) -> bytes:
    return _json_feed(rng) if rng.random() < 0.5 else _xml_feed(rng)


def _warc(rng: random.Random) -> bytes:
    body = rng.choice(samples("html"))[:4000]
    http = (b"HTTP/1.1 " + rng.choice((b"200 OK", b"404 Not Found", b"999 X", b"x")) +
            b"\r\nContent-Type: " + rng.choice((b"text/html", b"text/plain", b"", b"text/html;"
                                                b" charset=x-unknown")) + b"\r\n\r\n" + body)
    length = rng.choice((str(len(http)).encode(), b"10" * 15, b"-5", b"abc", b"0",
                         str(len(http) + rng.randint(1, 100)).encode()))
    record = (b"WARC/1.0\r\nWARC-Type: " + rng.choice((b"response", b"request", b"resource"))
              + b"\r\nWARC-Target-URI: " + rng.choice((b"http://example.org/a", b"http://[",
                                                       b"")) +
              b"\r\nWARC-Date: " + rng.choice((b"2024-01-01T00:00:00Z", b"99999", b"")) +
              b"\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
              length + b"\r\n\r\n" + http + b"\r\n\r\n")
    return record * rng.randint(1, 3)


_FTM_KEYS = ("id", "schema", "properties", "kartoteka")


def _ftm(rng: random.Random) -> bytes:
    lines = []
    for i in range(rng.randint(1, 4)):
        props = _record(rng, ("name", "alias", "country", "startDate", "member", "organization",
                              "sourceUrl", "topics"), {"name": [f"Name {i}"]})
        lines.append(_dumps(_record(rng, _FTM_KEYS, {"id": f"ktk-{i}", "schema": "Person",
                                                     "properties": props})))
    return b"\n".join(lines)


def _csv(rng: random.Random) -> bytes:
    rows = [b"id,schema,name,aliases,countries,topics"]
    for i in range(rng.randint(1, 4)):
        cells = [f"ktk-{i}".encode(), b"Person", b"Name", b"a;b", b"xk", b""]
        cells[rng.randrange(6)] = rng.choice((b'"' + b"x" * 140_000 + b'"', b'"open', b"",
                                              b"\x00", b"a,b,c", b'"a""b"', b"\r"))
        rows.append(b",".join(cells))
    return b"\n".join(rows)


def _catalog(rng: random.Random) -> bytes:
    flags = ("🇽🇰 Kosovo", "🇷🇺", "Serbia", "🇿🇿", "Atlantis", "")
    entries = ("“KLA” (@chan)", '<a href="http://[">x</a>', "[t](http://[)", "http://[",
               "part 1", "(", "“" * 50, "t.me/x", "x" * 5000)
    lines = ["Catalog of articles"]
    for _ in range(rng.randint(1, 6)):
        picked = " | ".join(rng.choice(entries) for _ in range(rng.randint(1, 4)))
        lines.append(f"{rng.choice(flags)}: {picked}")
    return "\n".join(lines).encode()


BUILDERS: dict[str, Callable[[random.Random], bytes]] = {
    "jsonl": _jsonl, "telegram": _telegram, "feed": _feed, "warc": _warc,
    "ftm": _ftm, "csv": _csv, "catalog": _catalog,
}


# --- running one input ----------------------------------------------------------------


class Unhandled(Exception):
    """A reader or importer raised, or yielded something that is not a read item."""


def run(target: str, data: bytes) -> tuple[int, int]:
    """Read ``data`` as ``target``: (items read, clean errors).  Raises only on a defect."""
    if target == "ftm" or target == "csv":
        try:
            parsed = read_registry_bytes(Path(f"fuzz.{target}"), data, target)
        except UnreadableFile:
            return 0, 1
        return len(parsed.entities) + len(parsed.relations), len(parsed.errors)
    if target == "catalog":
        catalog = parse_catalog_post(data.decode("utf-8", "replace"))
        return sum(len(c.entries) for c in catalog.countries), len(catalog.errors)
    item = Input(f"fuzz-input.{target}", data)
    fmt = detect_format(item) if target == "auto" else target
    read = errors = 0
    for result in reader_for(fmt).read(item, ReadOptions()):
        if isinstance(result, ItemError):
            errors += 1
        elif isinstance(result, ArticleDraft | Skipped):
            read += 1
        else:
            raise Unhandled(f"{fmt} yielded {type(result).__name__}")
    return read, errors
