"""Ingest's stages in batches, on both backends: store, then extract after commit.

A batch is one transaction with a savepoint per article, so a failing
article is that article's error and takes none of its rows with it; the
stages after storage see each committed batch; extraction keyed by
(article id, revision) leaves a revised article to its newer run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kartoteka.ingest.base import ItemError
from kartoteka.model import ArticleDraft
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService, Outcome, StoredArticle
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import mentions
from kartoteka.store.tables import article_revisions, articles

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"


@pytest.fixture(autouse=True)
def gazetteer_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KARTOTEKA_CACHE_DIR", str(tmp_path / "cache"))


def draft(n: int, body: str | None = None) -> ArticleDraft:
    return ArticleDraft(
        title=f"Report {n}", body=body or f"Body of report number {n} about armed groups.",
        source=f"https://example.org/{n}",
    )


def count(db: Database, table: object) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_failing_article_is_its_own_error_and_leaves_no_rows(db: Database) -> None:
    def refuse_seven(repo: ArticleRepository, article_id: str, outcome: Outcome) -> None:
        # Fails after the article, its revision and index rows are written.
        if repo.get(article_id).title == "Report 7":  # type: ignore[union-attr]
            raise RuntimeError("hook refused report 7")

    service = IngestService(db, after_store=[refuse_seven])
    batch = [draft(n) for n in range(10)] + [ArticleDraft(title=" ", body="", source="blank")]
    results = service.store_batch(batch)
    errors = [r for r in results if isinstance(r, ItemError)]
    assert [(e.path, e.error) for e in errors] == [
        ("https://example.org/7", "not stored: hook refused report 7"),
        ("blank", "not stored: no title and no text"),
    ]
    assert count(db, articles) == 9 and count(db, article_revisions) == 9
    with db.read() as conn:
        titles = {a.title for a in ArticleRepository(conn).list(limit=20)}
    assert "Report 7" not in titles and "Report 8" in titles


def test_batches_keep_the_report_and_rerun_changes_nothing(
    db: Database, corpus_dir: Path
) -> None:
    seen: list[list[StoredArticle]] = []

    def remember(stored: Sequence[StoredArticle]) -> None:
        seen.append(list(stored))

    service = IngestService(db, after_batch=[remember], batch_size=3)
    first = service.ingest([str(corpus_dir)])
    assert (first.added, first.failed) == (7, 0)
    assert [len(b) for b in seen] == [3, 3, 1]
    assert all(s.revision == 1 and s.outcome is Outcome.ADDED for b in seen for s in b)
    again = service.ingest([str(corpus_dir)])
    assert (again.added, again.revised, again.unchanged, again.failed) == (0, 0, 7, 0)
    assert len(seen) == 3  # nothing new: no stage ran
    assert count(db, articles) == 7 and count(db, article_revisions) == 7


def test_duplicates_inside_one_batch_are_stored_once(db: Database) -> None:
    same = [draft(1), ArticleDraft(title="Report 1", body=draft(1).body, source="b.txt")]
    report = [r for r in IngestService(db).store_batch(same) if isinstance(r, StoredArticle)]
    assert [r.outcome for r in report] == [Outcome.ADDED, Outcome.UNCHANGED]
    assert count(db, articles) == 1


def test_extraction_after_commit_is_idempotent(db: Database) -> None:
    registry_service.import_file(db, DATA / "registry.ftm.jsonl")
    extraction = ExtractionService(db, ner=False)
    paths = [str(p) for p in sorted((DATA / "articles").glob("*.md"))]
    first = ingest_service(db, extraction=extraction).ingest(paths)
    assert (first.added, first.failed) == (len(paths), 0)
    found = count(db, mentions)
    assert found > 0
    report = extraction.extract_batch([(i, 1) for i in first.article_ids])
    assert report.articles == len(paths) and not report.errors
    assert count(db, mentions) == found


def test_extraction_of_an_old_revision_is_left_to_the_newer_one(db: Database) -> None:
    registry_service.import_file(db, DATA / "registry.ftm.jsonl")
    extraction = ExtractionService(db, ner=False)
    service = ingest_service(db, extract=False)
    article_id, _ = service.store(draft(1, "Hashim Thaçi spoke in Pristina."))
    service.store(draft(1, "Nothing named here at all."))
    assert extraction.extract_batch([(article_id, 1)]).articles == 0
    assert count(db, mentions) == 0
    assert extraction.extract_batch([(article_id, 2)]).articles == 1


def test_a_batch_stores_the_same_rows_as_one_article_at_a_time(db: Database) -> None:
    """The set-based store of a batch keeps what the one-by-one store keeps: a
    name found in the title is stored as the title's (it once became the body's)."""
    registry_service.import_file(db, DATA / "registry.ftm.jsonl")
    extraction = ExtractionService(db, ner=False)
    service = ingest_service(db, extract=False)
    ids = [service.store(ArticleDraft(title=f"Hashim Thaçi in Pristina {n}",
                                      body=f"Report {n}: Hashim Thaçi spoke in Pristina.",
                                      source=f"https://example.org/t{n}"))[0]
           for n in range(3)]

    def stored() -> list[tuple[object, ...]]:
        with db.read() as conn:
            return sorted(tuple(r) for r in conn.execute(select(
                mentions.c.article_pk, mentions.c.section, mentions.c.start, mentions.c.end,
                mentions.c.text, mentions.c.label, mentions.c.entity_id,
                mentions.c.candidate_key)))

    assert extraction.extract_batch([(i, 1) for i in ids]).articles == 3
    batched = stored()
    assert {row[1] for row in batched} == {"title", "body"}
    extraction.extract_all()  # one article per transaction
    assert stored() == batched
