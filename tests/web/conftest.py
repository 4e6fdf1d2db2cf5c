"""Fixtures for the web app: a small database with revisions and a repost,
a test client on each backend, and a live server with Chromium for browser tests."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services import registry as registry_service
from kartoteka.services.extraction import ExtractionService
from kartoteka.services.ingest import IngestService
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REGISTRY = Path(__file__).resolve().parents[1] / "data" / "registry" / "registry.ftm.jsonl"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@dataclass(frozen=True, slots=True)
class WebData:
    """Ids of the articles the web tests look at."""

    kla: str
    russian: str
    revised: str
    original: str
    repost: str
    vucic: str = ""
    cartel: str = ""


def fill(db: Database, corpus_dir: Path, work: Path) -> WebData:
    """The test corpus, one article revised twice, and one repost of another."""
    service = IngestService(db, clock=lambda: datetime(2024, 5, 1, tzinfo=UTC))
    report = service.ingest([str(corpus_dir)])
    assert report.failed == 0, report.errors
    note = work / "revised.md"
    versions = [
        "# Militia notes\n\nThe militia held the bridge in March.",
        "# Militia notes\n\nThe militia held the old bridge until April.",
        "# Militia notes, corrected\n\nThe militia held the old bridge until April 2021.",
    ]
    revised = ""
    for text in versions:
        note.write_text("---\nauthor: @notes_test\ncountries: ba\n---\n" + text, "utf-8")
        revised = service.ingest([str(note)]).article_ids[0]
    original, _ = service.store(
        ArticleDraft(
            title="Sahel weapons routes",
            body="Weapons cross the border near Menaka. Details at https://example.org/routes.",
            source="https://example.org/routes-original",
            author=Author("@sahel_test", "Sahel Test", AuthorKind.CHANNEL),
            published_at=datetime(2023, 1, 2, tzinfo=UTC),
            countries=["ml"],
            language="en",
        )
    )
    repost, _ = service.store(
        ArticleDraft(
            title="Sahel weapons routes (reposted)",
            body="Weapons cross the border near Menaka. Reposted with thanks.",
            source="https://t.me/reposter/5",
            author=Author("@reposter", "Reposter", AuthorKind.CHANNEL),
            published_at=datetime(2023, 1, 3, tzinfo=UTC),
            countries=["ml"],
            language="en",
        )
    )
    with db.transaction() as conn:
        ArticleRepository(conn).set_original(repost, original)
    with db.read() as conn:
        by_title = {a.title: a.id for a in ArticleRepository(conn).list(limit=100)}
    data = WebData(
        kla=by_title["The Kosovo Liberation Army after 1999"],
        russian=by_title["Косово и сербская история"],
        revised=revised,
        original=original,
        repost=repost,
        vucic=by_title["Belgrade talks"],
        cartel=by_title["Cartels along the Gulf coast"],
    )
    return data


def link_entities(db: Database, data: WebData) -> None:
    """The test registry, extraction over every article, and relations citing articles."""
    report = registry_service.import_file(db, REGISTRY)
    assert report.failed == 0, report.errors
    extracted = ExtractionService(db, ner=False).extract_all()
    assert not extracted.errors, extracted.errors
    registry_service.add_relation(db, "thaci", "kpc", "member", start_date="1999",
                                  cite=[data.kla, "https://example.org/kpc-roster"])
    registry_service.add_relation(db, "vucic", "thaci", "negotiated with")


@pytest.fixture
def web_data(db: Database, corpus_dir: Path, tmp_path: Path) -> WebData:
    return fill(db, corpus_dir, tmp_path)


@pytest.fixture
def client(db: Database, web_data: WebData) -> Iterator[TestClient]:
    with TestClient(create_app(db), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def linked_data(db: Database, web_data: WebData) -> WebData:
    """The same articles linked to the test registry (extraction also adds countries)."""
    link_entities(db, web_data)
    return web_data


@pytest.fixture
def linked_client(db: Database, linked_data: WebData) -> Iterator[TestClient]:
    with TestClient(create_app(db), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def linked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, WebData]]:
    """A filled and linked SQLite database shared by a module's slower tests."""
    root = tmp_path_factory.mktemp("linked-site")
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    database = Database(f"sqlite:///{root / 'site.db'}")
    database.migrate()
    data = fill(database, corpus, root)
    link_entities(database, data)
    yield database, data
    database.dispose()


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, WebData]]:
    """One filled SQLite database shared by a module's slower tests."""
    root = tmp_path_factory.mktemp("site")
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    database = Database(f"sqlite:///{root / 'site.db'}")
    database.migrate()
    data = fill(database, corpus, root)
    yield database, data
    database.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn on 127.0.0.1 in a thread, for a browser to talk to."""

    def __init__(self, db: Database, app: Any = None) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app or create_app(db),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; absent only on a developer machine."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing under CI: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is absent: apt-get install -y chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
