"""One set of queries on SQLite and on PostgreSQL over the same articles: the same ids.

SQLite stems in Python (PyStemmer), PostgreSQL with its own ``kartoteka_stem``
text search configuration; the two must agree on what a query finds.  The
articles are the test corpus, the demo's Kosovo, Wagner and Libya articles
in English and Russian (linked to the demo registry, so widening is
compared too) and one article in a language without a stemmer.  Rank
order is each backend's own (BM25 and ``ts_rank``); the sets must be equal.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kartoteka.model import ArticleDraft
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.search import search
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database

SAMPLE = Path(__file__).resolve().parents[2] / "kartoteka" / "sample_data"
SAMPLE_ARTICLES = [
    "01-kosovo-liberation-army.md", "02-hashim-thaci.md", "03-khashim-tachi.md",
    "13-jnim.md", "16-ash-shabab.md", "18-wagner-group.md", "19-chvk-vagner.md",
    "21-libya-tripoli-forces.md",
]
QUERIES = [
    # word forms, Russian and English
    "Ливия", "Ливии", "боевик", "Косово", "Косову", "группировка", "attack", "attacks",
    "fighters", "talks", "armed groups", "army", "Вагнер", "молодежь", "вооруженный",
    "Евгения", "сербский", "Гаага",
    # exact forms
    '"Косова"', '"Косово"', '"attacks"', '"Kosovo Liberation Army"', '"army liberation"',
    '"armed group"', '"Аль-Каиды"',
    # prefixes, hyphens, exclusions
    "terror*", "Лив*", "milit*", "al-Qaeda", "Аль-Каида", "kosovo -thaci",
    "боевик -Сомали", 'attack -"attacked"', "Vučić", "Vucic",
    # names and countries (widening)
    "Thaçi", "Тачи", "Hashim Thachi", "КЛА", "Kosovo", "🇽🇰", "Wagner", "ЧВК Вагнер",
    "Libya", '"Hashim Thaçi" 1968',
    # nothing to find, bad input
    "the", "?!", "zzzqqq", "2019",
]


def _empty(database: Database) -> None:
    with database.transaction() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                 "AND tablename <> 'alembic_version'")
        ).scalars().all()
        names = ", ".join(f'"{t}"' for t in tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _fill(db: Database, corpus_dir: Path) -> None:
    assert registry_service.import_file(db, SAMPLE / "registry.ftm.jsonl").failed == 0
    service = ingest_service(db, extraction=ExtractionService(db, ner=False))
    paths = [str(corpus_dir)] + [str(SAMPLE / "articles" / name) for name in SAMPLE_ARTICLES]
    report = service.ingest(paths)
    assert report.failed == 0, report.errors
    service.store(
        ArticleDraft(
            title="Bilten", body="Agencija javlja: \"Attacks reported near Mitrovica.\"",
            source="test://sr/bilten", language="sr", countries=["xk"],
            published_at=datetime(2023, 1, 1, tzinfo=UTC),
        )
    )


@pytest.fixture
def both(
    request: pytest.FixtureRequest, tmp_path: Path, corpus_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Database, Database]]:
    backends = os.environ.get("KARTOTEKA_TEST_BACKENDS", "sqlite,postgresql")
    if "postgresql" not in backends or "sqlite" not in backends:
        pytest.skip("compares SQLite with PostgreSQL: both backends must be tested")
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))
    sqlite = Database(f"sqlite:///{tmp_path / 'agree.db'}")
    sqlite.migrate()
    postgres = Database(str(request.getfixturevalue("postgres_url")))
    _empty(postgres)
    for database in (sqlite, postgres):
        _fill(database, corpus_dir)
    yield sqlite, postgres
    sqlite.dispose()
    postgres.dispose()


def test_the_same_query_finds_the_same_articles_on_both_backends(
    both: tuple[Database, Database],
) -> None:
    sqlite, postgres = both
    differences = {}
    for query in QUERIES:
        a, b = search(sqlite, query, limit=200), search(postgres, query, limit=200)
        ids_a, ids_b = sorted(h.id for h in a.hits), sorted(h.id for h in b.hits)
        if (ids_a, a.total, a.widened_by, a.message) != (ids_b, b.total, b.widened_by, b.message):
            differences[query] = (ids_a, ids_b)
    assert differences == {}
    # The set is not vacuous: all but the queries meant to find nothing find something.
    empty = [q for q in QUERIES if not search(sqlite, q).hits]
    assert empty == ['"army liberation"', "the", "?!", "zzzqqq"]
