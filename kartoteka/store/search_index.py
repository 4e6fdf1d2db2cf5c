"""The full-text index on both backends: keeping it in step, matching.

Its set-up (configurations, columns, triggers, indexes: what migrations
call) is :mod:`kartoteka.store.search_index_schema`.

Like :mod:`kartoteka.store.dialect`, this module holds SQLite/PostgreSQL
differences, one branch per backend; it is split off because the index is
most of them.  Every article is indexed twice, word by word in the same
positions (see :mod:`kartoteka.text.search_forms`):

* **exact forms** (case and diacritics folded) answer quoted terms, which
  match the form written and no other, and ``prefix*`` terms;
* **stems** for articles in a language we stem (``en``, ``ru``), folded
  words for every other language, answer bare words in any of their forms.

SQLite: two contentless FTS5 tables, ``article_fts`` (exact, with prefix
indexes) and ``article_stem_fts``, filled with forms made in Python.  FTS5
has no Russian stemmer, and a custom tokenizer is no way round that: Python's
``sqlite3`` cannot register one, and a database that needs it could not be
opened by the ``sqlite3`` shell or any other tool.  Contentless tables store
no copy of the text (only the index), and since Python makes the exact forms
too, both backends fold alike (``ё`` → ``е``, ``й`` kept, as ``unaccent`` does;
FTS5's own ``remove_diacritics`` leaves ``ё`` alone).  Deleting a row from a
contentless table takes the forms it was indexed with, so the old text and
language are passed in.

PostgreSQL: ``search_vector`` (generated, ``kartoteka`` configuration:
``unaccent`` then ``simple``) holds exact forms; ``stem_vector`` is filled by
a trigger with the ``kartoteka_stem`` configuration for a stemmed language,
else ``kartoteka``.  ``kartoteka_stem`` copies PostgreSQL's ``russian``
configuration, which stems a word of ASCII letters as English and any other
as Russian (``text/stemming.py`` does the same), with ``unaccent`` in front
and Snowball dictionaries without stop words, so that phrase positions and
function words are the same on both backends.  A trigger rather than a
generated column, so that the migration can fill it in batches and show
progress.  ``article_stems`` lists each stem's articles in ``pk`` order
(statement-level triggers keep it, see ``search_index_schema``): a search
for the latest matches of a bare word reads it newest first
(``_pg_from_postings``), which the GIN index, handing out every match
unordered, cannot do.

Matching: bare words match in the stem index; quoted and prefix terms in the
exact index.  When a query has both, a quoted term is matched in the stem
index as well (an exact form implies its stem at the same position), so that
one index ranks it; a query without bare words is ranked by the exact index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    cast,
    column,
    func,
    literal,
    literal_column,
    not_,
    select,
    table,
    text,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from kartoteka.store.dialect import is_sqlite
from kartoteka.store.tables import article_countries, articles
from kartoteka.text.query import ParsedQuery, Term
from kartoteka.text.search_forms import indexed_text

TS_CONFIG = "kartoteka"
TS_STEM_CONFIG = "kartoteka_stem"
EXACT_TABLE = "article_fts"
STEM_TABLE = "article_stem_fts"
# PostgreSQL: (stem, article pk) pairs, newest first per stem (search_index_schema).
POSTINGS_TABLE = "article_stems"
REBUILD_BATCH = 500
Progress = Callable[[int, int, str], None]

# --- keeping the index in step ------------------------------------------------------

_INSERT_EXACT = text(
    f"INSERT INTO {EXACT_TABLE}(rowid, title, body) VALUES (:pk, :title, :body)"
)
_INSERT_STEMS = text(f"INSERT INTO {STEM_TABLE}(rowid, title, body) VALUES (:pk, :title, :body)")
_DELETE_EXACT = text(
    f"INSERT INTO {EXACT_TABLE}({EXACT_TABLE}, rowid, title, body) "
    "VALUES ('delete', :pk, :title, :body)"
)
_DELETE_STEMS = text(
    f"INSERT INTO {STEM_TABLE}({STEM_TABLE}, rowid, title, body) "
    "VALUES ('delete', :pk, :title, :body)"
)


def _rows(pk: int, title: str, body: str, language: str | None) -> tuple[dict[str, Any], ...]:
    t, b = indexed_text(title, language), indexed_text(body, language)
    return (
        {"pk": pk, "title": t.exact, "body": b.exact},
        {"pk": pk, "title": t.stems, "body": b.stems},
    )


def index_article(conn: Connection, pk: int, title: str, body: str, language: str | None) -> None:
    """Add an article's current text to the index (same transaction as the row).

    PostgreSQL's trigger and generated column need nothing from us."""
    if is_sqlite(conn):
        exact, stems = _rows(pk, title, body, language)
        conn.execute(_INSERT_EXACT, exact)
        conn.execute(_INSERT_STEMS, stems)


