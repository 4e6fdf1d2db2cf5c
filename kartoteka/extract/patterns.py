"""Regular patterns: Telegram handles, hashtags, URLs and dates.

Countries are patterns too, but need a term index; they live in
:mod:`kartoteka.extract.countries` and are re-exported here.
"""

from __future__ import annotations

import re
from datetime import date

from kartoteka.extract.countries import Countries, find_countries
from kartoteka.extract.pipeline import Document, ExtractionResult, PatternMatch

__all__ = ["Countries", "Patterns", "find_countries", "find_dates", "find_handles",
           "find_hashtags", "find_urls"]

# Telegram usernames: 5-32 characters of a-z, 0-9 and _, starting with a
# letter and not ending with _.  Not part of an e-mail address or a domain.
_HANDLE = re.compile(
    r"(?<![\w@./])@([A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9])(?![\w@]|\.[A-Za-z])")
_T_ME = re.compile(
    r"(?<![\w.])(?:https?://)?(?:t\.me|telegram\.me)/([A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9])"
    r"(?![\w])")
_T_ME_RESERVED = frozenset({"joinchat", "addstickers", "share", "proxy", "socks", "iv", "s"})
# A hashtag needs one letter (#1 is a number); not a URL fragment or an entity.
_HASHTAG = re.compile(r"(?<![\w#&/])#(?=\w*[^\W\d_])(\w{1,100})")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?…'\"”’»)]}"

_EN_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
                   "сентябр", "октябр", "ноябр", "декабр")
_EN_MONTH = r"(?P<month>" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\.?"
_RU_MONTH = r"(?P<month>(?:январ|феврал|апрел|сентябр|октябр|ноябр|декабр)[ьяею]|мая|мае|май" \
            r"|март[аеу]?|июн[ьяе]|июл[ьяе]|август[аеу]?)"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_YEAR_ANYWHERE = re.compile(r"\d{4}")
# A cheap filter: a date's year follows one of these within 40 characters.
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                   "nov", "dec", "янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг",
                   "сен", "окт", "ноя", "дек")
# Most specific first: a day-month-year date is not also a month-year one.
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?!\d)",
    rf"\b{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{_EN_MONTH}\s*,?\s+{_YEAR}\b",
    rf"\b{_EN_MONTH}\s+{_DAY}(?:st|nd|rd|th)?\s*,?\s+{_YEAR}\b",
    rf"(?<!\w){_DAY}\s+{_RU_MONTH}\s+{_YEAR}(?:\s*(?:года|г\.))?",
    rf"\b{_EN_MONTH}\s+(?:of\s+)?{_YEAR}\b",
    rf"(?<!\w){_RU_MONTH}\s+{_YEAR}(?:\s*(?:года|г\.))?",
)]


def find_handles(text: str) -> list[PatternMatch]:
    """``@name`` handles and ``t.me/name`` links, as ``@name`` in the writer's case."""
    found = [PatternMatch(m.start(), m.end(), m.group(), "@" + m.group(1))
             for m in _HANDLE.finditer(text)]
    found.extend(PatternMatch(m.start(), m.end(), m.group(), "@" + m.group(1))
                 for m in _T_ME.finditer(text) if m.group(1).lower() not in _T_ME_RESERVED)
    return sorted(found, key=lambda p: p.start)


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


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    if word in _EN_MONTHS:
        return _EN_MONTHS[word]
    for number, stem in enumerate(_RU_MONTH_STEMS, start=1):
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "мае", "май")):
            return number
    return int(word) if word.isdigit() else None


def _year_windows(text: str) -> list[tuple[int, int]]:
    """Stretches around years that follow a month name or start an ISO date.

    Every date pattern has a four-digit year; most years in a text are bare,
    and the full patterns are costly, so they run only where they can match.
    """
    windows: list[tuple[int, int]] = []
    for m in _YEAR_ANYWHERE.finditer(text):
        before = text[max(0, m.start() - 40):m.start()].casefold()
        if text[m.end():m.end() + 1] != "-" and not any(s in before for s in _MONTH_PREFIXES):
            continue
        start, end = max(0, m.start() - 40), min(len(text), m.end() + 16)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def find_dates(text: str) -> list[PatternMatch]:
    """Dates as ISO values: ``2021-03-12``, or ``2008-02`` for a month."""
    found: list[PatternMatch] = []
    taken: list[tuple[int, int]] = []  # also invalid dates: "31 February" is not "February"
    windows = _year_windows(text)
    for pattern in _DATES:
        for m in (m for start, end in windows for m in pattern.finditer(text, start, end)):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append(m.span())
            month = _month_number(m.group("month"))
            if month is None or not 1 <= month <= 12:
                continue
            year = int(m.group("year"))
            parts = m.groupdict()
            if parts.get("day"):
                try:
                    value = date(year, month, int(parts["day"])).isoformat()
                except ValueError:
                    continue
            else:
                value = f"{year:04d}-{month:02d}"
            found.append(PatternMatch(m.start(), m.end(), m.group(), value))
    return sorted(found, key=lambda p: p.start)


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
