"""The related-articles store: batched look-ups give what the one-by-one ones give."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from kartoteka.model import ArticleDraft, Entity
from kartoteka.services.decisions import merge
from kartoteka.services.related import MAX_COMMON
from kartoteka.store.articles import ArticleRepository
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry import RegistryRepository
from kartoteka.store.registry_tables import entities
from kartoteka.store.related import RelatedStore
from kartoteka.store.related_tables import article_terms, story_term_counts
from kartoteka.store.story_terms import (
    FROZEN_COUNT,
    add_story_terms,
    backfill_story_terms,
    recount_story_terms,
)
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


def test_story_terms_written_with_the_article_replaced_on_revision(db: Database) -> None:
    """Terms are stems: other forms of the same names meet; a revision replaces them."""
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for key, title, body in (
            ("a", "Задержан Исмаэль Самбада", "Самбаду доставили в Эль-Пасо."),
            ("b", "Самбада арестован", "Исмаэля Самбаду задержали в Техасе."),
            ("c", "Cocoa prices", "Cocoa prices rose again."),
        ):
            draft = ArticleDraft(title=title, body=body, source=key, source_key=key)
            repo.insert(key, draft, content_hash(title, body), NOW)
        pks = dict(conn.execute(select(articles.c.id, articles.c.pk)).all())

    with db.read() as conn:
        store = RelatedStore(conn)
        a, b = store.story_terms(pks["a"]), store.story_terms(pks["b"])
        assert {"самбад", "исмаэл", "задержа"} <= set(a) & set(b)
        assert abs(sum(w * w for w in a.values()) - 1) < 1e-9  # unit length
        assert store.term_frequencies(["самбад", "cocoa", "nothing"], 5) == {
            "самбад": 2, "cocoa": 1, "nothing": 0}
        assert store.term_frequencies(["самбад"], 1) == {"самбад": 1}  # capped
        overlap = store.heaviest_overlap({"самбад": 2.0, "исмаэл": 1.0}, pks["a"], 10)
        assert [pk for pk, _ in overlap] == [pks["b"]]
        assert overlap[0][1] == 2.0 * b["самбад"] + 1.0 * b["исмаэл"]
        assert store.terms_shared([pks["b"], pks["c"]], ["самбад", "cocoa"]) == {
            pks["b"]: {"самбад"}, pks["c"]: {"cocoa"}}

    with db.transaction() as conn:
        draft = ArticleDraft(title="Cocoa", body="Cocoa harvest in Ghana.", source="c",
                             source_key="c")
        ArticleRepository(conn).revise("c", draft, content_hash("Cocoa", "harvest"), NOW)
    with db.read() as conn:
        assert set(RelatedStore(conn).story_terms(pks["c"])) == {"cocoa", "harvest", "ghana"}


def test_backfill_gives_terms_to_articles_without_them(db: Database) -> None:
    """What `kartoteka init` does for articles stored before the terms table."""
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for n in range(3):
            draft = ArticleDraft(title=f"Drenica note {n}", body="Drenica fighters.",
                                 source=f"s{n}", source_key=f"s{n}")
            repo.insert(f"id{n}", draft, content_hash(draft.title, f"{n}"), NOW)
        written = {pk: RelatedStore(conn).story_terms(pk)
                   for pk in conn.execute(select(articles.c.pk)).scalars()}
        conn.execute(delete(article_terms).where(article_terms.c.article_pk != min(written)))
        assert backfill_story_terms(conn) == 2
        assert backfill_story_terms(conn) == 0
        assert {pk: RelatedStore(conn).story_terms(pk) for pk in written} == written


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


def _counts_kept(conn: Connection) -> dict[str, int]:
    kept = select(story_term_counts.c.term, story_term_counts.c.articles)
    return {term: int(n) for term, n in conn.execute(kept)}


def _counts_of_rows(conn: Connection) -> dict[str, int]:
    per_term = select(article_terms.c.term, func.count()).group_by(article_terms.c.term)
    return {term: int(n) for term, n in conn.execute(per_term)}


def test_term_counts_follow_inserts_revisions_and_backfill(db: Database) -> None:
    """The counts kept on write are those a GROUP BY over the terms gives (none at 0)."""
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for key, title, body in (("a", "Drenica fighters", "Drenica, Kosovo."),
                                 ("b", "Drenica again", "Fighters in Drenica."),
                                 ("c", "Cocoa prices", "Cocoa prices rose.")):
            draft = ArticleDraft(title=title, body=body, source=key, source_key=key)
            repo.insert(key, draft, content_hash(title, body), NOW)
        draft = ArticleDraft(title="Cocoa", body="Harvest in Ghana.", source="c", source_key="c")
        repo.revise("c", draft, content_hash("Cocoa", "Ghana"), NOW)
        first = conn.execute(select(func.min(articles.c.pk))).scalar_one()
        conn.execute(delete(article_terms).where(article_terms.c.article_pk == first))
        recount_story_terms(conn)
        assert backfill_story_terms(conn) == 1
        kept, rows = _counts_kept(conn), _counts_of_rows(conn)
    assert {t: n for t, n in kept.items() if n} == rows
    assert rows["drenica"] == 2 and "price" not in rows and rows["ghana"] == 1


def test_terms_added_in_a_batch_are_those_written_one_by_one(db: Database) -> None:
    """A bulk load's ``add_story_terms`` gives the rows and counts that
    ``ArticleRepository.insert`` writes article by article."""
    texts = [("Drenica fighters", "Drenica, Kosovo."), ("Самбада задержан", "Самбаду в Техасе."),
             ("Drenica again", "Fighters in Drenica and Kosovo.")]
    with db.transaction() as conn:
        repo = ArticleRepository(conn)
        for n, (title, body) in enumerate(texts):
            draft = ArticleDraft(title=title, body=body, source=f"s{n}", source_key=f"s{n}")
            repo.insert(f"id{n}", draft, content_hash(title, body), NOW)
        pks = list(conn.execute(select(articles.c.pk).order_by(articles.c.pk)).scalars())
        one_by_one = {pk: RelatedStore(conn).story_terms(pk) for pk in pks}
        counts = _counts_kept(conn)
        conn.execute(delete(article_terms))
        conn.execute(delete(story_term_counts))
        add_story_terms(conn, ((pk, t, b) for pk, (t, b) in zip(pks, texts, strict=True)))
        assert {pk: RelatedStore(conn).story_terms(pk) for pk in pks} == one_by_one
        assert _counts_kept(conn) == counts and counts["drenica"] == 2


def test_a_frozen_count_is_left_alone(db: Database) -> None:
    """Past FROZEN_COUNT (far above the cap related materials ask with) nobody
    writes a term's count, so writers never queue on the commonest stems."""
    assert MAX_COMMON * 2 < FROZEN_COUNT
    with db.transaction() as conn:
        conn.execute(insert(story_term_counts),
                     [{"term": "drenica", "articles": FROZEN_COUNT}])
        draft = ArticleDraft(title="Drenica", body="Drenica fighters.", source="a",
                             source_key="a")
        ArticleRepository(conn).insert("a", draft, content_hash("Drenica", "a"), NOW)
        kept = _counts_kept(conn)
        assert kept["drenica"] == FROZEN_COUNT and kept["fighter"] == 1
        assert RelatedStore(conn).term_frequencies(["drenica", "fighter"], 501) == {
            "drenica": 501, "fighter": 1}
