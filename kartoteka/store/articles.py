"""Reading and writing articles, their revisions, countries and authors."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Row,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)

from kartoteka.model import Article, ArticleDraft, ArticleStatus, Author, Revision
from kartoteka.store import dialect, search_index
from kartoteka.store.authors import (
    alias_author_pks,
    author_by_alias,
    author_columns,
    author_key,
    author_of,
    handle_keys,
)
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.model_columns import stored_fields
from kartoteka.store.registry_tables import entities
from kartoteka.store.related_tables import story_term_counts
from kartoteka.store.story_terms import save_story_terms
from kartoteka.store.tables import article_countries, article_revisions, articles, authors

# ``extra`` key naming the countries extraction added (see services.extraction).
EXTRACTED_COUNTRIES = "extracted_countries"


def entity_cluster(entity_id: str) -> CompoundSelect[Any]:
    """Every id in the merge cluster of ``entity_id``, whichever member it is.

    Stored links keep the id the linker gave, so "articles about X" must
    look under every id merged with X: walk up ``merged_into`` to the
    canonical entity, then down to all its members.  UNION (not UNION ALL)
    stops at a cycle.  The id itself is always included, so links to an id
    the registry no longer holds still count.
    """
    up = (
        select(entities.c.id, entities.c.merged_into)
        .where(entities.c.id == entity_id)
        .cte("cluster_up", recursive=True)
    )
    up = up.union(
        select(entities.c.id, entities.c.merged_into).where(entities.c.id == up.c.merged_into)
    )
    down = (
        select(up.c.id).where(up.c.merged_into.is_(None)).cte("cluster_down", recursive=True)
    )
    down = down.union(select(entities.c.id).where(entities.c.merged_into == down.c.id))
    return select(down.c.id).union(select(literal(entity_id)))


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters shared by listing and search.  Author matches handle or name;
    ``entity`` is a registry id (any id of a merged cluster finds the cluster)."""

    author: str | None = None
    country: str | None = None
    entity: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    include_reposts: bool = False
    include_unpublished: bool = False

    def conditions(self) -> list[Any]:
        conds: list[Any] = [articles.c.deleted_at.is_(None)]
        if not self.include_unpublished:
            conds.append(articles.c.status == ArticleStatus.PUBLISHED.value)
        if not self.include_reposts:
            conds.append(articles.c.original_id.is_(None))
        if self.author:
            wanted = author_key(self.author)
            handles = handle_keys(self.author)
            conds.append(
                articles.c.author_pk.in_(
                    select(authors.c.pk).where(
                        authors.c.handle_key.in_(handles)
                        | (func.lower(authors.c.display_name) == wanted)
                        | authors.c.pk.in_(alias_author_pks(handles))
                    )
                )
            )
        if self.country:
            # Correlated: SQLite probes the (article, country) key for each
            # candidate, where ``pk IN (...)`` first listed all of a country's
            # articles (126,000 of a million: 40 ms before the first match).
            # PostgreSQL plans both as the same semi-join.
            conds.append(
                exists().where(
                    article_countries.c.article_pk == articles.c.pk,
                    article_countries.c.country == self.country.lower(),
                )
            )
        if self.entity:
            conds.append(
                articles.c.pk.in_(
                    select(article_entities.c.article_pk).where(
                        article_entities.c.entity_id.in_(entity_cluster(self.entity))
                    )
                )
            )
        if self.language:
            conds.append(articles.c.language == self.language.lower())
        if self.since:
            conds.append(articles.c.published_at >= self.since)
        if self.until:
            conds.append(articles.c.published_at <= self.until)
        return conds


# Statements built once: SQLAlchemy then reuses their compiled form, which
# matters when ingesting hundreds of thousands of articles.
_INSERT_ARTICLE = insert(articles)
_INSERT_REVISION = insert(article_revisions)
# A revision's article is the row's ``article_pk``; its other fields are columns of
# ``article_revisions`` under their own names, read back by name.
REVISION_FIELDS = stored_fields(Revision, article_revisions, joined={"article_id"})
_CURRENT_HASH = select(articles.c.content_hash).where(articles.c.id == bindparam("id"))
_ID_FOR_HASH = select(articles.c.id).where(articles.c.content_hash == bindparam("hash")).limit(1)
_AUTHOR_COLUMNS = select(authors.c.pk, authors.c.display_name, authors.c.kind)
_AUTHOR_BY_KEY = _AUTHOR_COLUMNS.where(authors.c.handle_key == bindparam("key"))


class ArticleRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- authors --------------------------------------------------------------------

    def save_author(self, author: Author) -> int:
        """Insert or refresh an author; an empty display name never erases a known one.

        A handle or name merged into another author (``store.authors``) is that
        author: it is credited there and never renames it.
        """
        key = author_key(author.handle)
        row = self.conn.execute(_AUTHOR_BY_KEY, {"key": key}).first()
        if row is None:
            merged = author_by_alias(self.conn, key)
            if merged is not None:
                return int(merged.pk)
        if row is None and not key.startswith("@"):
            row = self._author_named(key)
        if row is None:
            # Another writer may add the same new author at the same moment.
            values = {
                "handle": author.handle.strip(),
                "handle_key": key,
                "display_name": author.display_name,
                "kind": author.kind.value,
            }
            dialect.insert_or_ignore(self.conn, authors, values, ["handle_key"])
            row = self.conn.execute(_AUTHOR_BY_KEY, {"key": key}).one()
        if author.display_name and author.display_name != row.display_name:
            self.conn.execute(
                update(authors)
                .where(authors.c.pk == row.pk)
                .values(display_name=author.display_name, kind=author.kind.value)
            )
        return int(row.pk)

    def _author_named(self, name_key: str) -> Any:
        """The one author whose display name is ``name_key``, or None.

        A source that knows only a name (a Telegram export without the channel's
        username gives "Sahel Monitor") means the author already known by handle
        with that name (@sahel_monitor), not a second author of the same outlet.
        """
        rows = self.conn.execute(
            _AUTHOR_COLUMNS.where(func.lower(authors.c.display_name) == name_key).limit(2)
        ).all()
        return rows[0] if len(rows) == 1 else None

    def list_authors(self) -> builtins.list[tuple[Author, int]]:
        """Every author with the number of visible original articles."""
        count = (
            select(func.count())
            .where(
                articles.c.author_pk == authors.c.pk,
                *ArticleFilter().conditions(),
            )
            .scalar_subquery()
        )
        rows = self.conn.execute(
            select(authors, count.label("n")).order_by(authors.c.handle_key)
        ).all()
        return [(author_of(r), int(r.n)) for r in rows]

    def get_author(self, handle: str) -> Author | None:
        """By handle (with or without ``@``), or by a handle merged into the author."""
        key = author_key(handle)
        keys = {key, "@" + key.lstrip("@")}
        row = self.conn.execute(select(authors).where(authors.c.handle_key.in_(keys))).first()
        if row is None:
            row = self.conn.execute(
                select(authors).where(authors.c.pk.in_(alias_author_pks(keys)))
            ).first()
        return author_of(row) if row else None

    # --- articles ---------------------------------------------------------------------

    def _select(self) -> Any:
        return select(
            articles, *author_columns(_AUTHOR),
        ).select_from(articles.outerjoin(authors, articles.c.author_pk == authors.c.pk))

    def get(self, article_id: str) -> Article | None:
        row = self.conn.execute(self._select().where(articles.c.id == article_id)).first()
        return self._to_article(row) if row else None

    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        if not ids:
            return {}
        rows = self.conn.execute(self._select().where(articles.c.id.in_(list(ids)))).all()
        found = self._with_countries(rows)
        return {a.id: a for a in found}

    def titles(self, ids: Sequence[str], flt: ArticleFilter) -> dict[str, str]:
        """Titles of those of ``ids`` that ``flt`` lets through (e.g. what readers may see)."""
        if not ids:
            return {}
        rows = self.conn.execute(
            select(articles.c.id, articles.c.title).where(
                articles.c.id.in_(sorted(set(ids))), *flt.conditions()
            )
        ).all()
        return {r.id: r.title for r in rows}

    def is_deleted(self, article_id: str) -> bool:
        return (
            self.conn.execute(
                select(articles.c.deleted_at).where(articles.c.id == article_id)
            ).scalar()
            is not None
        )

    def current_hash(self, article_id: str) -> str | None:
        """The content hash of an article's current text, or None if it is new."""
        return self.conn.execute(_CURRENT_HASH, {"id": article_id}).scalar()

    def current_revision(self, article_id: str) -> int | None:
        """The number of an article's current revision (None if there is no such article)."""
        return self.conn.execute(
            select(articles.c.revision).where(articles.c.id == article_id)).scalar()

    def id_for_hash(self, content_hash: str) -> str | None:
        return self.conn.execute(_ID_FOR_HASH, {"hash": content_hash}).scalar()

    def insert(
        self,
        article_id: str,
        draft: ArticleDraft,
        content_hash: str,
        now: datetime,
        status: ArticleStatus = ArticleStatus.PUBLISHED,
        original_id: str | None = None,
        created_by: str | None = None,
    ) -> None:
        author_pk = self.save_author(draft.author) if draft.author else None
        pk = self.conn.execute(
            _INSERT_ARTICLE,
            new_article_row(draft, article_id=article_id, author_pk=author_pk,
                            content_hash=content_hash, now=now, status=status,
                            original_id=original_id),
        ).inserted_primary_key[0]  # type: ignore[index]
        self._write_countries(int(pk), draft.countries)
        self._add_revision(int(pk), 1, draft.title, draft.body, content_hash, now, created_by)
        search_index.index_article(self.conn, int(pk), draft.title, draft.body, draft.language)
        save_story_terms(self.conn, int(pk), draft.title, draft.body)

    def revise(
        self,
        article_id: str,
        draft: ArticleDraft,
        content_hash: str,
        now: datetime,
        created_by: str | None = None,
    ) -> int:
        """Make ``draft`` the current text; the previous one stays as a revision."""
        old = self.conn.execute(
            select(
                articles.c.pk, articles.c.title, articles.c.body, articles.c.revision,
                articles.c.extra, articles.c.language,
            ).where(articles.c.id == article_id)
        ).one()
        number = int(old.revision) + 1
        author_pk = self.save_author(draft.author) if draft.author else None
        search_index.unindex_article(self.conn, old.pk, old.title, old.body, old.language)
        # The draft's fields as the new row would have them; one the draft leaves
        # empty (None: no language, date or URL given) keeps the stored value, and
        # the key is what found this article, so it does not change.
        values: dict[str, Any] = {
            name: value for name, value in _draft_values(draft).items()
            if value is not None and name != "source_key"
        }
        values.update(content_hash=content_hash, revision=number, updated_at=now)
        if not draft.countries and (old.extra or {}).get(EXTRACTED_COUNTRIES):
            # The countries stay, so the note that extraction found them stays too.
            values["extra"][EXTRACTED_COUNTRIES] = old.extra[EXTRACTED_COUNTRIES]
        if author_pk is not None:
            values["author_pk"] = author_pk
        self.conn.execute(update(articles).where(articles.c.pk == old.pk).values(**values))
        if draft.countries:
            self._write_countries(old.pk, draft.countries)
        self._add_revision(old.pk, number, draft.title, draft.body, content_hash, now, created_by)
        search_index.index_article(
            self.conn, old.pk, draft.title, draft.body, values.get("language", old.language)
        )
        save_story_terms(self.conn, old.pk, draft.title, draft.body)
        return number

    def set_status(self, article_id: str, status: ArticleStatus) -> None:
        self.conn.execute(
            update(articles).where(articles.c.id == article_id).values(status=status.value)
        )

    def replace_countries(self, article_id: str, countries: Sequence[str]) -> None:
        """Set an article's countries without a new revision (extraction's enrichment)."""
        pk = self.conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar()
        if pk is not None:
            self._write_countries(int(pk), countries)

    def set_extra(self, article_id: str, extra: dict[str, object]) -> None:
        self.conn.execute(update(articles).where(articles.c.id == article_id).values(extra=extra))

    def set_original(self, article_id: str, original_id: str | None) -> None:
        self.conn.execute(
            update(articles).where(articles.c.id == article_id).values(original_id=original_id)
        )

    def reposts_of(self, article_id: str) -> builtins.list[Article]:
        rows = self.conn.execute(
            self._select()
            .where(articles.c.original_id == article_id, articles.c.deleted_at.is_(None))
            .order_by(articles.c.published_at)
        ).all()
        return self._with_countries(rows)

    def revisions(self, article_id: str) -> builtins.list[Revision]:
        rows = self.conn.execute(
            select(article_revisions)
            .join(articles, articles.c.pk == article_revisions.c.article_pk)
            .where(articles.c.id == article_id)
            .order_by(article_revisions.c.number)
        ).all()
        return [Revision(article_id, **REVISION_FIELDS.read(r)) for r in rows]

    def count(self, flt: ArticleFilter | None = None) -> int:
        flt = flt or ArticleFilter()
        return int(
            self.conn.execute(
                select(func.count()).select_from(articles).where(*flt.conditions())
            ).scalar_one()
        )

    def list(
        self, flt: ArticleFilter | None = None, limit: int = 50, offset: int = 0
    ) -> builtins.list[Article]:
        flt = flt or ArticleFilter()
        rows = self.conn.execute(
            self._select()
            .where(*flt.conditions())
            .order_by(articles.c.published_at.desc().nulls_last(), articles.c.pk.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return self._with_countries(rows)

    def iter_all(self, flt: ArticleFilter | None = None, batch: int = 500) -> Iterator[Article]:
        flt = flt or ArticleFilter()
        last = 0
        while True:
            rows = self.conn.execute(
                self._select()
                .where(*flt.conditions(), articles.c.pk > last)
                .order_by(articles.c.pk)
                .limit(batch)
            ).all()
            if not rows:
                return
            yield from self._with_countries(rows)
            last = rows[-1].pk

    def hard_delete_all(self) -> None:
        """Used only by ``demo`` to rebuild its own database from scratch."""
        self.conn.execute(delete(article_countries))
        self.conn.execute(delete(article_revisions))
        self.conn.execute(delete(articles))
        self.conn.execute(delete(story_term_counts))  # their terms went with the articles
        search_index.clear_search_index(self.conn)

    # --- internals ----------------------------------------------------------------------

    def _write_countries(self, pk: int, countries: Sequence[str]) -> None:
        self.conn.execute(delete(article_countries).where(article_countries.c.article_pk == pk))
        codes = sorted({c.lower() for c in countries if c})
        if codes:
            self.conn.execute(
                insert(article_countries), [{"article_pk": pk, "country": c} for c in codes]
            )

    def _add_revision(
        self,
        pk: int,
        number: int,
        title: str,
        body: str,
        content_hash: str,
        now: datetime,
        created_by: str | None,
    ) -> None:
        self.conn.execute(
            _INSERT_REVISION,
            dict(
                article_pk=pk,
                number=number,
                title=title,
                body=body,
                content_hash=content_hash,
                created_at=now,
                created_by=created_by,
            ),
        )

    def _countries_for(self, pks: Sequence[int]) -> dict[int, builtins.list[str]]:
        found: dict[int, builtins.list[str]] = {pk: [] for pk in pks}
        if pks:
            for row in self.conn.execute(
                select(article_countries)
                .where(article_countries.c.article_pk.in_(list(pks)))
                .order_by(article_countries.c.country)
            ):
                found[row.article_pk].append(row.country)
        return found

    def _with_countries(self, rows: Sequence[Row[Any]]) -> builtins.list[Article]:
        countries = self._countries_for([r.pk for r in rows])
        return [self._to_article(r, countries[r.pk]) for r in rows]

    def _to_article(self, row: Row[Any], countries: builtins.list[str] | None = None) -> Article:
        if countries is None:
            countries = self._countries_for([row.pk])[row.pk]
        author = author_of(row, _AUTHOR) if row.author_handle else None
        return Article(**_stored_fields(row), author=author, countries=countries)


# How a column's value becomes the model's, where it is not the value itself.
_FROM_COLUMN: dict[str, Any] = {
    "status": ArticleStatus,
    "hashtags": lambda value: list(value or []),
    "links": lambda value: list(value or []),
    "extra": lambda value: dict(value or {}),
}
# The joined author's columns in an article's row are labelled ``author_<field>``.
_AUTHOR = "author_"
# Fields the row mapper fills from other tables (author, countries).
_JOINED = frozenset({"author", "countries"})


# Every other field of an article, and of a draft, is a column of ``articles`` under
# its own name (checked at import: a field without one stops the store, naming it).
ARTICLE_FIELDS = stored_fields(Article, articles, joined=_JOINED, from_column=_FROM_COLUMN)
DRAFT_FIELDS = stored_fields(ArticleDraft, articles, joined=_JOINED)


def _stored_fields(row: Row[Any]) -> dict[str, Any]:
    """Every ``Article`` field that is a column of ``articles`` under its own name.

    Read from the model, so a new field with a column of the same name is
    read back with no edit here (``tests/store/test_articles.py`` checks the
    two stay in step).
    """
    return ARTICLE_FIELDS.read(row)


def _draft_values(draft: ArticleDraft) -> dict[str, Any]:
    """The draft's columns, read from the model (lists and mappings copied, so a row
    never shares the draft's): a field added to the draft, the article and the
    table is stored and revised with no edit here."""
    return DRAFT_FIELDS.values(draft)


def new_article_row(draft: ArticleDraft, *, article_id: str, author_pk: int | None,
                    content_hash: str, now: datetime, status: ArticleStatus,
                    original_id: str | None = None) -> dict[str, object]:
    """The ``articles`` row of a first revision: one shape for the one-by-one
    insert and the batch's multi-row insert.

    The draft's fields are read from the model (``_draft_values``), as
    ``_stored_fields`` reads them back; the arguments are the store's
    bookkeeping.  ``tests/store/test_articles.py`` checks that the row fills
    every column.
    """
    row = _draft_values(draft)
    row.update(
        id=article_id,
        source_key=draft.key(),
        author_pk=author_pk,
        ingested_at=now,
        updated_at=now,
        content_hash=content_hash,
        revision=1,
        status=status.value,
        original_id=original_id,
    )
    return row

