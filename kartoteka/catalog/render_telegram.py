"""The catalog as messages for Telegram's HTML parse mode.

Telegram accepts only a few tags and at most 4096 characters of visible
text per message (counted after entity parsing, in UTF-16 code units, which
is never fewer than code points).  Messages break between countries; a
country too long for one message breaks between entries and repeats its
heading.  Each line is built whole, so a tag is never split.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kartoteka.catalog.links import linkable_url
from kartoteka.catalog.model import Catalog, CatalogCountry, CatalogEntry

MESSAGE_LIMIT = 4096
TITLE = "Catalog of articles"
# Caps on one entry's visible parts, so any entry fits in a message with its
# country heading whatever an imported post contains.
_TITLE_CAP = 1000
_AUTHORS_CAP = 500
_ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a message: its markup and the text Telegram will show."""

    markup: str
    visible: str


_BLANK = _Line("", "")


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def telegram_messages(catalog: Catalog, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The catalog as HTML-mode messages, each within ``limit`` visible characters."""
    messages: list[list[_Line]] = []
    for index, country in enumerate(catalog.countries):
        head = [_bold(TITLE), _BLANK] if index == 0 else []
        head.append(_heading(country))
        entries = [_entry(entry) for entry in country.entries]
        block = head + entries
        if messages and _length([*messages[-1], _BLANK, *block]) <= limit:
            messages[-1] += [_BLANK, *block]
        elif _length(block) <= limit:
            messages.append(block)
        else:
            messages.extend(_split_country(head, entries, _heading(country, True), limit))
    return ["\n".join(line.markup for line in lines) for lines in messages]


def _split_country(
    head: list[_Line], entries: list[_Line], continued: _Line, limit: int
) -> list[list[_Line]]:
    """Break one long country between entries, repeating its heading."""
    chunks: list[list[_Line]] = [head]
    for line in entries:
        if _length([*chunks[-1], line]) > limit:
            chunks.append([continued])
        chunks[-1].append(line)
    return chunks


def _length(lines: list[_Line]) -> int:
    return utf16_length("\n".join(line.visible for line in lines))


def _bold(text: str) -> _Line:
    return _Line(f"<b>{escape(text, quote=False)}</b>", text)


def _heading(country: CatalogCountry, continued: bool = False) -> _Line:
    text = f"{country.flag} {country.name}".strip()
    return _bold(f"{text} (continued)" if continued else text)


def _entry(entry: CatalogEntry) -> _Line:
    title = _cap(entry.title, _TITLE_CAP)
    markup = escape(title, quote=False)
    url = linkable_url(entry.url)
    if url:
        markup = f'<a href="{escape(url, quote=True)}">{markup}</a>'
    visible = f"• {title}"
    markup = f"• {markup}"
    if entry.authors:
        authors = _cap(", ".join(entry.authors), _AUTHORS_CAP)
        visible += f" — {authors}"
        markup += f" — {escape(authors, quote=False)}"
    return _Line(markup, visible)


def _cap(text: str, cap: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= cap else text[: cap - 1] + _ELLIPSIS
