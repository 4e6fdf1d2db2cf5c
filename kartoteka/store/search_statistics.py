"""How many articles a search will find, guessed from the planner's statistics.

A country-filtered search on PostgreSQL walks the country's articles newest
first and checks the words in each (``search_index._pg_country_first``), in
a range of the latest articles sized by ``store.search._bounded``.  Sized
blind, the first range held too few matches for any word in fewer than half
the articles, and was walked again as part of a wider one: 2,000 articles
checked for nothing, 5-8 ms of a 40-50 ms search at a million articles.
The statistics ANALYZE keeps (``search_index.planner_shares``) say what
share of articles hold a common word and a country, so the first range can
be sized to hold the matches needed; a word too rare to be among them gets
the blind first range as before (whose few matches then send the search to
the word's index).

The same shares choose which word of a query leads a search from its stem
postings (``postings_lead``), where PostgreSQL needs no range at all.

The statistics are read once per database and kept for ``REFRESH_SECONDS``:
they change only when ANALYZE runs, and a stale share only sizes a range
wrong (one more try, as before), never changes what is found.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Connection

from kartoteka.store import search_index
from kartoteka.text.query import ParsedQuery

REFRESH_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of articles holding each common stem, and in each common country."""

    stems: dict[str, float] = field(default_factory=dict)
    countries: dict[str, float] = field(default_factory=dict)

    def of_words(self, query: ParsedQuery) -> float | None:
        """The share of articles a query of bare words matches, if every word is common.

        Words are taken as independent (the product of their shares): for
        words that go together this is too low, which only makes a range
        larger than needed, and a walk stops at the matches it needs.  None
        for a quoted or prefix term or a word not among the common ones."""
        share = 1.0
        positive = query.positive
        if not positive:
            return None
        for term in positive:
            if not term.stemmed or term.is_phrase:
                return None
            word = max(self.stems.get(term.stems[0], 0.0), self.stems.get(term.words[0], 0.0))
            if word <= 0.0:
                return None
            share *= word
        return share

    def of_country(self, code: str) -> float | None:
        share = self.countries.get(code.lower())
        return share if share and share > 0.0 else None


_cache: dict[str, tuple[float, Shares | None]] = {}
_lock = threading.Lock()


def shares(conn: Connection) -> Shares | None:
    """The database's shares (None on SQLite), read at most every REFRESH_SECONDS."""
    key = str(conn.engine.url)
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
    if cached is not None and now - cached[0] < REFRESH_SECONDS:
        return cached[1]
    read = search_index.planner_shares(conn)
    found = None if read is None else Shares(*read)
    with _lock:
        _cache[key] = (now, found)
    return found


def forget() -> None:
    """Drop what was read (tests, after ANALYZE)."""
    with _lock:
        _cache.clear()


def country_span(
    conn: Connection, query: ParsedQuery, country: str, needed: int, most: int
) -> int | None:
    """Articles, counted back from the newest, expected to hold ``needed`` matches in ``country``.

    A quarter more than the shares say.  None when the statistics do not
    know the words or the country, or when that would walk more than
    ``most`` of the country's articles (one look-up each): a word that rare
    is found faster by its own index, where the blind first range sends it."""
    known = shares(conn)
    if known is None:
        return None
    words, in_country = known.of_words(query), known.of_country(country)
    if words is None or in_country is None:
        return None
    walked = 1.25 * needed / words
    return math.ceil(walked / in_country) if walked <= most else None


def postings_lead(conn: Connection, query: ParsedQuery) -> tuple[str, ...]:
    """PostgreSQL: the forms of the query's word whose article lists lead the search, if any.

    Every match holds one of a bare word's forms (``search_index.postings_lexemes``),
    so any bare word of the query can lead; the one in the fewest articles
    by the statistics is read.  A list read newest first stops at the
    matches needed, where the GIN index hands out every match unordered, so
    a word alone leads even when too rare to be among the statistics' (its
    list is short).  Of several words, one that rare leaves few matches to
    them all, which the GIN index finds at once by intersecting their
    entries: at 1M, two words p99 37 ms led by it against 49 reading the
    rare word's list and checking the other on each row (bench/search.py).
    Quoted terms cannot lead (the exact form an article wrote may stem
    otherwise than the form asked for), nor prefix terms.  Empty on SQLite
    and before the statistics exist: without them a common word might lead
    where a rare one is also asked for."""
    if any(t.prefix for t in query.positive):
        return ()
    known = shares(conn)
    if known is None or not known.stems:
        return ()
    best: tuple[float, tuple[str, ...]] | None = None
    words = [w for t in query.positive if t.stemmed for w in (t.typed or t.words)]
    for word in words:
        forms = search_index.postings_lexemes(conn, word)
        if not forms:
            continue
        share = sum(known.stems.get(f, 0.0) for f in forms)
        if best is None or share < best[0]:
            best = (share, forms)
    if best is None or (len(words) > 1 and best[0] == 0.0):
        return ()
    return best[1]
