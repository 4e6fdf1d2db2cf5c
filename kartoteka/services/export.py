"""Exports of articles in the shapes the field already uses (JSON lines, CSV)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import islice
from typing import Any, TextIO

from kartoteka.ingest.jsonl import AUTHOR_COLUMNS  # three columns, as the reader reads them
from kartoteka.model import Article
from kartoteka.record import STORED, as_record, field_names
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.mentions import MentionRepository, resolve_links
from kartoteka.store.registry import RegistryRepository

BATCH = 500

CSV_FIELDS = [
    "id",
    "title",
    "body",
    "language",
    "author",
    "source",
    "published_at",
    "countries",
    "hashtags",
    "links",
    "url",
]
# Left to the JSON lines: the reader's key, the author's other columns, open-ended data.
JSONL_ONLY = ("source_key", "author_name", "author_kind", "extra", "entities")


def csv_columns(model: type = Article) -> list[str]:
    """The CSV's columns in their long-standing order; a field the model gains later
    (and does not tag ``STORED``) is appended, so old columns keep their places."""
    added = [name for name in field_names(model, without=[STORED])
             if name not in CSV_FIELDS and name not in JSONL_ONLY]
    return [*CSV_FIELDS, *added]


def article_record(
    article: Article, entities: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON lines record; ``kartoteka ingest --format jsonl`` reads it back.

    Every field of the model except the store's bookkeeping (``STORED``), so a
    new field is exported without an edit here.  ``entities`` are the linked
    entities with their mention counts (``[{"id", "mentions"}]``); the reader
    ignores them on import.
    """
    return {**as_record(article, without=[STORED], flatten=AUTHOR_COLUMNS),
            "entities": entities or []}


def iter_records(db: Database, flt: ArticleFilter | None = None) -> Iterator[dict[str, Any]]:
    with db.read() as conn:
        merges = RegistryRepository(conn).merge_map()
        links = MentionRepository(conn)
        found = ArticleRepository(conn).iter_all(flt or ArticleFilter(include_reposts=True))
        while batch := list(islice(found, BATCH)):
            linked = links.links_of([a.id for a in batch])
            for article in batch:
                entities = [{"id": e["id"], "mentions": e["mentions"]}
                            for e in resolve_links(linked[article.id], merges)]
                yield article_record(article, entities)


def write_jsonl(db: Database, out: TextIO) -> int:
    count = 0
    for record in iter_records(db):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(db: Database, out: TextIO) -> int:
    """Lists become space-separated cells: URLs, hashtags and codes hold no spaces."""
    columns = csv_columns()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    count = 0
    for record in iter_records(db):
        writer.writerow({name: " ".join(map(str, record[name]))
                         if isinstance(record[name], list) else record[name]
                         for name in columns})
        count += 1
    return count
