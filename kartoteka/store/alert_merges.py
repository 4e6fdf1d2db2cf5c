"""Alerts a registry merge owes: the followers of each side get the other side's articles.

When entity X is merged into W, both are one entity from then on: a
watchlist on X or on W (or on anything else in the cluster) follows the
whole cluster (``alert_matching.keyed_matches`` looks keys up through the
clusters).  The merge itself owes each follower the articles it would have
had, had the entities been one from the start, and never anything twice:

* the cluster's visible articles (linked to any of its entities) that were
  stored after the watchlist was made: following alerts on what is new
  from then on, so a follower of X is not sent W's years of history;
* minus the articles the watchlist's user already has an alert for, through
  any watchlist: a user who followed both X and W, or Mali and X, is not
  told again about an article they were already told about.

Only entity watchlists are owed anything: a merge changes no article's
words, country or author, so no other watchlist's answer changes
(articles are therefore not put back on the article queue, which would
alert every watchlist made since they were stored).  A saved search
filtered by, or widened to, an entity sees the merge in the articles
matched after it.  An unmerge takes no alert back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, delete, select

from kartoteka.store.alert_matching import add_alerts
from kartoteka.store.alerts_tables import alert_entity_queue, alerts, watchlists
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry_tables import entities
from kartoteka.store.tables import articles
from kartoteka.store.watchlists import active_watchlists, visible


def alert_merges(conn: Connection, now: datetime) -> int:
    """Store the alerts owed for each merge the triggers queued; how many went in."""
    rows = conn.execute(select(alert_entity_queue)).all()
    if not rows:
        return 0
    parent = {
        r.id: r.merged_into
        for r in conn.execute(
            select(entities.c.id, entities.c.merged_into).where(entities.c.merged_into.is_not(None))
        )
    }
    added = 0
    done: set[frozenset[str]] = set()
    for row in rows:
        cluster = frozenset(cluster_of(parent, row.entity_id))
        if cluster not in done:  # several merges into one cluster: owed once
            done.add(cluster)
            added += add_alerts(conn, owed(conn, cluster), now)
        conn.execute(delete(alert_entity_queue).where(
            alert_entity_queue.c.entity_id == row.entity_id,
            alert_entity_queue.c.version == row.version,
        ))
    return added


def cluster_of(parent: dict[str, str], entity_id: str) -> set[str]:
    """Every id of ``entity_id``'s cluster: its canonical entity and all merged below it."""
    root, steps = entity_id, 0
    while root in parent and steps <= len(parent):  # a cycle cannot hang the matcher
        root, steps = parent[root], steps + 1
    children: dict[str, list[str]] = defaultdict(list)
    for child, into in parent.items():
        children[into].append(child)
    members, frontier = {root}, [root]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, ()) if c not in members]
        members.update(frontier)
    return members


def owed(conn: Connection, cluster: frozenset[str]) -> set[tuple[int, int]]:
    """(watchlist, article) pairs a merge into ``cluster`` owes (see the module's rule)."""
    ids = sorted(cluster)
    followers = conn.execute(
        active_watchlists()
        .with_only_columns(watchlists.c.pk, watchlists.c.user_pk, watchlists.c.created_at)
        .where(watchlists.c.kind == "entity", watchlists.c.key.in_(ids))
    ).all()
    if not followers:
        return set()
    linked = select(article_entities.c.article_pk).where(article_entities.c.entity_id.in_(ids))
    stored = {
        int(r.pk): r.ingested_at
        for r in conn.execute(
            select(articles.c.pk, articles.c.ingested_at)
            .where(articles.c.pk.in_(linked), *visible())
        )
    }
    if not stored:
        return set()
    users = sorted({int(f.user_pk) for f in followers})
    told: set[tuple[int, int]] = {
        (int(r.user_pk), int(r.article_pk))
        for r in conn.execute(
            select(watchlists.c.user_pk, alerts.c.article_pk)
            .join(watchlists, watchlists.c.pk == alerts.c.watchlist_pk)
            .where(watchlists.c.user_pk.in_(users), alerts.c.article_pk.in_(linked))
        )
    }
    pairs = set()
    for follower in sorted(followers, key=lambda f: int(f.pk)):
        user_pk, since = int(follower.user_pk), follower.created_at
        for article_pk, when in stored.items():
            if when >= since and (user_pk, article_pk) not in told:
                told.add((user_pk, article_pk))  # once per user, by their oldest watchlist
                pairs.add((int(follower.pk), article_pk))
    return pairs
