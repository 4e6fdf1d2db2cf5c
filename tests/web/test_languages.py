"""Every page in Russian and in English, and how a reader picks the language.

``test_every_page_in_both_languages`` is the one that catches a forgotten
translation.  When it fails on a page you added or changed:

1. mark the string: ``{{ _("Text") }}`` or ``{% trans %}…{% endtrans %}`` in a
   template, ``_("Text")`` (``from kartoteka.i18n import gettext as _``) in a
   route, ``N_("Text")`` for a constant translated where it is shown, or
   ``Message("text %(x)s", x=...)`` for an error raised below the web layer;
2. run ``make messages`` (extracts the strings, adds them to each ``.po``);
3. write the Russian in ``kartoteka/i18n/locales/ru/LC_MESSAGES/messages.po``
   (``msgstr``; drop any ``#, fuzzy`` line once the text is right).

A new page route needs its real objects in ``_pages`` below (the test fails
on a GET route it does not know, so none is skipped by accident).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from lxml import html

from kartoteka import i18n
from kartoteka.auth.model import LinkPurpose
from kartoteka.auth.roles import Actor, Role
from kartoteka.i18n.choice import COOKIE
from kartoteka.services.sources import SourceService
from kartoteka.store.articles import ArticleFilter
from kartoteka.store.database import Database
from kartoteka.store.sources import SourceRepository
from tests.services.alert_support import store

from .accounts_support import Site
from .conftest import WebData, link_entities

# Routes that answer with something other than a page for people.
NOT_PAGES = re.compile(r"^/(api/|static|openapi\.json|sitemap\.xml)|\.(atom|json)$|^/feed\.")
# English strings short enough to appear in article text by chance; the check
# below looks for UI strings of three words or more.
_WORDS = re.compile(r"[A-Za-z]+")


@pytest.fixture
def site(db: Database, web_data: WebData) -> Site:
    link_entities(db, web_data)
    return Site(db)


def _watch_a_failing_source(db: Database) -> None:
    """A watched source that has worked and now fails, so its page shows every state's words."""
    source = SourceService(db).add("https://granica.example/feed.xml", every="30m", country="rs")
    with db.transaction() as conn:
        source.last_success_at = datetime(2026, 12, 4, 10, 5, tzinfo=UTC)
        source.articles_added_total, source.articles_added_last = 12, 2
        source.consecutive_failures = 3
        source.last_error = "HTTP 503"
        source.last_error_at = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)
        source.item_errors = [{"path": source.url, "error": "item 2: bad"}]
        SourceRepository(conn).save_state(source)


def _park_a_job(db: Database) -> None:
    """On PostgreSQL, a queue with one failed job (the jobs page's full view).

    SQLite has no queue: there the page shows its "no job queue here" state.
    """
    if db.backend != "postgresql":
        return
    pytest.importorskip("procrastinate", reason="the queue extra is not installed")
    from sqlalchemy import text

    from kartoteka.queue.app import build_app
    from kartoteka.queue.schema import ensure_queue_schema
    from kartoteka.queue.tasks import defer_extraction
    from kartoteka.store.jobs import JobStore

    ensure_queue_schema(db)
    app, runtime = build_app(db.url, pool_size=1)
    try:
        with app.open():
            [job_id] = defer_extraction(app, [("0123456789abcdef", 1)], "run")
    finally:
        runtime.close()
    with db.transaction() as conn:  # as a worker leaves a job after its last attempt
        for status in ("doing", "failed"):
            conn.execute(text("UPDATE procrastinate_jobs SET status = :status, attempts = 5 "
                              "WHERE id = :id"), {"status": status, "id": job_id})
        JobStore(conn).record_error(job_id, "extract_articles", 5, "ValueError: bad text",
                                    datetime.now(UTC))


