"""Full-text search over current, visible articles, on either backend.

A search may be widened (see :class:`kartoteka.model.Widening`): the words
that name an entity or a country also match the articles linked to it.  The
match is then a union: the text match, plus for each set of widened words
the rest of the query matched in the text and the widened words replaced by
the link.  An article found only through a link scores 0, after every text
match.  Snippets are made here for the page of results only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any, TypeVar

from sqlalchemy import Connection, Float, Row, Select, cast, func, literal, or_, select, union_all

from kartoteka.model import SearchHit, Widening
from kartoteka.store import search_index, search_statistics
from kartoteka.store.articles import ArticleFilter, entity_cluster
from kartoteka.store.extraction_tables import article_entities, mentions
from kartoteka.store.tables import article_countries, articles, authors
from kartoteka.text.highlight import highlight_for, snippet
from kartoteka.text.query import ParsedQuery

# Beyond this many, or beyond the ranking window (see RANK_TIER), the total is
# reported as a lower bound; only a page past the last match needs a count of
# its own, and it stops here.
TOTAL_CAP = 10_000
# Sets of widened words combined at most: each combination is one more branch.
MAX_WIDENED_GROUPS = 3
# Matches ranked together by score.  A word in a tenth of a million articles
# made ranking every match take 141 ms and more (bm25 or ts_rank on each, see
# bench/search.py); instead the latest RANK_TIER matches are ranked, then the
# RANK_TIER before them, and so on (``ranked_candidates``).  A query with fewer
# matches than this is ranked exactly as before, by score alone.
RANK_TIER = 1000


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    total_is_exact: bool = True


def cluster_ids(conn: Connection, entity_id: str) -> list[str]:
    """Every id merged with ``entity_id`` (links keep the id the linker gave)."""
    return sorted(str(i) for i in conn.execute(entity_cluster(entity_id)).scalars())


def _linked(conn: Connection, widening: Widening) -> Any:
    if widening.kind == "country":
        return articles.c.pk.in_(
            select(article_countries.c.article_pk).where(
                article_countries.c.country == widening.id
            )
        )
    return articles.c.pk.in_(
        select(article_entities.c.article_pk).where(
            article_entities.c.entity_id.in_(cluster_ids(conn, widening.id))
        )
    )


def _groups(widenings: Sequence[Widening]) -> list[tuple[frozenset[int], list[Widening]]]:
    """Widenings by the words they stand for; at most MAX_WIDENED_GROUPS sets of words."""
    groups: dict[frozenset[int], list[Widening]] = {}
    for widening in widenings:
        groups.setdefault(widening.terms, []).append(widening)
    return list(groups.items())[:MAX_WIDENED_GROUPS]


def _branches(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    widenings: Sequence[Widening],
    window: int | None = None,
    lower: int | None = None,
) -> list[Select[Any]]:
    """Selects of ``pk`` and ``score``, one for the text and one per set of widened words.

    With ``window``, each select keeps its ``window`` latest matches only
    (the highest ``pk``, the latest stored).  Both indexes hand matches out
    in ``pk`` order (FTS5 by rowid, PostgreSQL by a backward scan of the
    primary key), so a scan stops after ``window`` rows and the score is
    computed for those rows alone.  With ``lower``, only articles above
    that ``pk`` (see ``_bounded``)."""
    conditions = flt.conditions()

    def text_select(words: ParsedQuery, links: list[Any]) -> Select[Any]:
        # The country filter may be taken by the index select (country_first).
        # Postings lead a search for the latest matches only: every match of
        # a common word is found faster as a GIN bitmap than row by row.
        lead = search_statistics.postings_lead(conn, words) if window else ()
        taken = flt.country and search_index.country_first(conn, lower, lead)
        country = flt.country if taken else None
        matched = replace(flt, country=None).conditions() if country else conditions
        return search_index.search_select(
            conn, words, window, [*matched, *links], lower, country, lead
        )

    branches: list[Select[Any]] = []
    if not query.is_empty:
        branches.append(text_select(query, []))
    groups = [
        (terms, or_(*(_linked(conn, w) for w in group))) for terms, group in _groups(widenings)
    ]
    for size in range(1, len(groups) + 1):
        for chosen in combinations(groups, size):
            words = frozenset().union(*(terms for terms, _ in chosen))
            rest = query.without(set(words))
            links = [link for _, link in chosen]
            if rest.is_empty:
                linked_only: Select[Any] = select(
                    articles.c.pk, cast(literal(0.0), Float).label("score")
                )
                linked_only = linked_only.where(
                    *conditions, *links, *search_index.exclusions(conn, rest)
                )
                if lower is not None:
                    linked_only = linked_only.where(articles.c.pk > lower)
                if window is not None:
                    linked_only = linked_only.order_by(articles.c.pk.desc()).limit(window)
                branches.append(linked_only)
            else:
                branches.append(text_select(rest, links))
    return branches


def _united(branches: list[Select[Any]]) -> Select[Any] | None:
    if not branches:
        return None
    if len(branches) == 1:
        return branches[0]
    found = union_all(*branches).subquery("found")
    return select(found.c.pk, func.max(found.c.score).label("score")).group_by(found.c.pk)


def matching(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    widenings: Sequence[Widening] = (),
) -> Select[Any] | None:
    """A select of ``pk`` and ``score`` of every article the search finds (None: nothing)."""
    return _united(_branches(conn, query, flt, widenings))


def _wrapped(branch: Select[Any]) -> Select[Any]:
    """A branch with its own ORDER BY and LIMIT, as a union may take it."""
    bounded = branch.subquery()
    return select(bounded.c.pk, bounded.c.score)


def ranking_window(limit: int, offset: int, tier: int = RANK_TIER) -> int:
    """How many of the latest matches a page needs: whole tiers up to its end."""
    return tier * ((offset + limit - 1) // tier + 1)


def ranked_candidates(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    widenings: Sequence[Widening],
    window: int,
    tier_size: int = RANK_TIER,
    lower: int | None = None,
    every: bool = False,
) -> Select[Any] | None:
    """``pk``, ``score`` and ``tier`` of the latest ``window + 1`` matches (None: nothing).

    Tier ``t`` is the ``t``-th run of ``tier_size`` matches by recency;
    results are ordered by tier, then by score.  A query with fewer matches
    than that has them all in tier 0: ranked exactly as by score alone.
    ``lower``: matches above this ``pk`` only; ``every``: all of them, in
    no order, each select's own scan unlimited (see ``_bounded``)."""
    # One more than the window: whether there are matches beyond it.
    branches = _branches(conn, query, flt, widenings, None if every else window + 1, lower)
    if not branches:
        return None
    found = _united([_wrapped(b) for b in branches])
    assert found is not None
    latest = found.subquery("latest")
    position = func.row_number().over(order_by=latest.c.pk.desc()) - 1
    tier = (position // tier_size).label("tier")
    return select(latest.c.pk, latest.c.score, tier)


def latest_matches(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    widenings: Sequence[Widening],
    n: int,
) -> list[int]:
    """The ``pk`` of the latest ``n + 1`` matches, newest first (one more: are there more?)."""

    def run(lower: int | None, sized: bool) -> tuple[list[int], int]:
        every = sized and _word_led(flt)
        branches = _branches(conn, query, flt, widenings, None if every else n + 1, lower)
        if not branches:
            return [], 0
        found = _united([_wrapped(b) for b in branches])
        assert found is not None
        latest = found.subquery("latest")
        pks = conn.execute(select(latest.c.pk).order_by(latest.c.pk.desc()).limit(n + 1))
        got = [int(pk) for pk in pks.scalars()]
        return got, len(got)

    return _bounded(conn, n, flt, run, query)


T = TypeVar("T")
def _word_led(flt: ArticleFilter) -> bool:
    """Whether a range sized to hold about window + 1 matches is best selected whole.

    Unordered and unlimited, the planner reads the word's index for the
    range rather than every article of the range backwards: its estimate of
    a word's share is no better than 2x, and "Bamako" read 95,000 vectors
    (200 ms of CPU) for 1,001 matches; whole, 23 ms.  Not with a country or
    date filter, whose scans (the country's index, the key backwards with
    the date checked first) are cheaper stopped at the limit: 47 against 84
    ms, and 47 against 68."""
    return not (flt.country or flt.since or flt.until)


# The first try of ``_bounded`` looks at the latest FIRST_SPAN × window articles.
FIRST_SPAN = 16
# Fetching a row of the table and checking it costs about as much as putting
# this many keys of a ``pk`` range into a bitmap (PostgreSQL at a million
# articles: about 3 us with its rank, against 0.125 us; see ``_bounded``).
KEYS_PER_ROW = 24


def _bounded(
    conn: Connection,
    window: int,
    flt: ArticleFilter,
    run: Callable[[int | None, bool], tuple[T, int]],
    query: ParsedQuery,
) -> T:
    """``run(lower)`` over the latest articles first, then further back if it found too few.

    ``run`` returns its result and how many matches it found (at most
    ``window + 1`` are needed).  Where the index cannot stop early
    (``search_index.bounded_scans``: PostgreSQL's GIN index hands matches
    out in no order), a word in one article of a hundred had 10,000
    matches fetched from the table and sorted to find its latest 1,001, and
    a common word with a filter read a row's vector for every article it
    passed.  Bounded by ``pk``, the index's matches are intersected with
    the ``pk`` range before the table is read (a BitmapAnd), or the
    backward scan of the key stops at the bound.  When the range held
    ``window + 1`` matches, they are the latest ``window + 1`` of all, the
    same the unbounded select finds; else the range is widened to where
    as many should be (from the share found, and a third more), then dropped.
    A query whose matches all told look few goes unbounded at once: the
    index's matches cost less to fetch and sort than the bitmap of a wide
    ``pk`` range (0.3% of a million: 17 against 42 ms of CPU).  Few is
    weighed against the range it would take (``KEYS_PER_ROW``), not fixed:
    ``separat*``, in 4,848 articles of a million, found 73 in the first
    range: 4.6 windows at that share, just over a fixed four; its second
    range put 293,000 keys in a bitmap (37 of its 50 ms) to meet the 4,848
    rows the index gave at once."""
    newest = conn.execute(select(func.max(articles.c.pk))).scalar() or 0
    span = FIRST_SPAN * (window + 1)
    # A date filter alone: the key read backwards, the date checked before
    # the words, stops at the limit by itself; a first range that held too
    # few only read its vectors twice (47 against 27 ms of CPU).
    date_led = not flt.country and not _word_led(flt)
    if not search_index.bounded_scans(conn) or newest <= 2 * span or date_led:
        return run(None, False)[0]
    # A word's postings are read newest first and stop by themselves, as FTS5's
    # rowids do: no range needed (search_statistics.postings_lead).
    if search_statistics.postings_lead(conn, query):
        return run(None, False)[0]
    lower: int | None = newest - span
    for attempt in range(3):
        # ``sized``: the range is sized from the share found (_word_led).
        result, found = run(lower, attempt > 0 and lower is not None)
        if found > window or lower is None:  # enough, or nothing was left out
            return result
        matches = found * newest / span  # all told, at the share found
        span = span * (window + 1) * 4 // (3 * found) if found else newest
        few = matches * KEYS_PER_ROW <= span
        lower = newest - span if span < newest // 2 and not few else None
    return run(None, False)[0]


def search_articles(
    conn: Connection,
    query: ParsedQuery,
    flt: ArticleFilter,
    limit: int = 20,
    offset: int = 0,
    with_total: bool = True,
    widenings: Sequence[Widening] = (),
    tier: int = RANK_TIER,
) -> SearchPage:
    """Ranked hits with snippets whose hits are wrapped in text.highlight's markers."""
    window = ranking_window(limit, offset, tier)

    def run(lower: int | None, sized: bool) -> tuple[Sequence[Row[Any]] | None, int]:
        every = sized and _word_led(flt)
        candidates = ranked_candidates(conn, query, flt, widenings, window, tier, lower, every)
        if candidates is None:
            return None, 0
        # Rank first, on the narrow columns alone; only the page of winners is
        # then joined to the full rows (whose bodies are large) and given
        # snippets.  Ranking reads every candidate anyway, so it counts them too.
        ranked = candidates.subquery("ranked")
        rows = conn.execute(
            select(ranked.c.pk, ranked.c.score, func.count().over().label("total"))
            .order_by(ranked.c.tier, ranked.c.score.desc(), ranked.c.pk.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        # A page past the matches found is empty: "too few", try further back.
        return rows, int(rows[0].total) if rows else 0

    top = _bounded(conn, window, flt, run, query)
    if top is None:
        return SearchPage([], 0)
    pks = [r.pk for r in top]
    details = {
        r.pk: r
        for r in conn.execute(
            select(
                articles.c.pk,
                articles.c.id,
                articles.c.title,
                articles.c.body,
                articles.c.language,
                articles.c.published_at,
                authors.c.handle,
            )
            .select_from(articles.outerjoin(authors, authors.c.pk == articles.c.author_pk))
            .where(articles.c.pk.in_(pks))
        )
    }
    spans = _mention_spans(conn, pks, [w for w in widenings if w.kind == "entity"])
    hits = []
    for r in top:
        row = details[r.pk]
        hits.append(
            SearchHit(
                id=row.id,
                title=row.title,
                author=row.handle,
                published_at=row.published_at,
                score=round(float(r.score), 6),
                snippet=_snippet(row.title, row.body, row.language, query, spans.get(r.pk, [])),
            )
        )
    total = int(top[0].total) if top else offset
    if not top and offset and with_total:  # a page past the end: count on its own
        matched = matching(conn, query, flt, widenings)
        assert matched is not None
        counted = pks_only(matched).limit(TOTAL_CAP + 1).subquery()
        total = int(conn.execute(select(func.count()).select_from(counted)).scalar_one())
    # More than the window: a lower bound.  Counting on to TOTAL_CAP read ten
    # thousand matches of a common word, costing more than ranking did.
    exact = total <= min(window, TOTAL_CAP)
    return SearchPage(hits, min(total, TOTAL_CAP), exact)


def pks_only(matched: Select[Any]) -> Select[Any]:
    """The ``pk`` column alone of a ``matching`` select.

    A single branch drops its rank, which FTS5 would otherwise compute for
    every match just to be thrown away; a union is read as a subquery."""
    if any(c is articles.c.pk for c in matched.selected_columns):
        return matched.with_only_columns(articles.c.pk)
    return select(matched.subquery("matched").c.pk)


def _snippet(
    title: str, body: str, language: str | None, query: ParsedQuery,
    spans: list[tuple[int, int]],
) -> str:
    highlight = highlight_for(query, language)
    if body.strip() or not title:
        return snippet(body, language, highlight, spans)
    return snippet(title, language, highlight)  # nothing but a title


def _mention_spans(
    conn: Connection, pks: list[int], widenings: list[Widening]
) -> dict[int, list[tuple[int, int]]]:
    """Where the widening entities are named in each article's body."""
    if not pks or not widenings:
        return {}
    ids = sorted({i for w in widenings for i in cluster_ids(conn, w.id)})
    found: dict[int, list[tuple[int, int]]] = {}
    for row in conn.execute(
        select(mentions.c.article_pk, mentions.c.start, mentions.c.end).where(
            mentions.c.article_pk.in_(pks),
            mentions.c.entity_id.in_(ids),
        )
    ):
        found.setdefault(int(row.article_pk), []).append((int(row.start), int(row.end)))
    return found
