"""Article fields that several readers derive the same way.

A Telegram post, a JSON Feed item without a title and a JSONL record all
need a title cut from the text, and every date a reader finds must become a
timezone-aware ``datetime`` so that "earliest original" comparisons work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import SplitResult, urlsplit

from kartoteka.ingest.base import ReadOptions
from kartoteka.model import Author
from kartoteka.text.language import detect_language

TITLE_LIMIT = 120
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)", re.UNICODE)
_URL = re.compile(r"https?://[^\s<>\"'«»]+", re.IGNORECASE)


def title_from_text(text: str, limit: int = TITLE_LIMIT) -> str:
    """The first non-empty line, cut at a word boundary when longer than ``limit``."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) <= limit:
        return line
    cut = line[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def aware(moment: datetime) -> datetime:
    """Naive datetimes from sources without a zone are taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_datetime(value: object) -> datetime | None:
    """An ISO 8601 string (or ``YYYY-MM-DD``) as an aware datetime; None when absent or bad."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def from_unixtime(value: object) -> datetime | None:
    """Seconds since the epoch (int or numeric string) as an aware UTC datetime;
    None when absent, not a number, or out of range."""
    if isinstance(value, bool):
        return None
    try:
        seconds = int(value) if isinstance(value, int | str) else None
    except ValueError:
        return None
    if seconds is None:
        return None
    return from_epoch_seconds(seconds)


def from_epoch_seconds(seconds: int | float) -> datetime | None:
    """An aware UTC datetime, or None for a moment outside the years 1–9999."""
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, ValueError, OSError):  # each platform refuses differently
        return None


def split_url(url: str | None) -> SplitResult | None:
    """``urlsplit`` for addresses from the input, None where it refuses one (``http://[``)."""
    if not url:
        return None
    try:
        return urlsplit(url)
    except ValueError:
        return None


def url_scheme(url: str | None) -> str:
    parts = split_url(url)
    return parts.scheme if parts else ""


def url_host(url: str | None) -> str | None:
    """The host name, or None when there is none or the address is not one."""
    parts = split_url(url)
    try:
        return parts.hostname if parts else None
    except ValueError:
        return None


def hashtags_in(text: str) -> list[str]:
    """``#tags`` in order of first appearance, any script (``#КиноСтрим``), without ``#``."""
    return unique(m.group(1) for m in _HASHTAG.finditer(text) if not m.group(1).isdigit())


def urls_in(text: str) -> list[str]:
    """Plain ``http(s)://`` links in running text, without trailing punctuation."""
    return unique(m.group(0).rstrip(".,;:!?)]}…") for m in _URL.finditer(text))


def unique(values: Iterable[object]) -> list[str]:
    """Distinct non-empty strings, first occurrence wins."""
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and value and value not in seen:
            seen[value] = None
    return list(seen)


def countries(options: ReadOptions) -> list[str]:
    return [options.country.lower()] if options.country else []


def chosen_author(options: ReadOptions, found: Author | None) -> Author | None:
    """``--author`` given by the user wins over what the source says."""
    return options.author or found


def guess_language(text: str) -> str | None:
    """A statistical guess for sources that declare no language."""
    return detect_language(text)