def _pages(site: Site, data: WebData) -> dict[str, str]:
    """Each GET page route -> a URL that shows it with real objects."""
    operator = Actor.operator("test")
    contributor = Actor(site.email("contributor"), Role.CONTRIBUTOR, None)
    draft = site.services.review.submit_text(contributor, "A draft", "Draft text.").article_id
    site.services.joins.create("Ana Researcher", "ana@example.org", "@ana", "Balkan groups")
    invited = site.services.accounts.add_user(operator, "new@example.org", Role.EDITOR, invite=True)
    reset = site.services.accounts.issue_link(
        operator, site.email("reader"), LinkPurpose.PASSWORD_RESET
    )
    assert invited.link_path and reset.link_path
    user = site.services.accounts.get_user(site.email("contributor"))
    _watch_a_failing_source(site.db)
    _park_a_job(site.db)
    _follow_and_alert(site)
    return {
        "/": "/",
        "/articles": "/articles",
        "/articles/{article_id}": f"/articles/{data.kla}",
        "/articles/{article_id}/revisions/{number}": f"/articles/{data.revised}/revisions/2",
        "/articles/{article_id}/history": f"/articles/{data.revised}/history",
        "/articles/{article_id}/diff": f"/articles/{data.revised}/diff?old=1&new=2",
        "/countries/{code}": "/countries/xk",
        "/authors": "/authors",
        "/authors/{handle:path}": "/authors/@balkan_test",
        "/search": "/search?q=kosovo",
        "/docs": "/docs",
        "/entities": "/entities",
        "/entities/{entity_id:path}": "/entities/kla",
        "/entities/{entity_id:path}/history": "/entities/kla/history",
        "/login": "/login?done=signed_out",
        "/join": "/join",
        "/invitation/{token}": invited.link_path,
        "/password-reset/{token}": reset.link_path,
        "/account": "/account",
        "/account/alerts": "/account/alerts",
        "/submit": "/submit",
        "/submissions": "/submissions",
        "/submissions/{article_id}": f"/submissions/{draft}",
        "/review": "/review",
        "/review/{article_id}": f"/review/{draft}",
        "/registry/decisions": "/registry/decisions",
        "/candidates": "/candidates",
        "/admin/join-requests": "/admin/join-requests",
        "/admin/users": f"/admin/users#user-{user.pk}",
        "/admin/deleted": "/admin/deleted",
        "/admin/audit": "/admin/audit",
        "/admin/sources": "/admin/sources?done=source_added",
        "/admin/jobs": "/admin/jobs?done=retried",
        "/admin/authors": "/admin/authors?done=authors_merged",
        "/admin/authors/merge": "/admin/authors/merge?source=@balkan_test&target=@sahel_test",
    }


def _follow_and_alert(site: Site) -> None:
    """The admin (who reads every page) follows Kosovo and a saved search, with an alert.

    So the alerts page shows a real watchlist of each kind that renders
    differently, an unread alert and its label, and the country page shows the
    follow box's "you follow this" state (the entity and author pages: "Follow").
    """
    admin = site.services.accounts.get_user(site.email("admin"))
    actor = Actor(admin.email, admin.role, admin.pk)
    site.services.alerts.follow(actor, "country", "xk")
    site.services.alerts.follow(actor, "search", "", query="kosovo",
                                flt=ArticleFilter(country="xk", since=datetime(2020, 1, 1,
                                                                                tzinfo=UTC)))
    store(site.db, "Kosovo border note", "Patrols were seen near the Kosovo border again.",
          key="alerted", countries=["xk"])
    assert site.services.alerts.match_pending().alerts >= 1


def _page_routes(site: Site) -> Iterator[str]:
    for route in iter_route_contexts(site.app.routes):
        if route.path and "GET" in (route.methods or ()) and not NOT_PAGES.search(route.path):
            yield route.path


def _visible_text(page: str) -> str:
    """What a reader sees, without the articles' own text (which may well be English)."""
    tree = html.fromstring(page)
    for node in tree.xpath(
        "//script|//style|//*[contains(@class,'article-body')]|//*[contains(@class,'snippet')]"
    ):
        node.drop_tree()
    return " ".join(tree.text_content().split())


def _ui_phrases() -> list[str]:
    """The catalog's English strings long enough that finding one in a page means a leak."""
    phrases = []
    for msgid in i18n.catalog("ru")._catalog:
        text = msgid[0] if isinstance(msgid, tuple) else msgid
        if "%(" in text or "<" in text:
            continue
        if len(_WORDS.findall(text)) >= 3:
            phrases.append(text)
    return phrases


def test_every_page_in_both_languages(site: Site, web_data: WebData) -> None:
    pages = _pages(site, web_data)
    unknown = set(_page_routes(site)) - pages.keys()
    assert not unknown, f"page routes this test does not render yet: add them to _pages: {unknown}"
    client, _token = site.signed_in("admin")
    i18n.MISSING.clear()
    phrases = _ui_phrases()
    leaks: list[str] = []
    for route, url in sorted(pages.items()):
        reader = site.client() if route in ("/login", "/join") or "{token}" in route else client
        for language in ("en", "ru"):
            reader.cookies.set(COOKIE, language, domain="testserver.local")
            response = reader.get(url)
            assert response.status_code == 200, (url, language, response.status_code)
            assert response.headers["content-language"] == language
            tree = html.fromstring(response.text)
            assert tree.get("lang") == language, url
            if language == "ru":
                text = _visible_text(response.text)
                leaks += [f"{url}: {p!r}" for p in phrases if p in text]
    untranslated = sorted(msgid for language, msgid in i18n.MISSING if language == "ru")
    assert not untranslated, (
        "strings with no Russian translation (run `make messages`, then fill their msgstr "
        f"in kartoteka/i18n/locales/ru/LC_MESSAGES/messages.po): {untranslated}"
    )
    assert not leaks, f"English interface text on Russian pages (wrap it in _()): {leaks}"


