"""WARC archives: every HTML ``response`` record is read as an HTML page.

The record's ``WARC-Target-URI`` is the page's address (unless the page
names a canonical one) and ``WARC-Date``, the moment it was fetched, is kept
as ``extra["fetched_at"]``; it is not a publication date, so it does not
replace the one the page states.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions, Skipped
from kartoteka.ingest.compression import looks_like_gzipped_warc
from kartoteka.ingest.fields import parse_datetime
from kartoteka.ingest.html import extract_page, page_draft

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# warcio meets a cut or damaged file with any of these, depending on where it breaks.
_CORRUPT = (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError, zlib.error)


def looks_like_warc(data: bytes) -> bool:
    return data.startswith(b"WARC/") or looks_like_gzipped_warc(data)


class WarcReader:
    """WARC and ``.warc.gz`` files, as written by crawlers and web archivers."""

    name = "warc"

    def sniff(self, item: Input) -> bool:
        return looks_like_warc(item.data)

    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        if not looks_like_warc(item.data):
            yield ItemError(item.origin, "not a WARC file (it does not start with a "
                            "'WARC/' record header)")
            return
        records = iter(ArchiveIterator(io.BytesIO(item.data), arc2warc=True))
        number = 0
        while True:
            number += 1
            try:
                record = next(records)
            except StopIteration:
                return
            except _CORRUPT as exc:
                yield ItemError(item.origin, _corrupt(number, exc))
                return
            yield from self._read_record(item.origin, number, record, options)

    def _read_record(self, origin: str, number: int, record: Any,
                     options: ReadOptions) -> Iterator[ReadItem]:
        headers = record.rec_headers
        if record.rec_type != "response":
            return  # requests, metadata and warcinfo records are not documents
        uri = headers.get_header("WARC-Target-URI") or f"{origin}#record-{number}"
        http = record.http_headers
        content_type = (http.get_header("Content-Type") if http else "") or ""
        status = http.get_statuscode() if http else ""
        if not content_type.lower().startswith(_HTML_TYPES):
            kind = content_type or "no content type"
            yield Skipped(origin, f"record {number} ({uri}): not HTML ({kind})")
            return
        if status and status != "200":
            yield Skipped(origin, f"record {number} ({uri}): HTTP status {status}")
            return
        try:
            body = record.content_stream().read()
        except _CORRUPT as exc:
            yield ItemError(origin, _corrupt(number, exc))
            return
        page = extract_page(body, url=uri)
        if page is None:
            yield ItemError(origin, f"record {number} ({uri}): no extractable text in this "
                            "HTML page; nothing to ingest")
            return
        fetched_at = parse_datetime(headers.get_header("WARC-Date"))
        yield page_draft(page, source=origin, options=options, fetched_at=fetched_at)


def _corrupt(number: int, exc: BaseException) -> str:
    return (f"record {number}: unreadable WARC data ({type(exc).__name__}: {exc}); "
            "the file may be truncated — records before it were read")
