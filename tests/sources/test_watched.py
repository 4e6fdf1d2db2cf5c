"""The schedule rules of watched sources, as plain functions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kartoteka.watched import (
    SourceError,
    backoff_delay,
    check_url,
    format_interval,
    parse_interval,
)


@pytest.mark.parametrize(("text", "minutes"), [("30m", 30), ("2h", 120), ("1d", 1440),
                                              ("90s", 1.5), (" 45M ", 45), ("30d", 43200)])
def test_intervals_read_and_print_back(text: str, minutes: float) -> None:
    interval = parse_interval(text)
    assert interval == timedelta(minutes=minutes)
    assert parse_interval(format_interval(interval)) == interval


@pytest.mark.parametrize("text", ["", "30", "m", "1w", "1.5h", "-5m", "0m", "59s", "31d"])
def test_bad_intervals_say_what_to_write(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_interval(text)
    assert caught.value.field == "every"
    assert str(caught.value).startswith(f"bad interval {text!r}")


@pytest.mark.parametrize("url", ["https://example.org/feed", "http://127.0.0.1:8080/rss"])
def test_http_urls_are_accepted(url: str) -> None:
    assert check_url(f" {url} ") == url


@pytest.mark.parametrize("url", ["example.org/feed", "ftp://example.org/", "https://", "",
                                 "file:///etc/passwd", "http://[::1"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(SourceError, match="bad URL"):
        check_url(url)


def test_backoff_doubles_from_twice_the_interval_up_to_a_day() -> None:
    every = timedelta(minutes=30)
    delays = [backoff_delay(every, n) / timedelta(hours=1) for n in range(8)]
    assert delays == [0.5, 1, 2, 4, 8, 16, 24, 24]
    assert backoff_delay(every, 10_000) == timedelta(days=1)


def test_a_source_polled_less_than_daily_backs_off_to_its_own_interval() -> None:
    weekly = timedelta(days=7)
    assert backoff_delay(weekly, 1) == weekly
    assert backoff_delay(weekly, 5) == weekly


def test_retry_after_lengthens_the_backoff_but_never_past_the_cap() -> None:
    hour = timedelta(hours=1)
    assert backoff_delay(hour, 1, retry_after=timedelta(hours=6)) == 6 * hour
    assert backoff_delay(hour, 1, retry_after=timedelta(minutes=5)) == 2 * hour
    assert backoff_delay(hour, 1, retry_after=timedelta(days=9)) == 24 * hour
