"""Matching new articles against many watchlists: time per article, beside a naive baseline.

Builds a database with ``--background`` older articles (``bench.corpus``:
Zipf words, 40 authors, 12 countries, one to four links each to 5,000
entities with a Zipf skew), ``--watchlists`` watchlists over 1,000 users
(half entities, a fifth authors, a tenth countries, a fifth saved searches
of one or two words, some with a country filter; searches repeat, as
popular ones do), then stores ``--new`` articles, which the triggers queue.

* kartoteka: ``AlertService.match_pending`` (keyed look-ups on (kind, key),
  each distinct saved search run once restricted to the batch), including
  writing the alerts;
* baseline, same run and data: every watchlist checked against every new
  article, one query per watchlist over the new articles (a saved search
  planned and run per watchlist), no alerts written.

Both must find the same (watchlist, article) pairs.  Figures are CPU time
of this process and wall time; the machine may be shared, so the load
average is printed.  SQLite works in-process, so its CPU time is all of it;
on PostgreSQL (``--db postgresql://...``, an empty database) the server's
CPU is added: the backends serving this database (``pg_stat_activity``),
read from ``/proc`` when the server runs on this machine.  Statistics are
refreshed (``ANALYZE``) after filling, before anything is timed.  The last
line is JSON.

    PYTHONPATH=. python bench/alerts.py [--watchlists 10000] [--new 1000] [--background 5000]
    PYTHONPATH=. python bench/alerts.py --db postgresql://postgres@127.0.0.1/NAME
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from bench.corpus import AUTHORS, COUNTRIES, SyntheticCorpus
from bench.proc_cpu import backend_cpu
from kartoteka.model import article_id_for_key
from kartoteka.services.alert_matcher import filter_of
from kartoteka.services.alerts import AlertService
from kartoteka.services.feeds import search_feed_query
from kartoteka.services.search import plan_search
from kartoteka.store import alert_matching, dialect
from kartoteka.store.accounts_tables import users
from kartoteka.store.alerts_tables import alert_queue, alerts, watchlists
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.authors import author_key
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.tables import article_countries, articles, authors
from kartoteka.text.normalize import content_hash

ENTITIES = 5000
USERS = 1000


def store(db: Database, corpus: SyntheticCorpus, rng: random.Random, start: int, n: int) -> None:
    weights = list(accumulate(1 / (rank + 1) for rank in range(ENTITIES)))
    now = datetime.now(UTC)
    drafts = corpus.articles(start + n)
    for _ in range(start):  # the corpus is a stream: skip what was stored before
        next(drafts)
    done = 0
    while done < n:
        with db.transaction() as conn:
            repo = ArticleRepository(conn)
            links = []
            for draft in (next(drafts) for _ in range(min(1000, n - done))):
                article_id = article_id_for_key(draft.key())
                repo.insert(article_id, draft, content_hash(draft.title, draft.body), now)
                pk = conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar()
                chosen = set(rng.choices(range(ENTITIES), cum_weights=weights, k=rng.randint(1, 4)))
                links += [{"article_pk": pk, "entity_id": f"bench-entity-{e}", "mentions": 1,
                           "role": "mentioned", "origin": "extraction"} for e in sorted(chosen)]
                done += 1
            conn.execute(insert(article_entities), links)
        print(f"  stored {start + done} articles", file=sys.stderr)


def make_watchlists(db: Database, corpus: SyntheticCorpus, rng: random.Random, n: int) -> None:
    created = datetime.now(UTC) - timedelta(days=1)
    searches = [" ".join(rng.sample(corpus.words[40:1500], rng.randint(1, 2)))
                for _ in range(max(1, n // 20))]
    with db.transaction() as conn:
        conn.execute(insert(users), [
            {"email": f"u{i}@bench", "email_key": f"u{i}@bench", "display_name": "",
             "role": "reader", "created_at": created} for i in range(USERS)])
        user_pks = list(conn.execute(select(users.c.pk)).scalars())
        rows: list[dict[str, Any]] = []
        seen: set[tuple[int, str, str]] = set()
        while len(rows) < n:
            roll = rng.random()
            filters: dict[str, str] = {}
            query = None
            if roll < 0.5:
                kind, key = "entity", f"bench-entity-{int(rng.paretovariate(1.0)) % ENTITIES}"
            elif roll < 0.7:
                kind, key = "author", author_key(rng.choice(AUTHORS).handle)
            elif roll < 0.8:
                kind, key = "country", rng.choice(COUNTRIES)
            else:
                kind, query = "search", rng.choice(searches)
                if rng.random() < 0.3:
                    filters = {"country": rng.choice(COUNTRIES)}
                key = search_feed_query(query, filter_of(filters))
            user = rng.choice(user_pks)
            if (user, kind, key) in seen:
                continue
            seen.add((user, kind, key))
            rows.append({"user_pk": user, "kind": kind, "key": key, "label": key,
                         "query": query, "filters": filters, "frequency": "daily",
                         "created_at": created})
        conn.execute(insert(watchlists), rows)


def naive(db: Database, pks: list[int]) -> set[tuple[int, int]]:
    """Every watchlist against every new article: one query per watchlist, no index by key."""
    found: set[tuple[int, int]] = set()
    with db.read() as conn:
        every = conn.execute(select(watchlists)).all()
        for w in every:
            if w.kind == "entity":
                q = select(article_entities.c.article_pk).where(
                    article_entities.c.entity_id == w.key, article_entities.c.article_pk.in_(pks))
            elif w.kind == "country":
                q = select(article_countries.c.article_pk).where(
                    article_countries.c.country == w.key, article_countries.c.article_pk.in_(pks))
            elif w.kind == "author":
                q = select(articles.c.pk).join(authors, authors.c.pk == articles.c.author_pk).where(
                    authors.c.handle_key == w.key, articles.c.pk.in_(pks))
            else:
                plan = plan_search(db, w.query or "")
                if plan.message:  # search itself finds nothing for it (function words only)
                    continue
                matched = alert_matching.search_matches(
                    conn, plan.query, filter_of(dict(w.filters or {})), plan.widened_by, pks)
                found.update((w.pk, a) for a in matched)
                continue
            visible = select(articles.c.pk).where(*ArticleFilter().conditions())
            found.update((w.pk, int(a)) for a in conn.execute(q.where(
                q.selected_columns[0].in_(visible))).scalars())
    return found


def server_cpu(db: Database) -> float | None:
    """CPU seconds used so far by PostgreSQL's backends serving this database;
    ``None`` for SQLite (it runs in this process) or a server on another machine."""
    found = backend_cpu(db)
    return sum(found.values()) if found else None


def timed(db: Database, fn: Callable[[], Any]) -> tuple[Any, float, float, float]:
    """Result, wall seconds, CPU seconds in all, of which the database server's."""
    server = server_cpu(db)
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = server_cpu(db)
    served = after - server if server is not None and after is not None else 0.0
    return result, wall, cpu + served, served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchlists", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--background", type=int, default=5000)
    parser.add_argument("--db", help="an empty database URL (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'alerts.db'}"
    db = Database(url)
    db.migrate()
    rng = random.Random(args.seed)
    corpus = SyntheticCorpus(args.seed)
    store(db, corpus, rng, 0, args.background)
    make_watchlists(db, corpus, rng, args.watchlists)
    with db.transaction() as conn:
        conn.execute(delete(alert_queue))  # the background was there before anyone followed
    store(db, SyntheticCorpus(args.seed), rng, args.background, args.new)
    with db.transaction() as conn:
        dialect.refresh_statistics(conn)  # the planner needs them after a bulk load
    with db.read() as conn:
        pks = [int(p) for p in conn.execute(select(alert_queue.c.article_pk)).scalars()]
    load_before = os.getloadavg()
    report, wall, cpu, served = timed(db, lambda: AlertService(db).match_pending())
    base, base_wall, base_cpu, base_served = timed(db, lambda: naive(db, pks))
    load = [round(max(a, b), 2) for a, b in zip(load_before, os.getloadavg(), strict=True)]
    with db.read() as conn:
        made = {(int(r.watchlist_pk), int(r.article_pk)) for r in conn.execute(select(alerts))}
    agree = made == base
    n = len(pks)
    cpu_of = ("this process" if db.backend == "sqlite"
              else "this process + the PostgreSQL backends of its database")

    def of_it(served: float) -> str:
        return "" if db.backend == "sqlite" else f"{1000 * served / n:.2f} of it the server's; "

    print(f"{args.watchlists} watchlists, {n} new articles on {args.background} older, "
          f"{db.backend}; load average {load}; CPU: {cpu_of}")
    print(f"kartoteka match_pending: {report.alerts} alerts, {report.searches} distinct searches;"
          f" {1000 * cpu / n:.2f} ms CPU / article ({of_it(served)}{1000 * wall / n:.2f} ms wall)")
    print(f"baseline, every watchlist x every article: {len(base)} pairs; "
          f"{1000 * base_cpu / n:.2f} ms CPU / article ({of_it(base_served)}"
          f"{1000 * base_wall / n:.2f} ms wall)")
    print(f"ratio (baseline / kartoteka, CPU): {base_cpu / cpu:.1f}x; same pairs: {agree}")
    print(json.dumps({
        "bench": "alerts", "backend": db.backend, "watchlists": args.watchlists, "new": n,
        "background": args.background, "alerts": report.alerts,
        "ms_cpu_per_article": round(1000 * cpu / n, 3),
        "ms_wall_per_article": round(1000 * wall / n, 3),
        "ms_server_cpu_per_article": round(1000 * served / n, 3),
        "baseline_ms_cpu_per_article": round(1000 * base_cpu / n, 3),
        "baseline_ms_wall_per_article": round(1000 * base_wall / n, 3),
        "baseline_ms_server_cpu_per_article": round(1000 * base_served / n, 3),
        "same_pairs": agree, "load_average": load, "cpu_of": cpu_of,
    }))
    if not agree:
        with db.read() as conn:
            kinds = {int(r.pk): (r.kind, r.query) for r in conn.execute(select(watchlists))}
        for label, pairs in (("only kartoteka", made - base), ("only baseline", base - made)):
            sample = sorted({kinds[w] for w, _ in pairs}, key=str)[:10]
            print(f"{label}: {len(pairs)} pairs, from {sample}")
    db.dispose()
    tmp.cleanup()
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()