def index_articles(
    conn: Connection, texts: Sequence[tuple[int, str, str, str | None]]
) -> None:
    """``index_article`` for many (pk, title, body, language) in one statement per table."""
    if is_sqlite(conn) and texts:
        rows = [_rows(pk, title, body, language) for pk, title, body, language in texts]
        conn.execute(_INSERT_EXACT, [exact for exact, _stems in rows])
        conn.execute(_INSERT_STEMS, [stems for _exact, stems in rows])


def unindex_article(
    conn: Connection, pk: int, title: str, body: str, language: str | None
) -> None:
    """Remove the text an article had; contentless FTS5 needs the old forms to do so."""
    if is_sqlite(conn):
        exact, stems = _rows(pk, title, body, language)
        conn.execute(_DELETE_EXACT, exact)
        conn.execute(_DELETE_STEMS, stems)


def clear_search_index(conn: Connection) -> None:
    """Empty the index (after every article was deleted)."""
    if is_sqlite(conn):
        for name in (EXACT_TABLE, STEM_TABLE):
            conn.execute(text(f"INSERT INTO {name}({name}) VALUES ('delete-all')"))


def rebuild_search_index(conn: Connection, progress: Progress | None = None) -> int:
    """Index every article again, in batches; returns how many there are."""
    total = int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
    if progress:
        progress(0, total, "")
    clear_search_index(conn)
    done, last = 0, 0
    while True:
        if is_sqlite(conn):
            rows = conn.execute(
                select(articles.c.pk, articles.c.title, articles.c.body, articles.c.language)
                .where(articles.c.pk > last)
                .order_by(articles.c.pk)
                .limit(REBUILD_BATCH)
            ).all()
            for row in rows:
                index_article(conn, row.pk, row.title, row.body, row.language)
        else:
            upper = conn.execute(
                select(func.max(articles.c.pk)).where(
                    articles.c.pk.in_(
                        select(articles.c.pk)
                        .where(articles.c.pk > last)
                        .order_by(articles.c.pk)
                        .limit(REBUILD_BATCH)
                    )
                )
            ).scalar()
            rows = [] if upper is None else conn.execute(
                text(
                    "UPDATE articles SET stem_vector = "
                    "kartoteka_stem_vector(title, body, language) "
                    "WHERE pk > :last AND pk <= :upper RETURNING pk"
                ),
                {"last": last, "upper": upper},
            ).all()
        if not rows:
            break
        last = max(int(r.pk) for r in rows)
        done += len(rows)
        if progress:
            progress(done, total, f"article {last}")
    return total


# --- matching -----------------------------------------------------------------------


def _fts5_phrase(words: Iterable[str]) -> str:
    # Every word is double-quoted, so no user input is ever FTS5 syntax.
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _fts5_stem(term: Term) -> str:
    stems, words = term.stems, term.words
    if stems == words:
        return _fts5_phrase(words)
    return f"({_fts5_phrase(stems)} OR {_fts5_phrase(words)})"


def _fts5_exact(term: Term) -> str:
    return _fts5_phrase(term.words) + ("*" if term.prefix else "")


def _fts5_match(positive: list[str], negative: list[str]) -> str:
    return "(" + " AND ".join(positive) + ")" + "".join(f" NOT {n}" for n in negative)


def _typed(term: Term) -> str:
    return " ".join(term.typed or term.words)


def _ts_stem(term: Term) -> ColumnElement[Any]:
    typed = _typed(term)
    return func.phraseto_tsquery(TS_STEM_CONFIG, typed).op("||")(
        func.phraseto_tsquery(TS_CONFIG, typed)
    )


def _ts_exact(term: Term) -> ColumnElement[Any]:
    if not term.prefix:
        return func.phraseto_tsquery(TS_CONFIG, _typed(term))
    # Words are letters and digits only (see text.search_forms): safe inside quotes.
    words = [f"'{w}'" for w in (term.typed or term.words)]
    return func.to_tsquery(TS_CONFIG, " <-> ".join(words) + ":*")


