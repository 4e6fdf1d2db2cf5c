"""E-mail digests through a local SMTP server, webhooks through a local HTTP server."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller

from kartoteka.auth.roles import Actor
from kartoteka.services.accounts import AccountService
from kartoteka.services.alerts import AlertService
from kartoteka.services.deletion import DeletionService
from kartoteka.services.digests import DigestSender
from kartoteka.services.webhooks import MAX_ATTEMPTS, SIGNATURE_HEADER, WebhookSender
from kartoteka.settings import SmtpSettings
from kartoteka.store import deliveries
from kartoteka.store.database import Database
from kartoteka.store.watchlists import Watchlist
from tests.services.alert_support import add_user, store

MALI = "Weapons cross the border near Menaka, the convoy report says."
BASE = "https://kartoteka.example.org"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def smtp_server(handler: Inbox) -> tuple[Controller, int]:
    """A started aiosmtpd server on a free port (it checks it is up by connecting)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, SmtpSettings]]:
    handler = Inbox()
    controller, port = smtp_server(handler)
    try:
        yield handler, SmtpSettings(host="127.0.0.1", port=port, sender="alerts@example.org",
                                    tls="none")
    finally:
        controller.stop()


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class MaliWatch:
    """Alice follows Mali; ``convoy`` stores the one article that matches and
    runs the matcher, after a test has said how her alerts are sent."""

    db: Database
    alerts: AlertService
    alice: Actor
    watch: Watchlist

    def convoy(self) -> str:
        article = store(self.db, "Mali convoy", MALI, key="one", countries=["ml"])
        self.alerts.match_pending()
        return article


@pytest.fixture
def mali_watch(db: Database) -> MaliWatch:
    alerts = AlertService(db)
    alice = add_user(db, "alice@example.org")
    return MaliWatch(db, alerts, alice, alerts.follow(alice, "country", "ml"))


def test_digests_follow_each_frequency_and_never_repeat(
    db: Database, inbox: tuple[Inbox, SmtpSettings]
) -> None:
    handler, smtp = inbox
    alerts = AlertService(db)
    alice = add_user(db, "alice@example.org")
    bob = add_user(db, "bob@example.org")
    store(db, "Earlier", "An earlier note by the same channel.", key="early")
    daily = alerts.follow(alice, "country", "ml")
    alerts.set_frequency(alice, daily.pk, "daily")
    weekly = alerts.follow(alice, "author", "@sahel_test")
    alerts.set_frequency(alice, weekly.pk, "weekly")
    alerts.set_frequency(bob, alerts.follow(bob, "country", "ml").pk, "off")
    first = store(db, "Mali convoy", MALI, key="one", countries=["ml"])
    alerts.match_pending()
    clock = Clock()
    sender = DigestSender(db, smtp, BASE, clock=clock)
    report = sender.run()
    assert (report.messages, report.alerts, report.errors) == (1, 2, [])
    [message] = handler.messages
    assert message["To"] == "alice@example.org" and message["From"] == "alerts@example.org"
    assert message["Subject"] == "kartoteka: 2 new articles"
    text = message.get_payload(decode=True).decode("utf-8")
    assert f"{BASE}/articles/{first}" in text and "Mali (1)" in text
    assert sender.run().messages == 0  # idempotent: nothing sent twice
    # A new article a few hours later waits for the next day (and week).
    store(db, "Mali second", MALI + " Again.", key="two", countries=["ml"])
    alerts.match_pending()
    clock.now += timedelta(hours=5)
    assert sender.run().messages == 0
    clock.now += timedelta(days=1)
    assert sender.run().alerts == 1  # the daily one; the weekly waits
    assert handler.messages[-1]["Subject"] == "kartoteka: 1 new article"
    clock.now += timedelta(days=7)
    assert sender.run().alerts == 1
    assert len(handler.messages) == 3
    assert all(m["To"] == "alice@example.org" for m in handler.messages)  # bob: off


def test_a_russian_users_digest_is_in_russian(
    db: Database, inbox: tuple[Inbox, SmtpSettings]
) -> None:
    """The cron job has no browser: the digest's language is the one the account chose."""
    handler, smtp = inbox
    alerts = AlertService(db)
    olga = add_user(db, "olga@example.org")
    assert olga.user_pk is not None
    AccountService(db).set_language(olga.user_pk, "ru")
    ann = add_user(db, "ann@example.org")  # never chose: English
    for user in (olga, ann):
        alerts.set_frequency(user, alerts.follow(user, "country", "ml").pk, "immediate")
    for n in range(3):
        store(db, f"Mali convoy {n}", f"{MALI} Report {n}.", key=f"ru{n}", countries=["ml"])
    alerts.match_pending()
    assert DigestSender(db, smtp, BASE).run().messages == 2
    sent = {m["To"]: m for m in handler.messages}
    russian = sent["olga@example.org"]
    assert str(make_header(decode_header(russian["Subject"]))) == "kartoteka: 3 новые статьи"
    assert russian["Content-Language"] == "ru"
    text = russian.get_payload(decode=True).decode("utf-8")
    assert f"Новые статьи по вашим подпискам на {BASE}:" in text
    assert "Мали (3)" in text and "Mali (3)" not in text
    assert f"Подписки и частота писем настраиваются здесь: {BASE}/account/alerts" in text
    assert "New articles" not in text
    english = sent["ann@example.org"]
    assert english["Subject"] == "kartoteka: 3 new articles"
    assert "Mali (3)" in english.get_payload(decode=True).decode("utf-8")


