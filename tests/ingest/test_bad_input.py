"""Each input that once raised out of a reader (issue 14) now yields that item's error.

Every case here raised before the fix: RecursionError, ValueError, OverflowError,
TypeError, UnicodeEncodeError or ReadFailure escaped ``read``.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.formats import READERS, reader_for
from kartoteka.ingest.guard import never_raises
from kartoteka.ingest.limits import DEFAULT_LIMITS_MB, MB, LimitsError, input_limits
from kartoteka.model import ArticleDraft

DEEP = b"[" * 200_000 + b"]" * 200_000
BIG_INT = b"9" * 5000
JSON_FEED = b'{"version": "https://jsonfeed.org/version/1.1", "items": %s}'


def chat(messages: bytes) -> bytes:
    return b'{"name": "C", "type": "public_channel", "id": 1, "messages": [%s]}' % messages


def rss(item: bytes) -> bytes:
    return b'<rss version="2.0"><channel><title>T</title><item>%s</item></channel></rss>' % item


def warc(length: bytes) -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
            b"<html><body><p>A page about the ceasefire in the north.</p></body></html>")
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + length
            + b"\r\n\r\n" + http + b"\r\n\r\n")


def read(fmt: str, data: bytes) -> list[ReadItem]:
    return list(reader_for(fmt).read(Input(f"bad.{fmt}", data), ReadOptions()))


def errors(items: list[ReadItem]) -> list[str]:
    return [i.error for i in items if isinstance(i, ItemError)]


@pytest.mark.parametrize(("fmt", "data", "expected"), [
    ("jsonl", b'{"title": "x", "body": ' + DEEP + b"}\n", "line 1: JSON nested too deeply"),
    ("telegram", b'{"messages": ' + DEEP + b', "type": "x", "id": 1}', "nested too deeply"),
    ("feed", JSON_FEED % DEEP, "feed parse failure: JSON nested too deeply"),
    ("jsonl", b'{"title": "x", "id": ' + BIG_INT + b"}\n", "line 1: unreadable JSON value"),
    ("telegram", chat(b'{"id": ' + BIG_INT + b', "text": "hi"}'), "unreadable JSON value"),
    ("markdown", b"---\nauthor: x\nauthor_kind: organisation\n---\n# T\nText.\n",
     "'author_kind' must be one of person, channel, site, not 'organisation'"),
    ("feed", b"\x1f\x8b\x08\x00not really gzip", "corrupt gzip data"),
    ("warc", warc(b"1" + b"0" * 30), "record 1: unreadable WARC data (OverflowError"),
], ids=["deep-jsonl", "deep-telegram", "deep-json-feed", "big-int-jsonl", "big-int-telegram",
        "author-kind", "corrupt-gz", "warc-length"])
def test_hostile_input_is_the_items_error(fmt: str, data: bytes, expected: str) -> None:
    items = read(fmt, data)
    assert any(expected in e for e in errors(items)), items


@pytest.mark.parametrize("unixtime", [b'"99999999999999"', b'"-99999999999999999999999"',
                                      b"1" + b"0" * 30])
def test_unix_time_out_of_range_falls_back_to_the_date(unixtime: bytes) -> None:
    message = (b'{"id": 7, "type": "message", "text": "A post", "date_unixtime": %s, '
               b'"date": "2024-02-03T04:05:06"}' % unixtime)
    [draft] = read("telegram", chat(message))
    assert isinstance(draft, ArticleDraft) and draft.published_at is not None
    assert draft.published_at.isoformat() == "2024-02-03T04:05:06+00:00"


def test_unix_time_out_of_range_without_a_date_is_the_messages_error() -> None:
    items = read("telegram", chat(b'{"id": 7, "text": "A post", "date_unixtime": "-9' + b"9" * 20
                                  + b'"}, {"id": 8, "text": "Next", "date": "2024-01-01"}'))
    assert errors(items) == ["chat 'C', message 7: no readable 'date' or 'date_unixtime'"]
    assert [i.body for i in items if isinstance(i, ArticleDraft)] == ["Next"]


def test_json_feed_tags_that_are_not_a_list_carry_no_tags() -> None:
    items = read("feed", JSON_FEED % b'[{"id": "1", "title": "T", "content_text": "Body", '
                 b'"tags": 5}, {"id": "2", "title": "U", "tags": ["a"]}]')
    drafts = [i for i in items if isinstance(i, ArticleDraft)]
    assert [d.extra.get("categories") for d in drafts] == [None, ["a"]]


@pytest.mark.parametrize("reference", [b"&#xD800;", b"&#99999999999;", b"&#0;", b"&#x110000;"])
def test_feed_character_references_outside_unicode_become_a_replacement(reference: bytes) -> None:
    items = read("feed", rss(b"<title>Raid " + reference + b"</title><description>Text"
                             b"</description><guid>https://example.org/1</guid>"))
    drafts = [i for i in items if isinstance(i, ArticleDraft)]
    assert [d.title for d in drafts] == ["Raid \ufffd"]


def test_nul_bytes_and_lone_surrogates_never_reach_a_draft() -> None:
    record = {"title": "Ti\x00tle\ud800", "body": "B\x00ody", "author": "@a\udfff",
              "extra": {"k\x00": ["v\ud800", 1e999]}}
    line = json.dumps(record).replace("Infinity", "1e999").encode()
    [draft] = read("jsonl", line)
    assert isinstance(draft, ArticleDraft)
    assert (draft.title, draft.body) == ("Title", "Body")
    assert draft.author is not None and draft.author.handle == "@a"
    assert draft.extra == {"k": ["v", None]}


def test_feed_link_that_is_not_a_url_does_not_lose_the_entry() -> None:
    items = read("feed", rss(b"<title>T</title><guid>http://[</guid><link>http://[</link>"
                             b"<description>Text</description>"))
    [draft] = [i for i in items if isinstance(i, ArticleDraft)]
    assert draft.body == "Text"


def test_feed_with_a_non_ascii_encoding_name_is_an_error() -> None:
    [error] = read("feed", b'<?xml version="1.0" encoding="\xc3\x28"?>' + rss(b"<title>T</title>"))
    assert isinstance(error, ItemError) and "encoding name is not plain ASCII" in error.error


def test_thousands_of_open_brackets_in_markdown_are_read() -> None:
    [draft] = read("markdown", b"# Title\n\n" + b"[" * 200_000 + b" see https://example.org/a\n")
    assert isinstance(draft, ArticleDraft) and draft.links == ["https://example.org/a"]


def test_detect_format_does_not_raise_on_corrupt_gzip() -> None:
    item = Input("posts.jsonl.gz", gzip.compress(b'{"title": "T"}\n')[:-12])
    fmt = detect_format(item)
    assert fmt == "jsonl"
    assert errors(list(reader_for(fmt).read(item, ReadOptions()))) == [
        "gzip data is truncated (the file ends mid-stream)"]


def test_deeply_nested_first_line_does_not_break_detection() -> None:
    assert detect_format(Input("x", b"{\"title\": " + DEEP + b"}\n")) == "text"


# --- size limits ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_input_over_its_formats_limit_is_refused(fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", f"{fmt}=1")
    prefix = b"WARC/1.0\r\n" if fmt == "warc" else b""
    [error] = read(fmt, prefix + b"x" * (MB + 1))
    assert isinstance(error, ItemError)
    assert error.error.startswith(f"too large for a {fmt} input (1.0 MB; the limit is 1 MB)")
    assert f"KARTOTEKA_INPUT_LIMITS_MB={fmt}=N" in error.error


def test_gzip_that_unpacks_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "text=1")
    [error] = read("text", gzip.compress(b"a" * (2 * MB)))
    assert isinstance(error, ItemError)
    assert error.error.startswith("too large for a text input (it unpacks to more")


def test_warc_page_over_the_html_limit_is_that_records_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "html=1")
    body = b"<html><body><p>" + b"word " * (MB // 4) + b"</p></body></html>"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    record = warc(str(len(http)).encode()).split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n" + http
    small = warc(str(len(warc(b"0").split(b"\r\n\r\n", 1)[1]) - 4).encode())
    items = read("warc", record + b"\r\n\r\n" + small)
    assert [e.split(":")[0] for e in errors(items)] == ["record 1 (http"]
    assert "page too large for a html input" in errors(items)[0]
    assert [i.body for i in items if isinstance(i, ArticleDraft)] == [
        "A page about the ceasefire in the north."]


@pytest.mark.parametrize("value", ["feed=0", "feed=lots", "epub=5"])
def test_a_bad_limits_setting_is_a_clear_error(value: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", value)
    with pytest.raises(LimitsError, match="KARTOTEKA_INPUT_LIMITS_MB"):
        input_limits()


def test_limits_setting_overrides_only_the_formats_it_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", " feed = 3 , warc=7")
    limits = input_limits()
    assert (limits["feed"], limits["warc"], limits["text"]) == (3 * MB, 7 * MB, 16 * MB)


def test_the_old_document_size_setting_still_works_with_a_deprecation_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("KARTOTEKA_MAX_DOCUMENT_MB", "3")
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "odt=5")
    with caplog.at_level(logging.WARNING, logger="kartoteka.ingest.limits"):
        limits = input_limits()
    assert (limits["pdf"], limits["docx"], limits["image"]) == (3 * MB, 3 * MB, 3 * MB)
    assert (limits["odt"], limits["text"]) == (5 * MB, 16 * MB)  # the new setting wins
    assert "KARTOTEKA_MAX_DOCUMENT_MB is deprecated: set KARTOTEKA_INPUT_LIMITS_MB=" in caplog.text
    [error] = read("pdf", b"%PDF-1.4\n" + b"x" * (4 * MB))
    assert isinstance(error, ItemError) and "the limit is 3 MB" in error.error


# --- the last guard ---------------------------------------------------------------------


class _Broken:
    """A reader with a bug: it raises after its first draft."""

    name = "broken"

    @never_raises
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        yield ArticleDraft(title="First", body="Read before the bug.", source=item.origin)
        raise KeyError("a field the reader forgot to check")


def test_an_unforeseen_exception_ends_the_input_with_an_error_and_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="kartoteka.ingest.guard"):
        items = list(_Broken().read(Input("f.x", b"data"), ReadOptions()))
    assert isinstance(items[0], ArticleDraft)
    assert errors(items) == [
        "after item 1: could not be read (KeyError: 'a field the reader forgot to check')"]
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_readme_states_the_default_limits() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    defaults = ",".join(f"{name}={mb}" for name, mb in DEFAULT_LIMITS_MB.items())
    assert f"| `KARTOTEKA_INPUT_LIMITS_MB` | `{defaults}` |" in readme


def test_jsonl_string_with_a_raw_line_separator_is_one_record() -> None:
    line = json.dumps({"title": "T", "body": "a\u2028b\u0085c"}, ensure_ascii=False)
    [draft] = read("jsonl", line.encode() + b"\r\n")
    assert isinstance(draft, ArticleDraft) and draft.title == "T"


def test_huge_feed_fragment_is_read_as_plain_text_by_paragraph() -> None:
    from kartoteka.ingest.html import TRAFILATURA_MAX_CHARS, html_to_text

    paragraph = "<p>The ceasefire held in the north.</p>"
    markup = ("<script>var hidden = 1;</script>" + paragraph * (TRAFILATURA_MAX_CHARS
                                                                 // len(paragraph) + 1))
    text = html_to_text(markup)
    assert "hidden" not in text
    assert text.split("\n")[:2] == ["The ceasefire held in the north."] * 2
