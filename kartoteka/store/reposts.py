"""Stored repost signatures and the LSH band index over them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from kartoteka.store import dialect
from kartoteka.store.tables import article_lsh, article_signatures, articles

# Bands per look-up: each band's IN list holds up to one key per article of a
# batch, so a few bands of a 250-article batch stay far below SQLite's limit
# on bound parameters.
_BANDS_PER_QUERY = 4
_PKS_PER_QUERY = 900  # below SQLite's bound-parameter limit on any build


@dataclass(frozen=True, slots=True)
class StoredOriginal:
    article_id: str
    signature: bytes
    published_at: datetime | None
    ingested_at: datetime


class RepostStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _pk(self, article_id: str) -> int:
        return int(
            self.conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar_one()
        )

    def save(self, article_id: str, signature: bytes, keys: Sequence[tuple[int, str]]) -> None:
        """Replace an article's signature and band keys (a revision changes them)."""
        pk = self._pk(article_id)
        self.conn.execute(delete(article_lsh).where(article_lsh.c.article_pk == pk))
        self.conn.execute(delete(article_signatures).where(article_signatures.c.article_pk == pk))
        self.conn.execute(insert(article_signatures).values(article_pk=pk, signature=signature))
        if keys:
            self.conn.execute(
                insert(article_lsh),
                [{"article_pk": pk, "band": band, "key": key} for band, key in keys],
            )

    def save_new(self, signed: Sequence[tuple[int, bytes, Sequence[tuple[int, str]]]]) -> None:
        """Signatures and band keys of new articles, as (pk, signature, keys): one
        insert per table for the batch (new articles have none to replace)."""
        if not signed:
            return
        dialect.insert_many(self.conn, article_signatures,
                            [{"article_pk": pk, "signature": sig} for pk, sig, _keys in signed])
        dialect.insert_plain_rows(self.conn, article_lsh, ("article_pk", "band", "key"),
                                  [(pk, band, key) for pk, _sig, keys in signed
                                   for band, key in keys])

    def originals_by_key(
        self, keys: Iterable[tuple[int, str]]
    ) -> dict[tuple[int, str], list[StoredOriginal]]:
        """The visible originals under each of ``keys`` (a whole batch's band keys).

        The articles under the keys first (``dialect.rows_with_pairs``: an
        index look-up per key, a few bands per statement), then the few of
        them found, with their signatures, in one more statement.
        """
        per_band: dict[int, set[str]] = defaultdict(set)
        for band, key in keys:
            per_band[band].add(key)
        under: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for band, key, pk in dialect.rows_with_pairs(self.conn, article_lsh, "band", "key",
                                                     "article_pk", per_band, _BANDS_PER_QUERY):
            under[int(pk)].append((int(band), str(key)))
        found: dict[tuple[int, str], list[StoredOriginal]] = defaultdict(list)
        pks = sorted(under)
        for start in range(0, len(pks), _PKS_PER_QUERY):
            rows = self.conn.execute(
                select(
                    articles.c.pk,
                    articles.c.id,
                    article_signatures.c.signature,
                    articles.c.published_at,
                    articles.c.ingested_at,
                )
                .join(article_signatures, article_signatures.c.article_pk == articles.c.pk)
                .where(
                    articles.c.pk.in_(pks[start:start + _PKS_PER_QUERY]),
                    articles.c.original_id.is_(None),
                    articles.c.deleted_at.is_(None),
                )
            ).all()
            for r in rows:
                original = StoredOriginal(r.id, bytes(r.signature), r.published_at, r.ingested_at)
                for band_key in under[r.pk]:
                    found[band_key].append(original)
        return found

    def originals_sharing(
        self, keys: Sequence[tuple[int, str]], exclude: str | None = None
    ) -> list[StoredOriginal]:
        """Visible originals that share at least one band key."""
        if not keys:
            return []
        # One (band = ? AND key = ?) per key, not a row-value IN: SQLite plans a
        # row-value IN list as a scan of the whole table (its time grew with every
        # article stored), while an OR of equalities is one index look-up each.
        matching = (
            select(article_lsh.c.article_pk)
            .where(or_(*(and_(article_lsh.c.band == band, article_lsh.c.key == key)
                         for band, key in keys)))
            .distinct()
        )
        conditions: list[Any] = [
            articles.c.pk.in_(matching),
            articles.c.original_id.is_(None),
            articles.c.deleted_at.is_(None),
        ]
        if exclude:
            conditions.append(articles.c.id != exclude)
        rows = self.conn.execute(
            select(
                articles.c.id,
                article_signatures.c.signature,
                articles.c.published_at,
                articles.c.ingested_at,
            )
            .join(article_signatures, article_signatures.c.article_pk == articles.c.pk)
            .where(*conditions)
        ).all()
        return [
            StoredOriginal(
                r.id,
                bytes(r.signature),
                r.published_at,
                r.ingested_at,
            )
            for r in rows
        ]

    def repoint(self, old_original: str, new_original: str) -> None:
        """Make ``old_original`` and everything reposting it point at an earlier original."""
        self.conn.execute(
            update(articles)
            .where((articles.c.original_id == old_original) | (articles.c.id == old_original))
            .values(original_id=new_original)
        )
