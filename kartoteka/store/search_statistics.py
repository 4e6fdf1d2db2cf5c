"""Which word of a query leads a PostgreSQL search, from the planner's statistics.

A bare word's stem postings (``article_stems``) are read newest first and
stop at the matches a page needs; the rarest word of the query should be
the one read.  The statistics ANALYZE keeps (``search_index.planner_shares``)
say what share of the articles hold each common stem.  (They sized the
first ``pk`` range of a country-filtered search before the postings led
those searches: every query they could size is now led by a word's list.)

The statistics are read once per database and kept for ``REFRESH_SECONDS``:
they change only when ANALYZE runs, and a stale share only picks a slower
word to lead, never changes what is found.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Connection

from kartoteka.store import search_index
from kartoteka.text.query import ParsedQuery

REFRESH_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Shares:
    """Shares of articles holding each common stem."""

    stems: dict[str, float] = field(default_factory=dict)


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
    found = None if read is None else Shares(read)
    with _lock:
        _cache[key] = (now, found)
    return found


def forget() -> None:
    """Drop what was read (tests, after ANALYZE)."""
    with _lock:
        _cache.clear()


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
