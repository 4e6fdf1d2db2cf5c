"""Build the demo database from the sample data bundled in the package.

The demo starts from scratch every time, so what it shows never depends on
an earlier run: the old file (and its WAL companions) is removed first.
The registry goes in before the articles, so extraction links them as they
are ingested; it is then imported once more, which turns relation citations
stored as URLs into citations of the articles now stored (an unchanged
record is left alone, a citation that now resolves is updated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.roles import Actor, Role
from kartoteka.services.accounts import AccountService, NewAccount
from kartoteka.services.catalog_import import CatalogImportReport, import_catalog
from kartoteka.services.ingest import IngestReport
from kartoteka.services.registry import import_file
from kartoteka.services.wiring import ingest_service
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.mentions import MentionRepository
from kartoteka.store.registry import RegistryRepository

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"

# Who the demo signs up; each gets a freshly generated password, printed once.
DEMO_USERS = (
    ("admin@demo.kartoteka.invalid", Role.ADMIN, "Demo admin"),
    ("editor@demo.kartoteka.invalid", Role.EDITOR, "Demo editor"),
    ("contributor@demo.kartoteka.invalid", Role.CONTRIBUTOR, "Demo contributor"),
)


@dataclass(slots=True)
class DemoSummary:
    database: str
    articles: int = 0
    authors: int = 0
    countries: list[str] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)
    entities: int = 0
    mentions: int = 0
    linked_mentions: int = 0
    candidates: int = 0
    reports: dict[str, IngestReport] = field(default_factory=dict)
    catalog: CatalogImportReport | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "database": self.database,
            "articles": self.articles,
            "authors": self.authors,
            "countries": self.countries,
            "languages": self.languages,
            "entities": self.entities,
            "mentions": self.mentions,
            "linked_mentions": self.linked_mentions,
            "candidates": self.candidates,
            "ingest": {name: report.as_dict() for name, report in self.reports.items()},
            "catalog": self.catalog.as_dict() if self.catalog else None,
        }


def remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def demo_sources(root: Path = SAMPLE_DATA) -> list[tuple[str, list[str], str]]:
    """(step name, paths, format) in the order the demo loads them."""
    steps: list[tuple[str, list[str], str]] = [("articles", [str(root / "articles")], "markdown")]
    telegram = root / "telegram" / "result.json"
    if telegram.exists():
        steps.append(("telegram", [str(telegram)], "telegram"))
    feed = root / "feed.xml"
    if feed.exists():
        steps.append(("feed", [str(feed)], "feed"))
    return steps


def import_sample_catalog(db: Database, root: Path = SAMPLE_DATA) -> CatalogImportReport | None:
    """The sample catalog post, after the articles its entries link to."""
    post = root / "catalog.md"
    if not post.exists():
        return None
    return import_catalog(db, post.read_text(encoding="utf-8"), source=post.name)


def build_demo(path: Path, root: Path = SAMPLE_DATA) -> tuple[Database, DemoSummary]:
    remove_sqlite_file(path)
    db = Database(f"sqlite:///{path}")
    db.migrate()
    summary = DemoSummary(database=str(path))
    registry = root / "registry.ftm.jsonl"
    if registry.exists():
        import_file(db, registry)
    service = ingest_service(db)
    for name, paths, fmt in demo_sources(root):
        try:
            summary.reports[name] = service.ingest(paths, fmt)
        except ValueError:  # a reader this installation lacks: load the rest
            continue
    if registry.exists():
        import_file(db, registry)  # again: URL citations now resolve to stored articles
    summary.catalog = import_sample_catalog(db, root)
    with db.read() as conn:
        repo = ArticleRepository(conn)
        articles = list(repo.iter_all())
        # Counted as the home page counts them: authors with a visible article.
        summary.authors = sum(1 for _author, n in repo.list_authors() if n)
        found = MentionRepository(conn)
        summary.mentions = found.count_mentions()
        summary.linked_mentions = found.count_mentions(linked=True)
        summary.candidates = found.count_candidates()
        summary.entities = RegistryRepository(conn).count_entities()
    summary.articles = len(articles)
    summary.countries = sorted({c for a in articles for c in a.countries})
    for article in articles:
        language = article.language or "unknown"
        summary.languages[language] = summary.languages.get(language, 0) + 1
    return db, summary


def demo_accounts(db: Database, passwords: Passwords | None = None) -> list[NewAccount]:
    """An admin, an editor and a contributor with generated passwords (never fixed ones)."""
    accounts = AccountService(db, passwords=passwords)
    operator = Actor.operator("demo")
    return [
        accounts.add_user(operator, email, role, display_name=name)
        for email, role, name in DEMO_USERS
    ]