def test_russian_pages_show_russian_words_dates_and_names(site: Site, web_data: WebData) -> None:
    client = site.client()
    client.cookies.set(COOKIE, "ru", domain="testserver.local")
    home = client.get("/").text
    assert "Последние статьи" in home and "Latest articles" not in home
    article = html.fromstring(client.get(f"/articles/{web_data.kla}").text)
    byline = " ".join(article.xpath("string(//p[@class='byline'])").split())
    assert re.search(r"\d{1,2} [а-я]+\.? \d{4} г\.", byline), byline  # "10 июн. 2020 г."
    country = client.get("/countries/xk").text
    assert "Косово" in country and "Kosovo</h1>" not in country
    switch = html.fromstring(home).xpath("//form[@class='language-switch']//button")
    assert [b.text_content() for b in switch] == ["English", "Русский"]


def test_accept_language_decides_without_a_choice_and_the_cookie_wins(site: Site) -> None:
    client = site.client()
    assert client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).headers[
        "content-language"
    ] == "ru"
    assert client.get("/", headers={"Accept-Language": "de-DE"}).headers[
        "content-language"
    ] == "en"
    assert client.get("/").headers["content-language"] == "en"
    client.cookies.set(COOKIE, "en", domain="testserver.local")
    assert client.get("/", headers={"Accept-Language": "ru"}).headers["content-language"] == "en"


