"""Transparent gzip: a ``.gz`` file is read as whatever it contains.

Readers decorate ``read`` with :func:`reads_unpacked`, so ``export.jsonl.gz``
or a gzipped Telegram ``result.json`` needs no separate option.  WARC files are left
alone: ``.warc.gz`` is a series of gzip members that warcio reads record by
record.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

from kartoteka.ingest.base import Input, ItemError, ReadFailure, ReadItem, ReadOptions
from kartoteka.ingest.limits import limit_for, over_limit_message


class _Named(Protocol):
    name: str


R = TypeVar("R", bound=_Named)
ReadMethod = Callable[[R, Input, ReadOptions], Iterator[ReadItem]]

GZIP_MAGIC = b"\x1f\x8b"
# A decompression bomb must not exhaust memory: stop at this many bytes.
MAX_DECOMPRESSED = 512 * 1024 * 1024


class TooLarge(ReadFailure):
    """The input, or what it decompresses to, is over the limit it was read with."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


def is_gzip(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def gunzip(data: bytes, *, origin: str, limit: int = MAX_DECOMPRESSED) -> bytes:
    """All gzip members of ``data`` concatenated, or ``ReadFailure`` naming the origin."""
    out = bytearray()
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, limit - len(out) + 1)
        except zlib.error as exc:
            raise ReadFailure(f"{origin}: corrupt gzip data ({exc})") from exc
        if len(out) > limit:
            raise TooLarge(
                f"{origin}: decompresses to more than {limit} bytes; "
                "unpack it yourself if it is really this large", limit
            )
        if not inflater.eof:
            raise ReadFailure(f"{origin}: gzip data is truncated (the file ends mid-stream)")
        rest = inflater.unused_data
        if rest and not is_gzip(rest):
            break  # trailing padding after the last member, as some tools write
    return bytes(out)


def decompress(item: Input, limit: int = MAX_DECOMPRESSED) -> Input:
    """The same input with gzip removed; unchanged when it is not gzip or is a WARC."""
    if not is_gzip(item.data) or looks_like_gzipped_warc(item.data):
        return item
    data = gunzip(item.data, origin=item.origin, limit=limit)
    return Input(origin=item.origin, data=data, content_type=None)


def unpacked(item: Input, fmt: str) -> Input | ItemError:
    """What a reader of ``fmt`` starts from: the input without gzip and within the
    format's size limit, or the reason it is not.

    Readers never raise for bad content, so a corrupt or oversized ``.gz`` becomes an
    ``ItemError``, and so does any input over the limit (see :mod:`.limits`).
    """
    limit = limit_for(fmt)
    if len(item.data) > limit:
        return ItemError(item.origin, over_limit_message(fmt, len(item.data), limit))
    try:
        plain = decompress(item, limit)
    except TooLarge:
        return ItemError(item.origin, over_limit_message(fmt, None, limit))
    except ReadFailure as exc:
        return ItemError(item.origin, str(exc).removeprefix(f"{item.origin}: "))
    return plain


def reads_unpacked(read: ReadMethod[R]) -> ReadMethod[R]:
    """For a reader's ``read``: the item arrives without gzip and within the reader's
    size limit; otherwise an ``ItemError`` says why and ``read`` never sees it."""

    @functools.wraps(read)
    def unpacking(self: R, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        plain = unpacked(item, self.name)
        if isinstance(plain, ItemError):
            yield plain
            return
        yield from read(self, plain, options)

    return unpacking


def looks_like_gzipped_warc(data: bytes) -> bool:
    """A ``.warc.gz`` starts with a gzip member whose content begins ``WARC/``."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        head = inflater.decompress(data[:4096], 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")
