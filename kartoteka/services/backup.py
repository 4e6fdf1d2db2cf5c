"""Back up and restore the whole database, with the audit log told about it.

A backup records who made it *before* copying, so the copy holds its own
entry; a restore records itself *after*, in the restored log, so the log
shows that its history was replaced at that moment.
"""

from __future__ import annotations

from pathlib import Path

from kartoteka.auth.ratelimit import Clock, utc_now
from kartoteka.auth.roles import Action, Actor
from kartoteka.store import backup as backend
from kartoteka.store.audit import AuditLog
from kartoteka.store.backup import BackupError
from kartoteka.store.database import Database

__all__ = ["BackupError", "backup", "restore"]


def backup(db: Database, path: Path, actor: Actor, clock: Clock = utc_now) -> Path:
    actor.require(Action.BACKUP)
    path = path.expanduser().resolve()
    if not path.parent.is_dir():
        raise BackupError(f"cannot write {path}: the folder {path.parent} does not exist")
    db.ensure_ready()
    with db.transaction() as conn:
        AuditLog(conn).record(clock(), actor.label, "database.backup", "database", path.name)
    backend.backup(db, path)
    return path


def restore(db: Database, path: Path, actor: Actor, clock: Clock = utc_now) -> None:
    """Replace the database's contents with the backup's."""
    actor.require(Action.BACKUP)
    path = path.expanduser().resolve()
    backend.restore(db, path)
    with db.transaction() as conn:
        AuditLog(conn).record(clock(), actor.label, "database.restore", "database", path.name)
