"""Search benchmark: ingest N synthetic articles, then time a fixed query mix.

    python bench/search.py --n 100000 [--db URL] [--queries 400]

Prints ingest articles/s, search p50/p95/p99 latency per query kind and
overall, and in the same run a baseline: a naive ``LIKE '%term%'`` scan over
the same table.  The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, or_, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import AUTHORS, COUNTRIES, FIELD, NAMES, SyntheticCorpus
from kartoteka.services.ingest import IngestService
from kartoteka.services.search import search
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.tables import articles


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def query_mix(rng: random.Random, n: int) -> list[tuple[str, str, ArticleFilter]]:
    """One-word, two-word, phrase and filtered queries in equal shares."""
    mix: list[tuple[str, str, ArticleFilter]] = []
    terms = FIELD + NAMES
    for i in range(n):
        kind = ("one-word", "two-word", "phrase", "filtered")[i % 4]
        a, b = rng.sample(terms, 2)
        if kind == "one-word":
            mix.append((kind, a, ArticleFilter()))
        elif kind == "two-word":
            mix.append((kind, f"{a} {b}", ArticleFilter()))
        elif kind == "phrase":
            mix.append((kind, f'"{a} {b}"', ArticleFilter()))
        else:
            flt = ArticleFilter(
                country=rng.choice(COUNTRIES),
                author=rng.choice(AUTHORS).handle if i % 8 == 3 else None,
                since=datetime(2018, 1, 1, tzinfo=UTC),
            )
            mix.append((kind, a, flt))
    return mix


def like_scan(db: Database, term: str) -> int:
    """What search does without an index: find every match, newest 20 first."""
    pattern = f"%{term}%"
    with db.read() as conn:
        matches = or_(articles.c.title.like(pattern), articles.c.body.like(pattern))
        conn.execute(
            select(articles.c.id).where(matches).order_by(articles.c.published_at.desc()).limit(20)
        ).all()
        return int(conn.execute(select(func.count()).where(matches)).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--queries", type=int, default=400, help="queries to time")
    parser.add_argument("--baseline-queries", type=int, default=20, help="LIKE scans to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --db: skip ingest when the database already holds N articles",
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.db'}"
    db = Database(url)
    db.migrate()
    service = IngestService(db)
    corpus = SyntheticCorpus(args.seed)

    with db.read() as conn:
        existing = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    started = time.perf_counter()
    stored = 0
    drafts = corpus.articles(args.n)
    if args.reuse and existing >= args.n:
        drafts = iter(())  # time the queries on the articles already there
    for draft in drafts:
        service.store(draft)
        stored += 1
        if stored % 10_000 == 0:
            rate = stored / (time.perf_counter() - started)
            print(f"  ingested {stored}/{args.n} ({rate:.0f}/s)", file=sys.stderr)
    ingest_seconds = time.perf_counter() - started
    ingest_rate = stored / ingest_seconds if stored and ingest_seconds else 0.0
    print(f"backend {db.backend}, {args.n} articles ({existing} already there)")
    print(f"ingest: {ingest_rate:.0f} articles/s ({ingest_seconds:.1f} s)")

    rng = random.Random(args.seed)
    mix = query_mix(rng, args.queries)
    for _kind, text, flt in mix[:8]:  # warm the page cache
        search(db, text, flt)
    by_kind: dict[str, list[float]] = {}
    for kind, text, flt in mix:
        t0 = time.perf_counter()
        search(db, text, flt, limit=20)
        by_kind.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    every = [ms for values in by_kind.values() for ms in values]
    for kind, values in by_kind.items():
        print(
            f"search {kind:9s}: p50 {percentile(values, 50):7.2f} ms  "
            f"p95 {percentile(values, 95):7.2f} ms  p99 {percentile(values, 99):7.2f} ms"
        )
    p50, p95, p99 = (percentile(every, q) for q in (50, 95, 99))
    print(f"search all      : p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  p99 {p99:7.2f} ms")

    baseline: list[float] = []
    for _kind, text, _flt in mix[: args.baseline_queries]:
        term = text.strip('"').split()[0]
        t0 = time.perf_counter()
        like_scan(db, term)
        baseline.append((time.perf_counter() - t0) * 1000)
    base_p50 = statistics.median(baseline)
    print(
        f"baseline LIKE '%term%': p50 {base_p50:.1f} ms, p99 {percentile(baseline, 99):.1f} ms; "
        f"index speed-up at p50: {base_p50 / p50:.0f}x"
    )
    db.dispose()
    print(
        json.dumps(
            {
                "backend": db.backend,
                "n": args.n,
                "ingest_articles_per_s": round(ingest_rate, 1),
                "search_p50_ms": round(p50, 2),
                "search_p95_ms": round(p95, 2),
                "search_p99_ms": round(p99, 2),
                "by_kind_p99_ms": {k: round(percentile(v, 99), 2) for k, v in by_kind.items()},
                "baseline_like_p50_ms": round(base_p50, 1),
                "baseline_like_p99_ms": round(percentile(baseline, 99), 1),
                "speedup_p50": round(base_p50 / p50, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
