"""The related-articles store: batched look-ups give what the one-by-one ones give."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, text, update

from kartoteka.model import ArticleDraft, Entity
from kartoteka.services.decisions import merge
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry import RegistryRepository
from kartoteka.store.registry_tables import entities
from kartoteka.store.related import RelatedStore
from kartoteka.store.tables import articles
from kartoteka.text.normalize import content_hash

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def test_entity_names_follow_merges_like_the_registry(db: Database) -> None:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        for entity_id, name in (("ent-kla", "Kosovo Liberation Army"), ("ent-uck", "UÇK"),
                                ("ent-ushtria", "Ushtria Çlirimtare e Kosovës"),
                                ("ent-thaci", "Hashim Thaçi"), ("ent-gone", "Deleted one")):
            repo.save_entity(Entity(entity_id, "Organization", name), NOW)
    merge(db, "ent-uck", "ent-ushtria")  # a chain: ushtria -> uck -> kla
    merge(db, "ent-kla", "ent-uck")
    with db.transaction() as conn:
        conn.execute(update(entities).where(entities.c.id == "ent-gone").values(deleted_at=NOW))
    ids = ["ent-kla", "ent-uck", "ent-ushtria", "ent-thaci", "ent-gone", "ent-unknown"]

    with db.read() as conn:
        names = RelatedStore(conn).entity_names(iter(ids))
        repo = RegistryRepository(conn)
        one_by_one = {i: e.name for i in ids if (e := repo.entity(i)) is not None}

    assert names == one_by_one
    assert names == {"ent-kla": "Kosovo Liberation Army", "ent-uck": "Kosovo Liberation Army",
                     "ent-ushtria": "Kosovo Liberation Army", "ent-thaci": "Hashim Thaçi"}


def test_word_articles_are_exact_with_planner_statistics(db: Database) -> None:
    """On PostgreSQL words the statistics call common skip the index; answers stay exact."""
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for n in range(40):
            words = "alpha" + (" beta" if n % 4 == 0 else "") + (" gamma" if n == 7 else "")
            draft = ArticleDraft(title=f"Note {n}", body=f"{words} filler{n}", source=f"s{n}",
                                 source_key=f"s{n}", language="en")
            repo.insert(f"id{n}", draft, content_hash(draft.title, draft.body), NOW)
    with db.transaction() as conn:
        conn.execute(text("ANALYZE"))  # the same statement on both backends
        pks = dict(conn.execute(select(articles.c.id, articles.c.pk)).all())
    every = {"alpha": sorted(pks.values()), "beta": sorted(pks[f"id{n}"] for n in range(0, 40, 4)),
             "gamma": [pks["id7"]], "delta": []}

    with db.read() as conn:
        store = RelatedStore(conn)
        for cap in (3, 10, 15, 39, 40, 60):
            found = store.word_articles(list(every), cap)
            assert {w: None if pks is None else sorted(pks) for w, pks in found.items()} == {
                w: pks if len(pks) <= cap else None for w, pks in every.items()}


def test_heaviest_sharing_sums_weights_and_breaks_ties_by_key(db: Database) -> None:
    links = {"a0": ["rare", "mid"], "a1": ["mid"], "a2": ["rare"], "a3": ["mid", "common"],
             "a4": ["common"], "a5": ["mid", "other"]}
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for article_id in links:
            draft = ArticleDraft(title=article_id, body="text", source=article_id,
                                 source_key=article_id, language="en")
            repo.insert(article_id, draft, content_hash(draft.title, article_id), NOW)
        pks = dict(conn.execute(select(articles.c.id, articles.c.pk)).all())
        conn.execute(insert(article_entities), [
            {"article_pk": pks[a], "entity_id": e, "mentions": 1, "role": "mentioned",
             "origin": "extraction"} for a, entities in links.items() for e in entities])
    weights = {"rare": 3.0, "mid": 1.5, "common": 0.25}

    with db.read() as conn:
        ranked = RelatedStore(conn).heaviest_sharing(weights, exclude=pks["a2"], limit=4)

    assert ranked == [(pks["a0"], 4.5), (pks["a3"], 1.75), (pks["a1"], 1.5), (pks["a5"], 1.5)]
