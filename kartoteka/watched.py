"""Watched sources as plain data: what is polled, how often, and how it went.

A source is a feed or a web page that kartoteka fetches again on a schedule.
Everything here is pure (no I/O): the schedule arithmetic, including the
back-off after errors, lives beside the record it decides about so that the
store, the services and the tests all read the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from kartoteka.i18n import Message

DEFAULT_INTERVAL = timedelta(hours=1)
MIN_INTERVAL = timedelta(minutes=1)
MAX_INTERVAL = timedelta(days=30)
# A failing source is retried later and later, but at least once a day (or once
# per interval, for sources polled less often than that).
MAX_BACKOFF = timedelta(days=1)

_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class SourceKind(StrEnum):
    """Decided by the content of the first successful fetch, as ingest does."""

    UNKNOWN = "unknown"
    FEED = "feed"
    PAGE = "page"


class SourceError(ValueError):
    """A user's mistake about a source: a bad URL, interval, or an unknown source.

    ``field`` names the form field at fault (url, every, author, country), so
    the admin page can put the message beside it.
    """

    def __init__(self, message: str, field: str = "form") -> None:
        super().__init__(message)
        self.field = field


def parse_interval(text: str) -> timedelta:
    """``30m``, ``2h``, ``1d`` (also ``90s``) into a timedelta within sensible bounds."""
    match = _INTERVAL.match(text or "")
    if not match:
        raise SourceError(Message("bad interval %(text)r: use a number and a unit, as in 30m, "
                                  "2h or 1d", text=text), "every")
    interval = timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])
    if not MIN_INTERVAL <= interval <= MAX_INTERVAL:
        raise SourceError(Message("bad interval %(text)r: it must be between %(low)s and %(high)s",
                                  text=text, low=format_interval(MIN_INTERVAL),
                                  high=format_interval(MAX_INTERVAL)), "every")
    return interval


def format_interval(interval: timedelta) -> str:
    """The shortest exact spelling that ``parse_interval`` reads back: ``90m``, ``1d``."""
    seconds = int(interval.total_seconds())
    for unit in ("d", "h", "m"):
        size = _UNIT_SECONDS[unit]
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def check_url(url: str) -> str:
    """The URL as given, if it is an absolute http(s) address with a host."""
    cleaned = (url or "").strip()
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SourceError(Message("bad URL %(url)r: a source must be an http:// or https:// "
                                  "address", url=url), "url")
    return cleaned


def backoff_delay(
    interval: timedelta, failures: int, retry_after: timedelta | None = None
) -> timedelta:
    """How long to wait after ``failures`` consecutive failures (0: the interval).

    Doubling per failure, from twice the interval, capped at a day (or at the
    interval itself when that is longer): a dead feed costs one request a day.
    A server's Retry-After is honoured when it asks for longer, within the cap.
    """
    if failures <= 0:
        return interval
    cap = max(interval, MAX_BACKOFF)
    # 2**failures overflows nothing: past ~20 failures the cap has long won.
    delay: timedelta = interval * (2 ** min(failures, 20))
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap)


@dataclass(slots=True)
class Source:
    """One watched URL and its polling state."""

    url: str
    interval: timedelta = DEFAULT_INTERVAL
    kind: SourceKind = SourceKind.UNKNOWN
    author: str | None = None
    country: str | None = None
    pk: int | None = None
    created_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    next_due_at: datetime | None = None
    articles_added_total: int = 0
    articles_added_last: int = 0
    item_errors: list[dict[str, str]] = field(default_factory=list)
    # The URL before the last permanent redirect moved it here, and when.
    moved_from: str | None = None
    moved_at: datetime | None = None

    @property
    def status(self) -> str:
        """One word for a listing: new, ok or failing."""
        if self.consecutive_failures:
            return "failing"
        return "ok" if self.last_success_at else "new"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "url": self.url,
            "kind": self.kind.value,
            "every": format_interval(self.interval),
            "author": self.author,
            "country": self.country,
            "status": self.status,
            "created_at": self.created_at,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "last_polled_at": self.last_polled_at,
            "last_success_at": self.last_success_at,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at,
            "consecutive_failures": self.consecutive_failures,
            "next_due_at": self.next_due_at,
            "articles_added_total": self.articles_added_total,
            "articles_added_last": self.articles_added_last,
            "item_errors": self.item_errors,
            "moved_from": self.moved_from,
            "moved_at": self.moved_at,
        }
