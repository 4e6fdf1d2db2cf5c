"""What every paged document reader shares: limits, page markers and the draft.

A PDF, a Word or OpenDocument file, or a scan becomes one article whose body
is its pages' text in order.  Where each page starts in the body is kept in
``extra["pages"]`` (``[{"page": 3, "offset": 5120, "ocr": true}, ...]``), so a
citation can point at a page and the article page can show the page breaks.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.limits import LIMITS_ENV, MB, limit_for
from kartoteka.model import ArticleDraft
from kartoteka.text.normalize import clean_text

log = logging.getLogger(__name__)

PAGES_KEY = "pages"
# Between pages in the body: a blank line, so each page reads as its own block.
PAGE_SEPARATOR = "\n\n"
_TITLE_MAX = 200
_SPACE = re.compile(r"[ \t]+")


class DocumentError(Exception):
    """A whole document cannot be read; the message says why and what to do."""


# What a broken or truncated ZIP of XML (DOCX, ODT) raises while it is opened:
# zipfile's own errors, zlib's on a corrupt stream, seeks before the start, a
# missing part, an unsupported compression method, and XML syntax errors
# (lxml's and expat's are SyntaxErrors).  bench/fuzz.py found each of them.
BROKEN_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError, NotImplementedError,
    SyntaxError, OSError,
    RuntimeError,  # zipfile: "File 'meta.xml' is encrypted, password required"
)
# More text than this from one document is not a document but a loop: a 5 KB
# PDF whose 765 pages share one content stream drawn 2,000 times gave 28 million
# characters and 10 s of CPU.  2,000 pages of dense print stay under it.
MAX_DOCUMENT_CHARS = 10_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    """The longest document read at all: longer ones are refused, not truncated.

    The size of the file is the format's input limit (``KARTOTEKA_INPUT_LIMITS_MB``,
    checked before a reader starts); pages are counted here, and the default fits
    a long report or a book of scans (``KARTOTEKA_MAX_DOCUMENT_PAGES`` raises it).
    """

    max_pages: int = 2000

    @classmethod
    def from_env(cls) -> Limits:
        return cls(max_pages=_positive("KARTOTEKA_MAX_DOCUMENT_PAGES", 2000))

    @staticmethod
    def check_unpacked(data: bytes, fmt: str) -> None:
        """A DOCX or ODT is a ZIP: refuse one whose contents would unpack past the
        format's input limit (a "zip bomb") before any XML parser sees it."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                size = sum(info.file_size for info in archive.infolist())
        except BROKEN_ZIP_ERRORS:
            return  # broken: the reader's own parser says so, naming the format
        limit = limit_for(fmt)
        if size > limit:
            raise DocumentError(
                f"document too large when unpacked: {size / MB:.1f} MB, the limit is "
                f"{limit // MB} MB (raise it with {LIMITS_ENV}={fmt}=N)"
            )

    @staticmethod
    def check_text(characters: int, pages: int) -> None:
        """Stop reading a document whose text passes ``MAX_DOCUMENT_CHARS``."""
        if characters > MAX_DOCUMENT_CHARS:
            raise DocumentError(
                f"document text too long: over {MAX_DOCUMENT_CHARS:,} characters in its "
                f"first {pages} page(s); split the document"
            )

    def check_pages(self, pages: int) -> None:
        if pages > self.max_pages:
            raise DocumentError(
                f"document too long: {pages} pages, the limit is {self.max_pages} "
                "(raise KARTOTEKA_MAX_DOCUMENT_PAGES to read it)"
            )


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


@dataclass(frozen=True, slots=True)
class Page:
    """One page's text; ``ocr`` says it was recognised from pixels, not read."""

    number: int
    text: str
    ocr: bool = False


class PageCollector:
    """Text of the current page of a flowing document (DOCX, ODT).

    A break on a page with no text yet is ignored: Word records an explicit
    break and its rendered break side by side, and they are one break.
    """

    def __init__(self) -> None:
        self.pages: list[str] = []
        self.current: list[str] = []

    def text(self, value: str) -> None:
        self.current.append(value)

    def page_break(self) -> None:
        if "".join(self.current).strip():
            self.pages.append("".join(self.current))
            self.current = []

    def finish(self) -> list[str]:
        self.page_break()
        return self.pages


def page_text(text: str) -> str:
    """Clean a page: normalised characters, runs of spaces folded, edges trimmed."""
    lines = (_SPACE.sub(" ", line).strip() for line in clean_text(text).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def draft_from_pages(item: Input, pages: list[Page], title: str = "") -> ReadItem:
    """One article from a document's pages; empty pages keep their number, not text."""
    parts: list[str] = []
    markers: list[dict[str, object]] = []
    offset = 0
    for page in pages:
        text = page_text(page.text)
        if parts and text:
            offset += len(PAGE_SEPARATOR)
        markers.append({"page": page.number, "offset": offset, "ocr": page.ocr})
        if text:
            parts.append(text)
            offset += len(text)
    body = PAGE_SEPARATOR.join(parts)
    if not body:
        return ItemError(item.origin, "no text found in the document (every page is empty; "
                                      "for scans, run with --ocr auto or --ocr always)")
    title = _SPACE.sub(" ", title).strip() or _first_line(body) or _file_name(item.origin)
    return ArticleDraft(
        title=title[:_TITLE_MAX],
        body=body,
        source=item.origin,
        source_key=item.origin,
        extra={PAGES_KEY: markers},
    )


def page_at(markers: list[dict[str, object]], offset: int) -> int | None:
    """The page number a body offset falls on (for citing a passage)."""
    found: int | None = None
    for marker in markers:
        start = marker.get("offset")
        number = marker.get("page")
        if isinstance(start, int) and isinstance(number, int) and start <= offset:
            found = number
    return found


def _first_line(body: str) -> str:
    return next((line.strip() for line in body.split("\n") if line.strip()), "")


def _file_name(origin: str) -> str:
    return PurePosixPath(origin.replace("\\", "/")).name


def read_safely(
    item: Input, options: ReadOptions, read: Callable[[Input, ReadOptions], ReadItem], kind: str
) -> Iterator[ReadItem]:
    """Run a document reader so that nothing it raises stops the batch.

    A ``DocumentError`` is the reader's own plain reason; anything else is
    unexpected, so its traceback goes to the log and the user gets the kind
    of document and the exception's message.
    """
    try:
        yield read(item, options)
    except DocumentError as exc:
        yield ItemError(item.origin, str(exc))
    except Exception as exc:
        log.exception("unexpected failure reading %s %s", kind, item.origin)
        yield ItemError(item.origin, f"cannot read this {kind}: {type(exc).__name__}: {exc}")
