from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kartoteka.model import ArticleDraft, Author
from kartoteka.services.articles import get_article
from kartoteka.services.search import search
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database

BODY = (
    "The Gulf Cartel and its former armed wing fought for the smuggling routes of "
    "Tamaulipas after their split in early 2010. Violence spread to Nuevo Laredo, "
    "Reynosa and Matamoros, and thousands of residents left the border towns. "
    "Federal forces deployed to the state several times without ending the feud, "
    "and local newspapers stopped reporting on the fighting after threats."
)


def draft(source: str, author: str, day: int, body: str = BODY) -> ArticleDraft:
    return ArticleDraft(
        title="The split on the Gulf coast",
        body=body,
        source=source,
        author=Author(author),
        published_at=datetime(2021, 5, day, tzinfo=UTC),
        language="en",
    )


def test_lightly_edited_copy_is_a_repost_of_the_original(db: Database) -> None:
    service = ingest_service(db)
    original, _ = service.store(draft("https://a.example/1", "@first", 1))
    edited = BODY.replace("thousands of residents", "many residents").replace(
        "several times", "repeatedly"
    )
    copy, outcome = service.store(draft("https://b.example/9", "@second", 3, edited))
    assert outcome.value == "repost"
    detail = get_article(db, original)
    assert [r.id for r in detail.reposts] == [copy]
    assert get_article(db, copy).article.original_id == original
    assert [h.id for h in search(db, "Tamaulipas").hits] == [original]


def test_an_older_copy_found_later_becomes_the_original(db: Database) -> None:
    service = ingest_service(db)
    later, _ = service.store(draft("https://a.example/late", "@late", 20))
    earlier, outcome = service.store(draft("https://b.example/early", "@early", 2, BODY + " Z."))
    assert outcome.value == "added"
    assert get_article(db, later).article.original_id == earlier
    assert [h.id for h in search(db, "Tamaulipas").hits] == [earlier]


def test_detection_works_across_processes(db: Database) -> None:
    ingest_service(db).store(draft("https://a.example/1", "@first", 1))
    # A new service (as in a new process) has nothing in memory: the index is stored.
    _, outcome = ingest_service(db).store(draft("https://c.example/2", "@third", 4, BODY + " !"))
    assert outcome.value == "repost"


def test_different_articles_on_the_same_subject_are_not_reposts(db: Database) -> None:
    service = ingest_service(db)
    service.store(draft("https://a.example/1", "@first", 1))
    other = (
        "Los Zetas were founded by deserters from an army special forces unit who "
        "first worked as enforcers for the Gulf Cartel in Tamaulipas. After 2010 they "
        "became a rival cartel known for extortion and kidnapping along the border."
    )
    _, outcome = service.store(draft("https://d.example/3", "@fourth", 5, other))
    assert outcome.value == "added"


def test_telegram_repost_by_a_second_channel(db: Database, data_dir: Path) -> None:
    folder = data_dir / "ingest" / "telegram"
    service = ingest_service(db)
    first = service.ingest([str(folder / "single_channel.json")], "telegram")
    second = service.ingest([str(folder / "repost_channel.json")], "telegram")
    assert first.failed == 0 and second.failed == 0
    assert second.reposts >= 1
