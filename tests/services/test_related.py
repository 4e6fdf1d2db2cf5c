"""Related articles: signals, reasons, exclusions, and the labelled evaluation."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from kartoteka.model import ArticleDraft, ArticleStatus, Author, AuthorKind, Entity
from kartoteka.services.ingest import IngestService
from kartoteka.services.related import ArticleNotFound, related_articles
from kartoteka.store.database import Database
from kartoteka.store.extraction_tables import article_entities
from kartoteka.store.registry import RegistryRepository
from kartoteka.store.tables import articles

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 6, 1, tzinfo=UTC)

KLA = Entity("ent-kla", "Organization", "Kosovo Liberation Army")
THACI = Entity("ent-thaci", "Person", "Hashim Thaçi")
NATO = Entity("ent-nato", "Organization", "NATO")


def store(db: Database, key: str, title: str, body: str, *, countries: list[str],
          day: int, entities: tuple[str, ...] = (),
          status: ArticleStatus = ArticleStatus.PUBLISHED) -> str:
    """An article published ``day`` days into 2023, linked to ``entities``."""
    draft = ArticleDraft(
        title=title, body=body, source=key, source_key=key, language="en",
        countries=countries, author=Author("@desk", "", AuthorKind.CHANNEL),
        published_at=datetime(2023, 1, 1, tzinfo=UTC) + timedelta(days=day),
    )
    article_id, _ = IngestService(db).store(draft, status=status)
    with db.transaction() as conn:
        pk = conn.execute(select(articles.c.pk).where(articles.c.id == article_id)).scalar_one()
        for entity_id in entities:
            conn.execute(insert(article_entities).values(
                article_pk=pk, entity_id=entity_id, mentions=1, role="mentioned",
                origin="extraction"))
    return article_id


FILLER = ("Weather reports, market prices and football results filled the local pages "
          "that week, as they do every week in the regional press.")


@pytest.fixture
def collection(db: Database) -> dict[str, str]:
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        for entity in (KLA, THACI, NATO):
            repo.save_entity(entity, NOW)
    ids = {
        "thaci": store(db, "thaci", "Hashim Thaçi and the KLA",
                       "Hashim Thaçi led the political wing of the Kosovo Liberation Army "
                       "before NATO bombing began; Drenica fighters followed him.",
                       countries=["xk", "rs"], day=40, entities=(KLA.id, THACI.id, NATO.id)),
        "trial": store(db, "trial", "The Specialist Chambers trial",
                       "The Hague court tried Thaçi and former Kosovo Liberation Army "
                       "commanders; Drenica witnesses testified.",
                       countries=["rs"], day=50, entities=(KLA.id, THACI.id)),
        "nato": store(db, "nato", "Alliance summit communiqué", FILLER,
                      countries=["be"], day=300, entities=(NATO.id,)),
        "drenica": store(db, "drenica", "A village in Drenica",
                         "Drenica fighters and Drenica farmers: the valley's story. " + FILLER,
                         countries=["fr"], day=300, entities=(THACI.id,)),
        "unrelated": store(db, "unrelated", "Cocoa prices", FILLER + " Cocoa prices rose.",
                           countries=["gh"], day=41),
        "draft": store(db, "draft", "Draft about Thaçi", "Thaçi and the KLA, unfinished.",
                       countries=["xk"], day=41, entities=(KLA.id, THACI.id),
                       status=ArticleStatus.DRAFT),
        "repost": store(db, "repost", "Thaçi and the KLA (repost)", "Copied text about Thaçi.",
                        countries=["xk"], day=42, entities=(KLA.id, THACI.id)),
    }
    for n in range(2):
        ids[f"kla{n}"] = store(db, f"kla{n}", f"KLA veterans {n}", FILLER, countries=["al"],
                               day=700 + n, entities=(KLA.id,))
    for n in range(6):  # NATO is linked to many articles: sharing it says little
        ids[f"other{n}"] = store(db, f"other{n}", f"Alliance note {n}", FILLER,
                                 countries=["us"], day=200 + n, entities=(NATO.id,))
    with db.transaction() as conn:
        conn.execute(update(articles).where(articles.c.id == ids["repost"])
                     .values(original_id=ids["thaci"]))
    return ids


def test_ranking_and_reasons(db: Database, collection: dict[str, str]) -> None:
    found = related_articles(db, collection["thaci"], limit=20)

    ids = [r.id for r in found]
    assert ids[0] == collection["trial"]
    # The same subject, not the same story: the names they share are the
    # entities (their stems are rare but most of each text is not shared).
    assert found[0].reasons == [
        "shares: Hashim Thaçi, Kosovo Liberation Army",  # rarer first
        "same country: Serbia",
        "published within 30 days",
    ]
    assert 0 < found[0].text_overlap < 0.2
    assert 0 < found[0].score <= 1
    # Sharing one rare entity outranks sharing one common entity (same date, no words).
    assert ids.index(collection["drenica"]) < ids.index(collection["nato"])
    nato = next(r for r in found if r.id == collection["nato"])
    assert nato.reasons == ["shares: NATO"]
    assert next(r for r in found if r.id == collection["drenica"]).reasons[0] == \
        "shares: Hashim Thaçi"
    # Never itself, its repost, a draft, or an article with nothing in common.
    for excluded in ("thaci", "repost", "draft", "unrelated"):
        assert collection[excluded] not in ids
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert all(r.reasons for r in found), "a related article without a reason"


def test_limit_original_and_recency(db: Database, collection: dict[str, str]) -> None:
    assert len(related_articles(db, collection["thaci"], limit=2)) == 2
    # From the repost, its original is excluded too.
    from_repost = [r.id for r in related_articles(db, collection["repost"], limit=10)]
    assert collection["thaci"] not in from_repost
    assert collection["trial"] in from_repost
    trial = related_articles(db, collection["trial"], limit=1)[0]
    assert trial.id == collection["thaci"]
    assert "published within 30 days" in trial.reasons


def test_unknown_article(db: Database) -> None:
    with pytest.raises(ArticleNotFound, match="no article with id 'nope'"):
        related_articles(db, "nope")


def test_ours_beats_text_only_tfidf_on_the_labelled_set(db: Database) -> None:
    """The labelled evaluation (bench/related_eval.py) on each backend."""
    sys.path.insert(0, str(ROOT))
    from bench.related_eval import run

    figures = run(db)

    assert figures["pairs"]["labelled"] >= 60
    assert figures["ours"]["queries"] == 24
    assert figures["ours"]["mrr"] >= figures["tfidf"]["mrr"]
    assert figures["ours"]["precision_at_5"] >= figures["tfidf"]["precision_at_5"]


def test_one_word_in_common_is_chance_and_a_few_are_named(db: Database) -> None:
    """No entity, no country: one shared word is not a relation; a few are, and are named."""
    for n in range(8):  # background, so that the words below are distinctive
        store(db, f"bg{n}", f"Harvest note {n}", FILLER, countries=["gh"], day=n)
    smuggling = store(db, "smuggling", "Lake smuggling", "Smugglers moved diesel past "
                      "customs, then sold jerrycans at the fish market.",
                      countries=["ng"], day=20)
    companion = store(db, "companion", "Lake smuggling again", "Smugglers moved diesel "
                      "past customs.", countries=["td"], day=400)
    one_word = store(db, "one-word", "Empty containers", "Traders collected jerrycans.",
                     countries=["cm"], day=400)
    a_few = store(db, "a-few", "Prices in Maroua", "Vendors offered diesel and fish at dawn.",
                  countries=["cm"], day=400)
    found = {r.id: r for r in related_articles(db, smuggling, limit=10)}
    assert found[companion].reasons == ["similar text"]  # a year apart: not one event
    assert one_word not in found
    assert found[a_few].reasons == ["shared words: fish, diesel"]  # rarer first


def ru_store(db: Database, key: str, title: str, body: str, *, countries: list[str],
             day: int, entities: tuple[str, ...] = (), language: str = "ru") -> str:
    article_id = store(db, key, title, body, countries=countries, day=day, entities=entities)
    with db.transaction() as conn:
        conn.execute(update(articles).where(articles.c.id == article_id)
                     .values(language=language))
    return article_id


SHABAAB = Entity("ent-shabaab", "Organization", "al-Shabaab")


def test_same_story_first_over_same_group_and_country(db: Database) -> None:
    """Two outlets, other word forms: the partner beats an article sharing group and country."""
    with db.transaction() as conn:
        RegistryRepository(conn).save_entity(SHABAAB, NOW)
    for n in range(6):
        store(db, f"bg{n}", f"Harvest note {n}", FILLER, countries=["gh"], day=n)
    hotel = ru_store(db, "hotel", "«Аш-Шабаб» атаковала отель в Могадишо",
                     "Боевики напали на отель SYL рядом с президентским дворцом. У ворот "
                     "взорвался заминированный автомобиль. Осада длилась 13 часов.",
                     countries=["so"], day=70, entities=(SHABAAB.id,))
    partner = ru_store(db, "partner", "Тринадцать часов осады отеля SYL",
                       "Силовики отбили отель SYL у президентского дворца после взрыва "
                       "заминированного автомобиля у ворот; ответственность взяла группировка.",
                       countries=["so"], day=71)
    distractor = ru_store(db, "distractor", "«Аш-Шабаб» заняла город в области Хиран",
                          "Боевики «Аш-Шабаб» вернули город Махас после ухода армии.",
                          countries=["so"], day=70, entities=(SHABAAB.id,))

    found = related_articles(db, hotel, limit=5)

    assert [r.id for r in found[:2]] == [partner, distractor]
    assert found[0].reasons[0] == "same country: Somalia"
    same_story = found[0].reasons[1]
    assert same_story == f"same story: {found[0].text_overlap:.2f} text overlap"
    assert not any(r.startswith("same story") for r in found[1].reasons)


def test_cross_language_pair_related_through_entities(db: Database) -> None:
    """English and Russian share no words; the entities, country and date relate them."""
    with db.transaction() as conn:
        repo = RegistryRepository(conn)
        for entity in (KLA, THACI):
            repo.save_entity(entity, NOW)
    english = store(db, "en", "Thaçi resigns to face charges",
                    "Hashim Thaçi resigned as president to face the Hague court.",
                    countries=["xk"], day=300, entities=(KLA.id, THACI.id))
    russian = ru_store(db, "ru", "Тачи ушёл в отставку",
                       "Хашим Тачи покинул пост президента, чтобы предстать перед судом в Гааге.",
                       countries=["xk"], day=300, entities=(KLA.id, THACI.id))
    ru_store(db, "other", "Погода в Приштине", "Дожди и ветер всю неделю.",
             countries=["xk"], day=100)

    found = related_articles(db, english, limit=5)

    assert found[0].id == russian
    assert found[0].text_overlap == 0
    assert found[0].reasons == ["shares: Kosovo Liberation Army, Hashim Thaçi",  # equally rare
                                "same country: Kosovo", "published within 30 days"]
