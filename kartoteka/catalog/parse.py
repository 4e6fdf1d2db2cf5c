"""Read a "Catalog of articles" post back into countries and entries.

Posts reach us copied out of Telegram or a web page: links stripped to a
stray ``(``, titles in any kind of quotes, author handles in parentheses,
fragments such as "part 1".  This module turns one post into structure and
reports every line it could not read, with its line number; cleaning a
single entry is the job of :mod:`kartoteka.catalog.entry_text`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kartoteka.catalog.countries import code_for_name, code_from_flag, country_name, flag_for
from kartoteka.catalog.entry_text import ParsedEntry, parse_entry, tidy_header

log = logging.getLogger(__name__)

__all__ = ["ParseError", "ParsedCatalog", "ParsedCountry", "ParsedEntry", "parse_catalog_post"]

# "Catalog of articles …", "Catalogue", "Каталог статей …", optionally bold or bulleted.
_HEADER = re.compile(r"^[\W_]*(?:catalog(?:ue)?|каталог)\b", re.IGNORECASE)
_FLAG = re.compile(r"[\U0001F1E6-\U0001F1FF]{2}")
# Bullets and decoration that may precede a country line.
_LEAD = r"[\s*•·▪▫◾◽►▶➤\-–—🔸🔹🔶🔷]*"
_FLAG_FIRST = re.compile(
    rf"^{_LEAD}(?P<flag>[\U0001F1E6-\U0001F1FF]{{2}})\ufe0f?[\s*_]*(?P<after>.*)$"
)
# A country name, then a colon or a spaced dash, then the entries.
_NAME_THEN_ENTRIES = re.compile(
    r"^[*_]*(?P<name>[^:|¦•]{0,60}?)[\s*_]*(?P<sep>:|\s[-–—]\s)\s*(?P<rest>.*)$"
)
_BULLETS = re.compile(rf"^{_LEAD}")
_NAME_WORDS = 5
# The link patterns rescan the rest of an entry from every "<a" or "[", so their
# time grows with the square of its length: 200 KB of them ran for minutes.
MAX_ENTRY_CHARS = 2000  # the longest country name we look for without a colon
_SEPARATOR = re.compile(r"[|¦•]")
# Emphasis around a country name; anchors stay, they carry entry links.
_FORMATTING = re.compile(
    r"</?(?:b|i|u|s|em|strong|span|p|br|div|code|tg-spoiler|blockquote)\b[^>]*>", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class ParseError:
    """A line after the catalog header that is neither blank nor a country line."""

    line: int
    text: str
    reason: str


@dataclass(slots=True)
class ParsedCountry:
    """``name`` is our English name for ``code``, whatever language the post used."""

    code: str
    name: str
    flag: str
    line: int
    entries: list[ParsedEntry] = field(default_factory=list)


@dataclass(slots=True)
class ParsedCatalog:
    title: str | None
    countries: list[ParsedCountry] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)


def parse_catalog_post(text: str) -> ParsedCatalog:
    """Countries and entries of a catalog post, in the post's order.

    Lines before the header ("Catalog of articles", "Каталог статей") are
    the article around the catalog and are ignored.  Without a header the
    catalog starts at the first country line.  Line numbers count from 1.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start, title = _find_start(lines)
    result = ParsedCatalog(title=title)
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip():
            continue
        try:
            _read_line(result, number, line)
        except Exception as exc:  # a case the parser does not know: that line fails
            log.exception("catalog line %d: unexpected %s", number, type(exc).__name__)
            result.errors.append(ParseError(
                number, line, f"could not be read ({type(exc).__name__}: {exc})"))
    return result


def _next_filled(lines: Sequence[str]) -> list[int | None]:
    """For each line, the index of the next non-blank line after it (None at the end).

    One pass from the end, so finding the line after every header stays
    linear however many header-like lines a post has.
    """
    found: list[int | None] = [None] * len(lines)
    after: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        found[index] = after
        if lines[index].strip():
            after = index
    return found


def _read_line(result: ParsedCatalog, number: int, line: str) -> None:
    country, rest = _country_line(line, number)
    if country is None:
        result.errors.append(ParseError(number, line, rest))
        return
    for segment in _SEPARATOR.split(rest):
        if len(segment) > MAX_ENTRY_CHARS:
            result.errors.append(ParseError(number, line[:200], (
                f"an entry of {len(segment)} characters; a catalog entry (title, author, "
                f"link) has at most {MAX_ENTRY_CHARS}")))
            continue
        entry, problem = parse_entry(segment)
        if entry is not None:
            country.entries.append(entry)
        elif problem:
            result.errors.append(ParseError(number, line, f"{problem}: {segment.strip()!r}"))
    result.countries.append(country)


def _find_start(lines: Sequence[str]) -> tuple[int, str | None]:
    """Index of the first catalog line, and the header's title if there is one.

    The article above a catalog may mention a "catalog" too, so a header
    followed by a country line wins over one that is not.
    """
    headers = [i for i, line in enumerate(lines) if _HEADER.match(_FORMATTING.sub("", line))]
    following = _next_filled(lines) if headers else []
    for index in headers:
        after = following[index]
        if after is not None and _country_line(lines[after], after + 1)[0] is not None:
            return index + 1, tidy_header(lines[index])
    if headers:
        return headers[0] + 1, tidy_header(lines[headers[0]])
    for index, line in enumerate(lines):
        if line.strip() and _country_line(line, index + 1)[0] is not None:
            return index, None
    return len(lines), None


def _country_line(line: str, number: int) -> tuple[ParsedCountry | None, str]:
    """The country a line starts with and the rest of the line, or why it is not one."""
    line = _FORMATTING.sub("", line)
    flagged = _FLAG_FIRST.match(line)
    if flagged:
        return _flag_line(flagged["flag"], flagged["after"], number)
    named = _NAME_THEN_ENTRIES.match(_BULLETS.sub("", line))
    if named:
        code = code_for_name(named["name"])
        if code is not None:
            return ParsedCountry(code, country_name(code), flag_for(code), number), named["rest"]
        return None, (
            f"{named['name'].strip()!r} is not a country name we know; "
            "start the line with a flag or an English country name"
        )
    if _FLAG.search(line):
        return None, "a flag that does not start the line; put the flag first"
    return None, "not a country line (expected 'flag Country: entry | entry')"


def _flag_line(flag: str, after: str, number: int) -> tuple[ParsedCountry | None, str]:
    """A line that starts with a flag; the flag decides the country when it can."""
    head = _NAME_THEN_ENTRIES.match(after)
    if head and (head["sep"] == ":" or code_for_name(head["name"])):
        name, rest = head["name"], head["rest"]
    else:
        name, rest = _leading_name(after)
    code = code_from_flag(flag) or code_for_name(name)
    if code is None:
        return None, (
            f"flag {flag} is not a known country and neither is {name.strip()!r}; "
            "use a country's flag or English name"
        )
    return ParsedCountry(code, country_name(code), flag_for(code), number), rest


def _leading_name(text: str) -> tuple[str, str]:
    """Split "India “Jamaat Tablig” | …" into a known country name and the rest."""
    words = text.split()
    for size in range(min(_NAME_WORDS, len(words)), 0, -1):
        name = " ".join(words[:size]).strip("*_")
        if code_for_name(name):
            return name, " ".join(words[size:])
    return "", text
