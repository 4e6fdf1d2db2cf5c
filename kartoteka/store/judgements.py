"""Editorial decisions as rows: made, looked up, and reverted (never deleted).

A judgement names its kind, the entity it is about (``subject_id``), a
second entity where there is one (``object_id``: the entity merged away)
and a value (the alias).  Reverting stamps ``reverted_at``; the row stays,
so the history of every decision can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from kartoteka.record import as_record
from kartoteka.store.registry_tables import judgements


class JudgementKind(StrEnum):
    MERGE = "merge"
    ALIAS_ADD = "alias_add"
    ALIAS_REMOVE = "alias_remove"


@dataclass(frozen=True, slots=True)
class Judgement:
    pk: int
    kind: str
    subject_id: str
    object_id: str | None
    value: str | None
    created_at: datetime
    created_by: str | None
    reverted_at: datetime | None = None

    def as_dict(self) -> dict[str, object]:
        return as_record(self, rename={"pk": "id"})



class JudgementRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(
        self,
        kind: JudgementKind,
        subject_id: str,
        now: datetime,
        *,
        object_id: str | None = None,
        value: str | None = None,
        created_by: str | None = None,
    ) -> int:
        result = self.conn.execute(
            insert(judgements).values(
                kind=kind.value,
                subject_id=subject_id,
                object_id=object_id,
                value=value,
                created_at=now,
                created_by=created_by,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def active(
        self,
        kind: JudgementKind,
        *,
        subject_id: str | None = None,
        object_id: str | None = None,
        value: str | None = None,
    ) -> list[Judgement]:
        query = select(judgements).where(
            judgements.c.kind == kind.value, judgements.c.reverted_at.is_(None)
        )
        if subject_id is not None:
            query = query.where(judgements.c.subject_id == subject_id)
        if object_id is not None:
            query = query.where(judgements.c.object_id == object_id)
        if value is not None:
            query = query.where(judgements.c.value == value)
        return [self._judgement(row) for row in self.conn.execute(query.order_by(judgements.c.pk))]

    def removed_names(self, entity_ids: list[str]) -> dict[str, frozenset[str]]:
        """Names editors removed, per entity: imports must not bring them back."""
        found: dict[str, set[str]] = {}
        if not entity_ids:
            return {}
        for row in self.conn.execute(
            select(judgements.c.subject_id, judgements.c.value).where(
                judgements.c.kind == JudgementKind.ALIAS_REMOVE.value,
                judgements.c.reverted_at.is_(None),
                judgements.c.subject_id.in_(entity_ids),
            )
        ):
            found.setdefault(row.subject_id, set()).add(row.value)
        return {k: frozenset(v) for k, v in found.items()}

    def history(self, entity_ids: list[str]) -> list[Judgement]:
        """Every judgement about these entities, reverted ones included, oldest first."""
        rows = self.conn.execute(
            select(judgements)
            .where(
                judgements.c.subject_id.in_(entity_ids) | judgements.c.object_id.in_(entity_ids)
            )
            .order_by(judgements.c.pk)
        )
        return [self._judgement(row) for row in rows]

    def revert(self, pk: int, now: datetime, by: str | None = None) -> None:
        self.conn.execute(
            update(judgements).where(judgements.c.pk == pk).values(reverted_at=now, reverted_by=by)
        )

    @staticmethod
    def _judgement(row: Row[Any]) -> Judgement:
        return Judgement(
            pk=row.pk,
            kind=row.kind,
            subject_id=row.subject_id,
            object_id=row.object_id,
            value=row.value,
            created_at=row.created_at,
            created_by=row.created_by,
            reverted_at=row.reverted_at,
        )
