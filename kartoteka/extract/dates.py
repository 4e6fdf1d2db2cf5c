"""Dates written in English and Russian news, as ISO values.

Forms: ``2021-03-12``; "12 March 2021", "12th of March, 2021",
"March 12, 2021", "March 2021"; «12 марта 2021 года», «в марте 2021 г.».

Every written form ends with its year, so instead of trying every form at
every position of an article we read backwards from each year: the text is
lower-cased and reversed once, and one reversed pattern is tried at each
year.  That is one regex attempt per year, not one per character.  Forms are
tried most specific first: a day-month-year date is not also a month-year
one; an invalid date ("31 February 2020") is skipped and its month-year part
is not read as a date either.
"""

from __future__ import annotations

import re
from datetime import date

from kartoteka.extract.pipeline import PatternMatch

__all__ = ["find_dates"]

_EN_MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
_RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
                   "сентябр", "октябр", "ноябр", "декабр")


def _reversed_words(words: list[str]) -> str:
    return "|".join(w[::-1] for w in sorted(words, key=len, reverse=True))


# Pieces of the written forms, each spelled backwards (as read from the
# year); ``{f}`` is the form's name, which keeps group names unique.
_EN_MONTH = r"\.?(?P<{f}_month>" + _reversed_words(list(_EN_MONTHS)) + ")"
_RU_MONTH = (r"(?P<{f}_month>[ьяею](?:" + _reversed_words(
    ["январ", "феврал", "апрел", "сентябр", "октябр", "ноябр", "декабр"])
    + r")|" + _reversed_words(["мая", "мае", "май"])
    + r"|[аеу]?трам|[ьяе]нюи|[ьяе]люи|[аеу]?тсугва)")
_DAY = r"(?:ts|dn|dr|ht)?(?P<{f}_day>\d\d?)"
_YEAR = r"(?P<{f}_year>\d\d(?:[89]1|02))"
# Most specific first.  English forms need the year to end a word.
_FORMS = {
    "dmy": rf"(?<!\w){_YEAR}\s+,?\s*{_EN_MONTH}(?:\s+fo)?\s+{_DAY}(?!\w)",
    "mdy": rf"(?<!\w){_YEAR}\s+,?\s*{_DAY}\s+{_EN_MONTH}(?!\w)",
    "dmy_ru": rf"{_YEAR}\s+{_RU_MONTH}\s+{_DAY}(?!\w)",
    "my": rf"(?<!\w){_YEAR}(?:\s+fo)?\s+{_EN_MONTH}(?!\w)",
    "my_ru": rf"{_YEAR}\s+{_RU_MONTH}(?!\w)",
}
_BACKWARDS = re.compile("|".join(
    f"(?P<{name}>{pattern.replace('{f}', name)})" for name, pattern in _FORMS.items()))
_RANKS = {name: rank for rank, name in enumerate(_FORMS, start=1)}
_RU_YEAR_WORD = re.compile(r"\s*(?:года|г\.)")
_YEAR_START = re.compile(r"(?:1[89]|20)\d\d")
# ISO dates, matched from their first hyphen (a literal the regex engine
# jumps to) with the year looked behind: a tenth of the time of matching
# from every digit.  The match starts _ISO_YEAR characters after the date.
_ISO = re.compile(r"-(?<=(?<!\d)\d{4}-)\d\d-\d\d(?!\d)")
_ISO_YEAR = 4


def _month_number(word: str) -> int | None:
    if word in _EN_MONTHS:
        return _EN_MONTHS[word]
    for number, stem in enumerate(_RU_MONTH_STEMS, start=1):
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "мае", "май")):
            return number
    return None


def _lower(text: str) -> str:
    """Lower case, one character for one (so offsets carry over).

    «İ» (as in "İstanbul") is the one character whose lower case is two.
    """
    return text.replace("\u0130", "i").lower()


def _candidates(text: str) -> list[tuple[int, int, int, int, int, int | None]]:
    """(form rank, start, end, year, month or 0, day) of every date-like span."""
    found: list[tuple[int, int, int, int, int, int | None]] = []
    for iso in _ISO.finditer(text):
        start = iso.start() - _ISO_YEAR
        year, month_digits, day = text[start:iso.end()].split("-")
        found.append((0, start, iso.end(), int(year), int(month_digits), int(day)))
    lowered = _lower(text)
    backwards = lowered[::-1]
    size = len(text)
    for y in _YEAR_START.finditer(lowered):
        if not y.start() or not lowered[y.start() - 1].isspace():
            continue  # every written form has spaces before its year
        m = _BACKWARDS.match(backwards, size - y.end())
        if m is None:
            continue
        form = m.lastgroup or ""
        month = _month_number(m.group(f"{form}_month")[::-1]) or 0
        day_text = m.group(f"{form}_day") if f"{form}_day" in _BACKWARDS.groupindex else None
        end = y.end()
        if form.endswith("_ru"):
            suffix = _RU_YEAR_WORD.match(lowered, end)
            end = suffix.end() if suffix else end
        found.append((_RANKS[form], size - m.end(), end, int(y.group()),
                      month, int(day_text[::-1]) if day_text else None))
    return found


def find_dates(text: str) -> list[PatternMatch]:
    """Dates as ISO values: ``2021-03-12``, or ``2008-02`` for a month."""
    found: list[PatternMatch] = []
    taken: list[tuple[int, int]] = []  # invalid dates too: "31 February" is not "February"
    for _, start, end, year, month, day in sorted(_candidates(text)):
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        if not 1 <= month <= 12:
            continue
        if day is not None:
            try:
                value = date(year, month, day).isoformat()
            except ValueError:
                continue
        else:
            value = f"{year:04d}-{month:02d}"
        found.append(PatternMatch(start, end, text[start:end], value))
    return sorted(found, key=lambda p: p.start)
