"""The entity and match operations of the JSON API, on both backends."""

from __future__ import annotations

import json
import subprocess
import sys

from fastapi.testclient import TestClient

from kartoteka.services import decisions
from kartoteka.store.database import Database

from .conftest import WebData


def test_entities_list_filters_and_pages(linked_client: TestClient) -> None:
    data = linked_client.get("/api/v1/entities").json()
    assert data["total"] == 8 and data["limit"] == 50 and data["offset"] == 0
    first = data["items"][0]
    assert set(first) == {"id", "schema", "name", "countries", "topics", "articles", "mentions"}
    counts = [e["articles"] for e in data["items"]]
    assert counts == sorted(counts, reverse=True)
    by_id = {e["id"]: e for e in data["items"]}
    assert by_id["kla"]["articles"] >= 2 and by_id["kla"]["schema"] == "Organization"
    assert by_id["wagner"]["articles"] == 0
    page = linked_client.get("/api/v1/entities", params={"limit": 3, "offset": 3}).json()
    assert [e["id"] for e in page["items"]] == [e["id"] for e in data["items"][3:6]]
    xk = linked_client.get("/api/v1/entities", params={"country": "xk", "schema": "Person"})
    assert [e["id"] for e in xk.json()["items"]] == ["thaci"]


def test_one_entity_has_names_relations_citations_and_articles(
    linked_client: TestClient, linked_data: WebData
) -> None:
    data = linked_client.get("/api/v1/entities/thaci").json()
    assert data["id"] == "thaci" and data["schema"] == "Person" and data["name"] == "Hashim Thaçi"
    assert {"value": "Хашим Тачи", "kind": "alias", "lang": None, "script": "Cyrl"} in data[
        "names"]
    assert "judgements" not in data  # editors' identities are not public
    roles = {r["role"]: r for r in data["relations"]}
    assert set(roles) == {"commander", "member", "negotiated with"}
    assert roles["member"]["citations"] == [
        {"article_id": linked_data.kla, "url": None},
        {"article_id": None, "url": "https://example.org/kpc-roster"},
    ]
    assert roles["negotiated with"]["editor_asserted"] is True
    assert roles["negotiated with"]["source_id"] == "vucic"
    assert [a["id"] for a in data["articles"]] == [linked_data.kla]
    assert data["articles"][0]["role"] == "mentioned"
    assert data["mentions"] == data["articles"][0]["mentions"] >= 1


def test_a_merged_id_answers_with_the_canonical_entity(
    db: Database, linked_client: TestClient
) -> None:
    decisions.merge(db, "kla", "kpc")
    data = linked_client.get("/api/v1/entities/kpc").json()
    assert data["id"] == "kla" and data["merged_ids"] == ["kpc"]


def test_unknown_entity_and_bad_parameters_use_the_error_shape(linked_client: TestClient) -> None:
    missing = linked_client.get("/api/v1/entities/nobody")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert "nobody" in missing.json()["error"]["message"]
    for url, params in (
        ("/api/v1/entities", {"schema": "Dragon"}),
        ("/api/v1/entities", {"country": "xyz"}),
        ("/api/v1/entities", {"limit": "0"}),
        ("/api/v1/match", {}),
        ("/api/v1/match", {"name": "   "}),
        ("/api/v1/match", {"name": "Thaci", "schema": "Dragon"}),
        ("/api/v1/articles", {"entity": "x" * 300}),
    ):
        response = linked_client.get(url, params=params)
        assert response.status_code == 422, (url, params, response.text)
        assert set(response.json()["error"]) == {"code", "message"}


def test_match_has_the_cli_json_shape(
    db: Database, linked_client: TestClient, linked_data: WebData
) -> None:
    data = linked_client.get("/api/v1/match", params={"name": "Хашим Тачи"}).json()
    assert data["query"] == "Хашим Тачи"
    assert data["best"]["id"] == "thaci" and set(data["best"]) == {"id", "name", "schema",
                                                                   "score"}
    assert set(data["candidates"][0]) == {"id", "name", "schema", "score", "matched_name"}
    people = linked_client.get("/api/v1/match",
                               params={"name": "Kosovo Liberation Army", "schema": "Person"})
    assert all(c["schema"] == "Person" for c in people.json()["candidates"])
    cli = subprocess.run(
        [sys.executable, "-m", "kartoteka", "match", "--json", "--db", db.url, "Хашим Тачи"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(cli.stdout) == data
