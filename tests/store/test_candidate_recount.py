"""The candidate recount counted ahead of the candidates lock, on both backends.

A worker counts a batch's candidate keys before it takes the lock, then
under it counts again only the keys whose mention rows changed meanwhile
(another worker's batch named them too): the rows must be those a recount
from scratch writes.
"""

from __future__ import annotations

from kartoteka.model import ArticleDraft, Mention
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database
from kartoteka.store.mentions import MentionRepository

KEY = "agron berisha"


def berisha(article_id: str) -> tuple[Mention, str]:
    return Mention(article_id, 0, 13, "Agron Berisha", "PER", "ner_en", 0.8), KEY


def test_a_key_changed_after_counting_ahead_is_counted_again(db: Database) -> None:
    service = ingest_service(db, extract=False)
    first, _ = service.store(ArticleDraft("One", "Agron Berisha spoke in Pristina.", "t:1"))
    second, _ = service.store(ArticleDraft("Two", "Agron Berisha left for Tirana.", "t:2"))
    with db.transaction() as conn:
        store = MentionRepository(conn)
        store.replace(store.article_pk(first) or 0, [berisha(first)], [])
        ahead = store.count_ahead([KEY])
        # Another writer's batch names him too, committed before this one's lock.
        store.replace(store.article_pk(second) or 0, [berisha(second)], [])
        store.recount([KEY], ahead=ahead)
        counted = store.candidate(KEY)
        store.recount([KEY])
        from_scratch = store.candidate(KEY)
    assert counted is not None and (counted.mentions, counted.articles) == (2, 2)
    assert counted == from_scratch


def test_a_key_unchanged_since_counting_ahead_keeps_its_count(db: Database) -> None:
    service = ingest_service(db, extract=False)
    first, _ = service.store(ArticleDraft("One", "Agron Berisha spoke in Pristina.", "t:1"))
    with db.transaction() as conn:
        store = MentionRepository(conn)
        store.replace(store.article_pk(first) or 0, [berisha(first)], [])
        store.recount([KEY], ahead=store.count_ahead([KEY]))
        counted = store.candidate(KEY)
        store.recount([KEY])
        assert counted == store.candidate(KEY)
    assert counted is not None and counted.contexts == ["Agron Berisha spoke in Pristina."]
