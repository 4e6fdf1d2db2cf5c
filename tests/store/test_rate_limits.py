"""Rate limits held in the database: every worker process counts the same hits."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from kartoteka.store.database import Database
from kartoteka.store.rate_limits import StoredSlidingWindow


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
