"""Word documents (DOCX) through python-docx.

A DOCX has no fixed pages; the page breaks it does record are explicit ones
(``w:br w:type="page"``, a paragraph's "page break before") and the breaks
Word saw when it last laid the file out (``w:lastRenderedPageBreak``).  Both
start a new page here, so page numbers match what the author saw in Word.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from kartoteka.ingest.base import Input, ReadItem, ReadOptions
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.documents import (
    BROKEN_ZIP_ERRORS,
    DocumentError,
    Limits,
    Page,
    PageCollector,
    draft_from_pages,
    read_safely,
)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def looks_like_docx(data: bytes) -> bool:
    """A ZIP (``PK``) holding ``word/document.xml``."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except BROKEN_ZIP_ERRORS:
        return False


class DocxReader:
    name = "docx"

    def sniff(self, item: Input) -> bool:
        return looks_like_docx(item.data)

    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        yield from read_safely(item, options, _read_docx, "DOCX file")


def _read_docx(item: Input, options: ReadOptions) -> ReadItem:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    Limits.check_unpacked(item.data, "docx")
    broken: tuple[type[BaseException], ...] = (PackageNotFoundError, *BROKEN_ZIP_ERRORS)
    try:
        document = docx.Document(io.BytesIO(item.data))
    except broken as exc:
        raise DocumentError(f"not a readable DOCX file (broken or truncated): {exc}") from None
    pages = PageCollector()
    try:
        for paragraph in document.element.body.iter(f"{_W}p"):
            _read_paragraph(paragraph, pages)
        title = document.core_properties.title or ""  # its part is read only now
    except broken as exc:
        raise DocumentError(f"not a readable DOCX file (broken or truncated): {exc}") from None
    texts = pages.finish()
    Limits.from_env().check_pages(len(texts))
    return draft_from_pages(item, [Page(n, t) for n, t in enumerate(texts, 1)], title)


def _read_paragraph(paragraph: Any, pages: PageCollector) -> None:
    if paragraph.find(f"{_W}pPr/{_W}pageBreakBefore") is not None:
        pages.page_break()
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr",
                               f"{_W}lastRenderedPageBreak"):
        tag = node.tag
        if tag == f"{_W}t":
            pages.text(node.text or "")
        elif tag == f"{_W}tab":
            pages.text("\t")
        elif tag == f"{_W}lastRenderedPageBreak" or node.get(f"{_W}type") == "page":
            pages.page_break()
        else:
            pages.text("\n")
    pages.text("\n")
