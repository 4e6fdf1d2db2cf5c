"""Watchlists and alerts on both backends: what matches, what never shows, and when."""

from __future__ import annotations

import pytest

from kartoteka.auth.roles import Actor
from kartoteka.model import ArticleStatus
from kartoteka.services import decisions
from kartoteka.services.accounts import AccountService
from kartoteka.services.alerts import AlertError, AlertService
from kartoteka.services.deletion import DeletionService
from kartoteka.services.search import search
from kartoteka.store.articles import ArticleFilter, ArticleRepository
from kartoteka.store.database import Database
from tests.services.alert_support import add_user, extract, load_registry, store

MALI = "Weapons cross the border near Menaka, the convoy report says."


@pytest.fixture
def alerts(db: Database) -> AlertService:
    return AlertService(db)


def titles(service: AlertService, actor: Actor) -> list[str]:
    return sorted(a.title for a in service.alerts(actor))


def test_each_kind_of_watchlist_alerts_on_new_articles_only(
    db: Database, alerts: AlertService
) -> None:
    alice = add_user(db, "alice@example.org")
    store(db, "Old Mali report", MALI, key="old", countries=["ml"])
    alerts.follow(alice, "country", "ML")
    alerts.follow(alice, "author", "@Sahel_Test")
    alerts.follow(alice, "search", "", query="convoy", flt=ArticleFilter(country="ml"))
    assert alerts.match_pending().alerts == 0  # the old article was there before
    store(db, "Mali convoy", MALI, key="new", countries=["ml"])
    store(db, "Serbian convoy", "A convoy in Serbia.", key="rs", countries=["rs"],
          author="@other")
    report = alerts.match_pending()
    assert report.alerts == 3  # the Mali article, once per watchlist
    assert titles(alerts, alice) == ["Mali convoy"] * 3
    assert alerts.match_pending().alerts == 0  # nothing twice
    by_kind = {w.kind: w for w in alerts.watchlists(alice)}
    assert by_kind["country"].key == "ml" and by_kind["author"].key == "@sahel_test"
    assert by_kind["search"].key == "q=convoy&country=ml"


def test_entity_watchlist_sees_later_extraction_and_merges(
    db: Database, alerts: AlertService
) -> None:
    alice = add_user(db, "alice@example.org")
    load_registry(db)
    first = store(db, "KLA on trial", "The Kosovo Liberation Army's leaders were tried.",
                  key="t1")
    extract(db)
    alerts.follow(alice, "entity", "kla")
    assert alerts.match_pending().alerts == 0
    # Linked to an entity that is then merged into the followed one.
    second = store(db, "Protection Corps", "The Kosovo Protection Corps met.", key="kpc")
    extract(db)
    assert alerts.match_pending().alerts == 0
    decisions.merge(db, "kla", "kpc")
    alerts.match_pending()
    assert [a.article_id for a in alerts.alerts(alice)] == [second]
    # A new article linked by extraction after it was stored.
    third = store(db, "KLA veterans", "Veterans of the Kosovo Liberation Army gathered.",
                  key="kla2")
    extract(db)
    alerts.match_pending()
    assert {a.article_id for a in alerts.alerts(alice)} == {second, third}
    assert first not in {a.article_id for a in alerts.alerts(alice)}


def test_drafts_deleted_articles_and_disabled_users_never_alert(
    db: Database, alerts: AlertService
) -> None:
    alice = add_user(db, "alice@example.org")
    bob = add_user(db, "bob@example.org")
    for user in (alice, bob):
        alerts.follow(user, "country", "ml")
    draft = store(db, "Draft Mali", MALI, key="draft", countries=["ml"],
                  status=ArticleStatus.DRAFT)
    shown = store(db, "Published Mali", MALI + " Second.", key="pub", countries=["ml"])
    AccountService(db).disable(Actor.operator("test"), "bob@example.org")
    alerts.match_pending()
    assert titles(alerts, alice) == ["Published Mali"]
    assert titles(alerts, bob) == []
    # Published later: alerts then.
    with db.transaction() as conn:
        ArticleRepository(conn).set_status(draft, ArticleStatus.PUBLISHED)
    alerts.match_pending()
    assert titles(alerts, alice) == ["Draft Mali", "Published Mali"]
    # Deleted: its alert disappears (and comes back if restored).
    DeletionService(db).delete(Actor.operator("test"), shown)
    assert titles(alerts, alice) == ["Draft Mali"]
    assert alerts.unread_count(alice) == 1


