"""The search page and API say which entity or country widened a query, and take any input.

The test corpus linked to the test registry: the English Kosovo Liberation
Army article names "Hashim Thaçi"; the Russian one is tagged Kosovo.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import WebData


def test_page_says_what_widened_the_query_and_links_to_drop_it(
    linked_client: TestClient, linked_data: WebData
) -> None:
    html = linked_client.get("/search", params={"q": "Тачи"}).text
    assert (
        'Also finding articles about <a href="/entities/thaci">Hashim Thaçi</a> (entity)' in html
    )
    assert 'href="/search?q=%D0%A2%D0%B0%D1%87%D0%B8&amp;widen=0"' in html
    assert f'href="/articles/{linked_data.kla}"' in html
    assert "<mark>Hashim Thaçi</mark>" in html  # where the English text names him
    words_only = linked_client.get("/search", params={"q": "Тачи", "widen": "0"}).text
    assert "Also finding" not in words_only and "No results" in words_only
    assert 'href="/search?q=%D0%A2%D0%B0%D1%87%D0%B8"' in words_only  # widen again
    flag = linked_client.get("/search", params={"q": "🇽🇰"}).text
    assert 'Also finding articles about <a href="/countries/xk">Kosovo</a> (country)' in flag
    assert f'href="/articles/{linked_data.russian}"' in flag


def test_api_names_what_widened_the_query(
    linked_client: TestClient, linked_data: WebData
) -> None:
    data = linked_client.get("/api/v1/search", params={"q": "Тачи"}).json()
    assert data["widened_by"] == [{"id": "thaci", "name": "Hashim Thaçi", "kind": "entity"}]
    assert linked_data.kla in [h["id"] for h in data["hits"]]
    assert data["message"] is None
    plain = linked_client.get("/api/v1/search", params={"q": "Тачи", "widen": "false"}).json()
    assert (plain["widened_by"], plain["hits"], plain["total"]) == ([], [], 0)
    country = linked_client.get("/api/v1/search", params={"q": "Kosovo"}).json()
    assert country["widened_by"] == [{"id": "xk", "name": "Kosovo", "kind": "country"}]
    assert linked_data.russian in [h["id"] for h in country["hits"]]
    assert {f["value"]: f["count"] for f in country["facets"]["countries"]}["xk"] >= 2


def test_bad_queries_get_a_clear_answer_never_a_500(linked_client: TestClient) -> None:
    for q, says in [
        ("the and of", "Only common words"),
        ("и в на", "Only common words"),
        ("?!…()", "Nothing to search for"),
        ('"" * -', "Nothing to search for"),
    ]:
        page = linked_client.get("/search", params={"q": q})
        assert page.status_code == 200 and says in page.text, q
        data = linked_client.get("/api/v1/search", params={"q": q}).json()
        assert data["hits"] == [] and says in data["message"], q
    long = "война " * 2000
    page = linked_client.get("/search", params={"q": long})
    assert page.status_code == 422 and "at most 500 characters" in page.text
    api = linked_client.get("/api/v1/search", params={"q": long})
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_parameter"
