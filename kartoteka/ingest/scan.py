"""Scanned images (PNG, JPEG, TIFF) read by OCR; each TIFF frame is a page.

An image has no text layer, so ``--ocr never`` cannot read it and says so.
Pillow refuses images so large that decoding them could exhaust memory (its
decompression-bomb guard); that becomes a clear per-file error.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from kartoteka.ingest.base import Input, ReadItem, ReadOptions
from kartoteka.ingest.budget import DocumentBudget
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.documents import DocumentError, Limits, Page, draft_from_pages, read_safely
from kartoteka.ingest.ocr import OcrMode, languages_for, ocr_mode, recognise_within

_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def looks_like_image(data: bytes) -> bool:
    """PNG, JPEG or TIFF (either byte order) by their first bytes."""
    return data.startswith(_SIGNATURES)


class ImageReader:
    name = "image"

    def sniff(self, item: Input) -> bool:
        return looks_like_image(item.data)

    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        yield from read_safely(item, options, _read_image, "image")


def _read_image(item: Input, options: ReadOptions) -> ReadItem:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    if ocr_mode(options.ocr) is OcrMode.NEVER:
        raise DocumentError("an image has no text layer: it needs OCR (--ocr auto or always)")
    budget = DocumentBudget.start(options)
    try:
        image = Image.open(io.BytesIO(item.data))
        frames = getattr(image, "n_frames", 1)
        Limits.from_env().check_pages(frames)
        budget.check_ocr_pages(frames, frames)
        languages = languages_for(options.ocr_languages)
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            frame.load()
            text = recognise_within(frame, languages, budget, number - 1, frames)
            pages.append(Page(number, text, ocr=True))
    except Image.DecompressionBombError as exc:
        raise DocumentError(f"image too large to decode safely: {exc}") from None
    # Pillow's decoders raise these on a damaged header or frame (a TIFF with no
    # dimensions gives TypeError or KeyError); bench/fuzz.py found each of them.
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError, KeyError,
            IndexError, EOFError, struct.error, ZeroDivisionError) as exc:
        raise DocumentError(f"not a readable image (broken or truncated): {exc}") from None
    return draft_from_pages(item, pages)
