from __future__ import annotations

from pathlib import Path

import pytest

from kartoteka.ingest.base import ItemError, Skipped
from kartoteka.ingest.warc import WarcReader

from .conftest import drafts, read_file

READER = WarcReader()


@pytest.mark.parametrize("name", ["archive.warc.gz", "archive.warc"])
def test_html_responses_become_articles_with_uri_and_fetch_date(data: Path, name: str) -> None:
    path = data / "warc" / name
    items = read_file(READER, path)
    first, second = drafts(items)
    # The page names its canonical URL; the second page has og:url.
    assert first.url == "https://valley-courier.example/news/arms-cache"
    assert first.title == "Arms cache found in abandoned farmhouse"
    assert first.extra["fetched_at"] == "2024-02-15T10:00:00+00:00"
    assert first.published_at is not None and first.published_at.year == 2024
    assert first.source == str(path)
    assert second.url == "https://granica-vesti.example/clanak/hapsenje"
    assert second.extra["fetched_at"] == "2024-02-16T11:30:00+00:00"
    [error] = [i for i in items if isinstance(i, ItemError)]
    assert error.path == str(path) and "https://blank.example/" in error.error
    assert "no extractable text" in error.error
    reasons = [i.reason for i in items if isinstance(i, Skipped)]
    assert len(reasons) == 2
    assert "HTTP status 404" in reasons[0] and "not HTML (image/png)" in reasons[1]


def test_truncated_warc_keeps_the_records_before_the_cut(data: Path) -> None:
    path = data / "warc" / "truncated.warc.gz"
    items = read_file(READER, path)
    assert len(drafts(items)) == 2
    assert isinstance(items[-1], ItemError)
    assert items[-1].path == str(path) and "unreadable WARC data" in items[-1].error


def test_not_a_warc(data: Path) -> None:
    [error] = read_file(READER, data / "html" / "canonical.html")
    assert isinstance(error, ItemError) and "not a WARC file" in error.error
