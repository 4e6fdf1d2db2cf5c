"""The append-only audit log: who changed what, when, from what, to what.

The repository can add entries and read them, and nothing else: there is
deliberately no method to update or delete one, and the database refuses
such statements too (see ``dialect.forbid_changes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from kartoteka.record import as_record
from kartoteka.store.accounts_tables import audit_log


@dataclass(frozen=True, slots=True)
class AuditEntry:
    pk: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return as_record(self, omit=["pk"])


class AuditLog:
    __slots__ = ("conn",)

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(
        self,
        at: datetime,
        actor: str,
        action: str,
        object_type: str,
        object_id: str | int,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> int:
        """Append one entry, in the caller's transaction, so it commits with the change."""
        result = self.conn.execute(
            insert(audit_log).values(
                at=at,
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                before=before,
                after=after,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def for_object(self, object_type: str, object_id: str | int) -> list[AuditEntry]:
        rows = self.conn.execute(
            select(audit_log)
            .where(audit_log.c.object_type == object_type, audit_log.c.object_id == str(object_id))
            .order_by(audit_log.c.pk)
        ).all()
        return [_entry(r) for r in rows]

    def recent(self, limit: int = 100, before_pk: int | None = None) -> list[AuditEntry]:
        """Newest first; pass the last ``pk`` seen as ``before_pk`` for the next page."""
        query = select(audit_log).order_by(audit_log.c.pk.desc()).limit(limit)
        if before_pk is not None:
            query = query.where(audit_log.c.pk < before_pk)
        return [_entry(r) for r in self.conn.execute(query).all()]


def _entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        pk=row.pk,
        at=row.at,
        actor=row.actor,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        before=row.before,
        after=row.after,
    )
