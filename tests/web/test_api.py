"""The JSON API on SQLite and PostgreSQL: shapes, filters, paging, one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import WebData


def test_articles_list_newest_first_without_reposts(client: TestClient, web_data: WebData) -> None:
    response = client.get("/api/v1/articles", params={"limit": 3})
    assert response.status_code == 200
    data = response.json()
    assert (data["total"], data["limit"], data["offset"]) == (9, 3, 0)
    assert [a["title"] for a in data["items"]] == [
        "Sahel weapons routes",
        "Belgrade talks",
        "Косово и сербская история",
    ]
    ids = {a["id"] for a in client.get("/api/v1/articles", params={"limit": 50}).json()["items"]}
    assert web_data.repost not in ids and web_data.original in ids


def test_articles_filters_combine(client: TestClient) -> None:
    def titles(**params: str) -> list[str]:
        data = client.get("/api/v1/articles", params=params).json()
        return sorted(a["title"] for a in data["items"])

    assert titles(country="XK") == [
        "The Kosovo Liberation Army after 1999",
        "Косово и сербская история",
    ]
    assert titles(country="rs", language="ru") == ["Косово и сербская история"]
    assert titles(author="@balkan_test", since="2021-01-01") == ["Belgrade talks"]
    assert titles(author="Balkan Test Channel", until="2020-06-10") == [
        "The Kosovo Liberation Army after 1999"
    ]
    assert titles(country="", language="") == titles()


def test_articles_pages_do_not_overlap(client: TestClient) -> None:
    first = client.get("/api/v1/articles", params={"limit": 4}).json()["items"]
    second = client.get("/api/v1/articles", params={"limit": 4, "offset": 4}).json()["items"]
    rest = client.get("/api/v1/articles", params={"limit": 4, "offset": 8}).json()["items"]
    ids = [a["id"] for a in first + second + rest]
    assert len(ids) == len(set(ids)) == 9


def test_article_detail_has_history_and_reposts(client: TestClient, web_data: WebData) -> None:
    revised = client.get(f"/api/v1/articles/{web_data.revised}").json()
    assert revised["title"] == "Militia notes, corrected"
    assert revised["revision"] == 3
    assert [r["number"] for r in revised["revisions"]] == [1, 2, 3]
    assert revised["revisions"][0]["title"] == "Militia notes"
    original = client.get(f"/api/v1/articles/{web_data.original}").json()
    assert [r["author"]["handle"] for r in original["reposts"]] == ["@reposter"]
    assert original["source"] == "https://example.org/routes-original"
    repost = client.get(f"/api/v1/articles/{web_data.repost}").json()
    assert repost["original_id"] == web_data.original


def test_search_hits_snippets_and_facets(client: TestClient) -> None:
    # The words alone: widening to Kosovo the country is tested on its own.
    data = client.get("/api/v1/search", params={"q": "kosovo", "widen": "0"}).json()
    assert data["total"] == 4
    assert all("<mark>" in h["snippet"] or h["title"].startswith("Kosovo") for h in data["hits"])
    countries = {f["value"]: (f["count"], f["label"]) for f in data["facets"]["countries"]}
    assert countries == {"rs": (2, "Serbia"), "xk": (1, "Kosovo")}
    years = [(f["value"], f["count"]) for f in data["facets"]["years"]]
    assert years == [("2022", 1), ("2020", 1)]
    filtered = client.get(
        "/api/v1/search", params={"q": "kosovo", "country": "rs", "widen": "0"}
    ).json()
    assert sorted(h["title"] for h in filtered["hits"]) == [
        "Belgrade talks",
        "The Kosovo Liberation Army after 1999",
    ]
    assert (
        client.get("/api/v1/search", params={"q": "косово", "facets": "false"}).json()["facets"]
        is None
    )


def test_search_paging_counts_everything(client: TestClient) -> None:
    page = client.get(
        "/api/v1/search", params={"q": "kosovo", "limit": 1, "offset": 1, "widen": "0"}
    ).json()
    assert (page["total"], len(page["hits"]), page["offset"]) == (4, 1, 1)


def test_authors_with_counts(client: TestClient) -> None:
    items = client.get("/api/v1/authors").json()["items"]
    counts = {a["handle"]: a["articles"] for a in items}
    assert counts["@balkan_test"] == 2
    assert counts["@sahel_test"] == 2
    # a channel whose only article is a repost has no original articles to list
    assert "@reposter" not in counts


def test_unknown_ids_are_404_in_one_shape(client: TestClient) -> None:
    response = client.get("/api/v1/articles/ffffffffffffffff")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "no article with id 'ffffffffffffffff'"}
    }
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert set(missing.json()) == {"error"}


def test_invalid_parameters_are_422_in_one_shape(client: TestClient) -> None:
    cases = [
        ("/api/v1/articles", {"limit": "0"}, "limit"),
        ("/api/v1/articles", {"limit": "many"}, "limit"),
        ("/api/v1/articles", {"offset": "-1"}, "offset"),
        ("/api/v1/articles", {"country": "serbia"}, "country"),
        ("/api/v1/articles", {"since": "2020-02-30"}, "since"),
        ("/api/v1/articles", {"since": "2021-01-01", "until": "2020-01-01"}, "until"),
        ("/api/v1/search", {}, "q"),
        ("/api/v1/search", {"q": "x" * 501}, "q"),
        ("/api/v1/search", {"q": "a\x00b"}, "q"),
        ("/api/v1/articles/" + "f" * 65, {}, "article_id"),
        ("/api/v1/articles/a%00b", {}, "article_id"),
    ]
    for path, params, name in cases:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        error = response.json()["error"]
        assert error["code"] == "invalid_parameter"
        assert name in error["message"], error["message"]


def test_method_not_allowed_keeps_the_shape(client: TestClient) -> None:
    response = client.post("/api/v1/articles")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
