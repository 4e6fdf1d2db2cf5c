"""A local web site that serves feeds and pages the way real servers do.

It honours If-None-Match and If-Modified-Since with a 304, records every
request it gets, and can be told to fail (an HTTP status) or to be slow, so
the poller is tested against real HTTP on a real socket.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest


@dataclass
class Resource:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    fail_status: int | None = None  # answer this status instead of the body
    delay: float = 0.0  # seconds before answering
    retry_after: str | None = None  # sent with a failure
    redirect: tuple[int, str] | None = None  # (status, path or URL): answer with a redirect


@dataclass
class Request:
    path: str
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class Site:
    """What the server serves (edit it between polls) and what it was asked."""

    base: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    not_modified: int = 0

    def url(self, path: str) -> str:
        return self.base + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            site.requests.append(Request(self.path, self.headers.get("If-None-Match"),
                                         self.headers.get("If-Modified-Since")))
            resource = site.resources.get(self.path)
            if resource is None:
                self._answer(404, {}, b"not here")
                return
            if resource.redirect:
                status, target = resource.redirect
                self._answer(status, {"Location": target}, b"moved")
                return
            if resource.delay:
                time.sleep(resource.delay)
            if resource.fail_status:
                retry = {"Retry-After": resource.retry_after} if resource.retry_after else {}
                self._answer(resource.fail_status, retry, b"broken")
                return
            validators = {}
            if resource.etag:
                validators["ETag"] = resource.etag
            if resource.last_modified:
                validators["Last-Modified"] = resource.last_modified
            etag_match = resource.etag and self.headers.get("If-None-Match") == resource.etag
            date_match = (resource.last_modified and not self.headers.get("If-None-Match")
                          and self.headers.get("If-Modified-Since") == resource.last_modified)
            if etag_match or date_match:
                site.not_modified += 1
                self._answer(304, validators, b"")
                return
            self._answer(200, {"Content-Type": resource.content_type, **validators},
                         resource.body)

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass  # keep the test output quiet

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (a timeout test) is expected: print nothing.

        The default prints a traceback to whatever ``sys.stderr`` is at that
        moment, which may be another test's captured output.
        """


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    server = _QuietServer(("127.0.0.1", 0), _handler(served))
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()
    thread.join()


def rss(items: list[tuple[str, str, str]], title: str = "Granica vesti") -> bytes:
    """An RSS 2.0 feed of (guid, title, text) items."""
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(head)}</title>"
        f"<link>https://granica.example/{escape(guid)}</link>"
        f"<description>{escape(text)}</description></item>"
        for guid, head, text in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>https://granica.example/</link>"
            f"{entries}</channel></rss>").encode()


ITEMS = [
    ("a1", "Arrests at the border crossing",
     "Police in Jarinje arrested two men suspected of smuggling weapons for an armed group."),
    ("a2", "Court hearing postponed",
     "The hearing against the former commander was postponed until the spring session."),
    ("a3", "Checkpoint reopened",
     "The checkpoint near Rudnica reopened after a week of protests by local residents."),
]


class Clock:
    """A clock the test moves by hand, so schedules are checked without waiting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()
