"""Bulk fill for the search benchmark: a million synthetic articles in minutes.

Storing articles one by one through ``IngestService`` runs at about 165 a
second here, so a million would take most of two days.  The search bench
needs only what search reads, so this writes it directly, in large
transactions: the ``articles`` rows, their countries and authors, and the
full-text index.  It leaves out what search never reads (revisions, story
terms, repost signatures).

The index holds exactly what ``store.search_index`` would put there: the
exact forms and stems come from ``text.search_forms`` (memoised per
word: the synthetic vocabulary is a few tens of thousands of words), and
:func:`check_forms` compares a sample with ``indexed_text`` itself.

SQLite: the two FTS5 tables get the forms in the same transactions as the
rows and are merged into one segment each at the end (``optimize``).
PostgreSQL: the GIN indexes are dropped for the load and built once after
it (``search_vector`` is generated and ``stem_vector`` set by the trigger as
each row arrives), then VACUUM ANALYZE.
"""

from __future__ import annotations

import hashlib
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select, text

from bench.corpus import AUTHORS, COUNTRIES, SyntheticCorpus
from kartoteka.model import ArticleDraft, article_id_for_key
from kartoteka.store import search_index, search_index_schema
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.tables import article_countries, articles
from kartoteka.text.search_forms import WORD, exact_forms, indexed_text
from kartoteka.text.stemming import stem_words

BATCH = 10_000
# SQLite's default 2 MB page cache made the last 200,000 of a million articles
# (random inserts into the id and hash indexes) and the FTS5 optimize re-read
# pages from the OS hundreds of times over: 1 GB for the bulk connection.
_SQLITE_CACHE = "PRAGMA cache_size = -1000000"
_GIN = {
    "ix_articles_search_vector": "search_vector",
    "ix_articles_stem_vector": "stem_vector",
}


