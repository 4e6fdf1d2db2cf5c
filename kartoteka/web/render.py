"""Turning stored text into HTML that cannot run anything.

Everything a user or a source wrote (titles, bodies, names, handles, URLs)
reaches a page either through Jinja's autoescaping or through the functions
here, which escape first and build markup around the escaped text.  The
result is passed through nh3 as a second, independent check: if a bug here
ever let a tag through, the sanitiser would still drop it.  Only http(s)
URLs ever become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlsplit

import nh3
from markupsafe import Markup

from kartoteka.services.revisions import Change, DiffPiece

LINK_SCHEMES = frozenset({"http", "https"})
_LINK_REL = "nofollow noopener noreferrer"
_BODY_TAGS = {"p", "br", "a", "mark", "h3"}
_BODY_ATTRIBUTES = {"a": {"href", "class", "title", "rel"}, "mark": {"class", "title"}}
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
_HEADING = re.compile(r"#{1,6}[ \t]+")
# A Markdown link whose target is http(s), or a bare http(s) URL.
_LINKS = re.compile(
    r"\[(?P<text>[^\[\]\n]{1,500})\]\((?P<target>https?://[^\s()<>]+)\)"
    r"|(?P<bare>https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?])",
    re.IGNORECASE,
)
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$", re.IGNORECASE)


def safe_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host; otherwise None."""
    if not value:
        return None
    url = value.strip()
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return None
    return url


def path_segment(value: str) -> str:
    """``value`` quoted for use as one segment of a path in our own URLs."""
    return quote(value, safe="@")


def lang_attr(code: str | None) -> str:
    """A language code fit for a ``lang`` attribute, or "" when there is none."""
    return code if code and _LANGUAGE.match(code) else ""


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """A stretch of an article's body (or title) to highlight, by character offsets.

    ``href`` is where it links (an entity page); None highlights without a link.
    """

    start: int
    end: int
    href: str | None = None
    title: str = ""


def sanitise(html: str, tags: Iterable[str] = _BODY_TAGS) -> Markup:
    """Keep only the given tags and our attributes; links only to http(s) or our pages."""
    cleaned = nh3.clean(
        html,
        tags=set(tags),
        attributes=_BODY_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return Markup(cleaned)


def snippet(html: str) -> Markup:
    """A search snippet: escaped text with <mark>; nothing else survives."""
    return Markup(nh3.clean(html, tags={"mark"}, attributes={}))


def _non_overlapping(spans: Sequence[MarkedSpan], start: int, end: int) -> list[MarkedSpan]:
    chosen: list[MarkedSpan] = []
    last = start
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        s, e = max(span.start, start), min(span.end, end)
        if s >= e or s < last:
            continue
        chosen.append(MarkedSpan(s, e, span.href, span.title))
        last = e
    return chosen


def _text(body: str, start: int, end: int) -> str:
    return escape(body[start:end], quote=False).replace("\n", "<br>\n")


def _link(target: str, text: str) -> str:
    return f'<a href="{escape(target)}" rel="{_LINK_REL}">{escape(text, quote=False)}</a>'


def _inline(body: str, start: int, end: int, marks: Sequence[MarkedSpan]) -> str:
    """One paragraph: marks first, then links in the stretches between them."""
    out: list[str] = []
    position = start
    for mark in [*_non_overlapping(marks, start, end), MarkedSpan(end, end)]:
        for link in _LINKS.finditer(body, position, mark.start):
            out.append(_text(body, position, link.start()))
            if link.group("bare"):
                out.append(_link(link.group("bare"), link.group("bare")))
            else:
                out.append(_link(link.group("target"), link.group("text")))
            position = link.end()
        out.append(_text(body, position, mark.start))
        if mark.end > mark.start:
            inner = _text(body, mark.start, mark.end)
            title = f' title="{escape(mark.title)}"' if mark.title else ""
            if mark.href:
                out.append(f'<a class="mention" href="{escape(mark.href)}"{title}>{inner}</a>')
            else:
                out.append(f'<mark class="mention"{title}>{inner}</mark>')
        position = mark.end
    return "".join(out)


def title_html(title: str, marks: Sequence[MarkedSpan] = ()) -> Markup:
    """An article's title, escaped, with the mentions extraction found in it
    marked; offsets in ``marks`` index the title as stored."""
    return sanitise(_inline(title, 0, len(title), marks))


def body_html(
    body: str, marks: Sequence[MarkedSpan] = (), pages: Sequence[object] = ()
) -> Markup:
    """Paragraphs of escaped text with mentions marked and http(s) URLs linked.

    Offsets in ``marks`` index ``body`` exactly as stored, so spans found by
    extraction land on the right words.  ``pages`` are a document's page
    markers (``extra["pages"]``): each page starts with a "page N" mark whose
    anchor (``#page-N``) a citation can link to.
    """
    starts = _page_starts(pages)
    chunks: list[tuple[int | None, list[str]]] = [(None, [])]
    for paragraph in _PARAGRAPH.finditer(body):
        start, end = paragraph.span()
        while start < end and body[start].isspace():
            start += 1
        if start >= end:
            continue
        while starts and starts[0][0] <= start:
            chunks.append((starts.pop(0)[1], []))
        heading = _HEADING.match(body, start, end)
        if heading and "\n" not in body[start:end]:
            chunks[-1][1].append(f"<h3>{_inline(body, heading.end(), end, marks)}</h3>")
        else:
            chunks[-1][1].append(f"<p>{_inline(body, start, end, marks)}</p>")
    out = Markup("")
    for number, blocks in chunks:
        if number is not None:
            out += Markup('<p class="page-mark" id="page-{0}">page {0}</p>\n').format(number)
        if blocks:
            out += sanitise("\n".join(blocks)) + Markup("\n")
    return Markup(out.rstrip("\n"))


def _page_starts(pages: Sequence[object]) -> list[tuple[int, int]]:
    """(offset, page number) of each page, in body order; anything malformed is skipped."""
    starts = []
    for marker in pages:
        if isinstance(marker, dict):
            offset, number = marker.get("offset"), marker.get("page")
            if isinstance(offset, int) and isinstance(number, int):
                starts.append((offset, number))
    return sorted(starts)


def diff_html(pieces: Sequence[DiffPiece]) -> Markup:
    """A word diff as escaped text with <ins> and <del>; newlines kept as breaks."""
    tags = {Change.ADDED: "ins", Change.REMOVED: "del"}
    out: list[str] = []
    for piece in pieces:
        text = escape(piece.text, quote=False).replace("\n", "<br>\n")
        tag = tags.get(piece.change)
        out.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return Markup(nh3.clean("".join(out), tags={"ins", "del", "br"}, attributes={}))
