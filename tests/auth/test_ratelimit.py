from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kartoteka.auth.ratelimit import RateLimited, SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_window_slides_rather_than_resetting() -> None:
    clock = Clock()
    limiter = SlidingWindow(3, timedelta(seconds=60), clock)
    assert limiter.hit("k")  # t=0
    clock.advance(20)
    assert limiter.hit("k")  # t=20
    clock.advance(20)
    assert limiter.hit("k")  # t=40
    assert not limiter.hit("k")
    assert limiter.retry_after("k") == timedelta(seconds=20)
    clock.advance(19)
    assert not limiter.hit("k")  # t=59: the first hit is still inside the window
    clock.advance(1)
    assert limiter.hit("k")  # t=60: the first hit left the window
    assert not limiter.hit("k")  # the hits at 20 and 40 and 60 fill it again
    clock.advance(20)
    assert limiter.hit("k")


def test_refused_hits_are_not_counted_and_keys_are_separate() -> None:
    clock = Clock()
    limiter = SlidingWindow(1, timedelta(seconds=10), clock)
    assert limiter.hit("a") and not limiter.hit("a")
    for _ in range(100):
        limiter.hit("a")
    clock.advance(10)
    assert limiter.hit("a")
    assert limiter.hit("b")


def test_idle_keys_are_forgotten_and_reset_clears() -> None:
    clock = Clock()
    limiter = SlidingWindow(2, timedelta(seconds=5), clock)
    limiter.hit("x")
    clock.advance(6)
    assert limiter.retry_after("x") is None
    assert "x" not in limiter._hits
    limiter.hit("y")
    limiter.hit("y")
    limiter.reset("y")
    assert limiter.hit("y")


def test_rate_limited_message_rounds_up_seconds() -> None:
    error = RateLimited("login attempts", timedelta(seconds=1.2))
    assert error.retry_after_seconds == 2
    assert str(error) == "too many login attempts: try again in 2 s"


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        SlidingWindow(0, timedelta(seconds=1))
