"""Setting the full-text index up and taking it down, on both backends (migrations call these).

Split off :mod:`kartoteka.store.search_index`, which keeps the index in
step with the articles and matches against it; its docstring says what the
index holds on each backend.  Like it and :mod:`kartoteka.store.dialect`,
this module branches on the backend.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from kartoteka.store.dialect import is_sqlite
from kartoteka.store.search_index import EXACT_TABLE, STEM_TABLE, TS_CONFIG, TS_STEM_CONFIG
from kartoteka.text.stemming import STEMMED_LANGUAGES


def _stemmed_languages_sql() -> str:
    codes = sorted(STEMMED_LANGUAGES)
    assert all(c.isascii() and c.isalpha() for c in codes)
    return ", ".join(f"'{c}'" for c in codes)


_PG_CONFIGS = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'kartoteka_english_stem') THEN
    CREATE TEXT SEARCH DICTIONARY kartoteka_english_stem (TEMPLATE = snowball, Language = english);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'kartoteka_russian_stem') THEN
    CREATE TEXT SEARCH DICTIONARY kartoteka_russian_stem (TEMPLATE = snowball, Language = russian);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_STEM_CONFIG}') THEN
    CREATE TEXT SEARCH CONFIGURATION {TS_STEM_CONFIG} (COPY = russian);
    ALTER TEXT SEARCH CONFIGURATION {TS_STEM_CONFIG}
      ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH kartoteka_english_stem;
    ALTER TEXT SEARCH CONFIGURATION {TS_STEM_CONFIG}
      ALTER MAPPING FOR word, hword, hword_part WITH unaccent, kartoteka_russian_stem;
    ALTER TEXT SEARCH CONFIGURATION {TS_STEM_CONFIG}
      ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple;
  END IF;
END $$;
"""


def _pg_stem_function() -> str:
    def vector(column_name: str, weight: str) -> str:
        return (
            f"setweight(to_tsvector(CASE WHEN language IN ({_stemmed_languages_sql()}) "
            f"THEN '{TS_STEM_CONFIG}'::regconfig ELSE '{TS_CONFIG}'::regconfig END, "
            f"coalesce({column_name}, '')), '{weight}')"
        )

    return (
        "CREATE OR REPLACE FUNCTION kartoteka_stem_vector(title text, body text, language text) "
        "RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT "
        f"AS $$ SELECT {vector('title', 'A')} || {vector('body', 'B')} $$"
    )


_PG_TRIGGER = """
CREATE OR REPLACE FUNCTION articles_stem_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.stem_vector := kartoteka_stem_vector(NEW.title, NEW.body, NEW.language);
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS articles_stem_vector ON articles;
CREATE TRIGGER articles_stem_vector BEFORE INSERT OR UPDATE OF title, body, language
  ON articles FOR EACH ROW EXECUTE FUNCTION articles_stem_vector();
"""


def create_search_index(conn: Connection) -> None:
    """Create whatever part of the index is missing (idempotent)."""
    if is_sqlite(conn):
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {EXACT_TABLE} USING fts5("
                "title, body, content='', tokenize='unicode61 remove_diacritics 0', "
                "prefix='2 3 4')"
            )
        )
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {STEM_TABLE} USING fts5("
                "title, body, content='', tokenize='unicode61 remove_diacritics 0')"
            )
        )
        return
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    conn.execute(text(_PG_CONFIGS))
    conn.execute(
        text(
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS ("
            f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector('{TS_CONFIG}'::regconfig, coalesce(body, '')), 'B')"
            ") STORED"
        )
    )
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_articles_search_vector "
            "ON articles USING gin (search_vector)"
        )
    )
    conn.execute(text("ALTER TABLE articles ADD COLUMN IF NOT EXISTS stem_vector tsvector"))
    conn.execute(text(_pg_stem_function()))
    conn.execute(text(_PG_TRIGGER))
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_articles_stem_vector ON articles USING gin (stem_vector)"
        )
    )


