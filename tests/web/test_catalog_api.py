"""The catalog and related-articles operations of the JSON API, on both backends."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kartoteka.services.catalog import build_catalog
from kartoteka.services.related import related_articles
from kartoteka.store.database import Database

from .conftest import WebData


def test_catalog_is_the_builders_catalog(db: Database, linked_client: TestClient) -> None:
    answer = linked_client.get("/api/v1/catalog")
    assert answer.status_code == 200
    body = answer.json()
    assert body == build_catalog(db).as_dict()
    codes = [c["code"] for c in body["countries"]]
    assert "xk" in codes
    kosovo = body["countries"][codes.index("xk")]
    assert kosovo["name"] == "Kosovo" and kosovo["flag"]
    kinds = {e["kind"] for e in kosovo["entries"]}
    assert kinds <= {"organization", "person", "article"} and kinds & {"organization", "person"}


def test_catalog_for_one_country(db: Database, linked_client: TestClient) -> None:
    body = linked_client.get("/api/v1/catalog", params={"country": "XK"}).json()
    assert [c["code"] for c in body["countries"]] == ["xk"]
    assert body == build_catalog(db, "xk").as_dict()


def test_catalog_refuses_an_unknown_country(linked_client: TestClient) -> None:
    for code in ("qq", "xkk", "1"):
        answer = linked_client.get("/api/v1/catalog", params={"country": code})
        assert answer.status_code == 422, code
        assert answer.json()["error"]["code"] == "invalid_parameter"


def test_related_articles_with_reasons(
    db: Database, linked_client: TestClient, linked_data: WebData
) -> None:
    answer = linked_client.get(f"/api/v1/articles/{linked_data.kla}/related")
    assert answer.status_code == 200
    items = answer.json()
    assert items == [r.as_dict() for r in related_articles(db, linked_data.kla, 5)]
    assert items and items[0]["reasons"]
    assert linked_data.kla not in [item["id"] for item in items]
    one = linked_client.get(f"/api/v1/articles/{linked_data.kla}/related", params={"limit": 1})
    assert one.json() == items[:1]


def test_related_refuses_bad_limits_and_unknown_ids(
    linked_client: TestClient, linked_data: WebData
) -> None:
    for limit in ("0", "51", "x"):
        answer = linked_client.get(
            f"/api/v1/articles/{linked_data.kla}/related", params={"limit": limit}
        )
        assert answer.status_code == 422, limit
    missing = linked_client.get("/api/v1/articles/no-such-article/related")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
