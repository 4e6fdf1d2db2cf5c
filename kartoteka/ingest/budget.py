"""How much work one document may cost: pages sent to OCR, and seconds in all.

A page of text costs milliseconds; a page sent to Tesseract costs seconds.  A
small hostile PDF (5 KB, 1,764 image-only pages drawn from one object) or a real
scanned book would otherwise hold a batch for many minutes.  So each document
gets a budget, and a document over it is that file's error, naming the limit
and how to raise it; the batch goes on.

A document over budget is refused whole rather than stored in part: an article
that silently lacks its last 900 pages would look complete in search.  The
pages that need OCR are counted before any is recognised, so a refusal for
their number costs nothing; ``--ocr never`` reads such a file's text layer
alone, and ``--ocr-max-pages`` (``KARTOTEKA_OCR_MAX_PAGES``) lets it through.
The time is checked between pages and bounds each Tesseract call, so a
document overruns it by at most one page's text extraction or rendering.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from kartoteka.ingest.base import ReadOptions
from kartoteka.ingest.documents import DocumentError

OCR_PAGES_ENV = "KARTOTEKA_OCR_MAX_PAGES"
SECONDS_ENV = "KARTOTEKA_DOCUMENT_SECONDS"
# A report with its scanned annexes, or a long article's scans; not a book.
DEFAULT_OCR_PAGES = 50
# Fits those 50 pages of OCR: a dense A4 page (38 lines) took Tesseract 10 s of
# CPU with eng+rus on the 2-core development machine, so 50 take about 8 minutes.
# The text layer of 1,000 short pages took 0.1 s of CPU, so only OCR or a hostile
# file come near it.
DEFAULT_SECONDS = 600.0


class OverBudget(DocumentError):
    """A document needs more OCR pages or more time than its budget allows."""


@dataclass(slots=True)
class DocumentBudget:
    """One document's allowance, started when its reader starts."""

    ocr_pages: int = DEFAULT_OCR_PAGES
    seconds: float = DEFAULT_SECONDS
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def start(cls, options: ReadOptions) -> DocumentBudget:
        """The options' limits where given, else the environment's, else the defaults."""
        ocr_pages = options.ocr_max_pages
        if ocr_pages is None:
            ocr_pages = int(_positive(OCR_PAGES_ENV, DEFAULT_OCR_PAGES, whole=True))
        seconds = options.document_seconds
        if seconds is None:
            seconds = _positive(SECONDS_ENV, DEFAULT_SECONDS, whole=False)
        return cls(ocr_pages=ocr_pages, seconds=seconds)

    def check_ocr_pages(self, needed: int, pages: int) -> None:
        """Refuse, before OCR starts, a document with more pages to OCR than allowed."""
        if needed > self.ocr_pages:
            raise OverBudget(
                f"{needed} of its {pages} pages need OCR, the limit is {self.ocr_pages}: "
                f"raise it with --ocr-max-pages {needed} (or {OCR_PAGES_ENV}={needed}), "
                "or read the text layer alone with --ocr never"
            )

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def check_time(self, done: int, pages: int, work: str) -> None:
        """Stop a document that has used its time; ``work`` says what it was doing."""
        if self.remaining() <= 0:
            raise self.overrun(done, pages, work)

    def overrun(self, done: int, pages: int, work: str) -> OverBudget:
        return OverBudget(
            f"took over {self.seconds:g} s, the limit per document, while {work} "
            f"({done} of {pages} pages done); nothing was stored: raise the limit with "
            f"{SECONDS_ENV}=N (seconds) or split the document"
        )


def _positive(name: str, default: float, *, whole: bool) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        number = 0
    if not number > 0:
        kind = "whole number" if whole else "number of seconds"
        # Every document would fail the same way: the message says which setting.
        raise DocumentError(f"{name} must be a positive {kind}, not {value!r}")
    return number
