"""Rendered public responses kept for anonymous readers until the data changes.

Most traffic is anonymous readers opening the same articles, entity pages and
searches, and every one of them is built from the database alone.  So each
worker keeps the bytes of such responses and answers repeats without running
the route at all.  Nothing is ever stale: before every request the cache asks
the database whether anything was committed since it last looked
(``Database.content_version``, a few microseconds on SQLite) and forgets all
of it if so.  A commit from any process counts (the CLI, another worker, a
script), so there is nothing to invalidate by hand.

Concurrent requests for a page being built wait for that one build.  Only
what is the same for every anonymous reader is kept: GET requests with
no credentials (no session cookie, no ``Authorization``), answered 200,
without ``Set-Cookie``, ``Vary`` or ``Cache-Control: no-store``/``private``.
The one ``Vary`` allowed is the interface language's (``Accept-Language,
Cookie``): the key holds the language those headers chose, so a Russian
reader and an English one each get their own copy.
Signed-in users and API tokens always reach the routes, so drafts and
per-user pages never enter it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kartoteka.services.sessions import COOKIE_NAME
from kartoteka.web.language import scope_language

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_SHARE = 8  # one response may take at most this fraction of the budget
CACHE_HEADER = b"x-kartoteka-cache"
_UNCACHEABLE_CONTROL = (b"no-store", b"private", b"no-cache")
_SESSION_COOKIE = COOKIE_NAME.encode()


_Key = tuple[str, bytes, str, bytes, str]
# What the language middleware varies on; the key below covers it.
_LANGUAGE_VARY = frozenset({b"accept-language", b"cookie"})


@dataclass(frozen=True, slots=True)
class _Stored:
    headers: list[tuple[bytes, bytes]]
    body: bytes


class PageCache:
    """ASGI middleware; ``version`` is asked before each cacheable request."""

    def __init__(
        self,
        app: ASGIApp,
        version: Callable[[], str | None],
        max_bytes: int = DEFAULT_MAX_BYTES,
        skip_prefixes: tuple[str, ...] = ("/static/",),
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self.skip_prefixes = skip_prefixes
        self._entries: OrderedDict[_Key, _Stored] = OrderedDict()
        self._bytes = 0
        self._token: str | None = None
        self._flights: dict[tuple[str, _Key], asyncio.Future[_Stored | None]] = {}
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.max_bytes <= 0 or not self._cacheable_request(scope):
            await self.app(scope, receive, send)
            return
        token = self.version()  # before anything is read: see content_version_probe
        if token is None:
            await self.app(scope, receive, send)
            return
        if token != self._token:
            self._forget(token)
        key = _key(scope)
        stored = self._entries.get(key)
        if stored is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            await _replay(stored, send)
            return
        flight = (token, key)
        leader = self._flights.get(flight)
        if leader is not None:
            # The same page is being built right now: wait for it instead of
            # building it again (after a commit, every reader of a popular page
            # would otherwise render it at once).
            shared = await asyncio.shield(leader)
            if shared is not None:
                self.hits += 1
                await _replay(shared, send)
            else:  # the answer was not one to share: build this one too
                await self.app(scope, receive, send)
            return
        self.misses += 1
        built: asyncio.Future[_Stored | None] = asyncio.get_running_loop().create_future()
        self._flights[flight] = built
        kept: list[_Stored] = []
        try:
            await self.app(scope, receive, self._recording(key, token, send, kept))
        finally:
            del self._flights[flight]
            built.set_result(kept[0] if kept else None)

    def _cacheable_request(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        if scope["path"].startswith(self.skip_prefixes):
            return False
        for name, value in scope["headers"]:
            if name == b"authorization" or (name == b"cookie" and _SESSION_COOKIE in value):
                return False
        return True

    def _recording(self, key: _Key, token: str, send: Send, kept: list[_Stored]) -> Send:
        """Passes the response through unchanged while keeping a copy if it may be kept."""
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        keep = True
        size = 0

        async def record(message: Message) -> None:
            nonlocal keep, size
            if message["type"] == "http.response.start":
                headers.extend(message.get("headers", []))
                keep = message["status"] == 200 and _shareable(headers)
                message["headers"] = [*headers, (CACHE_HEADER, b"miss")]
            elif message["type"] == "http.response.body" and keep:
                chunk = message.get("body", b"")
                size += len(chunk)
                keep = size <= self.max_bytes // MAX_ENTRY_SHARE
                chunks.append(chunk)
                if keep and not message.get("more_body", False):
                    kept.append(_Stored(headers, b"".join(chunks)))
                    if token == self._token:  # no commit since: keep it for later too
                        self._store(key, kept[0])
            await send(message)

        return record

    def _store(self, key: _Key, stored: _Stored) -> None:
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._bytes -= len(previous.body)
        self._entries[key] = stored
        self._bytes += len(stored.body)
        while self._bytes > self.max_bytes and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)

    def _forget(self, token: str) -> None:
        self._entries.clear()
        self._bytes = 0
        self._token = token


def _key(scope: Scope) -> _Key:
    """Scheme and Host are part of it: the sitemap, for one, prints absolute links,
    and a forged Host header must not decide what other readers receive."""
    host = next((value for name, value in scope["headers"] if name == b"host"), b"")
    return (
        scope.get("scheme", "http"),
        host,
        scope["path"],
        scope.get("query_string", b""),
        scope_language(scope),
    )


def _shareable(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"set-cookie":
            return False
        if lowered == b"vary" and not _language_vary(value):
            return False
        if lowered == b"cache-control" and any(v in value for v in _UNCACHEABLE_CONTROL):
            return False
    return True


def _language_vary(value: bytes) -> bool:
    return {part.strip().lower() for part in value.split(b",")} <= _LANGUAGE_VARY


async def _replay(stored: _Stored, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*stored.headers, (CACHE_HEADER, b"hit")],
        }
    )
    await send({"type": "http.response.body", "body": stored.body})
