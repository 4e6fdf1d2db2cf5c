from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from kartoteka.ingest.base import ReadFailure, ReadOptions
from kartoteka.ingest.fetch import USER_AGENT, fetch, is_url
from kartoteka.ingest.html import HtmlReader

from .conftest import Route, drafts

Start = Callable[[dict[str, Route]], str]


def test_fetch_follows_redirects_and_says_who_it_is(http_server: Start, data: Path) -> None:
    page = (data / "html" / "og_url.html").read_bytes()
    base = http_server({
        "/old": (301, {"Location": "/new"}, b""),
        "/new": (200, {"Content-Type": "text/html; charset=utf-8"}, page),
    })
    got = fetch(base + "/old")
    assert got.data == page
    assert got.origin == base + "/new"
    assert got.content_type == "text/html; charset=utf-8"
    assert http_server.handler.seen_agents == [USER_AGENT, USER_AGENT]  # type: ignore[attr-defined]
    assert USER_AGENT.startswith("kartoteka/")
    [draft] = drafts(list(HtmlReader().read(got, ReadOptions())))
    assert draft.url == "https://granica-vesti.example/clanak/hapsenje"  # canonical beats fetch URL


def test_http_error_status_is_a_read_failure(http_server: Start) -> None:
    base = http_server({})
    with pytest.raises(ReadFailure, match=r"^the server answered HTTP 404"):
        fetch(base + "/missing")


def test_unreachable_url_is_a_read_failure_with_the_reason_only() -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"
    with pytest.raises(ReadFailure) as caught:
        fetch(url, timeout=2)
    # The item's error names the URL; the reason repeating it made it appear twice.
    assert str(caught.value).startswith("cannot be fetched")
    assert url not in str(caught.value)


def test_oversized_response_declared_in_header(http_server: Start) -> None:
    base = http_server({"/big": (200, {}, b"x" * 5000)})
    with pytest.raises(ReadFailure, match=r"^response too large \(it declares 5000 bytes"):
        fetch(base + "/big", max_bytes=1000)


def test_oversized_response_without_length_is_cut_while_streaming(http_server: Start) -> None:
    # No Content-Length (HTTP/1.0, body ends at close): only counting the bytes can stop it.
    base = http_server({"/stream": (200, {"X-No-Length": "1"}, b"y" * 5000)})
    assert len(fetch(base + "/stream", max_bytes=5000).data) == 5000
    with pytest.raises(ReadFailure, match=r"^response too large \(it sent more than 1000"):
        fetch(base + "/stream", max_bytes=1000)


def test_too_many_redirects(http_server: Start) -> None:
    base = http_server({"/loop": (302, {"Location": "/loop"}, b"")})
    with pytest.raises(ReadFailure, match="more than 5 redirects"):
        fetch(base + "/loop")


def test_is_url() -> None:
    assert is_url("https://example.org/x") and is_url("HTTP://EXAMPLE.ORG")
    assert not is_url("/tmp/file.html") and not is_url("ftp://example.org")
