"""The entity filter and the entity facet, on both backends, across merges.

Links are written as extraction writes them (article_entities rows under the
id the linker gave); the registry is a real FtM file; merges go through the
editors' service, so the filter sees the same merge pointers the app does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from kartoteka.model import ArticleDraft, Author
from kartoteka.services import decisions
from kartoteka.services.registry import import_file
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.facets import facet_counts
from kartoteka.store.tables import articles
from kartoteka.text.query import parse_query

REGISTRY = Path(__file__).resolve().parents[1] / "data" / "registry" / "registry.ftm.jsonl"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
# article id -> (body, [(entity id as linked, mentions)])
LINKS = {
    "a1": ("The KLA fought in 1998.", [("kla", 2), ("thaci", 1)]),
    "a2": ("Thaçi spoke about the corps.", [("thaci", 3), ("kpc", 1)]),
    "a3": ("The corps was founded in 1999.", [("kpc", 1)]),
    "a4": ("Cartel violence in Tamaulipas.", [("zetas", 1)]),
    "a5": ("Nothing linked here about the corps.", []),
}


def load(db: Database) -> None:
    assert import_file(db, REGISTRY).failed == 0
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for article_id, (body, _links) in LINKS.items():
            repo.insert(
                article_id,
                ArticleDraft(title=f"Title {article_id}", body=body, source=f"/t/{article_id}",
                             author=Author("@t"), language="en"),
                f"hash-{article_id}",
                NOW,
            )
        for article_id, (_body, found) in LINKS.items():
            pk = conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar()
            for entity_id, mentions in found:
                conn.execute(insert(article_entities).values(
                    article_pk=pk, entity_id=entity_id, mentions=mentions,
                    role="mentioned", origin="extraction"))


def ids(db: Database, flt: ArticleFilter) -> set[str]:
    with db.read() as conn:
        return {a.id for a in ArticleRepository(conn).list(flt, limit=100)}


def test_entity_filter_keeps_articles_linked_to_the_entity(db: Database) -> None:
    load(db)
    assert ids(db, ArticleFilter(entity="thaci")) == {"a1", "a2"}
    assert ids(db, ArticleFilter(entity="kpc")) == {"a2", "a3"}
    assert ids(db, ArticleFilter(entity="nobody")) == set()
    with db.read() as conn:
        assert ArticleRepository(conn).count(ArticleFilter(entity="kpc")) == 2


def test_a_merged_cluster_is_found_from_any_of_its_ids(db: Database) -> None:
    load(db)
    decisions.merge(db, "kla", "kpc")
    decisions.merge(db, "thaci", "kla")  # a chain: kpc -> kla -> thaci
    everything = {"a1", "a2", "a3"}
    for member in ("thaci", "kla", "kpc"):
        assert ids(db, ArticleFilter(entity=member)) == everything, member
    decisions.unmerge(db, "kla")
    assert ids(db, ArticleFilter(entity="kpc")) == {"a1", "a2", "a3"}  # kpc still under kla
    assert ids(db, ArticleFilter(entity="thaci")) == {"a1", "a2"}


def test_entity_facet_counts_articles_under_canonical_ids(db: Database) -> None:
    load(db)
    with db.read() as conn:
        facets = facet_counts(conn, ArticleFilter())
    assert [(f.value, f.count, f.label) for f in facets.entities] == [
        ("kpc", 2, "Kosovo Protection Corps"),
        ("thaci", 2, "Hashim Thaçi"),
        ("kla", 1, "Kosovo Liberation Army"),
        ("zetas", 1, "Los Zetas"),
    ]
    decisions.merge(db, "kla", "kpc")
    decisions.merge(db, "kla", "thaci")
    with db.read() as conn:
        merged = facet_counts(conn, ArticleFilter())
        searched = facet_counts(conn, ArticleFilter(), parse_query("corps"))
    # a1 and a2 are linked to two ids of the cluster each: counted once.
    assert [(f.value, f.count) for f in merged.entities] == [("kla", 3), ("zetas", 1)]
    assert [(f.value, f.count) for f in searched.entities] == [("kla", 2)]
    assert merged.as_dict()["entities"][0] == {
        "value": "kla", "count": 3, "label": "Kosovo Liberation Army"}
