"""A batch stored set-based ends exactly as if each draft were stored one by one.

The same drafts (new ones, one already stored, a revision, reposts of a
stored original and of each other, an older copy that becomes the original,
a duplicate id and a duplicate text inside the batch, authors shared and
renamed, a draft with no text) go into the database under test as one
batch, and into a reference SQLite database one by one (an ``after_store``
hook sends every draft down that path).  The answers per draft and what is
stored (articles, revisions, authors, countries, repost links, band keys,
story-term counts, search results) must be the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kartoteka.ingest.base import ItemError
from kartoteka.model import ArticleDraft, Author
from kartoteka.services.ingest import IngestService, Outcome, StoredArticle
from kartoteka.services.ingest_batch import SetBasedBatch
from kartoteka.services.placeholders import CatalogPlaceholders
from kartoteka.services.reposts import StoredRepostFinder
from kartoteka.services.search import search
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.related_tables import story_term_counts
from kartoteka.store.tables import (
    article_countries,
    article_lsh,
    article_revisions,
    articles,
    authors,
)

NOW = datetime(2024, 3, 1, tzinfo=UTC)
ORIGINAL = (
    "The Gulf Cartel and its former armed wing fought for the smuggling routes of "
    "Tamaulipas after their split in early 2010. Violence spread to Nuevo Laredo, "
    "Reynosa and Matamoros, and thousands of residents left the border towns. "
    "Federal forces deployed to the state several times without ending the feud."
)
SAHEL = (
    "Fighters loyal to the group attacked an army post near Menaka at dawn, and the "
    "garrison withdrew towards Gao after a day of fighting along the river road. "
    "Local officials said that convoys had stopped and markets had closed for a week."
)


def at(day: int) -> datetime:
    return datetime(2024, 1, day, tzinfo=UTC)


def draft(key: str, body: str, *, day: int = 1, author: Author | None = None,
          countries: tuple[str, ...] = ()) -> ArticleDraft:
    # Lists, a mapping and non-ASCII text: the batch binds each column as one array.
    return ArticleDraft(title=f"On {key}", body=body, source=f"https://ex.org/{key}",
                        url=f"https://ex.org/{key}?ref=feed",
                        language="en", published_at=at(day), author=author,
                        countries=list(countries), hashtags=[f"#{key}", "#вести"],
                        links=[f"https://ex.org/{key}/more", "https://ex.org/{}"],
                        extra={"channel": "Вести", "views": 12, "tags": ["a", "b"],
                               "nested": {"ok": True, "none": None}})


def plain(n: int) -> str:
    return (f"Report {n}: a unit numbered {n * 7} moved {n} trucks through the valley "
            f"of the {['north', 'south', 'east', 'west'][n % 4]} on day {n}, officials said.")


def service(db: Database, *, one_by_one: bool) -> IngestService:
    hooks = [lambda repo, article_id, outcome: None] if one_by_one else []
    return IngestService(db, reposts=StoredRepostFinder(), placeholders=CatalogPlaceholders(),
                         after_store=hooks, clock=lambda: NOW, batch_size=100)


def stored_before() -> list[ArticleDraft]:
    return [
        draft("keep", plain(90)),
        draft("revise", plain(91), author=Author("@desk", "The Desk")),
        draft("original", ORIGINAL, day=10),
    ]


def batch() -> list[ArticleDraft]:
    edited = ORIGINAL.replace("thousands of", "many").replace("several times", "often")
    return [
        *[draft(f"new{n}", plain(n), author=Author("@wire", "Wire"), countries=("ML", "ne"))
          for n in range(4)],
        draft("keep", plain(90)),
        draft("revise", plain(91) + " Updated.", author=Author("@desk", "Desk Two")),
        draft("copy", edited, day=12),
        draft("older-copy", ORIGINAL + " Reprinted.", day=5),
        draft("sahel", SAHEL, day=3, author=Author("Sahel Monitor")),
        draft("sahel-copy", SAHEL.replace("at dawn", "early"), day=4),
        draft("twice", plain(50)),
        draft("twice", plain(51)),
        draft("same-text", plain(2)),
        ArticleDraft(title=" ", body="", source="blank"),
        draft("named", plain(60), author=Author("@sahel_monitor", "Sahel Monitor")),
        draft("new-after", plain(70), author=Author("@wire", "Wire")),
    ]


def answers(results: list[StoredArticle | ItemError]) -> list[Any]:
    return [(r.path, r.error) if isinstance(r, ItemError) else
            (r.article_id, r.revision, r.outcome.value) for r in results]


def snapshot(db: Database) -> dict[str, Any]:
    with db.read() as conn:
        by_pk = {r.pk: r.id for r in conn.execute(select(articles.c.pk, articles.c.id))}
        author_of = {r.pk: (r.handle, r.display_name, r.kind) for r in conn.execute(
            select(authors))}
        found = {
            "articles": sorted(
                (r.id, r.title, r.body, r.revision, r.original_id, r.content_hash, r.status,
                 author_of.get(r.author_pk), r.language, str(r.published_at),
                 r.source, r.source_key, r.url, r.hashtags, r.links, sorted(r.extra.items()),
                 str(r.ingested_at), str(r.updated_at), r.deleted_at)
                for r in conn.execute(select(articles))),
            "revisions": sorted((by_pk[r.article_pk], r.number, r.content_hash, r.created_by)
                                for r in conn.execute(select(article_revisions))),
            "authors": sorted(author_of.values()),
            "countries": sorted((by_pk[r.article_pk], r.country)
                                for r in conn.execute(select(article_countries))),
            "band_keys": sorted((by_pk[r.article_pk], r.band, r.key)
                                for r in conn.execute(select(article_lsh))),
            "term_counts": sorted(tuple(r) for r in conn.execute(select(story_term_counts))),
            "lists": [a.id for a in ArticleRepository(conn).list(limit=100)],
        }
    # What each search finds (its ranking differs between the backends by design).
    found["search"] = {q: sorted(h.id for h in search(db, q).hits)
                       for q in ("Tamaulipas", "valley", "Menaka", '"trucks"', "Updated")}
    return found


@pytest.fixture()
def reference(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'reference.db'}")
    database.migrate()
    return database


def test_a_set_based_batch_stores_what_one_by_one_stores(
    db: Database, reference: Database, caplog: pytest.LogCaptureFixture
) -> None:
    for database in (db, reference):
        service(database, one_by_one=True).store_batch(stored_before())
    batched = answers(service(db, one_by_one=False).store_batch(batch()))
    assert "set-based" not in caplog.text  # no fallback: the set-based path answered
    one_by_one = answers(service(reference, one_by_one=True).store_batch(batch()))
    assert batched == one_by_one
    outcomes = [a[2] for a in batched if len(a) == 3]
    assert outcomes.count(Outcome.ADDED.value) >= 6 and Outcome.REPOST.value in outcomes
    assert ("blank", "not stored: no title and no text") in batched
    mine, theirs = snapshot(db), snapshot(reference)
    for part in mine:
        assert mine[part] == theirs[part], part
    # Again: the same source twice with two texts revises it twice; all else is unchanged.
    again = answers(service(db, one_by_one=False).store_batch(batch()))
    assert again == answers(service(reference, one_by_one=True).store_batch(batch()))
    assert sorted(a[2] for a in again if len(a) == 3 and a[2] != "unchanged") == ["revised"] * 2
    assert snapshot(db) == snapshot(reference)
    reference.dispose()


def test_a_batch_that_fails_set_based_is_stored_one_by_one(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    drafts = [draft(f"n{n}", plain(n)) for n in range(5)]
    drafts[2].extra["when"] = object()  # no JSON for it: the batch's insert fails
    results = service(db, one_by_one=False).store_batch(drafts)
    assert [isinstance(r, ItemError) for r in results] == [False, False, True, False, False]
    assert "could not be written set-based" in caplog.text
    with db.read() as conn:
        assert sorted(conn.execute(select(articles.c.title)).scalars()) == [
            "On n0", "On n1", "On n3", "On n4"]
        assert len(conn.execute(select(article_revisions)).all()) == 4


def test_only_drafts_whose_order_matters_are_left_one_by_one(db: Database) -> None:
    service(db, one_by_one=True).store_batch(stored_before())
    drafts = [draft("a", plain(1)), draft("keep", plain(90)), draft("revise", plain(5)),
              draft("b", plain(2), author=Author("@wire")), draft("b", plain(3))]
    with db.transaction() as conn:
        done, later = SetBasedBatch(StoredRepostFinder(), CatalogPlaceholders()).write(
            conn, drafts, NOW)
    assert {i: (s.revision, s.outcome) for i, s in done.items()} == {
        0: (1, Outcome.ADDED), 1: (0, Outcome.UNCHANGED)}
    assert later == [2, 3, 4]  # a revision, and one id twice