def test_mark_read_and_ownership(db: Database, alerts: AlertService) -> None:
    alice = add_user(db, "alice@example.org")
    bob = add_user(db, "bob@example.org")
    watch = alerts.follow(alice, "country", "ml")
    store(db, "Mali one", MALI, key="one", countries=["ml"])
    alerts.match_pending()
    assert alerts.mark_read(bob) == 0  # not bob's
    assert alerts.unread_count(alice) == 1
    assert alerts.mark_read(alice) == 1
    assert alerts.unread_count(alice) == 0
    with pytest.raises(AlertError):
        alerts.unfollow(bob, watch.pk)
    with pytest.raises(AlertError):
        alerts.set_frequency(alice, watch.pk, "hourly")
    with pytest.raises(AlertError):
        alerts.follow(Actor.anonymous(), "country", "ml")
    alerts.unfollow(alice, watch.pk)
    assert alerts.alerts(alice) == []


def test_private_feed_secret_rotates(db: Database, alerts: AlertService) -> None:
    alice = add_user(db, "alice@example.org")
    watch = alerts.follow(alice, "country", "ml")
    store(db, "Mali one", MALI, key="one", countries=["ml"])
    alerts.match_pending()
    old = alerts.rotate_feed(alice, watch.pk)
    assert [a.title for a in alerts.feed(old)[1]] == ["Mali one"]
    new = alerts.rotate_feed(alice, watch.pk)
    with pytest.raises(LookupError):
        alerts.feed(old)
    assert alerts.feed(new)[0].pk == watch.pk
    AccountService(db).disable(Actor.operator("test"), "alice@example.org")
    with pytest.raises(LookupError):
        alerts.feed(new)


def test_saved_searches_alert_on_exactly_what_the_search_finds(
    db: Database, alerts: AlertService
) -> None:
    """Word forms, quotes, prefixes, phrases and exclusions, in English and Russian:
    the gate that skips searches must never skip a match."""
    alice = add_user(db, "alice@example.org")
    queries = ["convoy", '"Menaka"', "weap*", "Ливия", '"near Menaka"', "border -Niger",
               "attacked", '"Ливии"', "боевик"]
    for query in queries:
        alerts.follow(alice, "search", "", query=query)
    texts = [
        ("Convoys in Mali", "Weapons cross the border near Menaka with convoys."),
        ("Niger border", "The border with Niger was attacked twice."),
        ("Ливия", "В Ливии боевиков стало больше; отряды атаковали порт."),
        ("Нигер", "Боевики атаковали колонну на границе."),
        ("Quiet week", "Nothing at all happened in the capital."),
    ]
    new = {store(db, title, body, key=f"k{i}", language="ru" if title[0] in "ЛН" else "en")
           for i, (title, body) in enumerate(texts)}
    alerts.match_pending()
    by_label = {w.pk: w.query for w in alerts.watchlists(alice)}
    got: dict[str, set[str]] = {q: set() for q in queries}
    for alert in alerts.alerts(alice):
        got[by_label[alert.watchlist_pk] or ""].add(alert.article_id)
    for query in queries:
        expected = {h.id for h in search(db, query, limit=200).hits} & new
        assert got[query] == expected, query
    assert got["Ливия"] and got["боевик"] and got["weap*"] and got['"near Menaka"']
