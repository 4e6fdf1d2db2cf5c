"""Whole-database backup and restore, one implementation per backend.

Like ``dialect`` for SQL, this is the one place where backup differs by
backend: SQLite copies itself online through ``sqlite3.Connection.backup``
(readers and the writer carry on); PostgreSQL uses ``pg_dump -Fc`` and
``pg_restore --clean --if-exists`` in one transaction, so a failed restore
leaves the database as it was.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from kartoteka.store import dialect
from kartoteka.store.database import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to do."""


def file_kind(path: Path) -> str:
    """``sqlite`` or ``postgresql`` from a backup file's first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise BackupError(f"no backup file at {path}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive")


def backup(db: Database, path: Path) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        if db.backend == "sqlite":
            _sqlite_backup(db, partial)
        else:
            _pg_dump(db, partial)
        os.replace(partial, path)  # never leave a half-written file under the real name
    finally:
        partial.unlink(missing_ok=True)


def restore(db: Database, path: Path) -> None:
    kind = file_kind(path)
    if kind != ("sqlite" if db.backend == "sqlite" else "postgresql"):
        raise BackupError(
            f"{path} is a {kind} backup and the database is {db.backend}: "
            "restore it into a database of the same kind"
        )
    db.engine.dispose()  # no pooled connection may hold the old tables open
    if kind == "sqlite":
        _sqlite_restore(db, path)
    else:
        _pg_restore(db, path)
    db.engine.dispose()
    with db.transaction() as conn:
        dialect.note_external_change(conn)


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_backup(db: Database, target: Path) -> None:
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
            # The copy inherits WAL mode, and any later open of it (even read-only)
            # would create -wal and -shm files beside it; a backup is one file.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
    finally:
        raw.close()


def _sqlite_restore(db: Database, path: Path) -> None:
    # immutable: a backup written before journal_mode=DELETE is still in WAL mode,
    # and opening it otherwise leaves -wal and -shm files beside it.
    source = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        names = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names or "articles" not in names:
            raise BackupError(f"{path} is a SQLite database but not a kartoteka backup")
        raw = db.engine.raw_connection()
        try:
            live = raw.driver_connection
            assert isinstance(live, sqlite3.Connection)
            source.backup(live)
        finally:
            raw.close()
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------


def postgres_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` from PATH, else the newest Debian install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools")
    return candidates[-1]


def _libpq_environment(db: Database) -> tuple[dict[str, str], str]:
    """Connection settings as PG* variables, so the password never shows in ``ps``."""
    url = make_url(db.url)
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
    ):
        if value:
            env[key] = str(value)
    if not url.database:
        raise BackupError(f"the database URL {db.url!r} names no database")
    return env, url.database


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()}")


def _pg_dump(db: Database, target: Path) -> None:
    env, name = _libpq_environment(db)
    _run(
        [
            postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            # The commit counter is not data, and a restored one could repeat a
            # value a web worker already holds; restore bumps the live one instead.
            f"--exclude-table={dialect.CONTENT_VERSION}",
            f"--exclude-table={dialect.CONTENT_VERSION}_n",
            f"--file={target}",
            name,
        ],
        env,
        "pg_dump",
    )


def _pg_restore(db: Database, path: Path) -> None:
    env, name = _libpq_environment(db)
    _run(
        [
            postgres_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={name}",
            str(path),
        ],
        env,
        "pg_restore",
    )
