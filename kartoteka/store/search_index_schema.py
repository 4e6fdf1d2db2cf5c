"""Setting the full-text index up and taking it down, on both backends (migrations call these).

Split off :mod:`kartoteka.store.search_index`, which keeps the index in
step with the articles and matches against it; its docstring says what the
index holds on each backend.  Like it and :mod:`kartoteka.store.dialect`,
this module branches on the backend.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from kartoteka.store.dialect import is_sqlite
from kartoteka.store.search_index import (
    EXACT_TABLE,
    POSTINGS_TABLE,
    STEM_TABLE,
    TS_CONFIG,
    TS_STEM_CONFIG,
    Progress,
)
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


# --- PostgreSQL: the stem postings ----------------------------------------------------

_PG_POSTINGS_TABLE = f"""
CREATE TABLE IF NOT EXISTS {POSTINGS_TABLE} (
  stem text COLLATE "C" NOT NULL,
  article_pk integer NOT NULL
) WITH (autovacuum_vacuum_insert_scale_factor = 0.01)
"""

# Statement-level triggers with transition tables: one INSERT per statement
# however many rows it wrote (a batch of the bulk ingest is one), in key
# order, which visits each page of the key once (at a million articles, 5,000
# articles' pairs went in in 1.2 s against 1.6-1.8 unsorted).  No ON CONFLICT:
# a new row's pairs cannot be there already (deleted with their article, or
# before the new ones of an update), and its speculative insertion made
# storing 5,000 articles take 2.0-2.2 s more instead of 1.3-1.65.  An UPDATE
# trigger with transition tables may not name columns, so every update of
# articles passes through it; only rows whose vector changed touch the table.
_PG_POSTINGS_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION {POSTINGS_TABLE}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {POSTINGS_TABLE} (stem, article_pk)
    SELECT s.stem, n.pk FROM new_rows n, unnest(tsvector_to_array(n.stem_vector)) AS s(stem)
    ORDER BY 1, 2;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {POSTINGS_TABLE}_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {POSTINGS_TABLE} p
    USING old_rows o JOIN new_rows n ON n.pk = o.pk,
          unnest(tsvector_to_array(o.stem_vector)) AS s(stem)
    WHERE o.stem_vector IS DISTINCT FROM n.stem_vector
      AND p.stem = s.stem AND p.article_pk = o.pk;
  INSERT INTO {POSTINGS_TABLE} (stem, article_pk)
    SELECT s.stem, n.pk
    FROM old_rows o JOIN new_rows n ON n.pk = o.pk,
         unnest(tsvector_to_array(n.stem_vector)) AS s(stem)
    WHERE o.stem_vector IS DISTINCT FROM n.stem_vector
    ORDER BY 1, 2;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {POSTINGS_TABLE}_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM {POSTINGS_TABLE} p
    USING old_rows o, unnest(tsvector_to_array(o.stem_vector)) AS s(stem)
    WHERE p.stem = s.stem AND p.article_pk = o.pk;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {POSTINGS_TABLE}_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Not TRUNCATE: a TRUNCATE naming both tables (tests empty every table
  -- so) may not truncate one of them again from here.
  DELETE FROM {POSTINGS_TABLE};
  RETURN NULL;
END $$;
"""

# Each trigger on articles: its event, and the transition tables its function reads.
_POSTINGS_EVENTS = {
    "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
    "updated": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "deleted": ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
    "truncated": ("TRUNCATE", ""),
}


def _create_postings_triggers(conn: Connection) -> None:
    conn.execute(text(_PG_POSTINGS_FUNCTIONS))
    for name, (event, transition) in _POSTINGS_EVENTS.items():
        trigger = f"{POSTINGS_TABLE}_{name}"
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON articles"))
        conn.execute(
            text(
                f"CREATE TRIGGER {trigger} AFTER {event} ON articles {transition} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger}()"
            )
        )


# Articles copied into the postings per statement while a migration fills them.
POSTINGS_BATCH = 20_000


