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
from functools import partial
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions, Skipped
from kartoteka.ingest.compression import looks_like_gzipped_warc
from kartoteka.ingest.fields import parse_datetime
from kartoteka.ingest.guard import guarded, never_raises
from kartoteka.ingest.html import extract_page, page_draft
from kartoteka.ingest.limits import limit_for, over_limit_message

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# warcio meets a cut or damaged file with any of these, depending on where it breaks.
# A Content-Length beyond any real file (10**30) is an OverflowError.
_CORRUPT = (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError, zlib.error,
            OverflowError)


def looks_like_warc(data: bytes) -> bool:
    return data.startswith(b"WARC/") or looks_like_gzipped_warc(data)


class WarcReader:
    """WARC and ``.warc.gz`` files, as written by crawlers and web archivers.

    warcio streams records, so the whole archive is never parsed at once; each
    page is held on its own, within the HTML size limit.
    """

    name = "warc"

    def sniff(self, item: Input) -> bool:
        return looks_like_warc(item.data)

    @never_raises
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        if not looks_like_warc(item.data):
            yield ItemError(item.origin, "not a WARC file (it does not start with a "
                            "'WARC/' record header)")
            return
        limit = limit_for(self.name)
        if len(item.data) > limit:
            yield ItemError(item.origin, over_limit_message(self.name, len(item.data), limit))
            return
        page_limit = limit_for("html")
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
            result = guarded(item.origin, f"record {number}",
                             partial(self._read_record, item.origin, number, record, options,
                                     page_limit))
            if result is not None:
                yield result

    def _read_record(self, origin: str, number: int, record: Any, options: ReadOptions,
                     page_limit: int) -> ReadItem | None:
        headers = record.rec_headers
        if record.rec_type != "response":
            return None  # requests, metadata and warcinfo records are not documents
        uri = headers.get_header("WARC-Target-URI") or f"{origin}#record-{number}"
        http = record.http_headers
        content_type = (http.get_header("Content-Type") if http else "") or ""
        status = http.get_statuscode() if http else ""
        if not content_type.lower().startswith(_HTML_TYPES):
            kind = content_type or "no content type"
            return Skipped(origin, f"record {number} ({uri}): not HTML ({kind})")
        if status and status != "200":
            return Skipped(origin, f"record {number} ({uri}): HTTP status {status}")
        try:
            body = record.content_stream().read(page_limit + 1)
        except _CORRUPT as exc:
            return ItemError(origin, _corrupt(number, exc))
        if len(body) > page_limit:
            return ItemError(origin, f"record {number} ({uri}): page "
                             + over_limit_message("html", None, page_limit))
        page = extract_page(body, url=uri)
        if page is None:
            return ItemError(origin, f"record {number} ({uri}): no extractable text in this "
                             "HTML page; nothing to ingest")
        fetched_at = parse_datetime(headers.get_header("WARC-Date"))
        return page_draft(page, source=origin, options=options, fetched_at=fetched_at)


def _corrupt(number: int, exc: BaseException) -> str:
    return (f"record {number}: unreadable WARC data ({type(exc).__name__}: {exc}); "
            "the file may be truncated — records before it were read")
