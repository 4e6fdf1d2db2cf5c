from __future__ import annotations

from pathlib import Path

import pytest

from kartoteka.ingest.base import Input
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.formats import FORMAT_NAMES, READERS, reader_for


@pytest.mark.parametrize(("relative", "expected"), [
    ("telegram/single_channel.json", "telegram"),
    ("telegram/old_export.json", "telegram"),
    ("telegram/full_account.json", "telegram"),
    ("feeds/rss20.xml", "feed"),
    ("feeds/rss091.xml", "feed"),
    ("feeds/rss10.rdf", "feed"),
    ("feeds/atom.xml", "feed"),
    ("feeds/feed.json", "feed"),
    ("html/canonical.html", "html"),
    ("html/og_url.html", "html"),
    ("warc/archive.warc.gz", "warc"),
    ("warc/archive.warc", "warc"),
    ("jsonl/articles.jsonl", "jsonl"),
    ("gzip/result.json.gz", "telegram"),
    ("gzip/articles.jsonl.gz", "jsonl"),
    ("gzip/page.html.gz", "html"),
    ("gzip/atom.xml.gz", "feed"),
])
def test_fixture_formats_are_recognised(data: Path, relative: str, expected: str) -> None:
    path = data / relative
    assert detect_format(Input(str(path), path.read_bytes())) == expected


@pytest.mark.parametrize("name", ["export", "export.txt", "download.bin"])
def test_content_beats_a_misleading_or_missing_extension(data: Path, name: str) -> None:
    telegram = (data / "telegram" / "single_channel.json").read_bytes()
    assert detect_format(Input(name, telegram)) == "telegram"
    feed = (data / "feeds" / "atom.xml").read_bytes()
    assert detect_format(Input(name, feed)) == "feed"


def test_text_and_markdown() -> None:
    assert detect_format(Input("note", b"A plain note.\nSecond line.")) == "text"
    markdown = b"# Heading\n\nSome *text* with a [link](https://example.org).\n\n- item\n"
    assert detect_format(Input("note", markdown)) == "markdown"
    assert detect_format(Input("note.md", b"Just words")) == "markdown"
    assert detect_format(Input("note.txt", markdown)) == "text"


def test_content_type_and_html_fragments() -> None:
    fragment = b"<div><p>Saved article body.</p><p>More.</p></div>"
    assert detect_format(Input("saved", fragment)) == "html"
    assert detect_format(Input("https://x.example/a", b"plain words",
                               content_type="text/html; charset=utf-8")) == "html"
    assert detect_format(Input("https://x.example/f", b"???",
                               content_type="application/rss+xml")) == "feed"


def test_every_format_name_has_a_reader() -> None:
    assert set(FORMAT_NAMES) == {"auto", "text", "markdown", "html", "telegram", "feed", "warc",
                                 "jsonl", "pdf", "docx", "odt", "image"}
    for name, reader in READERS.items():
        assert reader_for(name) is reader and reader.name == name
    with pytest.raises(ValueError, match="unknown format 'epub'; choose one of: text, markdown"):
        reader_for("epub")
    with pytest.raises(ValueError, match="detect it first"):
        reader_for("auto")


def test_detection_asks_the_readers_own_sniff_in_the_table_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kartoteka.ingest import detect

    class Everything:
        name = "jsonl"

        def sniff(self, item: Input) -> bool:
            return True

    assert set(detect.SNIFFED) <= set(READERS)
    plain = Input(origin="note.txt", data=b"Just a sentence.")
    assert detect_format(plain) == "text"
    monkeypatch.setitem(READERS, "jsonl", Everything())
    assert detect_format(plain) == "jsonl"
    # PDF comes earlier in the table, so its own signature still wins.
    assert detect_format(Input(origin="a.pdf", data=b"%PDF-1.7\n...")) == "pdf"
