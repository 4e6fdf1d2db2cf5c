"""Story terms and LSH band keys belong to an existing article, on both backends.

SQLite enforces it with foreign keys; PostgreSQL with triggers that check
once per statement (migration 0150, ``dialect.check_references_per_statement``).
Either way a row for no article is refused, deleting an article deletes its
rows, and (PostgreSQL) a transaction that wrote rows for an article keeps
others from deleting it until it ends, as the foreign key's lock did.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.services.reposts import StoredRepostFinder
from kartoteka.store import dialect
from kartoteka.store.database import Database
from kartoteka.store.related_tables import article_terms
from kartoteka.store.tables import article_lsh, articles

TERM = {"term": "zeppelin", "weight": 1.0}  # no stored article has it
BAND = {"band": 0, "key": "k"}


def stored(db: Database, *keys: str) -> dict[str, int]:
    """Articles with terms and band keys, by key: their pks."""
    service = IngestService(db, reposts=StoredRepostFinder(),
                            clock=lambda: datetime(2025, 1, 1, tzinfo=UTC))
    for n, key in enumerate(keys):
        service.store(ArticleDraft(
            title=f"Convoy {key}", body=f"A convoy of {n + 3} trucks crossed the {key} bridge "
            f"at dawn; officials in {key} counted {n * 11 + 5} vehicles.",
            source=f"test://{key}", language="en"))
    with db.read() as conn:
        return {r.source.removeprefix("test://"): r.pk
                for r in conn.execute(select(articles.c.pk, articles.c.source))}


def counts(db: Database, pk: int) -> tuple[int, int]:
    with db.read() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t).where(t.c.article_pk == pk))
            .scalar_one() for t in (article_terms, article_lsh))


@pytest.mark.parametrize(("table", "values", "other"), [
    (article_terms, TERM, {"term": "bridge", "weight": 0.5}),
    (article_lsh, BAND, {"band": 1, "key": "z"}),
])
def test_a_row_for_no_article_is_refused(
    db: Database, table: Table, values: dict[str, object], other: dict[str, object]
) -> None:
    pks = stored(db, "north")
    missing = max(pks.values()) + 100
    for rows in ([{"article_pk": missing, **values}],
                 # one good row and one bad: the whole statement fails
                 [{"article_pk": pks["north"], **other}, {"article_pk": missing, **values}]):
        with pytest.raises(IntegrityError), db.transaction() as conn:
            conn.execute(insert(table), rows)
    # and by the driver's own bulk path (COPY on PostgreSQL)
    with pytest.raises(IntegrityError), db.transaction() as conn:
        dialect.insert_plain_rows(conn, table, ("article_pk", *values),
                                  [(missing, *values.values())])
    assert counts(db, missing) == (0, 0)
    assert (pks["north"], *other.values()) not in stored_rows(db, table)


def stored_rows(db: Database, table: Table) -> list[tuple[object, ...]]:
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(select(table))]


def test_deleting_articles_deletes_their_terms_and_band_keys(db: Database) -> None:
    pks = stored(db, "north", "south", "east")
    assert all(n > 0 for pk in pks.values() for n in counts(db, pk))
    kept = counts(db, pks["east"])
    with db.transaction() as conn:
        conn.execute(delete(articles).where(articles.c.pk.in_([pks["north"], pks["south"]])))
    assert counts(db, pks["north"]) == counts(db, pks["south"]) == (0, 0)
    assert counts(db, pks["east"]) == kept


def test_rows_written_for_an_article_keep_it_from_being_deleted(db: Database) -> None:
    if db.backend == "sqlite":
        pytest.skip("SQLite has one writer at a time: nothing to race")
    pks = stored(db, "north")
    other = Database(db.url)
    try:
        with db.transaction() as conn:
            conn.execute(insert(article_terms), [{"article_pk": pks["north"], **TERM}])
            with pytest.raises(OperationalError, match="lock timeout"), \
                    other.transaction() as second:
                second.execute(text("SET LOCAL lock_timeout = '300ms'"))
                second.execute(delete(articles).where(articles.c.pk == pks["north"]))
    finally:
        other.dispose()
    assert counts(db, pks["north"])[0] > 0


def test_rows_written_by_the_bulk_path_alone_count_as_a_change(db: Database) -> None:
    """COPY bypasses SQLAlchemy's events: the page caches must still hear of it."""
    pks = stored(db, "north")
    before = db.content_version()
    with db.transaction() as conn:
        dialect.insert_plain_rows(conn, article_terms, ("article_pk", "term", "weight"),
                                  [(pks["north"], "zeppelin", 1.0)])
    assert db.content_version() != before
