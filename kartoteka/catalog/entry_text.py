"""Clean one catalog entry: title, author handles, fragment and link.

An entry is what sits between two separators on a country line, e.g.
``“Hayat Tahrir al-Sham, part 1 ( dzhulyani) »``.  The clean title drops
every quotation mark (typographic or straight; an apostrophe between two
letters stays), stray brackets left where links were stripped, leftover link
slugs such as ``( dzhulyani)`` (an opening bracket, a space, one lower-case
word), and punctuation at either end.  A trailing "part 1" / "ч. 2" becomes
the fragment.  Handles (``@name``) become authors.  The first URL (an HTML
anchor, a Markdown link or a bare URL) that is plainly http(s) becomes the
link; ``javascript:`` and the like are dropped here, not only at render time.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from kartoteka.catalog.links import linkable_url
from kartoteka.text.normalize import collapse_spaces


@dataclass(slots=True)
class ParsedEntry:
    """``raw`` is the entry as it stood in the post, for review and re-parsing."""

    title: str
    authors: list[str] = field(default_factory=list)
    fragment: str | None = None
    url: str | None = None
    raw: str = ""


# An HTML anchor, a Markdown link or a bare URL, in one pass so "first" is by position.
# The anchor's URL stops at any quote or bracket: with ".*?" there, every further
# quote was tried as its end, and 2,000 characters of '<a href="' took seconds.
_LINK = re.compile(
    r"""<a\s[^>]*?href\s*=\s*(?P<q>["'])(?P<anchor_url>[^"'<>]*)(?P=q)[^>]*>(?P<anchor_text>.*?)</a\s*>"""
    r"|\[(?P<md_text>[^\]]*)\]\((?P<md_url>(?:[^()\s]|\([^()\s]*\))+)\)"
    r"""|(?P<bare>(?:https?://|(?<![\w.@])(?:t\.me|www\.))[^\s<>()"“”«»]+)""",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"<[^>]{0,200}>")
_HANDLE = r"@[A-Za-z][A-Za-z0-9_]{2,31}"
_BY = r"(?:by|from|от|автор(?:а|ы|ов)?:?)"
_HANDLES_IN_BRACKETS = re.compile(
    rf"\(\s*(?:{_BY}\s+)?{_HANDLE}(?:\s*(?:,|;|&|\band\b|\bи\b)?\s*{_HANDLE})*\s*\)", re.IGNORECASE
)
_HANDLE_WITH_BY = re.compile(rf"(?:(?<!\w){_BY}\s+)?(?<![\w.@/])({_HANDLE})\b", re.IGNORECASE)
_LINK_SLUG = re.compile(r"\(\s+[a-z0-9][a-z0-9_-]*\s*\)")
_FRAGMENT = re.compile(
    r"(?:^|[\s,;:.(\-–—]+)(?P<fragment>"
    r"(?:part|pt\.|chapter|ch\.|часть|ч\.|глава|гл\.)\s*(?:\d+|[ivxlc]+)\b"
    r"|\d+(?:-?я)?\s+часть)"
    r"[\s).]*$",
    re.IGNORECASE,
)
_DOUBLE_QUOTES = str.maketrans("", "", '“”„‟«»"″〝〞')
_SINGLE_QUOTE = re.compile(r"(?<!\w)[‘’‚‛']|[‘’‚‛'](?!\w)")
_SPACE_BEFORE_CLOSING = re.compile(r"\s+([”»’),.;:!?])")
_SPACE_AFTER_OPENING = re.compile(r"([“«„(])\s+")
# Kept at the ends of a title although they are punctuation.
_EDGE_KEEP = frozenset("()!?&#%$")


def parse_entry(segment: str) -> tuple[ParsedEntry | None, str | None]:
    """The entry in ``segment``, or ``None`` and why (``None`` if it is just noise)."""
    raw = segment.strip()
    text, url = _take_link(raw)
    text = html.unescape(_TAG.sub(" ", text))
    authors: list[str] = []
    text = _HANDLES_IN_BRACKETS.sub(lambda m: _collect(m[0], authors), text)
    text = _HANDLE_WITH_BY.sub(lambda m: _collect(m[1], authors), text)
    text = _LINK_SLUG.sub(" ", text)
    text = _SINGLE_QUOTE.sub(" ", text.translate(_DOUBLE_QUOTES))
    text = _trim(drop_unpaired_brackets(text))
    fragment = None
    found = _FRAGMENT.search(text)
    if found and found.start() > 0:
        fragment = collapse_spaces(found["fragment"])
        text = _trim(text[: found.start()])
    if not text:
        if authors or url or fragment:
            return None, "an entry without a title"
        return None, None
    return ParsedEntry(title=text, authors=authors, fragment=fragment, url=url, raw=raw), None


def tidy_header(line: str) -> str | None:
    """The catalog's title as written, without stray brackets and the final colon."""
    text = html.unescape(_TAG.sub(" ", line))
    text = _trim(drop_unpaired_brackets(text))
    return text or None


def drop_unpaired_brackets(text: str) -> str:
    """Remove ``(`` and ``)`` with no partner, and pairs with nothing inside."""
    keep = [True] * len(text)
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            opened.append(index)
        elif char == ")":
            if not opened:
                keep[index] = False
                continue
            start = opened.pop()
            if not text[start + 1 : index].strip():
                keep[start] = keep[index] = False
    for index in opened:
        keep[index] = False
    return "".join(char for char, kept in zip(text, keep, strict=True) if kept)


def _take_link(text: str) -> tuple[str, str | None]:
    """Replace links by their text; return the text and the first http(s) URL."""
    urls: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match["anchor_url"] is not None:
            urls.append(html.unescape(match["anchor_url"]).strip())
            return match["anchor_text"]
        if match["md_url"] is not None:
            urls.append(match["md_url"])
            return match["md_text"]
        urls.append(match["bare"].rstrip(".,;:!?»”’"))
        return " "

    text = _LINK.sub(replace, text)
    for url in urls:
        if re.match(r"(?:t\.me|www\.)", url, re.IGNORECASE):
            url = "https://" + url
        if linkable_url(url):
            return text, url
    return text, None


def _collect(found: str, authors: list[str]) -> str:
    for handle in re.findall(_HANDLE, found):
        if handle not in authors:
            authors.append(handle)
    return " "


def _trim(text: str) -> str:
    """Single spaces, no space inside quotes or brackets, no punctuation at the ends."""
    text = collapse_spaces(text)
    text = _SPACE_BEFORE_CLOSING.sub(r"\1", _SPACE_AFTER_OPENING.sub(r"\1", text))
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start], at_end=False):
        start += 1
    while end > start and _is_edge_noise(text[end - 1], at_end=True):
        end -= 1
    trimmed = text[start:end]
    # Trimming can expose brackets whose partner was cut off; tidy once more.
    again = drop_unpaired_brackets(trimmed)
    return again.strip() if again == trimmed else _trim(again)


def _is_edge_noise(char: str, at_end: bool) -> bool:
    if char.isspace():
        return True
    if char in _EDGE_KEEP:
        return False
    if char in ("”»’" if at_end else "“«„"):  # quotes around a quoted word stay
        return False
    return unicodedata.category(char)[0] in "PSZ" or unicodedata.category(char) == "Cf"