class _Split:
    """A query's terms by the index that answers them.

    With a bare word in the query the stem index ranks, and quoted terms are
    matched there too (their exact form implies their stem) as well as in the
    exact index; without one, the exact index alone ranks and matches."""

    def __init__(self, query: ParsedQuery) -> None:
        stemmed = any(t.stemmed for t in query.positive)
        self.stem_positive = [t for t in query.positive if stemmed and not t.prefix]
        self.exact_positive = [t for t in query.positive if t.exact or t.prefix]
        negated = [t for t in query.terms if t.negated]
        self.stem_negative = [t for t in negated if t.stemmed]
        self.exact_negative = [t for t in negated if not t.stemmed]


def _fts_rowids(name: str, expression: str) -> Select[Any]:
    fts_ref: ColumnElement[Any] = literal_column(name)
    return select(literal_column("rowid")).select_from(table(name)).where(
        fts_ref.op("MATCH")(expression)
    )


def _sqlite_filters(name: str, positive: list[str], negative: list[str]) -> list[Any]:
    if positive:
        return [articles.c.pk.in_(_fts_rowids(name, _fts5_match(positive, negative)))]
    if negative:
        return [articles.c.pk.not_in(_fts_rowids(name, " OR ".join(negative)))]
    return []


def _sqlite_select(
    query: ParsedQuery, latest: int | None, first: Sequence[Any], lower: int | None
) -> Select[Any]:
    split = _Split(query)
    stem_pos = [_fts5_stem(t) for t in split.stem_positive]
    stem_neg = [_fts5_stem(t) for t in split.stem_negative]
    exact_pos = [_fts5_exact(t) for t in split.exact_positive]
    exact_neg = [_fts5_exact(t) for t in split.exact_negative]
    if stem_pos:
        primary, expression = STEM_TABLE, _fts5_match(stem_pos, stem_neg)
        others = _sqlite_filters(EXACT_TABLE, exact_pos, exact_neg)
    else:
        primary, expression = EXACT_TABLE, _fts5_match(exact_pos, exact_neg)
        others = _sqlite_filters(STEM_TABLE, [], stem_neg)
    fts = table(primary, column("rowid"))
    fts_ref: ColumnElement[Any] = literal_column(primary)
    found = (
        select(articles.c.pk, (-func.bm25(fts_ref, 5.0, 1.0)).label("score"))
        .select_from(fts.join(articles, articles.c.pk == fts.c.rowid))
        .where(*first, fts_ref.op("MATCH")(expression), *others)
    )
    if lower is not None:  # on the rowid: FTS5 starts its scan there
        found = found.where(fts.c.rowid > lower)
    # FTS5 walks its rowids backwards for this ORDER BY and stops at the limit.
    return found if latest is None else found.order_by(fts.c.rowid.desc()).limit(latest)


def _all_of(parts: list[ColumnElement[Any]]) -> ColumnElement[Any]:
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined


def _pg_select(
    query: ParsedQuery,
    latest: int | None,
    first: Sequence[Any],
    lower: int | None,
    country: str | None,
    postings: Sequence[str] = (),
) -> Select[Any]:
    split = _Split(query)
    stem_vector: ColumnElement[Any] = literal_column("articles.stem_vector")
    exact_vector: ColumnElement[Any] = literal_column("articles.search_vector")
    # The caller's filters come first: PostgreSQL checks conditions of equal
    # cost in the order written, and ``@@`` reads the row's vector out of
    # TOAST.  A date filter that passed a third of the articles read three
    # times the vectors it needed when ``@@`` came first (bench/search.py).
    conditions: list[Any] = list(first)
    if lower is not None and country is None and not postings:
        conditions.insert(0, articles.c.pk > lower)
    stem_q = _all_of([_ts_stem(t) for t in split.stem_positive]) if split.stem_positive else None
    exact_q = (
        _all_of([_ts_exact(t) for t in split.exact_positive]) if split.exact_positive else None
    )
    if stem_q is not None:
        conditions.append(stem_vector.op("@@")(stem_q))
    if exact_q is not None:
        conditions.append(exact_vector.op("@@")(exact_q))
    conditions.extend(_pg_exclusions(split))
    if stem_q is not None:
        score = func.ts_rank(stem_vector, stem_q)
    else:
        assert exact_q is not None, "an empty query never reaches the backend"
        score = func.ts_rank(exact_vector, exact_q)
    if postings:
        return _pg_from_postings(score, conditions, latest, lower, country, postings)
    if country is not None:
        return _pg_country_first(score, conditions, latest, lower, country)
    found = select(articles.c.pk, score.label("score")).where(*conditions)
    return found if latest is None else found.order_by(articles.c.pk.desc()).limit(latest)


_postings = table(POSTINGS_TABLE, column("stem"), column("article_pk"))