def test_hidden_articles_and_disabled_users_get_no_mail(
    db: Database, inbox: tuple[Inbox, SmtpSettings], mali_watch: MaliWatch
) -> None:
    handler, smtp = inbox
    alerts = mali_watch.alerts
    bob = add_user(db, "bob@example.org")
    alerts.set_frequency(mali_watch.alice, mali_watch.watch.pk, "immediate")
    alerts.set_frequency(bob, alerts.follow(bob, "country", "ml").pk, "immediate")
    gone = mali_watch.convoy()
    assert alerts.alert_count(bob) == 1  # bob's alert is there: only his account stops it
    DeletionService(db).delete(Actor.operator("test"), gone)
    AccountService(db).disable(Actor.operator("test"), "bob@example.org")
    assert DigestSender(db, smtp, BASE).run().messages == 0
    assert handler.messages == []


def test_a_refused_message_is_sent_on_the_next_run(
    db: Database, mali_watch: MaliWatch
) -> None:
    mali_watch.alerts.set_frequency(mali_watch.alice, mali_watch.watch.pk, "immediate")
    mali_watch.convoy()
    nowhere = SmtpSettings(host="127.0.0.1", port=1, tls="none")  # nothing listens
    failed = DigestSender(db, nowhere, BASE).run()
    assert failed.messages == 0 and len(failed.errors) == 1
    handler = Inbox()
    controller, port = smtp_server(handler)
    try:
        working = SmtpSettings(host="127.0.0.1", port=port, tls="none")
        assert DigestSender(db, working, BASE).run().alerts == 1
    finally:
        controller.stop()
    assert len(handler.messages) == 1


class Receiver(BaseHTTPRequestHandler):
    """Fails the first request with 503, then accepts; keeps what it was sent."""

    calls: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.calls.append((dict(self.headers.items()), body))
        self.send_response(503 if len(Receiver.calls) == 1 else 204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_is_signed_and_retried_with_back_off(
    db: Database, receiver: str, mali_watch: MaliWatch
) -> None:
    secret = mali_watch.alerts.set_webhook(mali_watch.alice, mali_watch.watch.pk, receiver)
    assert secret
    article = mali_watch.convoy()
    clock = Clock()
    refused = WebhookSender(db, BASE, clock=clock).run()  # 127.0.0.1: private by default
    assert refused.retrying == 1 and "private network" in refused.errors[0]
    assert Receiver.calls == []
    clock.now += timedelta(minutes=1)
    sender = WebhookSender(db, BASE, clock=clock, allow_private=True)
    first = sender.run()
    assert (first.queued, first.delivered, first.retrying) == (0, 0, 1)
    assert sender.run().queued == 0  # not yet due again, and nothing new to queue
    assert len(Receiver.calls) == 1
    clock.now += timedelta(minutes=2)
    second = sender.run()
    assert (second.delivered, second.retrying) == (1, 0)
    assert len(Receiver.calls) == 2
    for headers, body in Receiver.calls:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
        sent = json.loads(body)
        assert sent["watchlist"]["key"] == "ml"
        assert [a["url"] for a in sent["articles"]] == [f"{BASE}/articles/{article}"]
    with db.read() as conn:
        recorded = deliveries.attempts_of(conn, 1)
    assert [status for _, status, _ in recorded] == [None, 503, 204]
    assert recorded[1][2] == "HTTP 503" and recorded[2][2] is None
    clock.now += timedelta(days=1)
    assert sender.run().delivered == 0  # delivered once, never again


def test_webhook_gives_up_after_the_last_attempt(db: Database, mali_watch: MaliWatch) -> None:
    mali_watch.alerts.set_webhook(mali_watch.alice, mali_watch.watch.pk,
                                  "http://127.0.0.1:1/nothing-listens")
    mali_watch.convoy()
    clock = Clock()
    sender = WebhookSender(db, BASE, clock=clock, allow_private=True)
    reports = []
    for _ in range(MAX_ATTEMPTS + 2):
        reports.append(sender.run())
        clock.now += timedelta(days=1)
    assert sum(r.retrying for r in reports) == MAX_ATTEMPTS - 1
    assert sum(r.failed for r in reports) == 1
    with db.read() as conn:
        assert len(deliveries.attempts_of(conn, 1)) == MAX_ATTEMPTS
