"""The batch's repost look-up: which stored originals sit under which LSH band keys.

Ingest asks ``RepostStore.originals_by_key`` once for a whole batch's band
keys; only visible originals count (not reposts, not deleted articles), and
every key an original shares must list it, across more bands than one
statement asks for.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from kartoteka import dedup
from kartoteka.model import ArticleDraft
from kartoteka.services.wiring import ingest_service
from kartoteka.store.database import Database
from kartoteka.store.reposts import RepostStore
from kartoteka.store.tables import articles

TEXTS = {
    "original": "Flooding closed the river crossing at Gao for three days while "
                "engineers rebuilt the ferry ramp and traders waited on both banks.",
    "repost": "Militias seized the checkpoint south of Menaka overnight and held it "
              "until an army column arrived from Ansongo on the following afternoon.",
    "deleted": "A convoy of fuel trucks was stopped on the Niamey road and its drivers "
               "were questioned about payments to armed groups along the border.",
}


def store(db: Database) -> dict[str, str]:
    service = ingest_service(db, extract=False)
    ids = {}
    for name, body in TEXTS.items():
        article_id, _ = service.store(ArticleDraft(
            title="", body=body, source=f"https://{name}.example/1", language="en",
            published_at=datetime(2024, 3, 1, tzinfo=UTC)))
        ids[name] = article_id
    with db.transaction() as conn:
        conn.execute(update(articles).where(articles.c.id == ids["repost"])
                     .values(original_id=ids["original"]))
        conn.execute(update(articles).where(articles.c.id == ids["deleted"])
                     .values(deleted_at=datetime(2024, 3, 2, tzinfo=UTC)))
    return ids


def keys_of(body: str) -> list[tuple[int, str]]:
    return dedup.band_keys(dedup.signature(body))


def test_visible_originals_are_found_under_each_of_their_keys(db: Database) -> None:
    ids = store(db)
    asked = [key for body in TEXTS.values() for key in keys_of(body)]
    asked += [(0, "0123456789abcdef"), (3, "fedcba9876543210")]  # keys no article has
    with db.read() as conn:
        found = RepostStore(conn).originals_by_key(asked)
    original_keys = set(keys_of(TEXTS["original"]))
    assert len(original_keys) > 4  # more bands than one statement asks for
    assert set(found) == original_keys
    for key in original_keys:
        [stored] = found[key]
        assert stored.article_id == ids["original"]
        assert stored.signature == dedup.signature(TEXTS["original"])
        assert stored.published_at == datetime(2024, 3, 1, tzinfo=UTC)


def test_no_keys_find_nothing(db: Database) -> None:
    store(db)
    with db.read() as conn:
        assert RepostStore(conn).originals_by_key([]) == {}
