"""Every reader, by the name ``--format`` uses, and detection for ``auto``."""

from __future__ import annotations

from kartoteka.ingest.base import Input, Reader
from kartoteka.ingest.plaintext import MarkdownReader, TextReader

READERS: dict[str, Reader] = {
    "markdown": MarkdownReader(),
    "text": TextReader(),
}


def reader_for(name: str) -> Reader:
    try:
        return READERS[name]
    except KeyError:
        known = ", ".join(["auto", *READERS])
        raise ValueError(f"unknown format {name!r}: use one of {known}") from None


def detect_format(item: Input) -> str:
    """The first reader whose sniff accepts the bytes; plain text otherwise."""
    for name, reader in READERS.items():
        if name != "text" and reader.sniff(item):
            return name
    return "text"
