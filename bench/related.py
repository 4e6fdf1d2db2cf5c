"""Speed of related articles for one article, at 100k synthetic articles.

Articles come from ``bench.corpus`` (Zipf-distributed words, 3-6 KB each);
each gets one to four entity links drawn from 5,000 entities with a Zipf
skew, so a few entities are linked to thousands of articles, as "NATO" or
"Wagner" would be.  The baseline, timed on the same articles in the same
run, is a plain full-text search of the article's title (what a reader
would otherwise type).  Target: related p95 <= 50 ms.  The last line is JSON.

Other helpers may share the machine, so wall time alone misleads: each
figure comes with the CPU time this process spent (SQLite works in-process;
PostgreSQL's server time is not in it), and the load average is printed.

    PYTHONPATH=. python bench/related.py [--n 100000] [--db URL [--reuse]]

Building 100k articles takes minutes on SQLite and about an hour on
PostgreSQL on this shared machine; with ``--db`` pointing at a database kept
from an earlier run and ``--reuse``, the articles already there are timed.
Fill a new database (``--db`` to an empty one): added articles are numbered
from 0, so adding to a collection this bench filled collides with its keys.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, text

from bench.corpus import SyntheticCorpus
from bench.search import percentile, search
from kartoteka.model import ArticleDraft, article_id_for_key
from kartoteka.services.related import related_articles
from kartoteka.store import dialect, search_index, search_index_schema
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.story_terms import add_story_terms
from kartoteka.store.tables import article_countries, article_revisions, articles
from kartoteka.text.normalize import content_hash

ENTITIES = 5000
BATCH = 2000
TARGET_P95_MS = 50.0


def fill(db: Database, n: int, seed: int) -> None:
    """Store ``n`` synthetic articles with entity links, in large transactions.

    In bulk: each batch's articles, revisions, countries and links go in as
    one statement per table, and the derived rows are made by the store's
    own functions on the whole batch (``add_story_terms`` counts terms once
    per batch; the search index is ``index_article`` on SQLite and the
    database's own trigger on PostgreSQL).  ``ArticleRepository.insert``,
    article by article, managed 10-25 articles a second on PostgreSQL.  The
    random draws are those of the article-by-article fill, so a seed gives
    the same collection as before on either backend.
    """
    corpus = SyntheticCorpus(seed)
    rng = random.Random(seed)
    weights = list(accumulate(1 / (rank + 1) for rank in range(ENTITIES)))
    now = datetime.now(UTC)
    drafts = corpus.articles(n)
    done = 0
    started = time.perf_counter()
    author_pks: dict[str, int] = {}
    with db.transaction() as conn:
        search_index_schema.drop_text_indexes(conn)
    while done < n:
        batch = [next(drafts) for _ in range(min(BATCH, n - done))]
        chosen = [
            sorted(set(rng.choices(range(ENTITIES), cum_weights=weights, k=rng.randint(1, 4))))
            for _ in batch
        ]
        with db.transaction() as conn:
            repo = ArticleRepository(conn)
            for draft in batch:
                if draft.author and draft.author.handle not in author_pks:
                    author_pks[draft.author.handle] = repo.save_author(draft.author)
            pks = _insert_articles(conn, batch, author_pks, now)
            conn.execute(insert(article_revisions), [
                {"article_pk": pk, "number": 1, "title": d.title, "body": d.body,
                 "content_hash": content_hash(d.title, d.body), "created_at": now}
                for pk, d in zip(pks, batch, strict=True)])
            conn.execute(insert(article_countries), [
                {"article_pk": pk, "country": c}
                for pk, d in zip(pks, batch, strict=True) for c in sorted(set(d.countries))])
            conn.execute(insert(article_entities), [
                {"article_pk": pk, "entity_id": f"bench-entity-{e}", "mentions": 1,
                 "role": "subject" if i == 0 else "mentioned", "origin": "extraction"}
                for pk, ids in zip(pks, chosen, strict=True) for i, e in enumerate(ids)])
            for pk, d in zip(pks, batch, strict=True):
                search_index.index_article(conn, pk, d.title, d.body, d.language)
            add_story_terms(conn, ((pk, d.title, d.body) for pk, d in zip(pks, batch, strict=True)))
        done += len(batch)
        rate = done / (time.perf_counter() - started)
        print(f"  stored {done}/{n} ({rate:.0f}/s)", file=sys.stderr)
    with db.transaction() as conn:
        search_index_schema.create_search_index(conn)
    print(f"  indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _insert_articles(
    conn: Connection, batch: list[ArticleDraft], author_pks: dict[str, int], now: datetime
) -> list[int]:
    """The batch's article rows in one statement; their keys, in batch order."""
    rows = [
        {"id": article_id_for_key(d.key()), "source_key": d.key(), "source": d.source,
         "url": d.url, "title": d.title, "body": d.body, "language": d.language,
         "author_pk": author_pks[d.author.handle] if d.author else None,
         "published_at": d.published_at, "ingested_at": now, "updated_at": now,
         "content_hash": content_hash(d.title, d.body), "revision": 1, "status": "published",
         "hashtags": list(d.hashtags), "links": list(d.links), "extra": dict(d.extra)}
        for d in batch
    ]
    statement = insert(articles).returning(articles.c.pk, sort_by_parameter_order=True)
    return [int(pk) for pk in conn.execute(statement, rows).scalars()]


def vacuum_analyze(db: Database) -> None:
    """Statistics for the planner, and on PostgreSQL the visibility map that
    lets it read the story terms index alone, as autovacuum would in time
    (this machine's PostgreSQL runs without it).  VACUUM runs outside a
    transaction, so on a connection of its own."""
    if db.backend == "sqlite":
        with db.transaction() as conn:
            dialect.refresh_statistics(conn)
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--queries", type=int, default=200, help="articles to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true",
        help="with --db: time the articles already there, never add any "
             "(fails unless the database holds at least N)",
    )
    args = parser.parse_args()
    if args.reuse and not args.db:
        parser.error("--reuse needs --db: a temporary database has nothing to reuse")

    tmp = tempfile.TemporaryDirectory()
    db = Database(args.db or f"sqlite:///{Path(tmp.name) / 'related.db'}")
    db.migrate()
    with db.read() as conn:
        existing = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
    if existing < args.n:
        if args.reuse:
            sys.exit(f"--reuse: the database holds {existing} articles, fewer than {args.n}")
        fill(db, args.n - existing, args.seed + existing)
        vacuum_analyze(db)
    with db.read() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.title)).all()
    rng = random.Random(args.seed)
    sample = rng.sample(rows, min(args.queries, len(rows)))
    for row in sample[:5]:  # warm caches
        related_articles(db, row.id)
    ours, ours_cpu, baseline, baseline_cpu, found = [], [], [], [], 0
    load_before = os.getloadavg()
    for row in sample:
        t0, c0 = time.perf_counter(), time.process_time()
        found += len(related_articles(db, row.id, limit=5))
        ours.append((time.perf_counter() - t0) * 1000)
        ours_cpu.append((time.process_time() - c0) * 1000)
        t0, c0 = time.perf_counter(), time.process_time()
        search(db, row.title, limit=5)
        baseline.append((time.perf_counter() - t0) * 1000)
        baseline_cpu.append((time.process_time() - c0) * 1000)
    load = [round(max(a, b), 2) for a, b in zip(load_before, os.getloadavg(), strict=True)]
    p50, p95, p99 = (percentile(ours, q) for q in (50, 95, 99))
    c50, c95 = percentile(ours_cpu, 50), percentile(ours_cpu, 95)
    b50, b95 = percentile(baseline, 50), percentile(baseline, 95)
    bc95 = percentile(baseline_cpu, 95)
    print(f"backend {db.backend}, {len(rows)} articles, {len(sample)} articles timed, "
          f"{found / len(sample):.1f} related each")
    print(f"load average (1, 5, 15 min, higher of before/after): {load}")
    print(f"related      : wall p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  p99 {p99:7.2f} ms "
          f"(target p95 <= {TARGET_P95_MS:.0f} ms)")
    print(f"               cpu  p50 {c50:7.2f} ms  p95 {c95:7.2f} ms")
    print(f"title search : wall p50 {b50:7.2f} ms  p95 {b95:7.2f} ms; cpu p95 {bc95:7.2f} ms "
          "(baseline)")
    print(f"related / title search at p95: {p95 / b95:.2f}x wall, {c95 / bc95:.2f}x cpu")
    db.dispose()
    print(json.dumps({"backend": db.backend, "n": len(rows), "queries": len(sample),
                      "load_average": load,
                      "related_p50_ms": round(p50, 2), "related_p95_ms": round(p95, 2),
                      "related_p99_ms": round(p99, 2),
                      "related_cpu_p50_ms": round(c50, 2), "related_cpu_p95_ms": round(c95, 2),
                      "baseline_title_search_p95_ms": round(b95, 2),
                      "baseline_title_search_cpu_p95_ms": round(bc95, 2),
                      "ratio_p95": round(p95 / b95, 3), "ratio_cpu_p95": round(c95 / bc95, 3),
                      "target_p95_ms": TARGET_P95_MS, "met": p95 <= TARGET_P95_MS}))


if __name__ == "__main__":
    main()
