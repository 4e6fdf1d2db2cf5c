"""Entity pages, the article's linked mentions and the entity search filter, on both backends.

The database holds the test corpus linked to the test registry by real
extraction (gazetteer and linker), plus two relations entered by an editor:
one citing an article and a URL, one with no source at all.
"""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from lxml import html as lxml_html

from kartoteka.services import decisions
from kartoteka.store.database import Database

from .conftest import WebData


def page(client: TestClient, url: str) -> lxml_html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:500])
    return lxml_html.fromstring(response.text)


def texts(tree: lxml_html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def test_entity_page_shows_names_by_script_countries_topics_and_description(
    linked_client: TestClient,
) -> None:
    tree = page(linked_client, "/entities/kla")
    assert texts(tree, "//h1") == ["Kosovo Liberation Army"]
    groups = {
        " ".join(g.xpath("string(dt)").split()): [" ".join(d.text_content().split())
                                                 for d in g.xpath("dd")]
        for g in tree.xpath("//dl[@class='names']/div")
    }
    assert list(groups) == ["Latin", "Cyrillic"]  # the primary name's script first
    assert groups["Latin"][0] == "Kosovo Liberation Army"
    assert set(groups["Latin"]) == {"Kosovo Liberation Army", "Ushtria Çlirimtare e Kosovës",
                                    "KLA", "UÇK"}
    assert groups["Cyrillic"] == ["Армия освобождения Косова"]
    assert tree.xpath("//dd[@class='primary-name']/text()") == ["Kosovo Liberation Army"]
    assert "Kosovo" in texts(tree, "//p[@class='byline']")[0]
    assert tree.xpath("//p[@class='byline']//a[@href='/countries/xk']")
    assert texts(tree, "//p[contains(@class,'entity-description')]") == [
        "Ethnic Albanian armed group active in Kosovo in the late 1990s."]
    assert texts(tree, "//p[@class='topics']/span") == ["crime.war", "mil"]


def test_relations_carry_their_citations_and_the_editor_asserted_mark(
    linked_client: TestClient, linked_data: WebData
) -> None:
    tree = page(linked_client, "/entities/thaci")
    lines = tree.xpath("//ul[contains(@class,'relations')]/li")
    by_role = {li.xpath("string(.//span[@class='role'])"): li for li in lines}
    assert set(by_role) == {"commander", "member", "negotiated with"}
    member = by_role["member"]
    # The cited article links to its page with its title; the URL is a safe link.
    assert member.xpath(".//ul[@class='citations']//a/@href") == [
        f"/articles/{linked_data.kla}", "https://example.org/kpc-roster"]
    assert "The Kosovo Liberation Army after 1999" in member.text_content()
    assert member.xpath(".//a[starts-with(@href,'/entities/')]/@href") == ["/entities/kpc"]
    assert not member.xpath(".//*[contains(@class,'editor-asserted')]")
    # The file's relation cites a URL only (no stored article has it).
    assert by_role["commander"].xpath(".//ul[@class='citations']//a/@href") == [
        "https://example.org/articles/kla-history"]
    # Vučić → Thaçi was entered with no source: incoming, and marked.
    negotiated = by_role["negotiated with"]
    assert negotiated.xpath(".//*[contains(@class,'editor-asserted')]")
    assert negotiated.xpath(".//a/@href") == ["/entities/vucic"]
    assert " ".join(negotiated.text_content().split()).startswith(
        "Aleksandar Vučić — negotiated with — Hashim Thaçi")


def test_the_relation_graph_is_server_side_svg_with_links_and_text_alternatives(
    linked_client: TestClient,
) -> None:
    response = linked_client.get("/entities/thaci")
    assert "<script" not in response.text
    tree = lxml_html.fromstring(response.text)
    svg = tree.xpath("//figure[@class='graph']/svg")
    assert len(svg) == 1
    assert svg[0].get("role") == "group"
    assert svg[0].xpath("string(title)") == "Relations of Hashim Thaçi"
    desc = svg[0].xpath("string(desc)")
    for expected in ("Kosovo Liberation Army: commander", "Kosovo Protection Corps: member",
                     "Aleksandar Vučić: negotiated with"):
        assert expected in desc
    nodes = svg[0].xpath(".//a[contains(@class,'graph-node')]")
    assert sorted(n.get("href") for n in nodes) == [
        "/entities/kla", "/entities/kpc", "/entities/vucic"]
    assert sorted(" ".join(n.xpath("string(text)").split()) for n in nodes) == [
        "Aleksandar Vučić", "Kosovo Liberation Army", "Kosovo Protection Corps"]
    edges = svg[0].xpath(".//line[@class='graph-edge']")
    assert len(edges) == 3
    # Thaçi is the member (outgoing) of two, the object (incoming) of Vučić's.
    assert sum(1 for e in edges if e.get("marker-end")) == 2
    assert sum(1 for e in edges if e.get("marker-start")) == 1
    assert sorted(texts(svg[0], ".//text[@class='graph-role']/title")) == [
        "commander", "member", "negotiated with"]


def test_an_entity_without_relations_has_no_graph(linked_client: TestClient) -> None:
    tree = page(linked_client, "/entities/zetas")
    assert not tree.xpath("//svg")
    assert "No relations recorded." in tree.text_content()


def test_timeline_lists_documenting_articles_by_date_with_their_role(
    linked_client: TestClient, linked_data: WebData
) -> None:
    tree = page(linked_client, "/entities/kla")
    items = tree.xpath("//ol[@class='timeline']/li")
    dates = [li.xpath("string(time/@datetime)")[:10] for li in items]
    assert [d for d in dates if d] == sorted(d for d in dates if d)
    by_link = {li.xpath("string(a/@href)"): li for li in items}
    kla = by_link[f"/articles/{linked_data.kla}"]
    assert "timeline-subject" in kla.get("class")
    assert "subject" in kla.text_content()
    assert kla.xpath("string(time/@datetime)").startswith("2020-06-10")
    assert "Jun 10, 2020" in kla.text_content()  # Babel's medium date, in English
    # The Vučić article does not mention the KLA.
    assert f"/articles/{linked_data.vucic}" not in by_link


def test_a_merged_id_redirects_permanently_to_the_canonical_page(
    db: Database, linked_client: TestClient
) -> None:
    decisions.merge(db, "kla", "kpc")
    response = linked_client.get("/entities/kpc", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/entities/kla"
    tree = page(linked_client, "/entities/kpc")  # followed
    assert texts(tree, "//h1") == ["Kosovo Liberation Army"]
    assert "Kosovo Protection Corps" in texts(tree, "//dl[@class='names']")[0]


def test_unknown_entity_is_a_404_page(linked_client: TestClient) -> None:
    response = linked_client.get("/entities/no-such-entity")
    assert response.status_code == 404
    assert "no entity with id 'no-such-entity'" in unescape(response.text)


def test_entity_list_filters_by_country_and_schema(linked_client: TestClient) -> None:
    tree = page(linked_client, "/entities")
    names = texts(tree, "//ul[contains(@class,'entities')]//a[@class='item-title']")
    assert set(names) == {"Kosovo Liberation Army", "Kosovo Protection Corps", "Hashim Thaçi",
                          "Aleksandar Vučić", "Wagner Group", "Yevgeny Prigozhin",
                          "Hay'at Tahrir al-Sham", "Los Zetas"}
    counts = texts(tree, "//ul[contains(@class,'entities')]//div[@class='meta']")
    articles = [int(re.search(r"(\d+) article", c).group(1)) for c in counts]  # type: ignore[union-attr]
    assert articles == sorted(articles, reverse=True) and articles[0] >= 2
    xk = page(linked_client, "/entities?country=XK")
    assert set(texts(xk, "//a[@class='item-title']")) == {
        "Kosovo Liberation Army", "Kosovo Protection Corps", "Hashim Thaçi"}
    people = page(linked_client, "/entities?country=xk&schema=Person")
    assert texts(people, "//a[@class='item-title']") == ["Hashim Thaçi"]
    assert linked_client.get("/entities?schema=Dragon").status_code == 422


def test_article_body_links_mentions_to_entity_pages(
    linked_client: TestClient, linked_data: WebData
) -> None:
    tree = page(linked_client, f"/articles/{linked_data.kla}")
    mentions = tree.xpath("//div[@class='article-body']//a[@class='mention']")
    found = {(" ".join(a.text_content().split()), a.get("href"), a.get("title")) for a in mentions}
    assert ("Kosovo Liberation Army", "/entities/kla", "Kosovo Liberation Army") in found
    assert ("Kosovo Protection Corps", "/entities/kpc", "Kosovo Protection Corps") in found
    assert ("Hashim Thaçi", "/entities/thaci", "Hashim Thaçi") in found
    # The text around the links is intact.
    body = " ".join(tree.xpath("string(//div[@class='article-body'])").split())
    assert "After the war the Kosovo Liberation Army was disbanded." in body
    people = tree.xpath("//section[@aria-labelledby='people-heading']//li")
    listed = {li.xpath("string(a/@href)"): " ".join(li.text_content().split()) for li in people}
    assert set(listed) == {"/entities/kla", "/entities/kpc", "/entities/thaci"}
    assert "subject" in listed["/entities/kla"]
    assert "mentioned" in listed["/entities/thaci"]


def test_the_title_links_its_mentions_too(
    linked_client: TestClient, linked_data: WebData
) -> None:
    """A name in the title is a mention with offsets into the title: the
    heading links it, and reads as the title, word for word."""
    tree = page(linked_client, f"/articles/{linked_data.kla}")
    heading = tree.xpath("//h1[@class='article-title']")[0]
    assert " ".join(heading.text_content().split()) == "The Kosovo Liberation Army after 1999"
    assert [(a.text_content(), a.get("href")) for a in heading.xpath(".//a[@class='mention']")
            ] == [("Kosovo Liberation Army", "/entities/kla")]
    body = tree.xpath("//div[@class='article-body']//a[@class='mention']")
    assert all(a.text_content() != "The Kosovo Liberation Army after 1999" for a in body)


def test_an_article_without_links_has_no_people_list(
    linked_client: TestClient, linked_data: WebData
) -> None:
    tree = page(linked_client, f"/articles/{linked_data.original}")
    assert not tree.xpath("//a[@class='mention']")
    assert not tree.xpath("//section[@aria-labelledby='people-heading']")


def test_search_filters_by_entity_and_shows_the_entity_facet(
    linked_client: TestClient, linked_data: WebData
) -> None:
    everything = page(linked_client, "/search?q=kosovo")
    facet = everything.xpath("//h3[.='People and organisations']/following-sibling::ul[1]/li")
    labels = {" ".join(li.xpath("string(a)").split()): li.xpath("string(a/@href)") for li in facet}
    assert "Hashim Thaçi" in labels
    assert "entity=thaci" in labels["Hashim Thaçi"]
    thaci = page(linked_client, labels["Hashim Thaçi"])
    hits = thaci.xpath("//ol[contains(@class,'hits')]//a[@class='item-title']/@href")
    assert hits == [f"/articles/{linked_data.kla}"]
    assert thaci.xpath("//select[@id='entity']/option[@selected]/@value") == ["thaci"]
    api = linked_client.get("/api/v1/search", params={"q": "kosovo", "entity": "vucic"}).json()
    assert [h["id"] for h in api["hits"]] == [linked_data.vucic]
    assert {f["value"] for f in api["facets"]["entities"]} == {"vucic"}
    assert api["facets"]["entities"][0]["label"] == "Aleksandar Vučić"
    listed = linked_client.get("/api/v1/articles", params={"entity": "thaci"}).json()
    assert [a["id"] for a in listed["items"]] == [linked_data.kla]


def test_entities_are_in_the_main_navigation(linked_client: TestClient) -> None:
    tree = page(linked_client, "/")
    assert tree.xpath("//nav[@aria-label='Main']//a[@href='/entities']")


def test_relations_read_as_words_with_spaced_dates(linked_client: TestClient) -> None:
    tree = page(linked_client, "/entities/kla")
    lines = [" ".join(t.split()) for t in texts(tree, "//ul[contains(@class,'relations')]/li")]
    assert any("Kosovo Liberation Army — merged into — Kosovo Protection Corps" in x for x in lines)
    assert any("Kosovo Liberation Army (1998 – 1999-09)" in x for x in lines)
    roles = texts(tree, "//svg//text[@class='graph-role']/title")
    assert "merged into" in roles and "merged-into" not in roles