def test_the_switch_sets_the_cookie_and_a_users_account(site: Site) -> None:
    visitor = site.client()
    switched = visitor.post("/language", data={"language": "ru", "next": "/authors"},
                            follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/authors"
    assert visitor.get("/authors").headers["content-language"] == "ru"
    # Off-site "next" is refused like the sign-in form's.
    away = visitor.post("/language", data={"language": "en", "next": "//evil.example"},
                        follow_redirects=False)
    assert away.headers["location"] == "/"
    assert visitor.post("/language", data={"language": "xx"}).status_code == 422

    editor, token = site.signed_in("editor")
    refused = editor.post("/language", data={"language": "ru"}, follow_redirects=False)
    assert refused.status_code == 403  # a user's account changes only with the form's token
    saved = editor.post("/language", data={"language": "ru", "csrf_token": token},
                        follow_redirects=False)
    assert saved.status_code == 303
    assert site.services.accounts.get_user(site.email("editor")).language == "ru"
    # Signing in on another browser brings the choice along.
    other = site.client()
    assert site.sign_in_through_form(other, site.email("editor"), site.passwords["editor"]) == 303
    assert other.cookies.get(COOKIE) == "ru"
    assert other.get("/review").headers["content-language"] == "ru"


def test_api_errors_speak_the_readers_language(site: Site) -> None:
    client = site.client()
    english = client.get("/api/v1/articles/no-such-article")
    russian = client.get("/api/v1/articles/no-such-article", headers={"Accept-Language": "ru"})
    assert english.status_code == russian.status_code == 404
    assert english.json()["error"]["code"] == russian.json()["error"]["code"] == "not_found"
    assert english.json()["error"]["message"] == "no article with id 'no-such-article'"
    assert russian.json()["error"]["message"] == "нет статьи с id 'no-such-article'"
    bad = client.get("/api/v1/articles?since=2020-13-45", headers={"Accept-Language": "ru"})
    assert bad.status_code == 422
    assert bad.json()["error"]["message"] == (
        "параметр 'since': '2020-13-45' — не дата: используйте ГГГГ-ММ-ДД"
    )
    # Pydantic's own checks too, by error type; English keeps pydantic's words.
    limit = client.get("/api/v1/articles?limit=0", headers={"Accept-Language": "ru"})
    assert limit.json()["error"]["message"] == "параметр запроса 'limit': должно быть не меньше 1"
    same = client.get("/api/v1/articles?limit=0").json()["error"]["message"]
    assert same == "query parameter 'limit': Input should be greater than or equal to 1"


def test_the_search_apis_message_is_in_the_readers_language(site: Site) -> None:
    client = site.client()
    english = client.get("/api/v1/search?q=the").json()["message"]
    russian = client.get("/api/v1/search?q=the", headers={"Accept-Language": "ru"}).json()
    assert english.startswith("Only common words (the)")
    assert russian["message"].startswith("Только частые слова (the)")


def test_feed_titles_follow_the_language(site: Site) -> None:
    client = site.client()
    assert client.get("/feed.json").json()["title"] == "kartoteka: latest articles"
    russian = client.get("/search.atom?q=kosovo", headers={"Accept-Language": "ru"})
    assert "<title>kartoteka: поиск «kosovo»</title>" in russian.text
    assert russian.headers["content-language"] == "ru"


def test_the_page_cache_keeps_one_copy_per_language(db: Database, web_data: WebData) -> None:
    from kartoteka.web.app import create_app

    with TestClient(create_app(db)) as client:
        first_en = client.get("/authors")
        first_ru = client.get("/authors", headers={"Accept-Language": "ru"})
        again_ru = client.get("/authors", headers={"Accept-Language": "ru"})
        again_en = client.get("/authors")
    assert first_en.headers["x-kartoteka-cache"] == first_ru.headers["x-kartoteka-cache"] == "miss"
    assert again_ru.headers["x-kartoteka-cache"] == again_en.headers["x-kartoteka-cache"] == "hit"
    assert "Авторы и каналы" in again_ru.text and "Authors and channels" in again_en.text


def test_form_errors_and_notices_in_russian(site: Site) -> None:
    from .accounts_support import csrf_in

    client = site.client()
    client.cookies.set(COOKIE, "ru", domain="testserver.local")
    assert "Вы вышли." in client.get("/login?done=signed_out").text
    token = csrf_in(client.get("/login").text)
    failed = client.post("/login", data={"csrf_token": token, "email": "x@example.org",
                                         "password": "wrong password"})
    assert failed.status_code == 400
    assert "неверный адрес эл. почты или пароль" in failed.text
    token = csrf_in(client.get("/join").text)
    empty = client.post("/join", data={"csrf_token": token, "name": "", "contact": ""})
    assert empty.status_code == 422
    assert "напишите своё имя" in empty.text and "tell us your name" not in empty.text
    forged = client.post("/join", data={"csrf_token": "0" * 64, "name": "A", "contact": "b"})
    assert forged.status_code == 403 and "токен безопасности формы" in forged.text


def test_alerts_follow_box_and_private_feed_in_russian(site: Site, web_data: WebData) -> None:
    _follow_and_alert(site)
    anonymous = site.client()
    anonymous.cookies.set(COOKIE, "ru", domain="testserver.local")
    country = anonymous.get("/countries/xk").text
    assert "Войдите, чтобы следить" in country and "Sign in to follow" not in country
    client, token = site.signed_in("admin")
    client.cookies.set(COOKIE, "ru", domain="testserver.local")
    assert "Вы следите за этим" in client.get("/countries/xk").text
    entity = html.fromstring(client.get("/entities/kla").text)
    assert entity.xpath("//div[@class='follow-box']//button/text()") == ["Следить"]
    page = client.get("/account/alerts").text
    text = _visible_text(page)
    assert "Ваши уведомления" in text and "Your alerts" not in text
    assert re.search(r"Новые статьи \(\d+ непрочитанн(ая|ые|ых)\)", text), text
    assert "Страна: Косово" in text
    assert "Поиск: “kosovo” · страна: xk · с: 2020-01-01" in text
    assert '<option value="weekly">сводка раз в неделю</option>' in page
    pk = re.search(r'action="/account/alerts/(\d+)/frequency"', page)
    assert pk
    bad = client.post(f"/account/alerts/{pk.group(1)}/frequency",
                      data={"csrf_token": token, "frequency": "hourly"})
    assert bad.status_code == 422 and "частота писем — одно из значений" in bad.text
    undated = client.post("/account/alerts/follow", data={
        "csrf_token": token, "kind": "search", "target": "x", "q": "x", "since": "10 июн."})
    assert undated.status_code == 422 and "'10 июн.' — не дата" in _visible_text(undated.text)
    missing = client.post("/account/alerts/999999/unfollow", data={"csrf_token": token})
    assert missing.status_code == 404 and "у вас нет подписки 999999" in missing.text
    admin = site.services.accounts.get_user(site.email("admin"))
    secret = site.services.alerts.rotate_feed(Actor(admin.email, admin.role, admin.pk),
                                              int(pk.group(1)))
    feed = site.client().get(f"/alerts/feeds/{secret}.atom", headers={"Accept-Language": "ru"})
    assert "<title>kartoteka, уведомления: Косово</title>" in feed.text
    english = site.client().get(f"/alerts/feeds/{secret}.atom")
    assert "<title>kartoteka alerts: Kosovo</title>" in english.text
