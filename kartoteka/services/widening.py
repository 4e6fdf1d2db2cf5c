"""Recognise a query that names a registry entity or a country.

Articles name the same armed group or person in several scripts and
spellings ("Thaçi", «Тачи»), and extraction has linked them to the registry;
a query that is such a name should find all of them, not only the ones that
spell it the way the query does.  Only the whole query, or one quoted phrase
of it, is looked up; ordinary words are never widened:

* **an entity**: the registry's name matcher (``link.matcher``) must be sure.
  A score of at least ``SURE`` (an alias or a spelling of one: "Hashim
  Thachi", "КЛА", "kla"), or at least ``LIKELY`` when the query is written
  as a name (each word capitalised) and every word of it is distinctive,
  neither a class noun ("Army"), a place ("Kosovo"), a connector nor a title:
  a surname ("Thaçi", «Тачи») or the distinctive part of an organisation's
  name ("Wagner").  So "state" stays a word while "State" may be the Islamic
  State.  The matcher has already refused a name that fits two entities
  equally.
* **a country**: a flag ("🇽🇰") or a country's name in English or Russian
  («Косово», "Kosovo", "Republic of Kosovo"), as the catalog knows them.  A
  name of three letters or fewer must be written in capitals ("US", not
  "us"), and a function word never counts («того» is not Togo).

A function word written in capitals is an acronym: "US", "IS".
"""

from __future__ import annotations

from kartoteka.catalog.countries import code_for_name, code_from_flag, country_name
from kartoteka.extract.country_table import ENGLISH_EXCLUDED, RUSSIAN_EXCLUDED
from kartoteka.link.analysis import analyse
from kartoteka.model import Widening
from kartoteka.services.matching import RegistryMatcher
from kartoteka.text.query import FUNCTION_WORDS, ParsedQuery
from kartoteka.text.search_forms import exact_forms, query_words

SURE = 0.95
LIKELY = 0.85
# Longer "names" are sentences: not worth the matcher's time.
MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 6
_OPERATORS = ('"', "*")
_EXCLUDED_COUNTRY_NAMES = frozenset(
    n.casefold() for n in (*ENGLISH_EXCLUDED, *RUSSIAN_EXCLUDED)
)


def name_candidates(text: str, query: ParsedQuery) -> list[tuple[str, frozenset[int]]]:
    """(name, positions of the terms it stands for): the whole query, quoted phrases."""
    candidates: list[tuple[str, frozenset[int]]] = []
    if not any(op in text for op in _OPERATORS):
        # Excluded words ("Thaçi -trial") are not part of the name.
        name = " ".join(t for t in text.split() if not t.startswith("-"))
        if name:
            positive = frozenset(n for n, t in enumerate(query.terms) if not t.negated)
            candidates.append((name, positive))
    for n, term in enumerate(query.terms):
        if term.exact and not term.negated:
            candidates.append((" ".join(term.typed), frozenset({n})))
    return candidates


def country_for(name: str) -> str | None:
    """The country code a flag or a country name stands for, if it is one."""
    flag = code_from_flag(name)
    if flag:
        return flag
    letters = [c for c in name if c.isalpha()]
    if not letters or name.casefold() in _EXCLUDED_COUNTRY_NAMES:
        return None
    if len(letters) <= 3 and not _capitals(name):
        return None
    if _function_words(query_words(name)) and not _capitals(name):
        return None
    return code_for_name(name)


def _capitals(name: str) -> bool:
    """Written in capitals, as an acronym is ("US", "IS"), so not a function word."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _function_words(words: list[str]) -> bool:
    return all(w in FUNCTION_WORDS for w in exact_forms(words))


def _written_as_name(words: list[str]) -> bool:
    """Each word begins with a capital (a script without case counts as one)."""
    return all(not w[0].islower() for w in words)


def _distinctive(name: str) -> bool:
    tokens = analyse(name).tokens
    return bool(tokens) and not any(
        t.concept or t.place or t.connector or t.title or t.particle for t in tokens
    )


def entity_for(matcher: RegistryMatcher, name: str) -> tuple[str, str] | None:
    """(id, name) of the entity ``name`` surely names, if any."""
    words = query_words(name)
    if not words or len(name) > MAX_NAME_CHARS or len(words) > MAX_NAME_WORDS:
        return None
    if _function_words(words) and not _capitals(name):
        return None
    best = matcher.match(name, limit=3).best
    if best is None:
        return None
    likely = best.score >= LIKELY and _written_as_name(words) and _distinctive(name)
    if best.score >= SURE or likely:
        return best.id, best.name
    return None


def widenings(matcher: RegistryMatcher, text: str, query: ParsedQuery) -> list[Widening]:
    """Every entity and country the query (or a quoted phrase of it) names."""
    found: list[Widening] = []
    for name, terms in name_candidates(text, query):
        code = country_for(name)
        if code is not None:
            # A country's name is not also an entity's ("UK" is not the KLA's "UÇK").
            found.append(Widening("country", code, country_name(code), terms))
            continue
        entity = entity_for(matcher, name)
        if entity is not None:
            found.append(Widening("entity", entity[0], entity[1], terms))
    return list(dict.fromkeys(found))
