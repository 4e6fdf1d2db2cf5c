"""Rate limits held in the database (or Redis): every worker process counts the same hits."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from kartoteka.store.database import Database
from kartoteka.store.rate_limits import StoredSlidingWindow, shared_window
from kartoteka.store.rate_limits_redis import REDIS_ENV, RedisSlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_two_workers_share_one_window(database_url: str) -> None:
    clock = Clock()
    first, second = Database(database_url), Database(database_url)  # two processes' pools
    try:
        a = StoredSlidingWindow(first, "login", 3, timedelta(minutes=1), clock)
        b = StoredSlidingWindow(second, "login", 3, timedelta(minutes=1), clock)
        assert a.hit("alice") and b.hit("alice") and a.hit("alice")
        assert not b.hit("alice")  # the fourth, whichever worker sees it
        assert b.retry_after("alice") == timedelta(minutes=1)
        assert a.hit("bob")  # other keys and other names are separate
        assert StoredSlidingWindow(first, "join", 3, timedelta(minutes=1), clock).hit("alice")
        clock.now += timedelta(seconds=61)
        assert a.retry_after("alice") is None and b.hit("alice")
        b.reset("alice")
        assert all(a.hit("alice") for _ in range(3))
    finally:
        first.dispose()
        second.dispose()


def test_racing_hits_let_exactly_the_limit_through(database_url: str) -> None:
    databases = [Database(database_url) for _ in range(4)]
    allowed: list[bool] = []
    try:
        windows = [StoredSlidingWindow(d, "login", 5, timedelta(minutes=5)) for d in databases]
        barrier = threading.Barrier(len(windows))

        def race(window: StoredSlidingWindow) -> None:
            barrier.wait()
            for _ in range(4):
                allowed.append(window.hit("10.0.0.1"))

        threads = [threading.Thread(target=race, args=(w,)) for w in windows]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(allowed) == 5 and len(allowed) == 16
    finally:
        for database in databases:
            database.dispose()


def test_keys_are_not_stored_in_clear(db: Database) -> None:
    from sqlalchemy import select

    from kartoteka.store.rate_limits import rate_limit_hits

    StoredSlidingWindow(db, "login", 2, timedelta(minutes=1)).hit("alice@example.org")
    with db.read() as conn:
        keys = list(conn.execute(select(rate_limit_hits.c.key)).scalars())
    assert len(keys) == 1 and "alice" not in keys[0] and len(keys[0]) == 64


REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_or_skip() -> object:
    """The machine's Redis; under CI (which starts it) its absence is a failure."""
    if os.environ.get("CI"):
        import redis
    else:
        redis = pytest.importorskip("redis", reason="the redis extra is not installed")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required under CI and is unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    return client


def test_redis_windows_are_shared_and_atomic(db: Database,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    redis_or_skip()
    monkeypatch.setenv(REDIS_ENV, REDIS_URL)
    name = f"test-{uuid.uuid4().hex}"  # the server is shared: a name of our own
    clock = Clock()
    a = shared_window(db, name, 3, timedelta(minutes=1), clock)
    b = shared_window(db, name, 3, timedelta(minutes=1), clock)
    assert isinstance(a, RedisSlidingWindow)
    try:
        assert a.hit("alice") and b.hit("alice") and a.hit("alice")
        assert not b.hit("alice")
        assert b.retry_after("alice") == timedelta(minutes=1)
        clock.now += timedelta(seconds=61)
        assert a.retry_after("alice") is None and b.hit("alice")
        allowed: list[bool] = []
        barrier = threading.Barrier(4)

        def race() -> None:
            barrier.wait()
            allowed.extend(a.hit("10.0.0.2") for _ in range(4))

        threads = [threading.Thread(target=race) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(allowed) == 3 and len(allowed) == 16
    finally:
        a.reset("alice")
        a.reset("10.0.0.2")
    with db.read() as conn:  # nothing went to the database
        from sqlalchemy import func, select

        from kartoteka.store.rate_limits import rate_limit_hits

        assert conn.execute(select(func.count()).select_from(rate_limit_hits)).scalar() == 0
