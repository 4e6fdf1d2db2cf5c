"""Search benchmark: ingest N synthetic articles, then time a fixed query mix.

    python bench/search.py --n 100000 [--db URL] [--queries 400] [--ru-n 2000]

Prints ingest articles/s, search p50/p95/p99 latency per query kind and
overall, and in the same run a baseline: a naive ``LIKE '%term%'`` scan over
the same table.

Then the Russian word-form set (``bench/russian_forms.py``): ``--ru-n``
Russian articles whose nouns appear in every case are added, and each noun is
searched in its dictionary form.  Recall and precision against the known
answer are printed for the stem index (a bare word) and, as the baseline, the
exact-word index (the same word in quotes), with the latency of those
queries.  The last line is one JSON object with every figure.

Measured for word forms (issue 12) on a shared 2-core machine, before and
after, with ``--n 20000`` (100000 took too long there): three alternating
runs of the query mix with ``--reuse`` on the two databases, medians.
SQLite: p50 5.6 -> 5.2 ms, p95 22.3 -> 20.0 ms, p99 50.8 -> 31.6 ms (the
rank statement now counts the matches as well, which a second statement did;
a query naming a country finds about ten times the articles it did, and is
slower: "Iraq" 6 -> 25 ms).  PostgreSQL with ``--n 10000`` (after ANALYZE):
p50 88 -> 114 ms, p95 201 -> 149 ms, p99 249 -> 173 ms; most of each query
is reading candidates' ``tsvector`` out of TOAST, before and after.  Storing
articles (no extraction) is slower with the second index: SQLite about 250
-> 165 articles/s of CPU, PostgreSQL 82 -> 71 articles/s.  Russian word
forms (2,000 articles): stem index recall 0.956, precision 0.927 (``Мали``
against «мало», «малых»); the exact-word index 0.167 and 1.000.  The index
takes 15% more space (448 against 388 MB at 20,000 articles).
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
from typing import Any

from sqlalchemy import func, or_, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import russian_forms
from bench.corpus import AUTHORS, COUNTRIES, FIELD, NAMES, SyntheticCorpus
from kartoteka.model import article_id_for_key
from kartoteka.services.ingest import IngestService
from kartoteka.services.matching import RegistryMatcher
from kartoteka.services.search import search as search_once
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.search import matching, pks_only
from kartoteka.store.tables import articles
from kartoteka.text.query import parse_query

_MATCHERS: dict[str, RegistryMatcher] = {}


def search(db: Database, *args: Any, **kwargs: Any) -> Any:
    """Search as a server runs it: one registry matcher per database for the run."""
    matcher = _MATCHERS.setdefault(db.url, RegistryMatcher(db))
    return search_once(db, *args, matcher=matcher, **kwargs)


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


def matched_ids(db: Database, query: str, flt: ArticleFilter) -> set[str]:
    """Every article the words of ``query`` match (no widening, no paging)."""
    with db.read() as conn:
        found = matching(conn, parse_query(query), flt)
        if found is None:
            return set()
        pks = pks_only(found).subquery()
        rows = conn.execute(select(articles.c.id).where(articles.c.pk.in_(select(pks))))
        return set(rows.scalars())


def word_forms(db: Database, n: int, reuse: bool) -> dict[str, object]:
    """Recall and precision of bare (stemmed) and quoted (exact) dictionary forms."""
    generated = list(russian_forms.articles(n))
    service = IngestService(db)
    ru = ArticleFilter(language="ru")
    with db.read() as conn:
        stored = conn.execute(
            select(func.count()).select_from(articles).where(articles.c.language == "ru")
        ).scalar_one()
    ids: dict[str, set[str]] = {lemma: set() for lemma in russian_forms.NOUNS}
    started = time.perf_counter()
    for item in generated:
        if reuse and stored >= n:
            article_id = article_id_for_key(item.draft.key())
        else:
            article_id, _ = service.store(item.draft)
        for lemma in item.nouns:
            ids[lemma].add(article_id)
    ingest_seconds = time.perf_counter() - started
    figures: dict[str, object] = {"articles": n, "queries": len(ids)}
    for label, quote in (("stemmed", ""), ("exact", '"')):
        hits = relevant = retrieved = 0
        for lemma, answer in ids.items():
            found = matched_ids(db, f"{quote}{lemma}{quote}", ru)
            hits += len(found & answer)
            relevant += len(answer)
            retrieved += len(found)
        figures[f"{label}_recall"] = round(hits / relevant, 3) if relevant else 0.0
        figures[f"{label}_precision"] = round(hits / retrieved, 3) if retrieved else 0.0
    timings = []
    for lemma in ids:
        t0 = time.perf_counter()
        search(db, lemma, limit=20)
        timings.append((time.perf_counter() - t0) * 1000)
    figures["p50_ms"] = round(percentile(timings, 50), 2)
    figures["p99_ms"] = round(percentile(timings, 99), 2)
    print(
        f"russian word forms ({n} articles, {len(ids)} dictionary-form queries, "
        f"stored in {ingest_seconds:.1f} s): "
        f"stemmed recall {figures['stemmed_recall']:.3f} precision "
        f"{figures['stemmed_precision']:.3f}; baseline exact-word index recall "
        f"{figures['exact_recall']:.3f} precision {figures['exact_precision']:.3f}; "
        f"recall ratio {float(figures['stemmed_recall']) / max(float(figures['exact_recall']), 1e-9):.1f}x; "  # noqa: E501
        f"search p50 {figures['p50_ms']:.2f} ms p99 {figures['p99_ms']:.2f} ms"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to generate")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--queries", type=int, default=400, help="queries to time")
    parser.add_argument("--baseline-queries", type=int, default=20, help="LIKE scans to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--ru-n", type=int, default=2000, help="Russian word-form articles (0: skip the set)"
    )
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
    forms = word_forms(db, args.ru_n, args.reuse) if args.ru_n else {}
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
                "russian_word_forms": forms,
            }
        )
    )


if __name__ == "__main__":
    main()
