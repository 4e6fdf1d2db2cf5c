"""Which backend a connection talks to: the one test the dialect modules share."""

from __future__ import annotations

from sqlalchemy import Connection


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"
