"""Optical character recognition with Tesseract, for scans and image-only pages.

Tesseract is called through pytesseract (Debian's ``tesseract-ocr`` with the
``eng`` and ``rus`` packs).  The languages come from ``--ocr-lang``, else from
the language of the document's own text layer, else both English and Russian,
which read each other's script badly but a mixed page tolerably.
"""

from __future__ import annotations

import shutil
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from kartoteka.ingest.budget import DocumentBudget
from kartoteka.ingest.documents import DocumentError
from kartoteka.text.language import detect_language

if TYPE_CHECKING:
    from PIL.Image import Image

DEFAULT_LANGUAGES = "eng+rus"
# ISO 639-1 (what articles carry) to Tesseract's traineddata names.
_TESSERACT_NAMES = {"en": "eng", "ru": "rus", "uk": "ukr", "sr": "srp", "de": "deu",
                    "fr": "fra", "es": "spa", "it": "ita", "ar": "ara", "tr": "tur"}
# Scans are rendered at this resolution: Tesseract is trained on ~300 dpi text.
RENDER_DPI = 300
# An oversized page (a poster, a map) is rendered smaller rather than as a
# multi-gigabyte bitmap: 50 megapixels is an A2 sheet at 300 dpi.
MAX_RENDER_PIXELS = 50_000_000
# One page that takes Tesseract longer than this is an error, not a hang.
PAGE_TIMEOUT_SECONDS = 180
# Pixels darker than this count as ink when a page is cropped to what is on it.
_INK = 200
_MARGIN = 24


class OcrMode(StrEnum):
    AUTO = "auto"  # only pages and images without a text layer
    ALWAYS = "always"  # every page, even one with a text layer
    NEVER = "never"  # no OCR: image-only pages stay empty


def ocr_mode(value: str) -> OcrMode:
    try:
        return OcrMode(value)
    except ValueError:
        raise ValueError(f"--ocr expects auto, always or never, not {value!r}") from None


def languages_for(requested: str | None, sample_text: str = "") -> str:
    """Tesseract's ``-l`` value: the user's choice, or else English and Russian with
    the text layer's language (when Tesseract has it) first, as the primary one.

    A text layer's language is only a hint (a typed English cover sheet may
    precede Russian scans), so it orders the defaults instead of replacing them.
    """
    if requested:
        return requested.replace(",", "+").replace(" ", "")
    ordered = DEFAULT_LANGUAGES.split("+")
    language = detect_language(sample_text) if sample_text.strip() else None
    hinted = _TESSERACT_NAMES.get(language or "")
    if hinted and (hinted in ordered or hinted in installed_languages()):
        ordered = [hinted, *(name for name in ordered if name != hinted)]
    return "+".join(ordered)


@lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """The language packs Tesseract has; empty when Tesseract itself is missing."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return frozenset()
    return frozenset(pytesseract.get_languages(config=""))


class OcrTimeout(DocumentError):
    """Tesseract was stopped at its time limit."""


def recognise_within(image: Image, languages: str, budget: DocumentBudget, done: int,
                     pages: int) -> str:
    """``recognise`` one page of a document in what is left of its time budget.

    ``done`` pages of ``pages`` are read already; they go into the message.
    """
    budget.check_time(done, pages, "running OCR")
    timeout = min(PAGE_TIMEOUT_SECONDS, budget.remaining())
    try:
        return recognise(image, languages, timeout=max(timeout, 0.01))
    except OcrTimeout:
        if budget.remaining() <= 0:
            raise budget.overrun(done, pages, "running OCR") from None
        raise


def recognise(image: Image, languages: str, timeout: float = PAGE_TIMEOUT_SECONDS) -> str:
    """The text Tesseract reads in an image; a missing program or pack is a clear error.

    ``timeout`` must be above 0: pytesseract takes 0 to mean no limit at all.
    """
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise DocumentError(
            "OCR needs Tesseract, which is not installed: apt-get install tesseract-ocr "
            "tesseract-ocr-eng tesseract-ocr-rus (or run with --ocr never)"
        )
    missing = [lang for lang in languages.split("+") if lang not in installed_languages()]
    if missing:
        raise DocumentError(
            f"Tesseract has no language pack for {', '.join(missing)}: install "
            f"tesseract-ocr-{missing[0]} or choose another --ocr-lang"
        )
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    inked = ink_box(image)
    if inked is None:
        return ""  # a blank page: nothing for Tesseract to find
    image = image.crop(inked)
    try:
        text: str = pytesseract.image_to_string(image, lang=languages, timeout=timeout)
    except pytesseract.TesseractError as exc:  # a RuntimeError too: not a timeout
        raise DocumentError(f"Tesseract could not read a page: {exc.message}") from None
    except RuntimeError as exc:  # pytesseract's way of saying the timeout struck
        raise OcrTimeout(
            f"OCR of one page took over {timeout:.3g} s and was stopped ({exc})"
        ) from None
    return text


def ink_box(image: Image) -> tuple[int, int, int, int] | None:
    """The part of a page with ink on it, with a margin; None for a blank page.

    Tesseract's time grows with the pixels it is given: a poster-sized page (or a
    hostile PDF's 1e30-point box, rendered at the 50-megapixel cap) with one line
    on it took 10-190 s of CPU, and its cropped line well under a second.
    """
    ink = image.convert("L").point(lambda value: 255 if value < _INK else 0)
    box = ink.getbbox()
    if box is None:
        return None
    left, top, right, bottom = box
    return (max(left - _MARGIN, 0), max(top - _MARGIN, 0),
            min(right + _MARGIN, image.width), min(bottom + _MARGIN, image.height))


def render_scale(width_points: float, height_points: float) -> float:
    """PDFium's scale for ``RENDER_DPI``, lowered so the bitmap stays under the cap."""
    scale = RENDER_DPI / 72
    pixels = width_points * height_points * scale * scale
    if pixels > MAX_RENDER_PIXELS:
        scale *= (MAX_RENDER_PIXELS / pixels) ** 0.5
    return scale
