from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, MetaData, select

from kartoteka.auth.passwords import Passwords
from kartoteka.auth.roles import Actor, PermissionDenied, Role
from kartoteka.services.accounts import AccountService
from kartoteka.services.backup import BackupError, backup, restore
from kartoteka.services.ingest import IngestService
from kartoteka.services.review import ReviewService
from kartoteka.services.wiring import ingest_service
from kartoteka.store.audit import AuditLog
from kartoteka.store.database import Database
from kartoteka.store.dialect import CONTENT_VERSION

OPERATOR = Actor.operator("cli")
EDITOR = Actor("ed@example.org", Role.EDITOR, 2)


def contents(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, found by reflection so that no table is forgotten.

    PostgreSQL's commit counter is left out: it counts commits, restore
    included, and is meant to differ afterwards."""
    meta = MetaData()
    meta.reflect(conn)
    found: dict[str, list[tuple[Any, ...]]] = {}
    for table in meta.sorted_tables:
        if table.name == CONTENT_VERSION:
            continue
        rows = conn.execute(select(table)).all()
        found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found


def populate(db: Database, corpus_dir: Path) -> None:
    IngestService(db).ingest([str(corpus_dir)])
    passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts = AccountService(db, passwords=passwords)
    accounts.add_user(OPERATOR, "boss@example.org", Role.ADMIN)
    accounts.add_user(OPERATOR, "co@example.org", Role.CONTRIBUTOR, invite=True)
    review = ReviewService(db, ingest=ingest_service(db))
    co = Actor("co@example.org", Role.CONTRIBUTOR, 2)
    sub = review.submit_text(co, "Draft title", "First text of a draft.")
    review.request_changes(EDITOR, sub.article_id, "More sources")
    review.resubmit(co, sub.article_id, "Draft title", "Second text of a draft.")


def test_backup_and_restore_lose_nothing(db: Database, corpus_dir: Path, tmp_path: Path) -> None:
    populate(db, corpus_dir)
    target = backup(db, tmp_path / "kartoteka.backup", OPERATOR)
    with db.read() as conn:
        saved = contents(conn)
    for name in (
        "articles",
        "article_revisions",
        "users",
        "audit_log",
        "review_comments",
        "one_time_links",
        "authors",
    ):
        assert saved[name], f"the test data should fill {name}"
    assert len(saved["article_revisions"]) == 9  # 7 ingested, a draft with two revisions

    # Change things after the backup: the restore must undo all of it.
    review = ReviewService(db, ingest=ingest_service(db))
    review.publish(EDITOR, review.queue(EDITOR)[0].article.id)
    AccountService(db).add_user(OPERATOR, "late@example.org", Role.READER, password="x" * 12)
    with db.read() as conn:
        assert contents(conn) != saved

    restore(db, target, OPERATOR)
    with db.read() as conn:
        restored = contents(conn)
        last = AuditLog(conn).recent(limit=1)[0]
    assert last.action == "database.restore" and last.actor == "cli"
    restored["audit_log"] = [r for r in restored["audit_log"] if "database.restore" not in r]
    assert restored.keys() == saved.keys()
    for name in saved:
        assert restored[name] == saved[name], name
    # A backup is one file: neither writing nor restoring it leaves -wal/-shm beside it.
    assert sorted(p.name for p in tmp_path.glob("kartoteka.backup*")) == ["kartoteka.backup"]


def test_restore_refuses_files_that_are_not_backups(db: Database, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    with pytest.raises(BackupError, match="neither a SQLite database nor a pg_dump"):
        restore(db, text, OPERATOR)
    with pytest.raises(BackupError, match="no backup file"):
        restore(db, tmp_path / "missing", OPERATOR)


def test_a_backup_of_one_kind_is_refused_by_the_other(db: Database, tmp_path: Path) -> None:
    other = tmp_path / "other.backup"
    if db.backend == "sqlite":
        other.write_bytes(b"PGDMP" + b"\x00" * 100)
        expected = "postgresql backup and the database is sqlite"
    else:
        source = Database(f"sqlite:///{tmp_path / 'source.db'}")
        source.migrate()
        backup(source, other, OPERATOR)
        source.dispose()
        expected = "sqlite backup and the database is postgresql"
    with pytest.raises(BackupError, match=expected):
        restore(db, other, OPERATOR)


def test_only_admins_back_up(db: Database, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        backup(db, tmp_path / "x.backup", EDITOR)
    with pytest.raises(BackupError, match="does not exist"):
        backup(db, tmp_path / "no" / "such" / "x.backup", OPERATOR)
    assert not (tmp_path / "x.backup").exists()


def test_backup_runs_while_the_database_is_in_use(
    db: Database, corpus_dir: Path, tmp_path: Path
) -> None:
    IngestService(db).ingest([str(corpus_dir)])
    target = tmp_path / "online.backup"
    with db.read() as reader:  # a reader mid-transaction does not block the backup
        before = contents(reader)
        backup(db, target, OPERATOR)
    copy = tmp_path / "copy.db"
    if db.backend == "sqlite":
        copy.write_bytes(target.read_bytes())
        restored = Database(f"sqlite:///{copy}")
        with restored.read() as conn:
            assert contents(conn)["articles"] == before["articles"]
        restored.dispose()
    else:
        assert target.read_bytes().startswith(b"PGDMP")
