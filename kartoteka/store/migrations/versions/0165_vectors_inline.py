"""PostgreSQL: the search vectors stay in the article's row (storage ``MAIN``).

Ranking reads the vector of every candidate.  With the default storage the
two vectors (about 1 KB each, in a row of about 2.7 KB) were the values
PostgreSQL moved to the TOAST table, so each candidate cost a look-up
there, about 5 us a row: at 1M articles what kept a country-filtered search
(CPU p99 93 ms), a date-filtered one (64 ms) and page 51 (71 ms) over 50 ms.
A copy of the table with the vectors in the row ran the same scan in 11 ms
against 19-22 (``keep_vectors_inline``).  Measured with this migration and
the table rewritten, against the same table rewritten without it, same
machine and session (``bench/search.py``'s docstring has every class): CPU
p99 country filter 87 -> 70 ms, page 51 64 -> 42, common 46 -> 25, date
filter 57 -> 59 (no gain there); the heap grows from 1.5 to 2.5 GB and
TOAST shrinks from 1.3 GB to 0.6 (the bodies go there instead).

The migration only changes the columns' storage, which rewrites nothing: on
a fresh or small database it is instant, and rows written from now on are
laid out the new way.  A big existing database keeps its old rows in TOAST
until rewritten, once, at a quiet time (it locks the table and needs room
for a second copy of it)::

    psql "$DATABASE" -c 'VACUUM FULL articles' -c 'ANALYZE articles'

SQLite: nothing to do.

Revision ID: 0165_vectors_inline
Revises: 0010_stemmed_search
"""

from __future__ import annotations

from alembic import op

from kartoteka.store import search_index_schema

revision = "0165_vectors_inline"
down_revision = "0010_stemmed_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index_schema.keep_vectors_inline(op.get_bind())


def downgrade() -> None:
    search_index_schema.let_vectors_out(op.get_bind())
