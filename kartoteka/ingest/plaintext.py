"""Plain text and Markdown files.

The title is the first Markdown heading, or else the first non-empty line;
the body is the rest.  A first line that reads as a paragraph rather than a
headline (long, or more than one sentence) stays in the body, and the title
is its opening words: text pasted from a message or a report often has no
headline, and dropping its first paragraph would lose what extraction and
search must see.  A front-matter ``title`` never costs the body a line.

A Markdown file may open with a front-matter block of
``key: value`` lines between ``---`` fences (``author``, ``author_name``,
``author_kind``, ``date``, ``countries``, ``language``, ``url``, ``title``),
which is how the bundled sample articles carry their metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt

from kartoteka.ingest.base import Input, ItemError, ReadItem, ReadOptions
from kartoteka.ingest.compression import reads_unpacked
from kartoteka.ingest.fields import hashtags_in, parse_datetime, urls_in
from kartoteka.ingest.guard import never_raises
from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.text.encoding import UndecodableError, decode
from kartoteka.text.normalize import clean_text

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FRONT_KEY = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*)$")
MAX_BRACKETS = 5000
MAX_PARSED_CHARS = 100_000
_AUTHOR_KINDS = tuple(kind.value for kind in AuthorKind)
_MARKDOWN_SIGNS = re.compile(r"^(#{1,6} |\s*[-*+] |\s*\d+\. |> |```)|\[[^\]]+\]\([^)]+\)", re.M)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return meta, "\n".join(lines[index + 1 :])
        match = _FRONT_KEY.match(line)
        if not match:
            return {}, text  # not front matter after all: keep the text whole
        meta[match.group(1).lower()] = match.group(2).strip()
    return {}, text


def split_title(text: str, title: str | None = None) -> tuple[str, str]:
    """First heading (ATX or setext) or headline-like first line as the title; the rest as body.

    With ``title`` given (front matter), only a heading that repeats it is
    taken out of the body.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        found, rest = None, index + 1
        if heading:
            found = heading.group(1).strip()
        elif index + 1 < len(lines) and lines[index + 1].strip() and _SETEXT.match(
                lines[index + 1]):
            found, rest = line.strip(), index + 2
        elif title is None and _headline(line.strip()):
            found = line.strip()
        if found is None or (title is not None and found.casefold() != title.casefold()):
            body = "\n".join(lines[index:]).strip("\n")
            return title if title is not None else opening_words(body), body
        return title if title is not None else found, "\n".join(lines[rest:]).strip("\n")
    return title or "", ""


MAX_HEADLINE_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?…»\"”)]\s+[A-ZА-ЯЁ«\"“]")


def _headline(line: str) -> bool:
    """Short, one sentence: what a headline looks like (a paragraph is neither)."""
    return len(line) <= MAX_HEADLINE_CHARS and not _SENTENCE_END.search(line)


def opening_words(text: str, limit: int = 100) -> str:
    """A title made of the text's first words, cut at a word and marked with '…'."""
    first = " ".join(text.split("\n", 1)[0].split())
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0] or first[:limit]
    return cut.rstrip(",;:–- ") + "…"


def markdown_links(text: str) -> list[str]:
    """Link targets as Markdown renders them.

    markdown-it's time grows faster than its input on hostile text (200,000
    unclosed ``[`` took a minute, 250 KB of ``{"a":`` after one ``[`` 20 s), so a
    text longer than ``MAX_PARSED_CHARS`` or with more than ``MAX_BRACKETS`` is
    not parsed; its ``http`` links are still found as plain URLs by ``urls_in``.
    """
    if len(text) > MAX_PARSED_CHARS or text.count("[") > MAX_BRACKETS:
        return []
    links: list[str] = []
    for token in MarkdownIt().parse(text):
        for child in token.children or []:
            href = child.attrGet("href")
            if child.type == "link_open" and isinstance(href, str) and href.startswith("http"):
                links.append(href)
    return links


def _draft_from_text(item: Input, text: str, options: ReadOptions, markdown: bool) -> ReadItem:
    meta, text = split_front_matter(text) if markdown else ({}, text)
    title, body = split_title(text, meta.get("title") or None)
    if not title and not body:
        return ItemError(item.origin, "empty file: no title and no text")
    author = None
    if meta.get("author"):
        kind = meta.get("author_kind", "channel" if meta["author"].startswith("@") else "person")
        if kind not in _AUTHOR_KINDS:
            return ItemError(item.origin, f"front matter: 'author_kind' must be one of "
                             f"{', '.join(_AUTHOR_KINDS)}, not {kind!r}")
        author = Author(meta["author"], meta.get("author_name", ""), AuthorKind(kind))
    countries = [c.strip().lower() for c in meta.get("countries", "").split(",") if c.strip()]
    links = urls_in(text) + (markdown_links(text) if markdown else [])
    return ArticleDraft(
        title=title,
        body=body,
        source=item.origin,
        source_key=meta.get("url") or item.origin,
        language=meta.get("language") or None,
        author=author,
        published_at=parse_datetime(meta["date"]) if meta.get("date") else None,
        countries=countries,
        hashtags=hashtags_in(f"{title}\n{body}"),
        links=list(dict.fromkeys(links)),
        url=meta.get("url") or None,
    )


class TextReader:
    """Plain text: the first non-empty line is the title."""

    name = "text"
    markdown = False

    def sniff(self, item: Input) -> bool:
        return item.origin.lower().removesuffix(".gz").endswith((".txt", ".text"))

    @never_raises
    @reads_unpacked
    def read(self, item: Input, options: ReadOptions) -> Iterator[ReadItem]:
        try:
            text = clean_text(decode(item.data))
        except UndecodableError as exc:
            yield ItemError(item.origin, str(exc))
            return
        yield _draft_from_text(item, text, options, self.markdown)


class MarkdownReader(TextReader):
    """Markdown: the first heading is the title; front matter carries metadata."""

    name = "markdown"
    markdown = True

    def sniff(self, item: Input) -> bool:
        if item.origin.lower().removesuffix(".gz").endswith((".md", ".markdown")):
            return True
        head = item.data[:4096].decode("utf-8", "ignore")
        return head.startswith("---\n") or len(_MARKDOWN_SIGNS.findall(head)) >= 2
