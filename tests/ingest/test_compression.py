from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kartoteka.ingest.base import Input, ItemError, ReadFailure
from kartoteka.ingest.compression import decompress, gunzip
from kartoteka.ingest.feed import FeedReader
from kartoteka.ingest.telegram import TelegramReader

from .conftest import drafts, read_file


def test_gzip_is_read_through(data: Path) -> None:
    packed = Input("r.json.gz", (data / "gzip" / "result.json.gz").read_bytes())
    assert decompress(packed).data == (data / "telegram" / "single_channel.json").read_bytes()
    plain = Input("x", b"hello")
    assert decompress(plain) is plain


def test_gzipped_telegram_export_and_feed(data: Path) -> None:
    posts = drafts(read_file(TelegramReader(), data / "gzip" / "result.json.gz"))
    assert [p.extra["telegram_id"] for p in posts] == [2, 4]
    entries = drafts(read_file(FeedReader(), data / "gzip" / "atom.xml.gz"))
    assert len(entries) == 2


def test_multi_member_gzip_is_concatenated() -> None:
    assert gunzip(gzip.compress(b"ab") + gzip.compress(b"cd"), origin="x") == b"abcd"


def test_warc_gz_is_left_for_warcio(data: Path) -> None:
    warc = Input("a.warc.gz", (data / "warc" / "archive.warc.gz").read_bytes())
    assert decompress(warc) is warc


def test_truncated_gzip_is_a_clear_failure(data: Path) -> None:
    cut = data / "gzip" / "cut.xml.gz"
    with pytest.raises(ReadFailure, match=r"cut.xml.gz: gzip data is truncated"):
        decompress(Input(str(cut), cut.read_bytes()))


def test_decompression_bomb_is_refused() -> None:
    with pytest.raises(ReadFailure, match="decompresses to more than 1000 bytes"):
        gunzip(gzip.compress(b"\0" * 100_000), origin="bomb.gz", limit=1000)


def test_readers_turn_a_corrupt_gzip_into_an_item_error(data: Path) -> None:
    cut = data / "gzip" / "cut.xml.gz"
    [error] = read_file(FeedReader(), cut)
    assert isinstance(error, ItemError)
    assert error.path == str(cut) and error.error.startswith("gzip data is truncated")
