"""A sliding-window rate limiter, kept in this process's memory.

Enough for one process.  The web app's limits (logins, join requests) use
``store.rate_limits.StoredSlidingWindow`` instead, with the same methods,
which keeps the windows in the database so that every worker on every
machine counts the same hits.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from kartoteka.i18n import Message

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class RateLimited(Exception):
    def __init__(self, what: str, retry_after: timedelta) -> None:
        seconds = max(1, int(retry_after.total_seconds() + 0.999))
        super().__init__(
            Message(
                "too many %(what)s: try again in %(seconds)s s",
                what=Message(what),  # the caller marks it with N_
                seconds=seconds,
            )
        )
        self.retry_after_seconds = seconds


class RateWindow(Protocol):
    """What the services need of a limiter, wherever it keeps its hits."""

    window: timedelta

    def retry_after(self, key: str) -> timedelta | None: ...
    def hit(self, key: str) -> bool: ...
    def reset(self, key: str) -> None: ...


class WindowRule:
    """At most ``limit`` hits per key within any ``window``: the rule every
    limiter shares, whether it counts in memory, the database or Redis."""

    def __init__(self, limit: int, window: timedelta, clock: Clock = utc_now) -> None:
        if limit < 1:
            raise ValueError("a rate limit needs a limit of at least 1")
        self.limit = limit
        self.window = window
        self.clock = clock

    @staticmethod
    def hashed(key: str) -> str:
        """Shared stores keep the SHA-256 of a key, never an address or e-mail."""
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class SlidingWindow(WindowRule):
    """The rule counted in this process's memory."""

    def __init__(self, limit: int, window: timedelta, clock: Clock = utc_now) -> None:
        super().__init__(limit, window, clock)
        self._hits: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, now: datetime) -> deque[datetime]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]  # forget idle keys so memory stays bounded
        return hits

    def retry_after(self, key: str) -> timedelta | None:
        """How long until ``key`` may hit again, or None when it may now."""
        with self._lock:
            now = self.clock()
            hits = self._prune(key, now)
            if len(hits) < self.limit:
                return None
            return hits[0] + self.window - now

    def hit(self, key: str) -> bool:
        """Record a hit if allowed; False (and nothing recorded) when over the limit."""
        with self._lock:
            now = self.clock()
            hits = self._prune(key, now)
            if len(hits) >= self.limit:
                return False
            self._hits.setdefault(key, hits).append(now)
            return True

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)
