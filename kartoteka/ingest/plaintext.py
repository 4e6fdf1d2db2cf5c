"""PLACEHOLDER on the ``readers`` branch only: the lead's plaintext.py replaces it on merge.

It exists so that ``formats.READERS`` can name every ``--format`` and the
readers' tests run before the text/Markdown reader lands on main.
"""

from __future__ import annotations

from collections.abc import Iterator

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.compression import unpacked
from kartoteka.ingest.fields import countries
from kartoteka.model import ArticleDraft
from kartoteka.text.encoding import UndecodableError, decode
from kartoteka.text.normalize import clean_text


class TextReader:
    """A plain text file: the first line is the title, the rest the body."""

    name = "text"

    def sniff(self, item: Input) -> bool:
        return True

    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        plain = unpacked(item)
        if isinstance(plain, ItemError):
            yield plain
            return
        item = plain
        try:
            text = clean_text(decode(item.data))
        except UndecodableError as exc:
            yield ItemError(item.origin, str(exc))
            return
        if not text.strip():
            yield ItemError(item.origin, "empty file")
            return
        title, _, body = text.strip().partition("\n")
        yield ArticleDraft(title=title.lstrip("# ").strip(), body=body.strip() or title,
                           source=item.origin, source_key=item.origin, author=options.author,
                           countries=countries(options))


class MarkdownReader(TextReader):
    """A Markdown file, read like text (the placeholder does not render Markdown)."""

    name = "markdown"
