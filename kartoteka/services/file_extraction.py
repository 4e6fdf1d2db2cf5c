"""Extraction of a file as ingest would store it, without storing it.

The file goes through ingest's own format detection and reader, so front
matter is metadata and not text, a Markdown title is not body, and a
Telegram export or a feed gives one article per item.  Offsets in the
result count into the body exactly as ingest would store it, and the
language is the reader's or, as ingest does, detected from title and body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kartoteka.extract.pipeline import Document, ExtractionResult
from kartoteka.ingest.base import ItemError, ReadOptions, Skipped
from kartoteka.ingest.detect import detect_format
from kartoteka.ingest.formats import reader_for
from kartoteka.model import ArticleDraft
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import load_input
from kartoteka.text.language import detect_language


@dataclass(slots=True)
class FileExtraction:
    """What a file's articles contain; the items that could not be read."""

    articles: list[tuple[ArticleDraft, ExtractionResult]] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)


def extract_file(service: ExtractionService, source: str, fmt: str = "auto") -> FileExtraction:
    """Read ``source`` as ingest does and extract each article; nothing is stored.

    A file that cannot be read at all raises ``ReadFailure`` with the reason.
    """
    item = load_input(source)
    reader = reader_for(detect_format(item) if fmt == "auto" else fmt)
    found = FileExtraction()
    drafts: list[ArticleDraft] = []
    for read in reader.read(item, ReadOptions()):
        if isinstance(read, ItemError):
            found.errors.append(read)
        elif not isinstance(read, Skipped):
            drafts.append(read)
    documents = [Document(d.body, d.language or detect_language(f"{d.title}\n{d.body}"),
                          d.source, _dated(d.published_at), d.title) for d in drafts]
    found.articles = list(zip(drafts, service.pipeline().run_many(documents), strict=True))
    return found


def _dated(published_at: datetime | None) -> dict[str, object]:
    """Document metadata with the date linking weighs active periods by."""
    return {} if published_at is None else {"date": published_at.date().isoformat()}
