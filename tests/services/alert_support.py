"""Shared set-up for the alert tests: users, a registry, and articles to match."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.roles import Actor, Role
from kartoteka.model import ArticleDraft, ArticleStatus, Author, AuthorKind
from kartoteka.services import registry as registry_service
from kartoteka.services.accounts import AccountService
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "registry" / "registry.ftm.jsonl"


def add_user(db: Database, email: str) -> Actor:
    accounts = AccountService(db, passwords=Passwords(PasswordHasher(time_cost=1,
                                                                      memory_cost=8,
                                                                      parallelism=1)))
    made = accounts.add_user(Actor.operator("test"), email, Role.READER, password="x" * 12)
    return Actor(email, Role.READER, made.user.pk)


def store(db: Database, title: str, body: str, *, key: str, countries: list[str] | None = None,
          author: str = "@sahel_test", status: ArticleStatus = ArticleStatus.PUBLISHED,
          language: str = "en") -> str:
    article_id, _ = IngestService(db).store(
        ArticleDraft(
            title=title, body=body, source=f"https://example.org/{key}",
            author=Author(author, author.lstrip("@"), AuthorKind.CHANNEL),
            published_at=datetime(2024, 6, 1, tzinfo=UTC), countries=countries or [],
            language=language,
        ),
        status=status,
    )
    return article_id


def load_registry(db: Database) -> None:
    report = registry_service.import_file(db, REGISTRY)
    assert report.failed == 0, report.errors


def extract(db: Database) -> None:
    result = ExtractionService(db, ner=False).extract_all()
    assert not result.errors, result.errors
