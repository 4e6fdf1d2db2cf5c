"""Which reader fits an input, judged by its content first and its name last.

Signatures in the bytes are the strongest evidence: each reader named in
``SNIFFED`` is asked in turn (its ``Reader.sniff``: ``WARC/``, an RSS root,
a Telegram export's keys).  Then a server's Content-Type, then the file
extension.  What is none of these is text, or Markdown when it has
Markdown's marks.  Gzip is looked through.  A new format with a signature
adds its reader to ``formats.READERS`` and its name to ``SNIFFED`` here.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from kartoteka.ingest.base import Input, ReadFailure
from kartoteka.ingest.compression import decompress
from kartoteka.ingest.fields import split_url
from kartoteka.ingest.formats import READERS
from kartoteka.ingest.limits import input_limits

#: The readers whose ``sniff`` is asked, in this order.  Binary documents first:
#: their signatures are exact, and a PDF may hold text that looks like another
#: format.  Text and Markdown have no signature: they are what is left.
SNIFFED = ("pdf", "docx", "odt", "image", "warc", "telegram", "feed", "jsonl", "html")
_BY_CONTENT_TYPE = (("html", ("text/html", "application/xhtml")),
                    ("feed", ("application/rss", "application/atom", "application/rdf",
                              "application/feed+json", "text/xml", "application/xml")),
                    ("jsonl", ("application/jsonl", "application/x-ndjson",
                               "application/x-jsonlines")),
                    ("warc", ("application/warc",)),
                    ("markdown", ("text/markdown",)),
                    ("pdf", ("application/pdf",)),
                    ("image", ("image/png", "image/jpeg", "image/tiff")))
_BY_EXTENSION = {".html": "html", ".htm": "html", ".xhtml": "html", ".rss": "feed",
                 ".atom": "feed", ".xml": "feed", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".warc": "warc", ".json": "telegram", ".md": "markdown",
                 ".markdown": "markdown", ".txt": "text", ".pdf": "pdf", ".docx": "docx",
                 ".odt": "odt", ".png": "image", ".jpg": "image", ".jpeg": "image",
                 ".tif": "image", ".tiff": "image"}
_MARKDOWN = re.compile(r"^(#{1,6} \S|```|\s{0,3}[-*+] \S|\s{0,3}\d+\. \S|> )|\[[^\]]+\]\([^)]+\)",
                       re.MULTILINE)
_HTML_TAG = re.compile(rb"<(p|div|article|section|h[1-6]|span|a|br|table)\b[^>]*>", re.IGNORECASE)


def detect_format(item: Input) -> str:
    """One of: text, markdown, html, telegram, feed, warc, jsonl, pdf, docx, odt, image.

    Never raises: gzip that cannot be unpacked here is judged by its name, and
    the chosen reader reports why it cannot be read.
    """
    if READERS["warc"].sniff(item):  # gzipped record by record: not unpacked whole
        return "warc"
    try:
        plain = decompress(item, max(input_limits().values()))
    except ReadFailure:
        plain = item
    for name in SNIFFED:
        if READERS[name].sniff(plain):
            return name
    declared = (item.content_type or "").lower()
    for name, prefixes in _BY_CONTENT_TYPE:
        if declared.startswith(prefixes):
            return name
    suffix = _suffix(item.origin)
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if len(_HTML_TAG.findall(plain.data[:8192])) >= 2:
        return "html"  # a fragment without <html>, such as a saved article body
    return "markdown" if _looks_like_markdown(plain.data) else "text"


def _suffix(origin: str) -> str:
    """The extension that names the content: ``.json`` for ``result.json.gz``."""
    parts = split_url(origin) if "://" in origin else None
    path = parts.path if parts else origin
    suffixes = [s.lower() for s in PurePosixPath(path.replace("\\", "/")).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _looks_like_markdown(data: bytes) -> bool:
    sample = data[:16384].decode("utf-8", errors="replace")
    return len(_MARKDOWN.findall(sample)) >= 2
