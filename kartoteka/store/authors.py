"""Authors found by handle, id or alias, and one author merged into another.

One outlet can arrive under two identities ("Sahel Monitor" from an export
without the channel's username, "@sahel_monitor" from a feed).  Merging
moves every article of the one to the other, deletes the merged row and
keeps its handle and name as *aliases* of the author it became: the next
ingest of the old handle then lands on that author (``author_by_alias``,
read by ``ArticleRepository.save_author``) instead of making the merged
author again.  Revisions belong to their article, so they move with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, select, update

from kartoteka.model import Author, AuthorKind
from kartoteka.store import dialect
from kartoteka.store.model_columns import stored_fields
from kartoteka.store.tables import article_revisions, articles, author_aliases, authors

# An author's fields are columns of ``authors`` under their own names (its handle's
# key, ``handle_key``, is derived), read back by name wherever an author is read.
AUTHOR_FIELDS = stored_fields(Author, authors, from_column={
    "display_name": lambda value: value or "",
    "kind": AuthorKind,
})


def author_key(handle: str) -> str:
    """How a handle or a name is compared: Telegram handles are case-insensitive."""
    return handle.strip().lower()


def handle_keys(handle: str) -> set[str]:
    """The keys one typed handle may mean: with and without its ``@``."""
    key = author_key(handle)
    return {key, key.lstrip("@"), "@" + key.lstrip("@")} - {"@"}


_BY_ALIAS = select(authors.c.pk, authors.c.display_name, authors.c.kind).join(
    author_aliases, author_aliases.c.author_pk == authors.c.pk
).where(author_aliases.c.key == bindparam("key"))


def author_by_alias(conn: Connection, key: str) -> Any:
    """The author a merged handle or name now stands for, or None."""
    return conn.execute(_BY_ALIAS, {"key": key}).first()


def alias_author_pks(keys: set[str]) -> Any:
    """A sub-select of the authors whose aliases include one of ``keys``."""
    return select(author_aliases.c.author_pk).where(author_aliases.c.key.in_(keys))


@dataclass(frozen=True, slots=True)
class StoredAuthor:
    """An author with its row id, which the CLI and the admin page name it by."""

    pk: int
    author: Author
    aliases: tuple[str, ...] = ()


class AuthorRepository:
    __slots__ = ("conn",)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, ref: str) -> StoredAuthor | None:
        """By id (digits), by handle (with or without ``@``), or by a merged alias."""
        ref = ref.strip()
        row = None
        if ref.isdigit():
            row = self.conn.execute(select(authors).where(authors.c.pk == int(ref))).first()
        keys = handle_keys(ref)
        if row is None and keys:
            row = self.conn.execute(
                select(authors).where(authors.c.handle_key.in_(keys)).order_by(authors.c.pk)
            ).first()
        if row is None and keys:
            row = self.conn.execute(
                select(authors).where(authors.c.pk.in_(alias_author_pks(keys)))
            ).first()
        return self._stored(row) if row is not None else None

    def _stored(self, row: Row[Any]) -> StoredAuthor:
        aliases = self.conn.execute(
            select(author_aliases.c.alias)
            .where(author_aliases.c.author_pk == row.pk)
            .order_by(author_aliases.c.alias)
        ).scalars()
        return StoredAuthor(int(row.pk), author_of(row), tuple(aliases))

    def all(self) -> list[StoredAuthor]:
        rows = self.conn.execute(select(authors).order_by(authors.c.handle_key)).all()
        return [self._stored(r) for r in rows]

    def counts(self, author_pk: int) -> tuple[int, int]:
        """(articles, revisions) credited to the author, hidden ones included."""
        n_articles = self.conn.execute(
            select(func.count()).where(articles.c.author_pk == author_pk)
        ).scalar_one()
        n_revisions = self.conn.execute(
            select(func.count())
            .select_from(article_revisions.join(articles))
            .where(articles.c.author_pk == author_pk)
        ).scalar_one()
        return int(n_articles), int(n_revisions)

    def merge(self, source: StoredAuthor, target: StoredAuthor, now: datetime) -> list[str]:
        """Credit every article of ``source`` to ``target``; returns the aliases added.

        The aliases ``source`` already had (from earlier merges) follow it, so
        a chain of merges still leads every old handle to the last author.
        """
        self.conn.execute(
            update(articles).where(articles.c.author_pk == source.pk).values(author_pk=target.pk)
        )
        self.conn.execute(
            update(author_aliases)
            .where(author_aliases.c.author_pk == source.pk)
            .values(author_pk=target.pk)
        )
        taken = {author_key(target.author.handle), author_key(target.author.display_name)}
        added: list[str] = []
        for alias, kind in ((source.author.handle, "handle"), (source.author.display_name, "name")):
            key = author_key(alias)
            if not key or key in taken:
                continue
            taken.add(key)
            inserted = dialect.insert_or_ignore(
                self.conn,
                author_aliases,
                {
                    "key": key,
                    "author_pk": target.pk,
                    "alias": alias.strip(),
                    "kind": kind,
                    "created_at": now,
                },
                ["key"],
            )
            if inserted:  # a key another author's merge took first stays theirs
                added.append(alias.strip())
        self.conn.execute(delete(authors).where(authors.c.pk == source.pk))
        return added


def author_columns(prefix: str) -> list[Any]:
    """The author's columns labelled ``prefix + field``, for a query that joins
    ``authors`` to another table (read back with ``author_of(row, prefix)``)."""
    return [authors.c[name].label(prefix + name) for name in AUTHOR_FIELDS.names]


def author_of(row: Row[Any], prefix: str = "") -> Author:
    """The author in a row of ``authors`` (or of a join, its columns labelled
    ``prefix + field``): every field read from the model by name."""
    return Author(**AUTHOR_FIELDS.read(row, prefix))
