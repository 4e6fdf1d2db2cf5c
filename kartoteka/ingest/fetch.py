"""Fetch a URL into an ``Input``, with limits a batch job can live with.

A slow or huge response must not stall or exhaust an ingest run, so every
fetch has a timeout and a size cap, and says who is asking in its
User-Agent.  Any failure is a ``ReadFailure`` whose message is the reason
only: the item's error already names the URL, as it names a file's path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import pairwise

import httpx

from kartoteka import __version__
from kartoteka.ingest.base import Input, ReadFailure

USER_AGENT = f"kartoteka/{__version__} (+https://github.com/kartoteka)"
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5


def is_url(target: str) -> bool:
    """True for ``http://`` and ``https://`` addresses, which are fetched, not opened."""
    return target.lower().startswith(("http://", "https://"))


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
) -> Input:
    """The response body of ``url`` after redirects; its origin is the final URL."""
    fetched = fetch_if_changed(url, timeout=timeout, max_bytes=max_bytes, transport=transport)
    if fetched.item is None:  # a 304 that nobody asked for
        raise ReadFailure("the server answered HTTP 304 Not Modified to a plain request")
    return fetched.item


class HttpStatusFailure(ReadFailure):
    """The server answered with an error status; ``retry_after`` is its Retry-After, in s."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None if neither."""
    value = (retry_after or "").strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A conditional fetch's answer: the body (None when unchanged) and its validators."""

    item: Input | None
    etag: str | None = None
    last_modified: str | None = None
    # Where permanent redirects (301, 308) sent the request: the address to ask next time.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.item is None


def http_client(
    *, timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client with our limits, to reuse across many fetches.

    Building one costs about 23 ms of CPU (its TLS context loads the CA
    bundle), more than a whole 304 answer: a poller keeps one for its life.
    """
    return httpx.Client(
        follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout,
        headers={"User-Agent": USER_AGENT}, transport=transport,
    )


def fetch_if_changed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    transport: httpx.BaseTransport | None = None,
    client: httpx.Client | None = None,
) -> Fetched:
    """Fetch ``url`` unless the server says it has not changed since ``etag``/``last_modified``.

    Watched sources are polled again and again: sending the validators of the
    last answer back lets the server answer 304 with no body at all.  A
    ``client`` from ``http_client`` is reused (its own timeout then applies);
    without one, a client is made for this fetch.
    """
    if client is None:
        with http_client(timeout=timeout, transport=transport) as own:
            return fetch_if_changed(url, etag=etag, last_modified=last_modified,
                                    timeout=timeout, max_bytes=max_bytes, client=own)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers) as response:
            moved_to = permanent_location(url, response)
            if response.status_code == 304:
                return Fetched(None, response.headers.get("etag") or etag,
                               response.headers.get("last-modified") or last_modified, moved_to)
            if response.status_code >= 400:
                raise HttpStatusFailure(
                    f"the server answered HTTP {response.status_code} "
                    f"{response.reason_phrase}".rstrip(),
                    retry_after=_seconds(response.headers.get("retry-after")),
                )
            _check_declared_size(url, response, max_bytes)
            data = _read_capped(url, response, max_bytes)
            content_type = response.headers.get("content-type")
            return Fetched(
                Input(origin=str(response.url), data=data, content_type=content_type),
                response.headers.get("etag"), response.headers.get("last-modified"), moved_to,
            )
    except httpx.TooManyRedirects as exc:
        raise ReadFailure(f"more than {MAX_REDIRECTS} redirects") from exc
    except httpx.TimeoutException as exc:
        raise ReadFailure(f"no complete answer within {client.timeout.read or timeout:g} s "
                          "(timed out); try again later") from exc
    except httpx.InvalidURL as exc:
        raise ReadFailure(f"not a valid URL ({exc})") from exc
    except httpx.HTTPError as exc:
        reason = str(exc) or type(exc).__name__
        raise ReadFailure(f"cannot be fetched ({reason}); "
                          "check the address and the network") from exc


PERMANENT_REDIRECTS = (301, 308)


def permanent_location(url: str, response: httpx.Response) -> str | None:
    """Where the redirects before ``response`` moved ``url`` for good; None if they did not.

    Only an unbroken run of permanent redirects from the start counts: a
    temporary one (302, 303, 307) may point elsewhere tomorrow, so it and
    everything after it are followed but not remembered.
    """
    hops = [*response.history, response]
    moved: str | None = None
    for hop, following in pairwise(hops):
        if hop.status_code not in PERMANENT_REDIRECTS:
            break
        moved = str(following.url)
    return moved if moved != url else None


def _check_declared_size(url: str, response: httpx.Response, max_bytes: int) -> None:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ReadFailure(_too_large(url, max_bytes, f"declares {declared} bytes"))


def _read_capped(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    """The body, stopping as soon as it passes ``max_bytes`` (the header may lie)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ReadFailure(_too_large(url, max_bytes, f"sent more than {max_bytes} bytes"))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, max_bytes: int, what: str) -> str:
    return (f"response too large (it {what}; the limit is {max_bytes} bytes); "
            "download it and ingest the file instead")
