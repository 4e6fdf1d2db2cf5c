"""Replacing the extraction of many articles at once: one statement per table.

``MentionRepository.replace`` takes about eight statements per article; an
ingest batch's extraction wrote hundreds of articles that way, each
statement's own cost more than its rows.  Here the batch's old candidate
keys are read, its mentions deleted and inserted, and the links of articles
that have none yet inserted, each in one statement (IN lists in chunks).
An article that already has links goes through ``replace_links``, which
updates a link found again in place (a new row is what alerts a watchlist).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select

from kartoteka.extract.documentation import Documentation
from kartoteka.model import Mention
from kartoteka.store import dialect
from kartoteka.store.extraction_tables import article_entities, mentions
from kartoteka.store.mentions import EXTRACTION, MentionRepository, mention_row

_CHUNK = 900  # pks per IN list: below SQLite's bound-parameter limit on any build

# One article's new extraction: its pk, mentions with candidate keys, and links.
Replacement = tuple[int, Sequence[tuple[Mention, str | None]], Sequence[Documentation]]


def replace_many(conn: Connection, replacements: Sequence[Replacement]) -> set[str]:
    """``MentionRepository.replace`` for many articles; the candidate keys touched."""
    pks = [pk for pk, _found, _links in replacements]
    touched: set[str] = set()
    linked: set[int] = set()
    for start in range(0, len(pks), _CHUNK):
        chunk = pks[start:start + _CHUNK]
        touched.update(conn.execute(
            select(mentions.c.candidate_key).where(
                mentions.c.article_pk.in_(chunk), mentions.c.candidate_key.is_not(None))
        ).scalars())
        conn.execute(delete(mentions).where(mentions.c.article_pk.in_(chunk)))
        linked.update(conn.execute(
            select(article_entities.c.article_pk).where(
                article_entities.c.article_pk.in_(chunk)).distinct()
        ).scalars())
    rows = [mention_row(pk, m, key) for pk, found, _links in replacements for m, key in found]
    if rows:
        # Plain numbers and text, straight through the driver (COPY on PostgreSQL):
        # SQLAlchemy's handling of each row's parameters was most of this function's time.
        columns = tuple(rows[0])
        dialect.insert_plain_rows(conn, mentions, columns,
                                  [tuple(row[c] for c in columns) for row in rows])
    touched.update(key for _pk, found, _links in replacements for _m, key in found if key)
    fresh: list[dict[str, object]] = []
    repository = MentionRepository(conn)
    for pk, _found, links in replacements:
        if pk in linked:
            repository.replace_links(pk, links)
        else:
            fresh.extend({"article_pk": pk, "entity_id": link.entity_id,
                          "mentions": link.mentions, "role": link.role, "origin": EXTRACTION}
                         for link in links)
    if fresh:
        conn.execute(insert(article_entities), fresh)
    return touched

