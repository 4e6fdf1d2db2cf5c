"""Building the catalog from stored articles and links, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from kartoteka.model import ArticleDraft, ArticleStatus, Author, AuthorKind, Entity
from kartoteka.services.catalog import build_catalog
from kartoteka.services.ingest import IngestService
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry import RegistryRepository
from kartoteka.store.tables import articles

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def add_article(
    db: Database, key: str, title: str, *, countries: list[str], author: str | None = None,
    day: int = 1, status: ArticleStatus = ArticleStatus.PUBLISHED, url: str | None = None,
) -> str:
    draft = ArticleDraft(
        title=title, body=f"Text of {title}, written for the test {key}.", source=key,
        source_key=key, language="en", countries=countries, url=url,
        author=Author(author, "", AuthorKind.CHANNEL) if author else None,
        published_at=datetime(2024, 1, day, tzinfo=UTC),
    )
    article_id, _ = IngestService(db).store(draft, status=status)
    return article_id


def link(db: Database, article_id: str, entity_id: str, role: str = "subject",
         origin: str = "extraction") -> None:
    with db.transaction() as conn:
        pk = conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar_one()
        conn.execute(insert(article_entities).values(
            article_pk=pk, entity_id=entity_id, mentions=1, role=role, origin=origin))


def add_entities(db: Database, *entities: Entity) -> None:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        for entity in entities:
            repo.save_entity(entity, NOW)


KLA = Entity("ent-kla", "Organization", "Kosovo Liberation Army", countries=["xk", "rs"])
THACI = Entity("ent-thaci", "Person", "Hashim Thaçi", countries=[])
PLACE = Entity("ent-drenica", "Address", "Drenica", countries=["xk"])


def test_entities_and_articles_grouped_by_country(db: Database) -> None:
    add_entities(db, KLA, THACI, PLACE)
    kla_late = add_article(db, "a1", "The KLA in 1999", countries=["xk"], author="@balkan",
                           day=20, url="https://example.org/kla-1999")
    kla_early = add_article(db, "a2", "Origins of the KLA", countries=["xk"], author="@vostok",
                            day=3, url=None)
    thaci = add_article(db, "a3", "Thaçi on trial", countries=["nl"], author="@balkan",
                        day=5, url="https://example.org/thaci")
    loose = add_article(db, "a4", "Prizren notes", countries=["xk"], author="@balkan", day=7)
    mentioned_only = add_article(db, "a5", "A Belgrade chronicle", countries=["rs"], day=8)
    place_only = add_article(db, "a6", "Drenica valley", countries=["xk"], day=9)
    link(db, kla_late, KLA.id)
    link(db, kla_early, KLA.id, origin="catalog")
    link(db, thaci, THACI.id, origin="editor")
    link(db, mentioned_only, KLA.id, role="mentioned")
    link(db, place_only, PLACE.id)

    catalog = build_catalog(db).as_dict()

    assert [c["code"] for c in catalog["countries"]] == ["xk", "nl", "rs"]  # by name
    kosovo, netherlands, serbia = catalog["countries"]
    assert (kosovo["name"], kosovo["flag"]) == ("Kosovo", "🇽🇰")
    assert [e["title"] for e in kosovo["entries"]] == [
        "Drenica valley", "Kosovo Liberation Army", "Prizren notes",
    ]
    kla_entry = kosovo["entries"][1]
    assert kla_entry == {
        "title": "Kosovo Liberation Army", "kind": "organization", "entity_id": "ent-kla",
        # earliest first; the entity links to its earliest article's url, which has none
        "article_ids": [kla_early, kla_late], "authors": ["@vostok", "@balkan"], "url": None,
    }
    assert kosovo["entries"][2] == {
        "title": "Prizren notes", "kind": "article", "entity_id": None,
        "article_ids": [loose], "authors": ["@balkan"], "url": None,
    }
    # A person with no registry country goes under the countries of its articles.
    assert netherlands["entries"] == [{
        "title": "Hashim Thaçi", "kind": "person", "entity_id": "ent-thaci",
        "article_ids": [thaci], "authors": ["@balkan"], "url": "https://example.org/thaci",
    }]
    # The registry's countries decide for the KLA; a mere mention makes no entry.
    assert [e["title"] for e in serbia["entries"]] == [
        "A Belgrade chronicle", "Kosovo Liberation Army",
    ]


def test_drafts_reposts_and_deleted_articles_never_appear(db: Database) -> None:
    add_entities(db, KLA)
    published = add_article(db, "p", "Published piece", countries=["xk"])
    draft = add_article(db, "d", "Draft piece", countries=["xk"], status=ArticleStatus.DRAFT)
    repost = add_article(db, "r", "Reposted piece", countries=["xk"])
    gone = add_article(db, "g", "Deleted piece", countries=["xk"])
    link(db, draft, KLA.id)
    with db.transaction() as conn:
        conn.execute(articles.update().where(articles.c.id == repost)
                     .values(original_id=published))
        conn.execute(articles.update().where(articles.c.id == gone).values(deleted_at=NOW))

    catalog = build_catalog(db).as_dict()

    titles = [e["title"] for c in catalog["countries"] for e in c["entries"]]
    assert titles == ["Published piece"]


def test_country_filter_and_empty_database(db: Database) -> None:
    assert build_catalog(db).as_dict() == {"countries": []}
    add_article(db, "x", "Mitrovica bridge", countries=["xk", "rs"])
    add_article(db, "m", "Sinaloa", countries=["mx"])

    only = build_catalog(db, country="RS").as_dict()

    assert [c["code"] for c in only["countries"]] == ["rs"]
    assert [e["title"] for e in only["countries"][0]["entries"]] == ["Mitrovica bridge"]
