"""HTML pages on SQLite and PostgreSQL, read as HTML a client receives."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import WebData


def test_home_shows_counts_latest_and_catalog(client: TestClient) -> None:
    html = client.get("/").text
    assert '<dt>Articles</dt><dd><a href="/articles">9</a></dd>' in html
    assert (
        '<a href="/countries/xk"><span class="flag" aria-hidden="true">🇽🇰</span> Kosovo</a>' in html
    )
    assert html.index("Sahel weapons routes") < html.index("Belgrade talks")


def test_country_page_lists_its_articles(client: TestClient) -> None:
    html = client.get("/countries/XK").text
    assert "🇽🇰" in html and "2 articles about Kosovo" in html
    assert "The Kosovo Liberation Army after 1999" in html and "Belgrade talks" not in html
    assert client.get("/countries/ad").status_code == 200  # a real country, no articles yet
    assert client.get("/countries/zz").status_code == 404
    assert client.get("/countries/serbia").status_code == 404


def test_article_page(client: TestClient, web_data: WebData) -> None:
    html = client.get(f"/articles/{web_data.original}").text
    assert (
        '<a href="https://example.org/routes-original" rel="nofollow noopener noreferrer">' in html
    )
    assert (
        '<a href="https://example.org/routes" rel="nofollow noopener noreferrer">'
        "https://example.org/routes</a>." in html
    )
    assert "Also posted by" in html and "Reposter" in html
    repost = client.get(f"/articles/{web_data.repost}").text
    assert f'A repost of <a href="/articles/{web_data.original}">' in repost
    russian = client.get(f"/articles/{web_data.russian}").text
    assert '<article class="article" lang="ru">' in russian
    assert "Source: \n" not in russian and "kosovo-ru.md" in russian


def test_revision_pages(client: TestClient, web_data: WebData) -> None:
    html = client.get(f"/articles/{web_data.revised}/revisions/3").text
    assert "Revision 3 of 3" in html
    assert "<ins>, corrected</ins>" in html
    assert "until April<ins> 2021</ins>." in html
    first = client.get(f"/articles/{web_data.revised}/revisions/1").text
    assert "The first revision." in first
    assert client.get(f"/articles/{web_data.revised}/revisions/4").status_code == 404
    assert client.get(f"/articles/{web_data.revised}/revisions/0").status_code == 422


def test_author_pages(client: TestClient) -> None:
    html = client.get("/authors/@balkan_test").text
    assert "Balkan Test Channel" in html and "2 articles" in html
    assert client.get("/authors/@BALKAN_TEST").status_code == 200
    assert client.get("/authors/@nobody").status_code == 404
    listing = client.get("/authors").text
    assert 'href="/authors/@russkiy_test"' in listing


def test_search_page_filters_facets_and_paging(client: TestClient) -> None:
    html = client.get("/search", params={"q": "kosovo", "limit": 2}).text
    # Four articles say "Kosovo"; the Russian one is tagged xk, found through the country.
    assert "5 results, 1–2 shown" in html
    assert "Also finding articles about" in html
    assert 'href="/search?q=kosovo&amp;offset=2&amp;limit=2"' in html
    assert 'href="/search?q=kosovo&amp;limit=2&amp;country=rs"' in html
    narrowed = client.get("/search", params={"q": "kosovo", "country": "rs", "since": ""}).text
    assert "3 results" in narrowed
    assert '<option value="rs" selected>' in narrowed
    assert "<mark>Kosovo</mark>" in narrowed
    empty = client.get("/search").text
    assert "results" not in empty.lower().split("<main", 1)[1]


def test_html_errors_use_the_site_layout(client: TestClient) -> None:
    response = client.get("/articles/nope")
    assert response.status_code == 404
    assert "<title>Not found · kartoteka</title>" in response.text
    assert "no article with id &#39;nope&#39;" in response.text
    bad = client.get("/search", params={"q": "x", "since": "yesterday"})
    assert bad.status_code == 422 and "invalid_parameter" in bad.text


def test_pages_send_a_content_security_policy(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy


def test_api_docs_page_lists_every_endpoint(client: TestClient) -> None:
    html = client.get("/docs").text
    for path in (
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/search",
        "/api/v1/authors",
    ):
        assert f"<code>{path}</code>" in html
    assert "<script" not in html


def test_all_articles_are_reachable_in_pages_from_the_home(client: TestClient) -> None:
    home = client.get("/").text
    assert '<a href="/articles">All 9 articles, newest first</a>' in home
    first = client.get("/articles?limit=4").text
    assert first.count('class="item-title"') == 4 and "9 articles, newest first; 1–4 shown" in first
    assert 'rel="next" href="/articles?offset=4&amp;limit=4"' in first
    last = client.get("/articles?limit=4&offset=8").text
    assert last.count('class="item-title"') == 1 and 'rel="next"' not in last
    assert home.index("Sahel weapons routes") < home.index("Belgrade talks")


def test_the_home_says_what_its_two_country_figures_count(client: TestClient) -> None:
    html = client.get("/").text
    assert "<dt>Countries written about</dt>" in html
    assert "whose groups and people the catalog lists" in html


def test_search_form_names_languages_and_asks_for_iso_dates(client: TestClient) -> None:
    html = client.get("/search?q=kosovo").text
    assert '<option value="ru" lang="ru">Русский (1)</option>' in html
    assert '<option value="en" lang="en">English' in html
    for name in ("since", "until"):
        assert (f'<input id="{name}" name="{name}" type="text" inputmode="numeric" '
                'pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="YYYY-MM-DD"') in html
    facet = client.get("/search", params={"q": "Косово"}).text.split('id="facets-heading"')[1]
    assert ">Русский</a>" in facet and ">ru</a>" not in facet
    dated = client.get("/search?q=kosovo&since=2022-01-01").text
    assert 'value="2022-01-01"' in dated
    bad = client.get("/search?q=kosovo&since=01/02/2022")
    assert bad.status_code == 422 and "since" in bad.text


def test_search_results_name_authors_as_the_home_page_does(client: TestClient) -> None:
    html = client.get("/search", params={"q": "Menaka"}).text
    results = html.split('id="results-heading"')[1].split('id="facets-heading"')[0]
    assert '<a href="/authors/@sahel_test">Sahel Test</a>' in results
    assert ">@sahel_test</a>" not in results
