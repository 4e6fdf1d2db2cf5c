"""A batch with bad files in it: each bad file is its error, and every good one is stored."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kartoteka.ingest import formats
from kartoteka.ingest.base import Input, ReadItem, ReadOptions
from kartoteka.ingest.limits import MB
from kartoteka.model import ArticleDraft, article_id_for_key
from kartoteka.services.articles import get_article
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database

GOOD = "A field note\nThe ceasefire held in the north through the night."


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """A folder of its own: tmp_path also holds the SQLite database."""
    folder = tmp_path / "batch"
    folder.mkdir()
    return folder


def good_file(folder: Path, name: str = "z-good.txt") -> Path:
    path = folder / name
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_corrupt_gz_and_hostile_files_do_not_stop_the_batch(db: Database, batch: Path) -> None:
    (batch / "a-corrupt.json.gz").write_bytes(gzip.compress(b'{"messages": []}')[:-10])
    (batch / "b-deep.jsonl").write_bytes(b'{"title": ' + b"[" * 200_000 + b"]" * 200_000
                                            + b"}\n")
    (batch / "c-kind.md").write_text("---\nauthor: x\nauthor_kind: organisation\n---\n# T\n"
                                        "Text.\n", encoding="utf-8")
    (batch / "d-nul.jsonl").write_text(json.dumps({"title": "N\x00UL", "body": "\ud800B"})
                                          + "\n", encoding="utf-8")
    good_file(batch)
    report = IngestService(db).ingest([str(batch)])
    assert report.added == 2 and report.failed == 3
    by_file = {Path(e.path).name: e.error for e in report.errors}
    assert by_file["a-corrupt.json.gz"].startswith("gzip data is truncated")
    assert "JSON nested too deeply" in by_file["b-deep.jsonl"]
    assert "'author_kind' must be one of" in by_file["c-kind.md"]
    titles = sorted(get_article(db, i).article.title for i in report.article_ids)
    assert titles == ["A field note", "NUL"]


def test_file_over_its_formats_limit_is_its_error_and_the_rest_goes_in(
    db: Database, batch: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "feed=1")
    entry = "<item><title>Entry</title><description>Text of the entry.</description></item>"
    feed = f'<rss version="2.0"><channel><title>T</title>{entry * 20000}</channel></rss>'
    (batch / "a-huge.xml").write_text(feed, encoding="utf-8")
    good_file(batch)
    report = IngestService(db).ingest([str(batch)])
    assert report.added == 1
    [error] = report.errors
    assert Path(error.path).name == "a-huge.xml"
    assert error.error.startswith("too large for a feed input (")
    assert "the limit is 1 MB" in error.error


def test_file_over_every_limit_is_refused_before_it_is_read(
    db: Database, batch: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits = ",".join(f"{name}=1" for name in formats.READERS)
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", limits)
    (batch / "a-big.txt").write_bytes(b"x" * (2 * MB))
    good_file(batch)
    report = IngestService(db).ingest([str(batch)])
    assert report.added == 1
    [error] = report.errors
    assert error.error.startswith("too large (2 MB; no input format allows more than 1 MB)")


def test_bad_limits_setting_fails_before_anything_is_read(
    db: Database, batch: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KARTOTEKA_INPUT_LIMITS_MB", "feed=lots")
    with pytest.raises(ValueError, match="KARTOTEKA_INPUT_LIMITS_MB"):
        IngestService(db).ingest([str(good_file(batch))])


def test_jsonl_records_without_a_key_stay_separate_articles(db: Database, batch: Path) -> None:
    path = batch / "notes.jsonl"
    records = [{"title": f"Note {n}", "body": f"Body of note {n}."} for n in range(3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    service = IngestService(db)
    first = service.ingest([str(path)])
    assert (first.added, first.revised, first.failed) == (3, 0, 0)
    assert len(set(first.article_ids)) == 3
    for article_id in first.article_ids:
        assert len(get_article(db, article_id).revisions) == 1
    again = service.ingest([str(path)])
    assert (again.added, again.revised, again.unchanged) == (0, 0, 3)
    assert again.article_ids == first.article_ids


class _BuggyReader:
    """Stands in for a reader with a bug the guard does not cover: it raises outright."""

    name = "text"

    def sniff(self, item: Input) -> bool:
        return True

    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        if item.origin.endswith("a-bug.txt"):
            raise RuntimeError("reader bug")
        yield ArticleDraft(title="Fine", body="A fine article.", source=item.origin)


def test_service_logs_a_readers_exception_and_goes_on(
    db: Database, batch: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(formats.READERS, "text", _BuggyReader())
    (batch / "a-bug.txt").write_text("x", encoding="utf-8")
    good_file(batch)
    with caplog.at_level(logging.ERROR, logger="kartoteka.services.ingest"):
        report = IngestService(db).ingest([str(batch)], fmt="text")
    assert report.added == 1
    assert [e.error for e in report.errors] == [
        "could not be read after item 0 (RuntimeError: reader bug)"]
    [record] = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError


def test_jsonl_key_comes_from_content_not_the_file(tmp_path: Path) -> None:
    line = json.dumps({"title": "Same", "body": "Same body."}) + "\n"
    reader = formats.reader_for("jsonl")
    keys = [next(iter(reader.read(Input(name, line.encode()), ReadOptions())))
            for name in ("one.jsonl", "two.jsonl")]
    assert all(isinstance(k, ArticleDraft) for k in keys)
    drafts = [k for k in keys if isinstance(k, ArticleDraft)]
    assert drafts[0].source_key == drafts[1].source_key
    assert drafts[0].source_key.startswith("jsonl:content:")
    assert article_id_for_key(drafts[0].key()) == article_id_for_key(drafts[1].key())