def create_stem_postings(conn: Connection, progress: Progress | None = None) -> None:
    """PostgreSQL: a ``pk``-ordered list of articles per stem, kept by triggers (idempotent).

    What the stem GIN index cannot give: the articles holding a word newest
    first, stopping after the latest few thousand.  GIN hands out every
    match unordered (0.25 us each; a word in 7% of a million articles is
    70,000 of them), so a search with a country or date filter, or a deep
    page, walked the articles backwards and checked each one's vector
    instead.  This btree of (stem, article ``pk``) is read backwards from a
    stem and merged with the country's articles, or checked row by row for
    a date, then the full match is checked on the row (``search_index``).
    It is what FTS5 keeps on SQLite, at a price PostgreSQL cannot compress
    away: about 70 bytes per (stem, article) pair with its index, some 60
    pairs per short article (``bench/search.py`` has the figures).

    Read by index-only scans, which skip the table only where the
    visibility map says its pages are all visible: autovacuum is asked to
    vacuum it after 1% new rows (about 10,000 articles at a million) rather
    than the default 20%, which only has to look at the pages written since.

    The triggers go in first: they lock ``articles`` against writes until
    the migration commits, so no article is stored between the copy and
    them.  The key is built after the copy, in one sort.
    """
    if is_sqlite(conn):
        return
    conn.execute(text(_PG_POSTINGS_TABLE))
    _postings_statistics(conn)
    _create_postings_triggers(conn)
    has_key = conn.execute(
        text("SELECT 1 FROM pg_constraint WHERE conname = :name"),
        {"name": f"pk_{POSTINGS_TABLE}"},
    ).first()
    if has_key is None:
        _copy_postings(conn, progress)
        conn.execute(
            text(
                f"ALTER TABLE {POSTINGS_TABLE} ADD CONSTRAINT pk_{POSTINGS_TABLE} "
                "PRIMARY KEY (stem, article_pk)"
            )
        )
        conn.execute(text(f"ANALYZE {POSTINGS_TABLE}"))


def _postings_statistics(conn: Connection) -> None:
    """Ten times the default sample of stems, for the planner's estimates of a list's length.

    With the default, a stem in one pair of 600 (a word in every tenth article)
    was not among the most common ones and was taken for 3,000 articles
    instead of 100,000."""
    conn.execute(text(f"ALTER TABLE {POSTINGS_TABLE} ALTER COLUMN stem SET STATISTICS 1000"))


def _copy_postings(conn: Connection, progress: Progress | None) -> None:
    total = int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
    if progress:
        progress(0, total, "")
    conn.execute(text(f"TRUNCATE {POSTINGS_TABLE}"))
    done, last = 0, 0
    while True:
        batch = conn.execute(
            text(
                "SELECT max(pk) AS upper, count(*) AS n FROM (SELECT pk FROM articles "
                "WHERE pk > :last ORDER BY pk LIMIT :batch) AS b"
            ),
            {"last": last, "batch": POSTINGS_BATCH},
        ).one()
        if batch.upper is None:
            return
        conn.execute(
            text(
                f"INSERT INTO {POSTINGS_TABLE} (stem, article_pk) "
                "SELECT s.stem, a.pk FROM articles a, "
                "unnest(tsvector_to_array(a.stem_vector)) AS s(stem) "
                "WHERE a.pk > :last AND a.pk <= :upper"
            ),
            {"last": last, "upper": batch.upper},
        )
        done, last = done + int(batch.n), int(batch.upper)
        if progress:
            progress(done, total, f"article {last}")


def drop_stem_postings(conn: Connection) -> None:
    """Undo ``create_stem_postings``."""
    if is_sqlite(conn):
        return
    for name in _POSTINGS_EVENTS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {POSTINGS_TABLE}_{name} ON articles"))
        conn.execute(text(f"DROP FUNCTION IF EXISTS {POSTINGS_TABLE}_{name}()"))
    conn.execute(text(f"DROP TABLE IF EXISTS {POSTINGS_TABLE}"))
