"""The last line of the reader contract: nothing a file contains escapes as an exception.

Each reader reports the failures it expects (bad JSON, a missing field) in
its own words.  What it did not expect (a library bug met on odd input) is
caught here, logged with its traceback for whoever fixes the reader, and
reported as the item's error, so a batch or an upload goes on.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.storable import UnstorableDraft, storable_draft
from kartoteka.model import ArticleDraft

log = logging.getLogger(__name__)

R = TypeVar("R")
T = TypeVar("T")
ReadMethod = Callable[[R, Input, ReadOptions], Iterator[ReadItem]]


def unexpected(origin: str, where: str, exc: Exception) -> ItemError:
    """The item's error for an exception no reader check foresaw; logs the traceback."""
    log.error("%s: %s: unexpected %s while reading", origin, where, type(exc).__name__,
              exc_info=exc)
    detail = str(exc).split("\n")[0][:200]
    return ItemError(origin, f"{where}: could not be read ({type(exc).__name__}: {detail})")


def guarded(origin: str, where: str, build: Callable[[], T]) -> T | ItemError:
    """``build()`` for one item, or that item's error if it raises."""
    try:
        return build()
    except Exception as exc:
        return unexpected(origin, where, exc)


def never_raises(read: ReadMethod[R]) -> ReadMethod[R]:
    """For a reader's ``read``: an exception ends the input with an ``ItemError``
    naming how far reading got, instead of propagating to the caller; every
    draft is made storable on its way out."""

    @functools.wraps(read)
    def guarding(self: R, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        count = 0
        try:
            for result in read(self, item, options):
                count += 1
                yield _storable(item.origin, count, result)
        except Exception as exc:
            where = f"after item {count}" if count else "the whole file"
            yield unexpected(item.origin, where, exc)

    return guarding


def _storable(origin: str, position: int, result: ReadItem) -> ReadItem:
    if not isinstance(result, ArticleDraft):
        return result
    try:
        return storable_draft(result)
    except UnstorableDraft as exc:
        return ItemError(origin, f"item {position} ({result.key()}): {exc}")
