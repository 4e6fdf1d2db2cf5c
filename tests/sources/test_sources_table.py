"""The migration (0030) builds the table that ``store.sources`` describes."""

from __future__ import annotations

from sqlalchemy import inspect

from kartoteka.store.database import Database
from kartoteka.store.sources import sources


def test_migrated_columns_match_the_table_definition(db: Database) -> None:
    found = inspect(db.engine)
    migrated = {c["name"]: c["nullable"] for c in found.get_columns("sources")}
    described = {c.name: c.nullable for c in sources.columns}
    assert migrated == described
    assert any(i["column_names"] == ["next_due_at"] for i in found.get_indexes("sources"))
    unique = [u["column_names"] for u in found.get_unique_constraints("sources")]
    assert ["url"] in unique or any(
        i["unique"] and i["column_names"] == ["url"] for i in found.get_indexes("sources"))
