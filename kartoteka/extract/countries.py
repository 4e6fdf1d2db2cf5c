"""Countries named in a text: names, demonyms, adjectives and flag emoji.

Terms come from pycountry (English ISO names, and Russian ones through its
gettext catalogues) plus :mod:`kartoteka.extract.country_table`.  Russian
terms are matched as lemmas, so inflected forms («Сербии», «сербской»)
count.  Each found country is a :class:`CountryMention` with its span.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from typing import NamedTuple

import pycountry

from kartoteka.extract.automaton import Hit, KeyIndex, longest_first
from kartoteka.extract.country_table import (
    ENGLISH_EXCLUDED,
    ENGLISH_NAMES,
    RUSSIAN_EXCLUDED,
    TABLE,
    english_plural,
)
from kartoteka.extract.keyed import KeyedText, bounded_name
from kartoteka.extract.pipeline import COUNTRY, CountryMention, Document, ExtractionResult

_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_REGIONAL_A = 0x1F1E6
# Every regional indicator (U+1F1E6..U+1F1FF) starts so in UTF-8: one byte
# search tells most articles have no flag, a seventh of the regex's scan.
_REGIONAL_UTF8 = "\U0001f1e6".encode()[:3]
# The letter case a match must have, given the term.
EXACT_CAPITALS, CAPITAL, ANY_CASE = "upper", "capital", "any"


class CountryTerm(NamedTuple):
    code: str
    case: str
    # A name of the country ("Serbia", «Сербия»), not an adjective or demonym.
    name: bool = True


def _case_rule(term: str, capitalised: bool) -> str:
    letters = [c for c in term if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return EXACT_CAPITALS
    return CAPITAL if capitalised else ANY_CASE


def _fits_case(found: str, rule: str) -> bool:
    if rule == EXACT_CAPITALS:
        return all(c.isupper() for c in found if c.isalpha())
    if rule == CAPITAL:
        return found[:1].isupper()
    return True


def _iso_terms() -> list[tuple[str, str, bool, bool]]:
    """(code, term, must be capitalised) from pycountry, in English and Russian."""
    russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"],
                                  fallback=True)
    terms: list[tuple[str, str, bool, bool]] = []
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if not name or "," in name:
                continue
            if name not in ENGLISH_EXCLUDED:
                terms.append((code, name, True, True))
            translated = russian.gettext(name)
            if translated != name and translated not in RUSSIAN_EXCLUDED:
                terms.append((code, translated, True, True))
    return terms


def _table_terms() -> list[tuple[str, str, bool, bool]]:
    """(code, term, must be capitalised, names the country)."""
    terms: list[tuple[str, str, bool, bool]] = []
    for code, words in TABLE.items():
        for term in words.en:
            terms.append((code, term, True, term in ENGLISH_NAMES))
            plural = english_plural(term)
            if plural:
                terms.append((code, plural, True, False))
        terms.extend((code, term, True, True) for term in words.ru)
        terms.extend((code, term, False, False) for term in words.ru_words)
    return terms


@lru_cache(maxsize=1)
def country_index() -> KeyIndex[CountryTerm]:
    """Built once per process: about two thousand terms, a fraction of a second."""
    index: KeyIndex[CountryTerm] = KeyIndex()
    for code, term, capitalised, name in _iso_terms() + _table_terms():
        index.add(bounded_name(term), CountryTerm(code, _case_rule(term, capitalised), name))
    return index


def flag_code(flag: str) -> str | None:
    """``rs`` for 🇷🇸; None for a pair that is not a country (or Kosovo's xk)."""
    code = "".join(chr(ord(c) - _REGIONAL_A + ord("a")) for c in flag)
    if code == "xk" or pycountry.countries.get(alpha_2=code.upper()) is not None:
        return code
    return None


@lru_cache(maxsize=65_536)
def _fitting(found: str, terms: tuple[CountryTerm, ...]) -> tuple[CountryTerm, ...]:
    """The terms whose case rule ``found`` meets; cached, as country words recur."""
    return tuple(t for t in terms if _fits_case(found, t.case))


def find_countries(text: str, keyed: KeyedText, article_id: str = "") -> list[CountryMention]:
    """Country mentions in text order; a longer term wins ("South Sudan" over "Sudan")."""
    hits: list[Hit[CountryTerm]] = [
        (start, end, fitting) for start, end, terms in country_index().find(keyed)
        if (fitting := _fitting(text[start:end], terms))]
    mentions = [CountryMention(article_id, start, end, text[start:end], COUNTRY,
                               "countries", code=terms[0].code, named=terms[0].name)
                for start, end, terms in longest_first(hits)]
    if _REGIONAL_UTF8 not in text.encode("utf-8", "surrogatepass"):
        return mentions
    flags = [CountryMention(article_id, m.start(), m.end(), m.group(), COUNTRY,
                            "countries", code=code)
             for m in _FLAG.finditer(text) if (code := flag_code(m.group()))]
    if flags:
        mentions = sorted(mentions + flags, key=lambda m: m.start)
    return mentions


class Countries:
    """The country-pattern component."""

    name = "countries"
    produces = ("countries",)

    def prepare(self) -> None:
        """Build the term index now: otherwise each worker's first job built it
        (measured: 0.08 s of CPU, paid once per worker inside the jobs)."""
        country_index()

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        result.countries.extend(find_countries(document.text, document.keyed, document.id))