class _Forms:
    """``indexed_text`` for one language, memoised word by word."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.exact: dict[str, str] = {}
        self.stem: dict[str, str] = {}

    def __call__(self, value: str) -> tuple[str, str]:
        found = WORD.findall(value)
        exact, stem = self.exact, self.stem
        for word in found:
            if word not in exact:
                exact[word] = exact_forms([word])[0]
                stem[word] = stem_words([word], self.language)[0]
        return " ".join(map(exact.__getitem__, found)), " ".join(map(stem.__getitem__, found))


def check_forms(batch: list[tuple[ArticleDraft, str, str]], forms: _Forms) -> None:
    """The forms made here are what the store would index (a sample, every run)."""
    for draft, exact, stems in batch:
        title = indexed_text(draft.title, draft.language)
        body = indexed_text(draft.body, draft.language)
        if forms(draft.title) != (title.exact, title.stems) or (exact, stems) != body:
            raise SystemExit("bench/search_fill.py: generated forms differ from indexed_text")


def _authors(conn: Connection) -> dict[str, int]:
    repo = ArticleRepository(conn)
    return {a.handle: repo.save_author(a) for a in AUTHORS}


class Generator:
    """The bench corpus's vocabulary and Zipf weights, drawn with numpy.

    ``SyntheticCorpus`` spends about 1.6 ms of Python on an article; this
    draws every word of a batch in one call.  Batch ``b`` has a seed of its
    own, so a fill can resume at any batch and still make the same corpus."""

    def __init__(self, seed: int, body_bytes: tuple[int, int]) -> None:
        corpus = SyntheticCorpus(seed)
        self.seed = seed
        self.words = corpus.words
        self.capitalized = [w.capitalize() for w in self.words]
        weights = np.array([1 / (rank + 1) for rank in range(len(self.words))])
        self.p = weights / weights.sum()
        self.tokens = (max(8, body_bytes[0] // 7), max(9, body_bytes[1] // 7))
        forms = _Forms("en")
        self.exact = [forms(w)[0] for w in self.words]
        self.stems = [forms(w)[1] for w in self.words]

    def batch(self, number: int, size: int, first: int) -> list[tuple[ArticleDraft, str, str]]:
        """Articles ``first`` .. ``first + size - 1``, each with its exact and stem text."""
        rng = np.random.default_rng([self.seed, number])
        lengths = rng.integers(*self.tokens, size=size)
        drawn = rng.choice(len(self.words), size=int(lengths.sum()), p=self.p).tolist()
        title_lengths = rng.integers(3, 9, size=size).tolist()
        titles = rng.integers(40, len(self.words), size=int(sum(title_lengths))).tolist()
        hours = rng.integers(0, 24 * 365 * 10, size=size).tolist()
        authors = rng.integers(0, len(AUTHORS), size=size).tolist()
        sentence = rng.integers(8, 25, size=len(drawn)).tolist()
        start = datetime(2015, 1, 1, tzinfo=UTC)
        words, capitalized = self.words, self.capitalized
        out, at, title_at = [], 0, 0
        for i in range(size):
            tokens = drawn[at : at + int(lengths[i])]
            at += len(tokens)
            title_tokens = titles[title_at : title_at + title_lengths[i]]
            title_at += len(title_tokens)
            sentences, cut = [], 0
            while cut < len(tokens):
                piece = tokens[cut : cut + sentence[at - len(tokens) + cut]]
                cut += len(piece)
                sentences.append(
                    " ".join([capitalized[piece[0]], *map(words.__getitem__, piece[1:])]) + "."
                )
            body = "\n\n".join(
                " ".join(sentences[k : k + 5]) for k in range(0, len(sentences), 5)
            )
            title = " ".join(map(words.__getitem__, title_tokens)).capitalize()
            n = first + i
            draft = ArticleDraft(
                title=title,
                body=body,
                source=f"bench://article/{n}",
                source_key=f"bench://article/{n}",
                language="en",
                author=AUTHORS[authors[i]],
                published_at=start + timedelta(hours=hours[i]),
                countries=[COUNTRIES[c] for c in _countries(rng)],
            )
            exact = " ".join(map(self.exact.__getitem__, tokens))
            stems = " ".join(map(self.stems.__getitem__, tokens))
            out.append((draft, exact, stems))
        return out


def _countries(rng: np.random.Generator) -> list[int]:
    return [int(c) for c in rng.choice(len(COUNTRIES), size=int(rng.integers(1, 3)), replace=False)]


def _rows(
    drafts: list[ArticleDraft], first_pk: int, author_pks: dict[str, int], now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows, countries = [], []
    for offset, draft in enumerate(drafts):
        pk = first_pk + offset
        rows.append(
            {
                "pk": pk,
                "id": article_id_for_key(draft.key()),
                "source_key": draft.key(),
                "source": draft.source,
                "url": None,
                "title": draft.title,
                "body": draft.body,
                "language": draft.language,
                "author_pk": author_pks[draft.author.handle] if draft.author else None,
                "published_at": draft.published_at,
                "ingested_at": now,
                "updated_at": now,
                "content_hash": hashlib.sha256(draft.body.encode()).hexdigest(),
                "revision": 1,
                "status": "published",
                "original_id": None,
                "hashtags": [],
                "links": [],
                "extra": {},
            }
        )
        countries.extend({"article_pk": pk, "country": c} for c in draft.countries)
    return rows, countries


def _index_sqlite(
    conn: Connection, rows: list[dict[str, Any]], bodies: list[tuple[str, str]], forms: _Forms
) -> None:
    exact, stems = [], []
    for row, (body_exact, body_stems) in zip(rows, bodies, strict=True):
        title_exact, title_stems = forms(row["title"])
        exact.append((row["pk"], title_exact, body_exact))
        stems.append((row["pk"], title_stems, body_stems))
    for name, values in ((search_index.EXACT_TABLE, exact), (search_index.STEM_TABLE, stems)):
        conn.exec_driver_sql(
            f"INSERT INTO {name}(rowid, title, body) VALUES (?, ?, ?)", values
        )


def _fts_merging(conn: Connection, on: bool) -> None:
    """FTS5 merges segments as rows arrive; for a bulk load, once at the end instead.

    With FTS5's 1 MB of pending terms a batch of 10,000 articles became about
    twenty segments, and near 790,000 articles the 2,000 segments of one
    level forced a crisis merge inside a batch's transaction that ran for
    over twenty minutes (reading 450 MB a second from the page cache) without
    ending; 64 MB makes one segment a batch."""
    for name in (search_index.EXACT_TABLE, search_index.STEM_TABLE):
        for option, off_value, default in (
            ("automerge", 0, 4), ("crisismerge", 2000, 16), ("hashsize", 64 << 20, 1 << 20)
        ):
            value = default if on else off_value
            conn.exec_driver_sql(f"INSERT INTO {name}({name}, rank) VALUES ('{option}', {value})")


def fill(
    db: Database, n: int, seed: int, body_bytes: tuple[int, int], existing: int,
    optimize: bool = True,
) -> float:
    """Add articles ``existing`` .. ``n - 1`` of the seeded corpus; returns seconds taken.

    ``existing`` is rounded down to a whole batch already stored (a batch is
    one transaction), so an interrupted fill resumes where it stopped.
    ``optimize=False`` leaves SQLite's FTS5 tables in one segment per batch
    (a hundred at a million articles) instead of merging them into one:
    the merge of a million articles' index ran for hours here, and searches
    over the unmerged index are the slower case, not the flattering one."""
    started = time.perf_counter()
    generator = Generator(seed, body_bytes)
    forms = _Forms("en")
    now = datetime.now(UTC)
    sqlite = db.backend == "sqlite"
    first_batch = existing // BATCH
    with db.transaction() as conn:
        author_pks = _authors(conn)
        last_pk = int(conn.execute(select(func.coalesce(func.max(articles.c.pk), 0))).scalar_one())
        if sqlite:
            _fts_merging(conn, on=False)
        else:
            for index in _GIN:
                conn.execute(text(f"DROP INDEX IF EXISTS {index}"))
            # The stem postings too: copied in one pass and keyed in one sort
            # at the end (a minute at 1M), not 62 key inserts per row.
            search_index_schema.drop_stem_postings(conn)
    for number in range(first_batch, (n + BATCH - 1) // BATCH):
        first = number * BATCH
        batch = generator.batch(number, min(BATCH, n - first), first)
        drafts = [draft for draft, _, _ in batch]
        if number == first_batch:
            check_forms(batch[:50], forms)
        rows, countries = _rows(drafts, last_pk + 1, author_pks, now)
        last_pk += len(batch)
        with db.transaction() as conn:
            if sqlite:
                conn.exec_driver_sql(_SQLITE_CACHE)
            conn.execute(insert(articles), rows)
            conn.execute(insert(article_countries), countries)
            if sqlite:
                _index_sqlite(conn, rows, [(e, s) for _, e, s in batch], forms)
        done = first + len(batch)
        rate = (done - first_batch * BATCH) / (time.perf_counter() - started)
        print(f"  filled {done}/{n} ({rate:.0f}/s)", file=sys.stderr, flush=True)
    print("  building the index ...", file=sys.stderr, flush=True)
    with db.transaction() as conn:
        if sqlite:
            conn.exec_driver_sql(_SQLITE_CACHE)
            _fts_merging(conn, on=True)
            for name in (search_index.EXACT_TABLE, search_index.STEM_TABLE) if optimize else ():
                conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('optimize')")
        else:
            conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
            for index, column in _GIN.items():
                conn.execute(
                    text(f"CREATE INDEX IF NOT EXISTS {index} ON articles USING gin ({column})")
                )
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('articles', 'pk'), :last)"),
                {"last": last_pk},
            )
            search_index_schema.create_stem_postings(conn)
    _vacuum_analyze(db)
    return time.perf_counter() - started


def _vacuum_analyze(db: Database) -> None:
    """Statistics for the planner and, on PostgreSQL, the visibility map.

    A server's autovacuum would have set the map long before a million
    articles were searched (it is off on the machines here); without it an
    index-only scan of ``article_countries`` visited the table for each of
    its rows, 9,505 for one country-filtered search, and the planner walked
    the wrong index of the two."""
    if db.backend == "sqlite":
        with db.transaction() as conn:
            conn.exec_driver_sql("ANALYZE")
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
