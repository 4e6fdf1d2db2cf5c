"""Every ``--format`` name and the reader that implements it."""

from __future__ import annotations

from kartoteka.ingest.base import Reader
from kartoteka.ingest.feed import FeedReader
from kartoteka.ingest.html import HtmlReader
from kartoteka.ingest.jsonl import JsonlReader
from kartoteka.ingest.opendocument import OdtReader
from kartoteka.ingest.pdf import PdfReader
from kartoteka.ingest.plaintext import MarkdownReader, TextReader
from kartoteka.ingest.scan import ImageReader
from kartoteka.ingest.telegram import TelegramReader
from kartoteka.ingest.warc import WarcReader
from kartoteka.ingest.word import DocxReader

READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (TextReader(), MarkdownReader(), HtmlReader(), TelegramReader(),
                   FeedReader(), WarcReader(), JsonlReader(),
                   PdfReader(), DocxReader(), OdtReader(), ImageReader())
}

# What ``--format`` accepts: ``auto`` asks detect.detect_format to choose.
FORMAT_NAMES: tuple[str, ...] = ("auto", *READERS)


def reader_for(name: str) -> Reader:
    """The reader for a ``--format`` value other than ``auto``."""
    try:
        return READERS[name]
    except KeyError:
        known = ", ".join(READERS)
        hint = " (detect it first with detect_format)" if name == "auto" else ""
        raise ValueError(f"unknown format {name!r}{hint}; choose one of: {known}") from None
