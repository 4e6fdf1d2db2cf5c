"""CPU time of other processes on this machine, read from /proc (Linux).

Benchmarks on a shared machine report CPU beside wall time; a PostgreSQL
server or a web server's workers spend theirs outside the bench's process.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from kartoteka.store.database import Database


def cpu_seconds(pid: int) -> float | None:
    """A process's CPU seconds so far (utime + stime); None if it is not on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu(db: Database) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving ``db`` that runs here
    (none for SQLite, which works in this process)."""
    if db.backend == "sqlite":
        return {}
    with db.read() as conn:
        pids = conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        )).scalars().all()
    found: dict[int, float] = {}
    for pid in pids:
        seconds = cpu_seconds(int(pid))
        if seconds is not None:  # else on another machine, or gone
            found[int(pid)] = seconds
    return found
