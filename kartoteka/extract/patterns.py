"""Regular patterns: Telegram handles, hashtags, URLs and dates.

Countries are patterns too, but need a term index; they live in
:mod:`kartoteka.extract.countries`, dates in :mod:`kartoteka.extract.dates`;
both are re-exported here.
"""

from __future__ import annotations

import re

from kartoteka.extract.countries import Countries, find_countries
from kartoteka.extract.dates import find_dates
from kartoteka.extract.pipeline import Document, ExtractionResult, PatternMatch

__all__ = ["Countries", "Patterns", "find_countries", "find_dates", "find_handles",
           "find_hashtags", "find_urls"]

# Telegram usernames: 5-32 characters of a-z, 0-9 and _, starting with a
# letter and not ending with _.  Not part of an e-mail address or a domain.
# Each pattern starts with a literal character and looks behind only after
# it, so the regex engine jumps from one "@" (or "#", "t", "h") to the next.
_HANDLE = re.compile(
    r"@(?<![\w@./]@)([A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9])(?![\w@]|\.[A-Za-z])")
_T_ME = re.compile(r"(?:t|telegram)\.me/([A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9])(?!\w)")
_T_ME_SCHEMES = ("https://", "http://")
_WORD_OR_DOT = re.compile(r"[\w.]")
_T_ME_RESERVED = frozenset({"joinchat", "addstickers", "share", "proxy", "socks", "iv", "s"})
# A hashtag needs one letter (#1 is a number); not a URL fragment or an entity.
_HASHTAG = re.compile(r"#(?<![\w#&/]#)(?=\w*[^\W\d_])(\w{1,100})")
_URL = re.compile(r"[hHwW](?:(?i:ttps?://)|(?i:ww\.))[^\s<>\"«»]+")
_URL_TRAILING = ".,;:!?…'\"”’»)]}"


def _glued(text: str, start: int) -> bool:
    """Whether a word character or a dot comes right before ``start``."""
    return start > 0 and _WORD_OR_DOT.match(text, start - 1) is not None


def _t_me_links(text: str) -> list[PatternMatch]:
    """``t.me/name`` links, with their scheme; not inside a longer domain."""
    found = []
    scanned = 0  # the end of the last link: its characters are not reused
    m = _T_ME.search(text)
    while m is not None:
        start = m.start()
        for scheme in _T_ME_SCHEMES:
            if start - len(scheme) >= scanned and text.startswith(scheme, start - len(scheme)):
                if not _glued(text, start - len(scheme)):
                    start -= len(scheme)
                break
        if start == m.start() and _glued(text, start):
            m = _T_ME.search(text, m.start() + 1)  # a later link may overlap this one
            continue
        if m.group(1).lower() not in _T_ME_RESERVED:
            found.append(PatternMatch(start, m.end(), text[start:m.end()], "@" + m.group(1)))
        scanned = m.end()
        m = _T_ME.search(text, scanned)
    return found


def find_handles(text: str) -> list[PatternMatch]:
    """``@name`` handles and ``t.me/name`` links, as ``@name`` in the writer's case."""
    found = [PatternMatch(m.start(), m.end(), m.group(), "@" + m.group(1))
             for m in _HANDLE.finditer(text)]
    if ".me/" in text:
        found.extend(_t_me_links(text))
        found.sort(key=lambda p: p.start)
    return found


def find_hashtags(text: str) -> list[PatternMatch]:
    return [PatternMatch(m.start(), m.end(), m.group(), "#" + m.group(1))
            for m in _HASHTAG.finditer(text)]


def find_urls(text: str) -> list[PatternMatch]:
    """URLs without the punctuation that ends the sentence around them."""
    found = []
    for m in _URL.finditer(text):
        url = m.group()
        while url and url[-1] in _URL_TRAILING:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if len(url) > 4:
            value = url if "://" in url else "http://" + url
            found.append(PatternMatch(m.start(), m.start() + len(url), url, value))
    return found


class Patterns:
    """Handles, hashtags, URLs and dates; cheap, language-independent."""

    name = "patterns"
    produces = ("handles", "hashtags", "urls", "dates")

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        text = document.text
        handles, hashtags = find_handles(text), find_hashtags(text)
        urls, dates = find_urls(text), find_dates(text)
        result.handles, result.hashtags, result.urls, result.dates = (
            handles, hashtags, urls, dates)
