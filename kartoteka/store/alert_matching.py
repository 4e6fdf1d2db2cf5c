"""Matching queued articles against watchlists: keyed look-ups, then saved searches.

Entity, country and author watchlists are found through their index on
(kind, key) with the keys of the batch's articles: the cost follows the
number of articles and of watchlists that match, not of all watchlists.
A saved search is run once per distinct query and filters, restricted to
the batch's article pks, so the index answers it (see
``services.alerts``); a search shared by many users is run once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select

from kartoteka.model import Widening
from kartoteka.store import dialect
from kartoteka.store.alerts_tables import alert_queue, alerts, watchlists
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry_tables import entities
from kartoteka.store.search import matching, pks_only
from kartoteka.store.tables import article_countries, articles, author_aliases, authors
from kartoteka.store.watchlists import (
    Watchlist,
    active_watchlists,
    as_watchlist,
    visible,
)
from kartoteka.text.query import ParsedQuery


@dataclass(frozen=True, slots=True)
class Queued:
    article_pk: int
    queued_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class Restricted(ArticleFilter):
    """A search's filters, and only these articles."""

    pks: tuple[int, ...] = ()

    def conditions(self) -> list[Any]:
        return [*ArticleFilter.conditions(self), articles.c.pk.in_(self.pks)]


def take(conn: Connection, limit: int) -> list[Queued]:
    rows = conn.execute(
        select(alert_queue).order_by(alert_queue.c.queued_at, alert_queue.c.article_pk)
        .limit(limit)
    )
    return [Queued(r.article_pk, r.queued_at, r.version) for r in rows]


def clear(conn: Connection, done: Sequence[Queued]) -> None:
    """Remove what was matched, unless it was queued again meanwhile."""
    for chunk in _chunks(done, 500):
        conn.execute(delete(alert_queue).where(or_(*(
            and_(alert_queue.c.article_pk == q.article_pk, alert_queue.c.version == q.version)
            for q in chunk
        ))))


def visible_pks(conn: Connection, pks: Sequence[int]) -> list[int]:
    return [int(p) for p in conn.execute(
        select(articles.c.pk).where(articles.c.pk.in_(list(pks)), *visible())
    ).scalars()]


def texts(conn: Connection, pks: Sequence[int]) -> dict[int, tuple[str, str, str | None]]:
    """Title, body and language of each article, for the saved searches' gates."""
    return {
        int(r.pk): (r.title, r.body, r.language)
        for r in conn.execute(
            select(articles.c.pk, articles.c.title, articles.c.body, articles.c.language)
            .where(articles.c.pk.in_(list(pks)))
        )
    }


def keyed_matches(conn: Connection, pks: Sequence[int]) -> dict[int, set[int]]:
    """Article pk → entity, country and author watchlists it matches (by indexed key)."""
    keys: dict[tuple[str, str], set[int]] = defaultdict(set)
    clusters = _clusters(conn)
    for row in conn.execute(
        select(article_entities.c.article_pk, article_entities.c.entity_id)
        .where(article_entities.c.article_pk.in_(list(pks)))
    ):
        for entity_id in clusters.get(row.entity_id, (row.entity_id,)):
            keys[("entity", entity_id)].add(int(row.article_pk))
    for row in conn.execute(
        select(article_countries.c.article_pk, article_countries.c.country)
        .where(article_countries.c.article_pk.in_(list(pks)))
    ):
        keys[("country", row.country)].add(int(row.article_pk))
    for row in conn.execute(
        select(articles.c.pk, authors.c.handle_key)
        .join(authors, authors.c.pk == articles.c.author_pk)
        .where(articles.c.pk.in_(list(pks)))
    ):
        keys[("author", row.handle_key)].add(int(row.pk))
    # A watchlist made before its author was merged into another follows that one.
    for row in conn.execute(
        select(articles.c.pk, author_aliases.c.key)
        .join(author_aliases, author_aliases.c.author_pk == articles.c.author_pk)
        .where(articles.c.pk.in_(list(pks)), author_aliases.c.kind == "handle")
    ):
        keys[("author", row.key)].add(int(row.pk))
    found: dict[int, set[int]] = defaultdict(set)
    for kind in ("entity", "country", "author"):
        wanted = sorted(key for k, key in keys if k == kind)
        for chunk in _chunks(wanted, 500):
            for row in conn.execute(
                select(watchlists.c.pk, watchlists.c.key)
                .where(watchlists.c.kind == kind, watchlists.c.key.in_(chunk))
            ):
                for article_pk in keys[(kind, row.key)]:
                    found[article_pk].add(int(row.pk))
    return found