def _lexeme_query(lexeme: str) -> ColumnElement[Any]:
    """A tsquery of one lexeme as it is (quoted: no parsing, no normalising)."""
    quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return cast(literal(quoted), TSQUERY)


def _pg_from_postings(
    score: ColumnElement[Any],
    conditions: list[Any],
    latest: int | None,
    lower: int | None,
    country: str | None,
    lexemes: Sequence[str],
) -> Select[Any]:
    """The latest matches among the articles holding one of ``lexemes``, read newest first.

    ``lexemes`` are one word's forms in the stem index (its stem, and the
    word folded for articles in a language not stemmed: ``postings_lexemes``);
    every match holds one of them.  Each form's list is read backwards from
    the key of ``article_stems``; with a country, joined to the country's
    articles (both in ``pk`` order: a merge).  Each candidate's row is then
    checked for the whole query and the caller's conditions, and ranked,
    until ``latest`` have passed.  A second form's select leaves out the
    articles holding the first (checked on the row, which keeps its order:
    as an anti-join the planner hashed the first list and sorted the
    second), and the two selects, each newest first, are merged."""
    vector: ColumnElement[Any] = literal_column("articles.stem_vector")
    selects = []
    for i, lexeme in enumerate(lexemes):
        # OFFSET 0: the row's check stays a look-up per candidate (a nested
        # loop); flattened, the planner merged the list with a backward scan
        # of every article, checking 27,890 rows' vectors for 3,431 candidates.
        matched = (
            select(score.label("score"))
            .where(
                articles.c.pk == _postings.c.article_pk,
                *conditions,
                *(not_(vector.op("@@")(_lexeme_query(e))) for e in lexemes[:i]),
            )
            .offset(0)
            .lateral("matched")
        )
        listed: Any = _postings
        if country is not None:
            listed = listed.join(
                article_countries,
                (article_countries.c.article_pk == _postings.c.article_pk)
                & (article_countries.c.country == country.lower()),
            )
        found = (
            select(_postings.c.article_pk.label("pk"), matched.c.score)
            .select_from(listed.join(matched, true()))
            .where(_postings.c.stem == lexeme)
        )
        if lower is not None:
            found = found.where(_postings.c.article_pk > lower)
        if latest is not None:
            found = found.order_by(_postings.c.article_pk.desc()).limit(latest)
        selects.append(found)
    if len(selects) == 1:
        return selects[0]
    # Each select keeps its own ORDER BY and LIMIT inside the union.
    subqueries = [f.subquery() for f in selects]
    wrapped = [select(q.c.pk, q.c.score) for q in subqueries]
    merged = union_all(*wrapped).subquery("held")
    both = select(merged.c.pk, merged.c.score)
    return both if latest is None else both.order_by(merged.c.pk.desc()).limit(latest)

def _pg_country_first(
    score: ColumnElement[Any],
    conditions: list[Any],
    latest: int | None,
    lower: int | None,
    country: str,
) -> Select[Any]:
    """The latest matches among the articles of ``country``, walked from the country's index.

    Written as ``pk IN (articles of the country)``, the planner read the
    articles backwards and checked the words (``@@``, out of TOAST) on every
    one before the country, eight times the vectors needed for a country of
    one article in eight: 130 ms of CPU for a common word at 1M articles,
    25-45 ms this way.  ``OFFSET 0`` keeps the lateral subquery from being
    flattened back into a join the planner would reorder.  Only within a
    ``pk`` range (``lower``): unbounded, a rare word would be checked in
    every article of the country, where the word's index finds it at once."""
    matched = (
        select(score.label("score"))
        .where(articles.c.pk == article_countries.c.article_pk, *conditions)
        .offset(0)
        .lateral("matched")
    )
    found = (
        select(article_countries.c.article_pk.label("pk"), matched.c.score)
        .select_from(article_countries.join(matched, true()))
        .where(article_countries.c.country == country.lower())
    )
    if lower is not None:
        found = found.where(article_countries.c.article_pk > lower)
    if latest is None:
        return found
    return found.order_by(article_countries.c.article_pk.desc()).limit(latest)


def _pg_exclusions(split: _Split) -> list[Any]:
    stem_vector: ColumnElement[Any] = literal_column("articles.stem_vector")
    exact_vector: ColumnElement[Any] = literal_column("articles.search_vector")
    return [not_(stem_vector.op("@@")(_ts_stem(t))) for t in split.stem_negative] + [
        not_(exact_vector.op("@@")(_ts_exact(t))) for t in split.exact_negative
    ]


