"""Migration 0010 rebuilds the index of a database made before word forms, on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from kartoteka.cli import app
from kartoteka.model import ArticleDraft
from kartoteka.services.ingest import IngestService
from kartoteka.services.search import search
from kartoteka.store.database import Database

REVISION = "0010_stemmed_search"
# Built on 0010 (the vectors' storage, then the stem postings), so undone
# before it and redone after it, newest first.
ON_TOP = ("0170_stem_postings", "0165_vectors_inline")


def _has_stem_index(db: Database) -> bool:
    with db.read() as conn:
        if db.backend == "sqlite":
            return bool(
                conn.execute(
                    text("SELECT 1 FROM sqlite_master WHERE name = 'article_stem_fts'")
                ).first()
            )
        return "stem_vector" in {c["name"] for c in inspect(conn).get_columns("articles")}


def test_init_on_an_old_database_rebuilds_the_index(database_url: str) -> None:
    db = Database(database_url)
    try:
        service = IngestService(db)
        for n in range(3):
            service.store(
                ArticleDraft(
                    title=f"Сводка {n}", body="В Ливии снова неспокойно: боевики заняли трассу.",
                    source=f"test://ru/{n}", language="ru",
                )
            )
        with db.engine.begin() as conn:  # back to the index as it was before 0010
            for revision in (*ON_TOP, REVISION):
                command.downgrade(db._alembic_config(conn), f"{revision}@-1")
        assert not _has_stem_index(db)
        assert db.pending_migrations() == {ON_TOP[0]}  # the head of the three

        result = CliRunner().invoke(app, ["init", "--db", database_url])
        assert result.exit_code == 0, result.output
        assert "search index rebuilt: 3 article(s)" in result.stderr
        assert _has_stem_index(db) and not db.pending_migrations()
        assert search(db, "Ливия", widen=False).total == 3
        assert search(db, "боевик", widen=False).total == 3
        # Nothing more to do: the next command is quiet.
        again = CliRunner().invoke(app, ["init", "--db", database_url])
        assert "search index" not in again.stderr
    finally:
        db.migrate()  # leave the shared PostgreSQL database at the newest schema
        db.dispose()


def test_postgresql_keeps_the_vectors_in_the_row(database_url: str) -> None:
    db = Database(database_url)
    try:
        if db.backend == "sqlite":
            return  # 0165 does nothing there: the index is FTS5 tables
        storage = (
            "SELECT attname, attstorage FROM pg_attribute "
            "WHERE attrelid = 'articles'::regclass AND attname LIKE '%_vector'"
        )
        with db.read() as conn:
            assert dict(conn.execute(text(storage)).tuples().all()) == {
                "search_vector": "m", "stem_vector": "m"}
        with db.engine.begin() as conn:
            for revision in ON_TOP:
                command.downgrade(db._alembic_config(conn), f"{revision}@-1")
        with db.read() as conn:
            assert set(dict(conn.execute(text(storage)).tuples().all()).values()) == {"x"}
    finally:
        db.migrate()
        db.dispose()