def search_matches(
    conn: Connection, query: ParsedQuery, flt: ArticleFilter,
    widenings: Sequence[Widening], pks: Sequence[int],
) -> set[int]:
    """The articles among ``pks`` that a saved search finds."""
    restricted = Restricted(**{f: getattr(flt, f) for f in _FILTER_FIELDS}, pks=tuple(pks))
    matched = matching(conn, query, replace(restricted, include_unpublished=False), widenings)
    if matched is None:
        return set()
    return {int(p) for p in conn.execute(pks_only(matched)).scalars()}


_FILTER_FIELDS = ("author", "country", "entity", "language", "since", "until")


def saved_searches(conn: Connection) -> list[Watchlist]:
    rows = conn.execute(active_watchlists().where(watchlists.c.kind == "search"))
    return [as_watchlist(r) for r in rows]


def watchlist_times(conn: Connection, pks: Iterable[int]) -> dict[int, datetime]:
    """Creation times of the active (user not disabled) watchlists among ``pks``."""
    found: dict[int, datetime] = {}
    for chunk in _chunks(sorted(set(pks)), 500):
        for row in conn.execute(
            active_watchlists().with_only_columns(watchlists.c.pk, watchlists.c.created_at)
            .where(watchlists.c.pk.in_(chunk))
        ):
            found[int(row.pk)] = row.created_at
    return found


def add_alerts(conn: Connection, pairs: Iterable[tuple[int, int]], now: datetime) -> int:
    """Insert (watchlist, article) alerts that do not exist yet; how many went in.

    Pairs already stored are left out first, then the rest go in as one
    statement per chunk; ``ON CONFLICT DO NOTHING`` covers a run in another
    process that stored the same pair meanwhile."""
    wanted = set(pairs)
    if not wanted:
        return 0
    articles_of = sorted({a for _, a in wanted})
    for chunk in _chunks(articles_of, 500):
        for row in conn.execute(
            select(alerts.c.watchlist_pk, alerts.c.article_pk)
            .where(alerts.c.article_pk.in_(chunk))
        ):
            wanted.discard((int(row.watchlist_pk), int(row.article_pk)))
    rows = [{"watchlist_pk": w, "article_pk": a, "created_at": now} for w, a in sorted(wanted)]
    for chunk in _chunks(rows, 5000):
        dialect.insert_many_or_ignore(conn, alerts, list(chunk), ["watchlist_pk", "article_pk"])
    return len(rows)


def _clusters(conn: Connection) -> dict[str, tuple[str, ...]]:
    """Each merged entity id → every id of its cluster (unmerged ids are absent)."""
    parent = {
        r.id: r.merged_into
        for r in conn.execute(
            select(entities.c.id, entities.c.merged_into)
            .where(entities.c.merged_into.is_not(None))
        )
    }
    if not parent:
        return {}
    members: dict[str, set[str]] = defaultdict(set)
    for start in parent:
        current, steps = start, 0
        while current in parent and steps <= len(parent):
            current, steps = parent[current], steps + 1
        members[current].update((start, current))
    return {m: tuple(sorted(group)) for group in members.values() for m in group}


def _chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]
