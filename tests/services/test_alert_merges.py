"""A registry merge and alerts, on both backends: each side's followers get the other's
articles stored since they followed, once, and nobody else is alerted by it."""

from __future__ import annotations

from kartoteka.auth.roles import Actor
from kartoteka.model import ArticleStatus
from kartoteka.services import decisions
from kartoteka.services.accounts import AccountService
from kartoteka.services.alerts import AlertService
from kartoteka.store.database import Database
from tests.services.alert_support import add_user, extract, load_registry, store

KLA = "The Kosovo Liberation Army's veterans met in Pristina."
KPC = "The Kosovo Protection Corps held a parade."


def ids(service: AlertService, actor: Actor) -> list[str]:
    return sorted(a.article_id for a in service.alerts(actor))


def test_merge_alerts_both_sides_once_and_nobody_else(db: Database) -> None:
    alerts = AlertService(db)
    load_registry(db)
    old_kla = store(db, "KLA history", "The Kosovo Liberation Army was founded.", key="old",
                    countries=["xk"])
    extract(db)
    alerts.match_pending()
    x_follower = add_user(db, "x@example.org")  # follows the entity merged away (kpc)
    w_follower = add_user(db, "w@example.org")  # follows the entity kept (kla)
    both = add_user(db, "both@example.org")
    alerts.follow(x_follower, "entity", "kpc")
    alerts.follow(w_follower, "entity", "kla")
    alerts.follow(both, "entity", "kpc")
    alerts.follow(both, "entity", "kla")
    new_kla = store(db, "KLA veterans", KLA, key="kla", countries=["xk"])
    new_kpc = store(db, "KPC parade", KPC, key="kpc", countries=["xk"])
    extract(db)
    alerts.match_pending()
    assert ids(alerts, x_follower) == [new_kpc]
    assert ids(alerts, w_follower) == [new_kla]
    assert ids(alerts, both) == sorted([new_kla, new_kpc])
    alerts.mark_read(x_follower)
    # Follows Kosovo after both articles were matched: a merge must not alert them.
    country = add_user(db, "country@example.org")
    alerts.follow(country, "country", "xk")

    decisions.merge(db, "kla", "kpc")
    report = alerts.match_pending()

    assert report.alerts == 2
    # Each side gets the other's article stored since they followed; not the older one.
    assert ids(alerts, x_follower) == sorted([new_kla, new_kpc])
    assert old_kla not in ids(alerts, x_follower)
    assert [a.article_id for a in alerts.alerts(x_follower, unread_only=True)] == [new_kla]
    assert ids(alerts, w_follower) == sorted([new_kla, new_kpc])
    # Already told about both (through either watchlist): nothing again.
    assert len(alerts.alerts(both)) == 2
    assert ids(alerts, country) == []
    assert alerts.match_pending().alerts == 0

    # From now on the follower of the merged-away entity follows the whole cluster.
    later = store(db, "KLA trial", "A Kosovo Liberation Army commander was tried.",
                  key="later")
    extract(db)
    alerts.match_pending()
    assert later in ids(alerts, x_follower)
    assert later in ids(alerts, w_follower)


def test_merge_alerts_skip_disabled_users_and_hidden_articles(db: Database) -> None:
    alerts = AlertService(db)
    load_registry(db)
    x_follower = add_user(db, "x@example.org")
    gone = add_user(db, "gone@example.org")
    alerts.follow(x_follower, "entity", "kpc")
    alerts.follow(gone, "entity", "kpc")
    shown = store(db, "KLA veterans", KLA, key="kla")
    store(db, "KLA draft", "The Kosovo Liberation Army draft report.", key="draft",
          status=ArticleStatus.DRAFT)
    extract(db)
    alerts.match_pending()
    AccountService(db).disable(Actor.operator("test"), "gone@example.org")
    decisions.merge(db, "kla", "kpc")
    alerts.match_pending()
    assert ids(alerts, x_follower) == [shown]
    assert ids(alerts, gone) == []
