"""Rate-limit windows kept in the database, so every web worker on every machine
counts the same hits.

The in-process ``SlidingWindow`` counted only what its own process saw: with
N web workers a client got N times the allowance, and a restart forgot it.
Here each hit is a row (the key is stored as its SHA-256, so no address or
e-mail sits in the table); a hit is decided in one write transaction that
holds an advisory lock for its key on PostgreSQL (SQLite's write lock does
the same), so two workers cannot both let the last allowed hit through.
Old rows go as new hits arrive, in the same transaction.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    delete,
    func,
    insert,
    select,
)

from kartoteka.auth.ratelimit import Clock, RateWindow, WindowRule, utc_now
from kartoteka.store import dialect
from kartoteka.store.database import Database
from kartoteka.store.rate_limits_redis import REDIS_ENV, RedisSlidingWindow, redis_client
from kartoteka.store.tables import metadata

rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(40), nullable=False),
    Column("key", String(64), nullable=False),
    Column("at", dialect.UtcDateTime, nullable=False),
    Index("ix_rate_limit_hits_name_key_at", "name", "key", "at"),
    Index("ix_rate_limit_hits_name_at", "name", "at"),
)


class StoredSlidingWindow(WindowRule):
    """The rule counted in the database, for the whole deployment.

    ``name`` keeps separate limits (login by address, by client, join
    requests) apart.
    """

    def __init__(self, db: Database, name: str, limit: int, window: timedelta,
                 clock: Clock = utc_now) -> None:
        super().__init__(limit, window, clock)
        self.db = db
        self.name = name

    def _hits(self, conn: Connection, key: str, now: datetime) -> list[datetime]:
        rows = conn.execute(
            select(rate_limit_hits.c.at).where(
                rate_limit_hits.c.name == self.name, rate_limit_hits.c.key == key,
                rate_limit_hits.c.at > now - self.window,
            ).order_by(rate_limit_hits.c.at)
        ).scalars()
        return list(rows)

    def retry_after(self, key: str) -> timedelta | None:
        """How long until ``key`` may hit again, or None when it may now."""
        now = self.clock()
        with self.db.read() as conn:
            hits = self._hits(conn, self.hashed(key), now)
        if len(hits) < self.limit:
            return None
        return hits[-self.limit] + self.window - now

    def hit(self, key: str) -> bool:
        """Record a hit if allowed; False (and nothing recorded) when over the limit."""
        hashed = self.hashed(key)
        now = self.clock()
        with self.db.transaction() as conn:
            dialect.serialise_writers(conn, f"rate:{self.name}:{hashed}")
            conn.execute(delete(rate_limit_hits).where(
                rate_limit_hits.c.name == self.name, rate_limit_hits.c.at <= now - self.window))
            count = conn.execute(select(func.count()).where(
                rate_limit_hits.c.name == self.name, rate_limit_hits.c.key == hashed,
            )).scalar_one()
            if count >= self.limit:
                return False
            conn.execute(insert(rate_limit_hits).values(name=self.name, key=hashed, at=now))
        return True

    def reset(self, key: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(delete(rate_limit_hits).where(
                rate_limit_hits.c.name == self.name, rate_limit_hits.c.key == self.hashed(key)))


def shared_window(db: Database, name: str, limit: int, window: timedelta,
                  clock: Clock = utc_now) -> RateWindow:
    """The deployment-wide window: in Redis when ``KARTOTEKA_REDIS_URL`` is set, else here."""
    url = os.environ.get(REDIS_ENV, "").strip()
    if url:
        return RedisSlidingWindow(_redis(url), name, limit, window, clock)
    return StoredSlidingWindow(db, name, limit, window, clock)


_CLIENTS: dict[str, Any] = {}


def _redis(url: str) -> Any:
    """One client (and connection pool) per URL and process."""
    if url not in _CLIENTS:
        _CLIENTS[url] = redis_client(url)
    return _CLIENTS[url]
