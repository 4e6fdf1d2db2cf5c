"""Rate-limit windows in Redis, for deployments that run one (``KARTOTEKA_REDIS_URL``).

The same methods as ``StoredSlidingWindow``: each key is a sorted set of hit
times, trimmed and counted and added to in one Lua script, so the check and
the hit are one atomic step on the server whichever worker sends them.  Keys
expire with their window, so Redis holds only live windows; key names hold
the SHA-256 of the limited key, never an address or e-mail.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from kartoteka.auth.ratelimit import Clock, WindowRule, utc_now

REDIS_ENV = "KARTOTEKA_REDIS_URL"
PREFIX = "kartoteka:rate"

# KEYS[1] the window; ARGV now (ms), window (ms), limit, a unique member.
_HIT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class RedisSlidingWindow(WindowRule):
    """The rule counted in Redis."""

    def __init__(self, client: Any, name: str, limit: int, window: timedelta,
                 clock: Clock = utc_now) -> None:
        super().__init__(limit, window, clock)
        self.client = client
        self.name = name
        self._hit = client.register_script(_HIT)

    def _key(self, key: str) -> str:
        return f"{PREFIX}:{self.name}:{self.hashed(key)}"

    def _window_ms(self) -> int:
        return max(1, int(self.window.total_seconds() * 1000))

    def retry_after(self, key: str) -> timedelta | None:
        now = _ms(self.clock())
        live = self.client.zrangebyscore(self._key(key), now - self._window_ms() + 1, "+inf",
                                         withscores=True)
        if len(live) < self.limit:
            return None
        oldest = int(live[-self.limit][1])
        return timedelta(milliseconds=oldest + self._window_ms() - now)

    def hit(self, key: str) -> bool:
        now = _ms(self.clock())
        return bool(self._hit(keys=[self._key(key)],
                              args=[now, self._window_ms(), self.limit, uuid.uuid4().hex]))

    def reset(self, key: str) -> None:
        self.client.delete(self._key(key))


def redis_client(url: str) -> Any:
    """A client for ``url``; the package is needed only where Redis is configured."""
    try:
        import redis
    except ImportError:
        raise RuntimeError(f"{REDIS_ENV} is set but the redis package is not installed: "
                           "pip install 'kartoteka[redis]'") from None
    return redis.Redis.from_url(url)


