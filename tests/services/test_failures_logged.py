"""An unexpected failure of one item is that item's one-line error for the user,
and its traceback is in the log where it happened; the rest of the batch goes in."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kartoteka.extract.patterns import Patterns
from kartoteka.extract.pipeline import Document, ExtractionResult, Pipeline
from kartoteka.model import Entity
from kartoteka.registry.records import RegistryFile
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService, Outcome
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.registry import RegistryRepository


def tracebacks(caplog: pytest.LogCaptureFixture, kind: type[BaseException]) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.exc_info is not None and r.exc_info[0] is kind]


def two_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"  # beside the SQLite file, not with it
    folder.mkdir()
    for name in ("one", "two"):
        (folder / f"{name}.txt").write_text(f"Article {name}\n\nText of {name}.",
                                            encoding="utf-8")
    return folder


class Exploding:
    name = "exploding"
    produces = ("mentions",)

    def __call__(self, document: Document, result: ExtractionResult) -> None:
        raise ZeroDivisionError("a bug in a component")


def test_a_failing_component_is_logged_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="kartoteka.extract.pipeline"):
        result = Pipeline([Patterns(), Exploding()]).run(Document("In 2020 text.", "en", "a-1"))
    assert [e.component for e in result.errors] == ["exploding"]
    assert tracebacks(caplog, ZeroDivisionError) == [
        "extraction component exploding failed on document 'a-1'"]


def test_an_entity_the_database_refuses_is_logged_and_the_rest_go_in(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    save_entity = RegistryRepository.save_entity

    def refuse_bad(self: RegistryRepository, entity: Entity, *args: object) -> object:
        if entity.id == "bad":
            raise RuntimeError("refused by the database")
        return save_entity(self, entity, *args)  # type: ignore[arg-type]

    def refuse_batch(self: RegistryRepository, *args: object) -> object:
        raise RuntimeError("refused by the database")

    monkeypatch.setattr(RegistryRepository, "save_entity", refuse_bad)
    monkeypatch.setattr(RegistryRepository, "save_entities", refuse_batch)
    parsed = RegistryFile(
        entities=[Entity("good", "Organization", "Good Group"),
                  Entity("bad", "Organization", "Bad Group")],
        lines={"good": 1, "bad": 2},
    )
    with caplog.at_level(logging.ERROR, logger="kartoteka.services.registry"):
        report = registry_service.import_records(db, parsed)
    assert report.entities["added"] == 1
    assert [(e.line, e.message) for e in report.errors] == [
        (2, "not stored: refused by the database")]
    assert tracebacks(caplog, RuntimeError) == ["line 2: entity bad not stored"]


def test_an_article_whose_extraction_cannot_be_stored_is_logged(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder = two_articles(tmp_path)
    IngestService(db).ingest([str(folder)])
    service = ExtractionService(db, ner=False, cache=False)
    store = ExtractionService.store

    def fail_on_two(self: ExtractionService, conn: object, article: object,
                    *args: object, **kwargs: object) -> object:
        if getattr(article, "title", "") == "Article two":
            raise RuntimeError("storage bug")
        return store(self, conn, article, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ExtractionService, "store", fail_on_two)
    with caplog.at_level(logging.ERROR, logger="kartoteka.services.extraction"):
        report = service.extract_all()
    assert report.articles == 2
    assert len(report.errors) == 1 and report.errors[0].endswith("not stored: storage bug")
    [message] = tracebacks(caplog, RuntimeError)
    assert message.startswith("extraction of article ") and message.endswith(" not stored")


def test_an_article_a_hook_fails_on_is_logged_and_the_rest_go_in(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    def hook(repo: ArticleRepository, article_id: str, outcome: Outcome) -> None:
        article = repo.get(article_id)
        if article is not None and article.title == "Article two":
            raise RuntimeError("hook bug")

    folder = two_articles(tmp_path)
    with caplog.at_level(logging.ERROR, logger="kartoteka.services.ingest"):
        report = IngestService(db, after_store=[hook]).ingest([str(folder)])
    assert report.added == 1
    assert [e.error for e in report.errors] == ["not stored: hook bug"]
    assert len(tracebacks(caplog, RuntimeError)) == 1
