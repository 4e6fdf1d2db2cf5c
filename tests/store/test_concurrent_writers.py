"""Four writers ingesting at once lose nothing (issue 14, defect 6).

Each writer has its own ``Database`` (its own engine and connections), and
all four store articles by the same new authors in lock-step, so every
round races four inserts of the same author.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from kartoteka.model import ArticleDraft, Author, AuthorKind
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from kartoteka.store.tables import articles, authors

WRITERS = 4
ROUNDS = 30


def test_four_writers_racing_on_new_authors_lose_no_article(database_url: str) -> None:
    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []

    def write(writer: int) -> None:
        database = Database(database_url)
        service = IngestService(database, clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
        try:
            for round_ in range(ROUNDS):
                draft = ArticleDraft(
                    title=f"Report {round_} from writer {writer}",
                    body=f"Writer {writer} files report number {round_} about unit {round_}.",
                    source=f"test://writer{writer}/{round_}",
                    author=Author(f"@new_author_{round_}", f"New {round_}", AuthorKind.CHANNEL),
                    language="en",
                )
                barrier.wait(timeout=60)
                try:
                    service.store(draft)
                except Exception as exc:
                    errors.append(f"writer {writer} round {round_}: {exc}")
        finally:
            database.dispose()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    check = Database(database_url)
    try:
        with check.read() as conn:
            stored = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            made = conn.execute(select(func.count()).select_from(authors)).scalar_one()
    finally:
        check.dispose()
    assert (stored, made) == (WRITERS * ROUNDS, ROUNDS)
