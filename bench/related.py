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

Building 100k articles takes minutes; with ``--db`` pointing at a file kept
from an earlier run and ``--reuse``, the articles already there are timed.
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

from sqlalchemy import func, insert, select

from bench.corpus import SyntheticCorpus
from bench.search import percentile, search
from kartoteka.model import article_id_for_key
from kartoteka.services.related import related_articles
from kartoteka.store import dialect
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.tables import articles
from kartoteka.text.normalize import content_hash

ENTITIES = 5000
BATCH = 2000
TARGET_P95_MS = 50.0


def fill(db: Database, n: int, seed: int) -> None:
    """Store ``n`` synthetic articles with entity links, in large transactions."""
    corpus = SyntheticCorpus(seed)
    rng = random.Random(seed)
    weights = list(accumulate(1 / (rank + 1) for rank in range(ENTITIES)))
    now = datetime.now(UTC)
    drafts = corpus.articles(n)
    done = 0
    started = time.perf_counter()
    while done < n:
        with db.transaction() as conn:
            repo = ArticleRepository(conn)
            links = []
            for draft in (next(drafts) for _ in range(min(BATCH, n - done))):
                article_id = article_id_for_key(draft.key())
                repo.insert(article_id, draft, content_hash(draft.title, draft.body), now)
                pk = conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar()
                chosen = set(rng.choices(range(ENTITIES), cum_weights=weights, k=rng.randint(1, 4)))
                links += [{"article_pk": pk, "entity_id": f"bench-entity-{e}", "mentions": 1,
                           "role": "subject" if i == 0 else "mentioned", "origin": "extraction"}
                          for i, e in enumerate(sorted(chosen))]
                done += 1
            conn.execute(insert(article_entities), links)
        rate = done / (time.perf_counter() - started)
        print(f"  stored {done}/{n} ({rate:.0f}/s)", file=sys.stderr)


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
        with db.transaction() as conn:  # as autovacuum would, in time, on PostgreSQL
            dialect.refresh_statistics(conn)
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
