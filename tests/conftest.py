"""Shared fixtures: every storage test runs on SQLite and on a real PostgreSQL.

PostgreSQL gets one fresh database per test run (created here, dropped at the
end) and its tables are emptied between tests.  Where PostgreSQL cannot be
reached the PostgreSQL half is skipped with the reason, except under CI,
where that is a failure.  ``KARTOTEKA_TEST_BACKENDS=sqlite`` narrows a local run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.store import search_statistics
from kartoteka.store.database import Database

PG_ADMIN_URL = os.environ.get(
    "KARTOTEKA_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = [
    b.strip()
    for b in os.environ.get("KARTOTEKA_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]
SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def seed_text() -> str:
    """The seed article, or a skip saying why it is not there."""
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not files:
        pytest.skip(f"the seed folder {SEED_DIR} is absent (it sits beside the repository)")
    return files[0].read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep caches (the compiled gazetteer) out of the user's home during tests."""
    previous = os.environ.get("KARTOTEKA_CACHE_DIR")
    os.environ["KARTOTEKA_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("KARTOTEKA_CACHE_DIR", None)
    else:
        os.environ["KARTOTEKA_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"kartoteka_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    database = Database(url)
    database.migrate()
    database.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(database: Database) -> None:
    with database.transaction() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars().all()
        if tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty, migrated database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kartoteka.db'}"
        database = Database(url)
        database.migrate()
        database.dispose()
        return url
    url = str(request.getfixturevalue("postgres_url"))
    database = Database(url)
    _empty_postgres(database)
    database.dispose()
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    # Statistics read for an earlier test's database under the same URL would
    # size this one's search ranges (never what they find): start afresh.
    search_statistics.forget()
    database = Database(database_url)
    yield database
    database.dispose()


@dataclass(frozen=True, slots=True)
class TwoAuthors:
    """One outlet under two identities: the old one wrote two dispatches, the new one."""

    old: Author
    new: Author


@pytest.fixture
def two_authors(db: Database) -> TwoAuthors:
    """The author-merge set-up the CLI's and the admin area's tests share: two
    dispatches by @sahel_old, then one by @sahel_monitor."""
    from kartoteka.services.ingest import IngestService  # heavy: only where it is used

    pair = TwoAuthors(Author("@sahel_old", "Sahel Monitor (old)", AuthorKind.CHANNEL),
                      Author("@sahel_monitor", "Sahel Monitor", AuthorKind.CHANNEL))
    ingest = IngestService(db)
    for n, author in enumerate([pair.old, pair.old, pair.new], start=1):
        ingest.store(ArticleDraft(
            title=f"Dispatch {n}", body=f"Dispatch {n} from Gao.", language="en",
            source=f"https://example.org/d/{n}", author=author,
            published_at=datetime(2024, 3, n, tzinfo=UTC)))
    return pair


@pytest.fixture
def data_dir() -> Path:
    return REPO_ROOT / "tests" / "data"


@pytest.fixture
def corpus_dir(data_dir: Path) -> Path:
    """A few real Markdown and text articles in English and Russian."""
    return data_dir / "corpus"
