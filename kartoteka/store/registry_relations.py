"""The registry's relations and their citations, read by canonical entity id.

Split from :mod:`kartoteka.store.registry`, whose ``RegistryRepository``
inherits these methods: callers keep one repository for a registry
transaction (one ``changed`` flag, one version bump), while entities and
relations each live in a module of their own size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, or_, select, update

from kartoteka.model import Citation, Relation
from kartoteka.store.model_columns import stored_fields
from kartoteka.store.registry_tables import relation_citations, relations
from kartoteka.store.tables import articles

BATCH = 500

# A relation's citations are rows of their own; every other field is a column of
# ``relations`` under its own name, written and read by name (checked at import and
# by tests/store/test_model_columns.py), as a citation's are of ``relation_citations``.
RELATION_JOINED = frozenset({"citations"})
RELATION_FIELDS = stored_fields(Relation, relations, joined=RELATION_JOINED, keys=("id",),
                                from_column={"editor_asserted": bool})
CITATION_FIELDS = stored_fields(Citation, relation_citations)


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RelationRecords:
    """Relations with citations; the entity side (``merge_map``) comes from the subclass."""

    conn: Connection
    changed: bool

    def merge_map(self) -> dict[str, str]:
        raise NotImplementedError

    def count_relations(self) -> int:
        return int(
            self.conn.execute(
                select(func.count()).select_from(relations).where(relations.c.deleted_at.is_(None))
            ).scalar_one()
        )

    def save_relation(self, relation: Relation, origin: str, now: datetime) -> Outcome:
        """Insert or update a relation with exactly these citations (already resolved)."""
        values = RELATION_FIELDS.values(relation)
        citations = list(dict.fromkeys(relation.citations))
        row = self.conn.execute(select(relations).where(relations.c.id == relation.id)).first()
        if row is None:
            self.conn.execute(
                insert(relations).values(
                    id=relation.id, origin=origin, created_at=now, updated_at=now, **values
                )
            )
            self._insert_citations(relation.id, citations)
            self.changed = True
            return Outcome.ADDED
        same_row = all(getattr(row, k) == v for k, v in values.items())
        same_citations = self._citations([relation.id])[relation.id] == citations
        if same_row and same_citations and row.deleted_at is None:
            return Outcome.UNCHANGED
        self.conn.execute(
            update(relations)
            .where(relations.c.id == relation.id)
            .values(updated_at=now, deleted_at=None, **values)
        )
        if not same_citations:
            self.conn.execute(
                delete(relation_citations).where(relation_citations.c.relation_id == relation.id)
            )
            self._insert_citations(relation.id, citations)
        self.changed = True
        return Outcome.UPDATED

    def relation(self, relation_id: str) -> Relation | None:
        row = self.conn.execute(select(relations).where(relations.c.id == relation_id)).first()
        if row is None:
            return None
        return self._relations([row], {})[0]

    def relations_of(self, ids: Sequence[str], merges: dict[str, str] | None = None) -> list[
        Relation
    ]:
        """Relations touching any of ``ids``, their ends shown by canonical id."""
        rows = self.conn.execute(
            select(relations)
            .where(
                relations.c.deleted_at.is_(None),
                or_(relations.c.source_id.in_(list(ids)), relations.c.target_id.in_(list(ids))),
            )
            .order_by(relations.c.id)
        ).all()
        return self._relations(rows, self.merge_map() if merges is None else merges)

    def iter_relations(self) -> Iterator[Relation]:
        merges = self.merge_map()
        last = ""
        while True:
            rows = self.conn.execute(
                select(relations)
                .where(relations.c.deleted_at.is_(None), relations.c.id > last)
                .order_by(relations.c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                return
            last = rows[-1].id
            yield from self._relations(rows, merges)

    # --- articles cited by relations ------------------------------------------------------

    def find_article(self, reference: str) -> str | None:
        """The id of a stored article known by this id, URL or source key."""
        return self.conn.execute(
            select(articles.c.id)
            .where(
                articles.c.deleted_at.is_(None),
                or_(
                    articles.c.id == reference,
                    articles.c.url == reference,
                    articles.c.source_key == reference,
                ),
            )
            .order_by(articles.c.pk)
            .limit(1)
        ).scalar()

    # --- internals --------------------------------------------------------------------------

    def _insert_citations(self, relation_id: str, citations: Sequence[Citation]) -> None:
        if citations:
            self.conn.execute(
                insert(relation_citations),
                [{"relation_id": relation_id, **CITATION_FIELDS.values(c)}
                 for c in citations],
            )

    def _citations(self, ids: Sequence[str]) -> dict[str, list[Citation]]:
        found: dict[str, list[Citation]] = {i: [] for i in ids}
        for row in self.conn.execute(
            select(relation_citations)
            .where(relation_citations.c.relation_id.in_(list(ids)))
            .order_by(relation_citations.c.pk)
        ):
            found[row.relation_id].append(Citation(**CITATION_FIELDS.read(row)))
        return found

    def _relations(self, rows: Sequence[Row[Any]], merges: dict[str, str]) -> list[Relation]:
        citations = self._citations([r.id for r in rows])
        found: list[Relation] = []
        for r in rows:
            values = RELATION_FIELDS.read(r)
            # The ends are shown by the canonical id of the cluster each belongs to.
            for end in ("source_id", "target_id"):
                values[end] = merges.get(values[end], values[end])
            found.append(Relation(**values, citations=citations[r.id]))
        return found
