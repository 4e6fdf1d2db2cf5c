"""PDF documents through PDFium (pypdfium2), with OCR for pages that are scans.

PDFium is the engine Chromium uses: it reads text in reading order with
Cyrillic intact and renders a page to pixels for Tesseract, both without
a subprocess.  A page whose text layer is empty or nearly so (a scan, or a
scan with a stray page number) is OCRed under ``--ocr auto``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kartoteka.ingest.base import Input, ReadItem, ReadOptions
from kartoteka.ingest.budget import DocumentBudget
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.documents import (
    DocumentError,
    Limits,
    Page,
    draft_from_pages,
    read_safely,
)
from kartoteka.ingest.ocr import (
    OcrMode,
    languages_for,
    ocr_mode,
    recognise_within,
    render_scale,
)

if TYPE_CHECKING:
    from pypdfium2 import PdfDocument

# Fewer letters than this on a page means its text layer is not its text.
_MIN_LETTERS = 16
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_LETTER = re.compile(r"[^\W\d_]")


def looks_like_pdf(data: bytes) -> bool:
    """``%PDF-`` within the first kilobyte, where readers look for it."""
    return b"%PDF-" in data[:1024]


class PdfReader:
    name = "pdf"

    def sniff(self, item: Input) -> bool:
        return looks_like_pdf(item.data)

    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        yield from read_safely(item, options, _read_pdf, "PDF")


def _read_pdf(item: Input, options: ReadOptions) -> ReadItem:
    import pypdfium2 as pdfium

    mode = ocr_mode(options.ocr)
    budget = DocumentBudget.start(options)
    try:
        document = pdfium.PdfDocument(item.data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
            raise DocumentError(
                "the PDF is encrypted with a password: decrypt it first "
                "(for example qpdf --decrypt --password=... in.pdf out.pdf)"
            ) from None
        raise DocumentError(f"not a readable PDF (broken or truncated): {exc}") from None
    try:
        Limits.from_env().check_pages(len(document))
        layers = _text_layers(document, budget)
        needs_ocr = [
            mode is OcrMode.ALWAYS or (mode is OcrMode.AUTO and not _has_text(text))
            for text in layers
        ]
        budget.check_ocr_pages(sum(needs_ocr), len(layers))
        # The text layer's language picks Tesseract's; only worth finding for OCR.
        languages = (languages_for(options.ocr_languages, "\n".join(layers)[:4000])
                     if any(needs_ocr) else "")
        pages = [
            Page(index + 1, _ocr(document, index, languages, budget), ocr=True)
            if needs_ocr[index] else Page(index + 1, text)
            for index, text in enumerate(layers)
        ]
        title = str(document.get_metadata_dict(skip_empty=True).get("Title", ""))
    except pdfium.PdfiumError as exc:  # a page object PDFium cannot load
        raise DocumentError(f"not a readable PDF (a page is broken): {exc}") from None
    finally:
        document.close()
    return draft_from_pages(item, pages, title)


def _text_layers(document: PdfDocument, budget: DocumentBudget) -> list[str]:
    layers: list[str] = []
    characters = 0
    pages = len(document)
    for index in range(pages):
        budget.check_time(index, pages, "reading the text layer")
        layers.append(_text_layer(document, index))
        characters += len(layers[-1])
        Limits.check_text(characters, index + 1)
    return layers


def _text_layer(document: PdfDocument, index: int) -> str:
    page = document[index]
    text_page = page.get_textpage()
    try:
        text: str = text_page.get_text_range()
    finally:
        text_page.close()
        page.close()
    return text


def _ocr(document: PdfDocument, index: int, languages: str, budget: DocumentBudget) -> str:
    budget.check_time(index, len(document), "rendering a page for OCR")
    page = document[index]
    try:
        width, height = page.get_size()
        image = page.render(scale=render_scale(width, height)).to_pil()
    finally:
        page.close()
    return recognise_within(image, languages, budget, index, len(document))


def _has_text(text: str) -> bool:
    """At least ``_MIN_LETTERS`` letters; stops counting there (a page may be huge)."""
    letters = _LETTER.finditer(text)
    return next(itertools.islice(letters, _MIN_LETTERS - 1, None), None) is not None