def bounded_scans(conn: Connection) -> bool:
    """Whether finding the latest matches goes faster in ``pk`` ranges, newest first.

    PostgreSQL: yes (see ``store.search._bounded``).  SQLite: FTS5 hands out
    matches newest first and stops at the limit by itself; a range that held
    too few would only be scanned twice."""
    return not is_sqlite(conn)


_STEM_STATISTICS = text(
    "SELECT most_common_elems::text::text[] AS elems, most_common_elem_freqs AS freqs "
    "FROM pg_stats WHERE schemaname = current_schema() "
    "AND tablename = 'articles' AND attname = 'stem_vector'"
)


def planner_shares(conn: Connection) -> dict[str, float] | None:
    """PostgreSQL: the share of articles holding each common stem.

    Read from the statistics ANALYZE keeps for the planner: the stem index's
    most common lexemes (up to ten times the statistics target) with the
    share of rows holding each.  SQLite keeps no such statistics for FTS5:
    None.  Empty before ANALYZE."""
    if is_sqlite(conn):
        return None
    row = conn.execute(_STEM_STATISTICS).first()
    if row is None or not row.elems or not row.freqs:
        return {}
    # The frequencies run on past the elements (their minimum, maximum, nulls).
    return dict(zip(row.elems, (float(f) for f in row.freqs), strict=False))


def country_first(conn: Connection, lower: int | None, postings: Sequence[str] = ()) -> bool:
    """Whether ``search_select`` takes a country filter itself (``country``).

    PostgreSQL, within a ``pk`` range (see ``_pg_country_first``) or from
    the stem postings (``_pg_from_postings``)."""
    return (lower is not None or bool(postings)) and not is_sqlite(conn)


_LEXEMES = text(
    "SELECT (tsvector_to_array(to_tsvector(CAST(:stemmed AS regconfig), :word)))[1] AS stem, "
    "(tsvector_to_array(to_tsvector(CAST(:folded AS regconfig), :word)))[1] AS folded"
)
_lexemes_known: dict[str, tuple[str, ...]] = {}
_LEXEMES_KEPT = 50_000


def postings_lexemes(conn: Connection, word: str) -> tuple[str, ...]:
    """PostgreSQL: the forms of a bare ``word`` in the stem index, one list each.

    Its stem (``kartoteka_stem``) and the word folded (``kartoteka``, what an
    article in a language we do not stem holds), as PostgreSQL makes them:
    ``_ts_stem`` matches either.  Asked of PostgreSQL rather than made in
    Python, so that a list looked up is the one the triggers filled.  Empty
    when either gives no form (such a word cannot lead a search).  The
    configurations are the same in every database: kept per process."""
    known = _lexemes_known.get(word)
    if known is not None:
        return known
    row = conn.execute(
        _LEXEMES, {"stemmed": TS_STEM_CONFIG, "folded": TS_CONFIG, "word": word}
    ).one()
    forms: tuple[str, ...] = ()
    if row.stem and row.folded:
        forms = (row.stem,) if row.stem == row.folded else (row.stem, row.folded)
    if len(_lexemes_known) >= _LEXEMES_KEPT:
        _lexemes_known.clear()
    _lexemes_known[word] = forms
    return forms


def search_select(
    conn: Connection,
    query: ParsedQuery,
    latest: int | None = None,
    conditions: Sequence[Any] = (),
    lower: int | None = None,
    country: str | None = None,
    postings: Sequence[str] = (),
) -> Select[Any]:
    """Matching articles' ``pk`` with ``score`` (higher is better), meeting ``conditions``.

    ``query`` must have a positive term; ``lower``: articles above that
    ``pk`` only; ``country``: the articles of that country only, where
    ``country_first`` says so (else the caller's ``conditions`` have it);
    ``postings``: PostgreSQL, one word's forms whose lists of articles lead
    the search (``postings_lexemes``; every match must hold one).
    With ``latest``, only that many matches with the highest ``pk`` are
    selected, and scored.  Snippets are not here: they are made for the page
    of results only (``text.highlight``).
    """
    if is_sqlite(conn):
        assert country is None, "SQLite takes the country among the conditions"
        return _sqlite_select(query, latest, conditions, lower)
    return _pg_select(query, latest, conditions, lower, country, postings)


def exclusions(conn: Connection, query: ParsedQuery) -> list[Any]:
    """Conditions that leave out articles matching ``query``'s negated terms."""
    split = _Split(query)
    if is_sqlite(conn):
        return _sqlite_filters(
            STEM_TABLE, [], [_fts5_stem(t) for t in split.stem_negative]
        ) + _sqlite_filters(EXACT_TABLE, [], [_fts5_exact(t) for t in split.exact_negative])
    return _pg_exclusions(split)
