"""OpenDocument text (ODT) through odfpy.

Like DOCX, an ODT has no fixed pages.  LibreOffice records where its layout
broke pages (``text:soft-page-break``), and a paragraph style may force a
break (``fo:break-before="page"``); both start a new page here.
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

_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_BLOCKS = {"p", "h"}
_MAX_SPACES = 1000
# odfpy also recurses over nesting while it builds its tree.
_BROKEN: tuple[type[BaseException], ...] = (*BROKEN_ZIP_ERRORS, RecursionError)


def looks_like_odt(data: bytes) -> bool:
    """A ZIP (``PK``) whose ``mimetype`` entry names OpenDocument text."""
    if not data.startswith(b"PK\x03\x04") or b"mimetype" not in data[:64]:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").strip() == _MIMETYPE
    except BROKEN_ZIP_ERRORS:
        return False


class OdtReader:
    name = "odt"

    def sniff(self, item: Input) -> bool:
        return looks_like_odt(item.data)

    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        yield from read_safely(item, options, _read_odt, "ODT file")


def _read_odt(item: Input, options: ReadOptions) -> ReadItem:
    from odf import opendocument

    Limits.check_unpacked(item.data, "odt")
    try:
        document = opendocument.load(io.BytesIO(item.data))
    except _BROKEN as exc:
        raise DocumentError(f"not a readable ODT file (broken or truncated): {exc}") from None
    if getattr(document, "text", None) is None:  # content.xml missing, or without its office:text
        raise DocumentError("not a readable ODT file: it has no text body (content.xml is "
                            "missing or broken)")
    pages = PageCollector()
    try:
        breaking = _page_break_styles(document)
        _walk(document.text, pages, breaking)
        title = _title(document)
    except RecursionError:
        raise DocumentError("not a readable ODT file: it is nested too deeply") from None
    texts = pages.finish()
    Limits.from_env().check_pages(len(texts))
    return draft_from_pages(item, [Page(n, t) for n, t in enumerate(texts, 1)], title)


def _page_break_styles(document: Any) -> set[str]:
    """Names of paragraph styles that start a new page."""
    names: set[str] = set()
    for styles in (document.automaticstyles, document.styles):
        for style in styles.childNodes:
            for props in getattr(style, "childNodes", []):
                if props.qname == (_STYLE, "paragraph-properties") and props.attributes.get(
                    (_FO, "break-before")
                ) == "page":
                    names.add(style.attributes.get((_STYLE, "name"), ""))
    return names


def _walk(node: Any, pages: PageCollector, breaking: set[str]) -> None:
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            pages.text(child.data)
            continue
        namespace, tag = child.qname
        if namespace != _TEXT:
            _walk(child, pages, breaking)
        elif tag == "soft-page-break":
            pages.page_break()
        elif tag == "s":
            pages.text(" " * _spaces(child.attributes.get((_TEXT, "c"), "1")))
        elif tag == "tab":
            pages.text("\t")
        elif tag == "line-break":
            pages.text("\n")
        elif tag in _BLOCKS:
            if child.attributes.get((_TEXT, "style-name")) in breaking:
                pages.page_break()
            _walk(child, pages, breaking)
            pages.text("\n")
        else:
            _walk(child, pages, breaking)


def _spaces(count: str) -> int:
    """``text:s``'s count of spaces: a bad count is one space, a huge one is capped
    (``c="1000000000"`` asked for a gigabyte of spaces)."""
    return min(int(count), _MAX_SPACES) if count.isascii() and count.isdigit() else 1


def _title(document: Any) -> str:
    from odf import dc, teletype

    titles = document.meta.getElementsByType(dc.Title)
    return teletype.extractText(titles[0]) if titles else ""
