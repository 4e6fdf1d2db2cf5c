"""The contract every format reader follows.

A reader turns one input (a file's bytes, or a fetched URL) into a stream of
article drafts and per-item failures.  It never raises for bad content: a
broken message in a Telegram export, or a broken entry in a feed, becomes an
``ItemError`` and the rest of the input still yields drafts.  Only the
ingest service touches storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from kartoteka.model import ArticleDraft, Author
from kartoteka.record import as_record

__all__ = [
    "Input",
    "ItemError",
    "ReadFailure",
    "ReadItem",
    "ReadOptions",
    "Reader",
    "Skipped",
]


@dataclass(frozen=True, slots=True)
class ItemError:
    """A failure tied to where it happened: a path or URL, plus an item inside it."""

    path: str
    error: str

    def as_dict(self) -> dict[str, str]:
        return as_record(self)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item deliberately not ingested (a service message, a post with no text)."""

    path: str
    reason: str


ReadItem = ArticleDraft | ItemError | Skipped


@dataclass(slots=True)
class ReadOptions:
    """What the user told the ingest command that a reader may use."""

    author: Author | None = None
    country: str | None = None
    channel_username: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # Documents and scans (ingest/documents.py): when to run OCR (auto: only
    # pages with no text layer; always; never) and Tesseract's languages
    # ("eng+rus"); None means English and Russian, the text layer's language first.
    ocr: str = "auto"
    ocr_languages: str | None = None
    # Each document's budget (ingest/budget.py): pages it may send to OCR, and
    # seconds in all; None means KARTOTEKA_OCR_MAX_PAGES / KARTOTEKA_DOCUMENT_SECONDS
    # or their defaults.
    ocr_max_pages: int | None = None
    document_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: its name (path or URL) and its raw bytes."""

    origin: str
    data: bytes
    content_type: str | None = None


class Reader(Protocol):
    """A format reader.  ``name`` is the value of ``--format`` that selects it."""

    name: str

    def sniff(self, item: Input) -> bool:
        """True when the bytes carry this format's signature.

        ``--format auto`` asks the readers listed in ``detect.SNIFFED``, in
        that order; text and Markdown are what is left, chosen by name.
        """
        ...

    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]: ...


class ReadFailure(Exception):
    """A whole input could not be read; the message names the reason."""
