"""How large an input each format may be before it is refused.

A reader holds its whole input, and most parsers build a tree several times
its size, so the limit bounds memory per file.  An input over the limit is
that file's error; the batch goes on.  The defaults are a multiple of the
largest real inputs seen (``bench/fuzz.py`` prints peak memory per reader);
``KARTOTEKA_INPUT_LIMITS_MB`` overrides any of them, e.g. ``feed=128,warc=4096``.
It is the one size setting, documents included: a DOCX or ODT may also not
unpack to more than its limit.  ``KARTOTEKA_MAX_DOCUMENT_MB``, the documents'
own setting before there was one for every format, still sets the four
document formats' limits (``KARTOTEKA_INPUT_LIMITS_MB`` wins where both name
one) and logs a deprecation warning.
"""

from __future__ import annotations

import logging
import os
from functools import cache

log = logging.getLogger(__name__)

LIMITS_ENV = "KARTOTEKA_INPUT_LIMITS_MB"
DEPRECATED_DOCUMENT_ENV = "KARTOTEKA_MAX_DOCUMENT_MB"
MB = 1024 * 1024
DEFAULT_LIMITS_MB: dict[str, int] = {
    "text": 16, "markdown": 16, "html": 8, "feed": 16,
    "telegram": 512, "jsonl": 1024, "warc": 4096,
    # Documents and scans: the file as stored, and what a DOCX or ODT unpacks to.
    "pdf": 200, "docx": 200, "odt": 200, "image": 200,
}
DOCUMENT_FORMATS = ("pdf", "docx", "odt", "image")


class LimitsError(ValueError):
    """``KARTOTEKA_INPUT_LIMITS_MB`` cannot be understood."""


def input_limits() -> dict[str, int]:
    """Bytes allowed per format: the defaults with the environment's overrides."""
    limits = {name: mb * MB for name, mb in DEFAULT_LIMITS_MB.items()}
    old = os.environ.get(DEPRECATED_DOCUMENT_ENV, "").strip()
    if old:
        _warn_deprecated(old)
        for name in DOCUMENT_FORMATS:
            limits[name] = _megabytes(old, DEPRECATED_DOCUMENT_ENV, f"{name}={old}") * MB
    raw = os.environ.get(LIMITS_ENV, "").strip()
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, _, value = part.partition("=")
        name = name.strip().lower()
        if name not in limits:
            raise LimitsError(f"{LIMITS_ENV}: unknown format {name!r} in {part!r}; "
                              f"use {', '.join(limits)}")
        limits[name] = _megabytes(value, LIMITS_ENV, part) * MB
    return limits


def _megabytes(value: str, setting: str, part: str) -> int:
    try:
        megabytes = int(value)
    except ValueError:
        megabytes = 0
    if megabytes <= 0:
        raise LimitsError(f"{setting}: {part!r} needs a whole number of megabytes "
                          "above 0, as in feed=64")
    return megabytes


@cache
def _warn_deprecated(value: str) -> None:
    """Once per process and value: a batch of 10,000 files needs one warning, not 10,000."""
    formats = ",".join(f"{name}={value}" for name in DOCUMENT_FORMATS)
    log.warning("%s is deprecated: set %s=%s instead", DEPRECATED_DOCUMENT_ENV, LIMITS_ENV,
                formats)


def limit_for(fmt: str) -> int:
    """Bytes allowed for one format (the largest limit for a name we do not know)."""
    limits = input_limits()
    return limits.get(fmt, max(limits.values()))


def over_limit_message(fmt: str, size: int | None, limit: int) -> str:
    """The one line a user reads when an input is too large, and what to do.

    ``size`` is None when only the unpacked size (of a ``.gz``) is over the limit.
    """
    size_text = f"{size / MB:.1f} MB" if size is not None else "it unpacks to more"
    return (f"too large for a {fmt} input ({size_text}; the limit is {limit // MB} MB): "
            f"split it, or raise the limit with {LIMITS_ENV}={fmt}=N")
