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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
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


@dataclass(frozen=True, slots=True)
class Limits:
    """The largest document read at all: bigger ones are refused, not truncated.

    Defaults fit a long report or a book of scans; ``KARTOTEKA_MAX_DOCUMENT_MB``
    and ``KARTOTEKA_MAX_DOCUMENT_PAGES`` raise them.
    """

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            max_bytes=_positive("KARTOTEKA_MAX_DOCUMENT_MB", 200) * 1024 * 1024,
            max_pages=_positive("KARTOTEKA_MAX_DOCUMENT_PAGES", 2000),
        )

    def check_size(self, size: int) -> None:
        if size > self.max_bytes:
            raise DocumentError(
                f"document too large: {size / 1048576:.1f} MB, the limit is "
                f"{self.max_bytes // 1048576} MB (raise KARTOTEKA_MAX_DOCUMENT_MB to read it)"
            )

    def check_unpacked(self, data: bytes) -> None:
        """A DOCX or ODT is a ZIP: refuse one whose contents would unpack too large
        (a "zip bomb") before any XML parser sees it."""
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                size = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return  # broken: the reader's own parser says so, naming the format
        if size > self.max_bytes:
            raise DocumentError(
                f"document too large when unpacked: {size / 1048576:.1f} MB, the limit is "
                f"{self.max_bytes // 1048576} MB (raise KARTOTEKA_MAX_DOCUMENT_MB to read it)"
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
        Limits.from_env().check_size(len(item.data))
        yield read(item, options)
    except DocumentError as exc:
        yield ItemError(item.origin, str(exc))
    except Exception as exc:
        log.exception("unexpected failure reading %s %s", kind, item.origin)
        yield ItemError(item.origin, f"cannot read this {kind}: {type(exc).__name__}: {exc}")