def drop_search_index(conn: Connection) -> None:
    if is_sqlite(conn):
        conn.execute(text(f"DROP TABLE IF EXISTS {EXACT_TABLE}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {STEM_TABLE}"))
        return
    drop_stem_index(conn)
    conn.execute(text("DROP INDEX IF EXISTS ix_articles_search_vector"))
    conn.execute(text("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector"))
    conn.execute(text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_CONFIG}"))


# PostgreSQL's columns holding the search index, read for every candidate a query ranks.
VECTOR_COLUMNS = ("search_vector", "stem_vector")


def keep_vectors_inline(conn: Connection) -> None:
    """PostgreSQL: keep the two vectors in the article's row, out of TOAST.

    A row of about 2.7 KB (two vectors of about 1 KB each) is over the 2 KB
    at which PostgreSQL moves its largest values to the TOAST table, and the
    vectors went first: ranking then fetched each candidate's vector by a
    look-up in that table (about 5 us a row, most of what was left of a
    country-filtered search at 1M articles).  Storage ``MAIN`` moves the
    body and other values out first and keeps the vectors in the row
    (compressed when that pays).  Only rows written from now on are laid out
    so: ``ALTER ... SET STORAGE`` rewrites nothing, which keeps the migration
    cheap; ``VACUUM FULL articles`` rewrites the rows already there.  SQLite:
    nothing to do (its index is the FTS5 tables).
    """
    if is_sqlite(conn):
        return
    for vector in VECTOR_COLUMNS:
        conn.execute(text(f"ALTER TABLE articles ALTER COLUMN {vector} SET STORAGE MAIN"))


def let_vectors_out(conn: Connection) -> None:
    """Undo ``keep_vectors_inline``: PostgreSQL's default storage (``EXTENDED``)."""
    if is_sqlite(conn):
        return
    for vector in VECTOR_COLUMNS:
        conn.execute(text(f"ALTER TABLE articles ALTER COLUMN {vector} SET STORAGE EXTENDED"))


def drop_text_indexes(conn: Connection) -> None:
    """PostgreSQL: drop the two GIN indexes before a bulk load of many articles.

    ``create_search_index`` builds them again afterwards in one pass over the
    table, which is much cheaper than growing them article by article (the
    columns themselves stay and are filled as rows go in).  Queries in
    between find nothing fast, so only a load that nobody reads meanwhile
    (a benchmark's) should do this.  SQLite's index is its FTS5 tables,
    which are filled row by row either way: nothing to do.
    """
    if not is_sqlite(conn):
        conn.execute(text("DROP INDEX IF EXISTS ix_articles_search_vector"))
        conn.execute(text("DROP INDEX IF EXISTS ix_articles_stem_vector"))


def drop_stem_index(conn: Connection) -> None:
    """PostgreSQL: remove the stem index alone (what migration 0010 added)."""
    if is_sqlite(conn):
        conn.execute(text(f"DROP TABLE IF EXISTS {STEM_TABLE}"))
        return
    conn.execute(text("DROP TRIGGER IF EXISTS articles_stem_vector ON articles"))
    conn.execute(text("DROP FUNCTION IF EXISTS articles_stem_vector()"))
    conn.execute(text("DROP FUNCTION IF EXISTS kartoteka_stem_vector(text, text, text)"))
    conn.execute(text("DROP INDEX IF EXISTS ix_articles_stem_vector"))
    conn.execute(text("ALTER TABLE articles DROP COLUMN IF EXISTS stem_vector"))
    conn.execute(text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_STEM_CONFIG}"))
    conn.execute(text("DROP TEXT SEARCH DICTIONARY IF EXISTS kartoteka_english_stem"))
    conn.execute(text("DROP TEXT SEARCH DICTIONARY IF EXISTS kartoteka_russian_stem"))
